// What a plan lowers to, as text: the Terraform plan adapter reads a plan whole
// (tfplan::lower) or a piece at a time (tfplan::lowerInPieces), and both must
// give the same resources, diagnostics and redactions. Shared by the unit tests
// and the tfplan fuzzer, which compares the two on every input.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/json.h"
#include "engine/source.h"
#include "parsers/tfplan/tfplan.h"

namespace lbcheck::testing {

inline std::string describeSpan(Span s) {
  return std::to_string(s.file) + ":" + std::to_string(s.begin) + "-" + std::to_string(s.end);
}

inline void describeFields(const Fields& fields, std::string& out) {
  for (const auto& [path, f] : fields) {
    out += "  " + std::string(path.view()) + " state=" + std::to_string(int(f.state)) +
           " text=" + f.text + " span=" + describeSpan(f.span) + " spelling=" + f.spelling.str() +
           " by=" + f.defaultedBy.str() + " authored=" + std::to_string(f.authored) +
           " sensitive=" + std::to_string(f.sensitive) + " ref=" + f.ref->address.str() +
           (f.ref->identity ? "/" + f.ref->identity->str() : "") + "\n";
  }
}

/// Resources (identity, lifecycle, spans, every field and prior field, what
/// they wait for), then the diagnostics, then the file as reports show it.
inline std::string describePlan(const Graph& graph, const std::vector<Finding>& diagnostics,
                                const SourceFile& file) {
  std::string out;
  for (const Resource& r : graph.resources()) {
    out += r.displayName + " " + r.id.str() + " " + r.sourceType.str() +
           " lifecycle=" + std::to_string(int(r.lifecycle)) + " header=" + describeSpan(r.header) +
           " actions=" + describeSpan(r.lifecycleSpan()) + "\n";
    describeFields(r.fields, out);
    if (r.prior) {
      out += " prior:\n";
      describeFields(*r.prior, out);
    }
    if (r.dependsOn())
      for (const std::string& d : *r.dependsOn()) out += " after " + d + "\n";
  }
  for (const Finding& d : diagnostics)
    out += d.ruleId + " " + d.message + " " + describeSpan(d.span) + "\n";
  out += file.masked(0, file.text());
  return out;
}

/// Both readings of `text`: whole (empty when it does not parse), and in
/// pieces (`inPieces` says whether that reading took it).
struct BothReadings {
  std::string whole, pieces;
  bool inPieces = false;
};

inline BothReadings readPlanBothWays(const std::string& text) {
  BothReadings out;
  {
    SourceManager sources;
    const SourceFile& file = sources.add("plan.json", text);
    json::ParseError error;
    if (auto doc = json::parse(file, json::Limits{}, &error)) {
      Graph graph;
      std::vector<Finding> diagnostics;
      tfplan::lower(*doc, file, graph, diagnostics);
      out.whole = describePlan(graph, diagnostics, file);
    }
  }
  SourceManager sources;
  const SourceFile& file = sources.add("plan.json", text);
  Graph graph;
  std::vector<Finding> diagnostics;
  out.inPieces = tfplan::lowerInPieces(file, json::Limits{}.maxDepth, graph, diagnostics);
  if (out.inPieces) out.pieces = describePlan(graph, diagnostics, file);
  return out;
}

}  // namespace lbcheck::testing
