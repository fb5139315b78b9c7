// Load-balancer chains as diagrams: one per forwarding rule (forwarding rule ->
// target proxy -> URL map -> backend services -> NEGs -> Cloud Run services, and
// the subnets they depend on), each node marked with its active findings.
// `lbcheck graph --format mermaid|dot|json`, and the HTML and Markdown reports.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/rule.h"
#include "engine/source.h"

namespace lbcheck {

struct DiagramNode {
  std::string id;    // stable: from the resource's identity (or the unresolved reference)
  std::string kind;  // "forwarding rule", "backend service"...
  std::string name;
  std::vector<std::string> details;  // "10.1.2.99:80", "ingress: internal-only"...
  bool missing = false;              // referenced, but not in the inputs
  size_t collapsed = 0;              // > 0: stands for this many resources left out
  std::optional<Severity> worst;     // the worst severity of its active findings
  std::vector<std::string> rules;    // the rule ids of those findings, sorted, unique
  std::vector<size_t> findings;      // indexes into the run's findings
  std::string where;                 // "path:line" of the resource ("" when missing)
};

struct DiagramEdge {
  std::string from, to;
  std::string label;        // host and path rules, "subnet"...
  bool dependency = false;  // a subnet the chain depends on (drawn dashed)
  std::string rule;         // a finding at this reference (a mismatch): its rule id
  std::optional<Severity> severity;
};

struct Diagram {
  std::string id;                  // stable: the head's node id
  std::string title;               // "forwarding rule `web-fr`"
  std::string label;               // what kind of load balancer: chainLabel()
  std::string type;                // its type's id ("regional-internal"), "" when not known
  std::vector<DiagramNode> nodes;  // head first, then in the order reached
  std::vector<DiagramEdge> edges;
  std::optional<Severity> worst;  // over its nodes and edges
};

struct DiagramOptions {
  /// A resource with more links of one kind than this shows the first ones
  /// (those with findings first) and one node for the rest.
  size_t groupLimit = 12;
};

/// The chains of `graph`: one diagram per live forwarding rule, then one per
/// piece of a chain (proxy, URL map, backend service, NEG) that no forwarding
/// rule reaches. Deterministic: graph order, then field order.
std::vector<Diagram> buildDiagrams(const SourceManager& sources, const Graph& graph,
                                   const std::vector<Finding>& findings,
                                   const DiagramOptions& options = {});

/// What kind of load balancer a chain is, from its forwarding rule: the type
/// the engine recognises (engine/topology.h), with its scheme and region
/// ("regional internal Application Load Balancer, INTERNAL_MANAGED, us-central1");
/// scheme and scope alone when the type is not known.
std::string chainLabel(const Graph& graph, const Resource& forwardingRule);

/// "error", "warning", "note" with a marker readable without colour.
std::string severityMarker(Severity s);

std::string renderMermaid(const Diagram& d);
std::string renderMermaid(const std::vector<Diagram>& diagrams);  // blocks separated by "%%"
/// `idPrefix` starts each node's `id` attribute (SVG element id): "node-" by
/// default; a page with several diagrams gives each its own.
std::string renderDot(const Diagram& d, std::string_view idPrefix = "node-");
std::string renderDot(const std::vector<Diagram>& diagrams);  // one digraph after another
std::string renderDiagramJson(const std::vector<Diagram>& diagrams);

/// Where a finding's file and line link to in the Markdown report: the file on
/// GitHub at the commit (`blobBase` = "https://github.com/o/r/blob/SHA/") or,
/// without one, the path itself.
struct MarkdownStyle {
  std::string blobBase;
  size_t maxFindings = 200;  // rows of the findings table (a job summary holds 1 MiB)
  size_t maxDiagrams = 20;   // Mermaid blocks, the chains with the worst findings first
};

/// `--format markdown`: counts by severity, the active findings as a table with
/// links to file and line, and the chains as Mermaid blocks (GitHub renders
/// them in pull requests and job summaries).
std::string renderMarkdown(const SourceManager& sources, const Graph& graph,
                           const std::vector<Finding>& findings, const MarkdownStyle& style = {});

/// `--format html`: one self-contained page (no network access: no external
/// script, style sheet or font) with each chain as inline SVG laid out by
/// Graphviz, the findings with their source lines, filters by severity and
/// rule, and each finding linked to its node.
std::string renderHtml(const SourceManager& sources, const Graph& graph,
                       const std::vector<Finding>& findings);

/// Loads Graphviz's libcgraph and libgvc (sonames or paths) for renderHtml,
/// which calls it once with the libraries lbcheck was built against. Returns
/// "" and the libgvc handle, or why they cannot be loaded (the page then
/// draws each chain as a list and says why).
std::string loadGraphvizFrom(const char* gvcLibrary, const char* cgraphLibrary, void** gvcHandle);

}  // namespace lbcheck
