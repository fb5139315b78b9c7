// The HTML report (`--format html`): one self-contained page. Each chain is
// laid out by Graphviz (libgvc: the `dot` layout, rendered to SVG in memory)
// and inlined; the page has no external script, style sheet, font or image.
//
// Graphviz is loaded when a page is first drawn (dlopen), not when lbcheck
// starts: its seven shared libraries cost every run about 1.5 ms of dynamic
// loading, and only this report uses them (bench/RESULTS.md, issue 16). The
// headers give the functions' types only; nothing here links against them.
#include <dlfcn.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>

#include "driver/output/diagram.h"
#include "driver/output/escape.h"
#include "driver/output/report.h"

namespace lbcheck {

namespace {

using output::xmlAttribute;
using output::xmlText;

/// The Graphviz functions the report calls, from the libraries named at build
/// time (LBCHECK_LIBGVC, LBCHECK_LIBCGRAPH: their sonames).
struct Graphviz {
  decltype(&gvContext) context = nullptr;
  decltype(&gvLayout) layout = nullptr;
  decltype(&gvRenderData) renderData = nullptr;
  decltype(&gvFreeRenderData) freeRenderData = nullptr;
  decltype(&gvFreeLayout) freeLayout = nullptr;
  decltype(&agmemread) memread = nullptr;
  decltype(&agclose) close = nullptr;
  decltype(&agseterr) seterr = nullptr;
  GVC_t* gvc = nullptr;  // one context for the process (see Layout)
  std::string error;     // why Graphviz could not be used; "" when it can
};

}  // namespace

std::string loadGraphvizFrom(const char* gvcLibrary, const char* cgraphLibrary, void** gvcHandle) {
  // RTLD_GLOBAL: libgvc loads its plugins (the dot layout, the SVG renderer),
  // which look up libgvc's and libcgraph's symbols by name.
  void* cgraph = ::dlopen(cgraphLibrary, RTLD_NOW | RTLD_GLOBAL);
  void* gvc = cgraph != nullptr ? ::dlopen(gvcLibrary, RTLD_NOW | RTLD_GLOBAL) : nullptr;
  if (gvc == nullptr) {
    const char* why = ::dlerror();
    return std::string("Graphviz cannot be loaded (") + (why != nullptr ? why : "no reason given") +
           "): install Graphviz's libgvc (Debian: libgvc6) to draw the diagrams";
  }
  *gvcHandle = gvc;
  return {};
}

namespace {

const Graphviz& graphviz() {
  static const Graphviz gv = [] {
    Graphviz g;
    void* gvc = nullptr;
    g.error = loadGraphvizFrom(LBCHECK_LIBGVC, LBCHECK_LIBCGRAPH, &gvc);
    if (!g.error.empty()) return g;
    auto get = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(gvc, name));
      if (fn == nullptr && g.error.empty())
        g.error = std::string("Graphviz lacks ") + name + ": the diagrams are drawn as lists";
    };
    get(g.context, "gvContext");
    get(g.layout, "gvLayout");
    get(g.renderData, "gvRenderData");
    get(g.freeRenderData, "gvFreeRenderData");
    get(g.freeLayout, "gvFreeLayout");
    get(g.memread, "agmemread");
    get(g.close, "agclose");
    get(g.seterr, "agseterr");
    if (!g.error.empty()) return g;
    // Graphviz 2.43's text-size cache outlives a context, and a second context
    // reads freed memory (AddressSanitizer shows it), so the first one is kept.
    g.seterr(AGERR);  // warnings are not the reader's business
    g.gvc = g.context();
    if (g.gvc == nullptr) g.error = "Graphviz could not start (gvContext failed)";
    return g;
  }();
  return gv;
}

/// Lays chains out with Graphviz. Reports are written one at a time.
class Layout {
 public:
  /// The SVG element of the DOT graph, or "" when Graphviz cannot lay it out.
  std::string svg(const std::string& dot) {
    const Graphviz& gv = graphviz();
    if (!gv.error.empty()) return {};
    Agraph_t* g = gv.memread(dot.c_str());
    if (!g) return {};
    std::string out;
    if (gv.layout(gv.gvc, g, "dot") == 0) {
      char* data = nullptr;
      unsigned int length = 0;
      if (gv.renderData(gv.gvc, g, "svg", &data, &length) == 0 && data) {
        out.assign(data, length);
        gv.freeRenderData(data);
      }
      gv.freeLayout(gv.gvc, g);
    }
    gv.close(g);
    // Inline: the element itself, without the XML declaration, doctype and comments.
    const size_t start = out.find("<svg");
    return start == std::string::npos ? std::string() : out.substr(start);
  }
  /// Why there are no drawings ("" when Graphviz works).
  const std::string& unavailable() const { return graphviz().error; }
};

std::string severityClass(std::optional<Severity> s) {
  return s ? std::string(severityName(*s)) : "none";
}

/// The finding's line with one line of context either side, numbered, with
/// sensitive bytes masked.
std::string snippet(const SourceManager& sources, const Finding& f) {
  const SourceFile* file = sources.find(f.span.file);
  if (!file) return {};
  const std::string_view all = file->text();
  if (f.span.begin > all.size()) return {};
  const uint32_t line = file->locate(f.span.begin).line;
  const std::string_view here = file->lineText(f.span.begin);
  const uint32_t hereStart = static_cast<uint32_t>(here.data() - all.data());
  std::vector<std::pair<uint32_t, uint32_t>> lines;  // (line number, start offset)
  if (hereStart > 0) lines.push_back({line - 1, hereStart - 1});
  lines.push_back({line, hereStart});
  const size_t next = hereStart + here.size() + 1;
  if (next < all.size()) lines.push_back({line + 1, static_cast<uint32_t>(next)});
  std::string out = "<pre class=\"snippet\">";
  for (const auto& [number, offset] : lines) {
    const std::string_view text = file->lineText(offset);
    const uint32_t start = static_cast<uint32_t>(text.data() - file->text().data());
    std::string shown = file->masked(start, text);
    if (shown.size() > 240) shown = shown.substr(0, 240) + "…";
    out += std::string("<span class=\"ln") + (number == line ? " hit" : "") + "\">" +
           std::to_string(number) + "</span>" + xmlText(shown) + "\n";
  }
  return out + "</pre>";
}

constexpr const char* kStyle = R"css(
:root { color-scheme: light; --error:#c5221f; --warning:#b06000; --note:#1a5fb4; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 16px 24px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
h1 { font-size: 20px; margin: 0 0 8px; }
.counts span { margin-right: 16px; font-weight: 600; }
span.error, strong.error { color: var(--error); } span.warning, strong.warning { color: var(--warning); }
span.note, strong.note { color: var(--note); }
.filters { margin-top: 8px; display: flex; gap: 16px; flex-wrap: wrap; align-items: center; }
main { padding: 16px 24px; max-width: 1600px; }
.findings { columns: 2 560px; column-gap: 24px; }
.findings h2 { column-span: all; }
.chain-body { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; padding: 8px; }
.chain-body > .diagram { flex: 1 1 720px; min-width: 0; padding: 0; position: sticky; top: 0; }
aside.chain-findings { flex: 0 1 400px; min-width: 280px; max-height: 85vh; overflow-y: auto; }
aside.chain-findings h3 { font-size: 14px; margin: 0 0 8px; }
article.finding { break-inside: avoid; }
section.chain { border: 1px solid #d0d7de; border-radius: 6px; margin-bottom: 16px; }
section.chain > details > summary { padding: 8px 12px; cursor: pointer; font-weight: 600; background: #f6f8fa; }
.diagram { overflow-x: auto; padding: 8px; }
.diagram svg { max-width: 100%; height: auto; min-width: min(100%, 900px); }
.diagram g.node { cursor: pointer; }
.diagram g.node.selected polygon, .diagram g.node.selected path { stroke: #8250df; stroke-width: 4px; }
article.finding { border-left: 4px solid #d0d7de; padding: 6px 10px; margin-bottom: 12px; background: #fff; }
article.finding.error { border-color: var(--error); } article.finding.warning { border-color: var(--warning); }
article.finding.note { border-color: var(--note); }
article.finding.selected { background: #fbefff; }
article.finding .message { color: #1f2328; }
article.finding .where { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: #57606a; }
pre.snippet { background: #f6f8fa; padding: 6px 8px; overflow-x: auto; font-size: 12px; margin: 6px 0 0; }
pre.snippet .ln { display: inline-block; width: 4em; color: #8c959f; user-select: none; }
pre.snippet .ln.hit { color: #1f2328; font-weight: 700; }
.hidden { display: none !important; }
.empty { color: #57606a; }
)css";

constexpr const char* kScript = R"js(
(function () {
  var sev = document.querySelectorAll('input[name=severity]');
  var rule = document.getElementById('rule');
  function apply() {
    var on = {};
    sev.forEach(function (c) { on[c.value] = c.checked; });
    document.querySelectorAll('article.finding').forEach(function (a) {
      var show = on[a.dataset.severity] && (rule.value === '' || rule.value === a.dataset.rule);
      a.classList.toggle('hidden', !show);
    });
  }
  sev.forEach(function (c) { c.addEventListener('change', apply); });
  rule.addEventListener('change', apply);
  function select(nodeIds) {
    document.querySelectorAll('.selected').forEach(function (e) { e.classList.remove('selected'); });
    nodeIds.forEach(function (id) {
      var n = document.getElementById(id);
      if (n) n.classList.add('selected');
    });
  }
  document.querySelectorAll('a.to-node').forEach(function (a) {
    a.addEventListener('click', function (ev) {
      var id = a.getAttribute('href').slice(1);
      var n = document.getElementById(id);
      if (!n) return;
      ev.preventDefault();
      var d = n.closest('details');
      if (d) d.open = true;
      select([id]);
      a.closest('article').classList.add('selected');
      n.scrollIntoView({ block: 'center' });
    });
  });
  document.querySelectorAll('.diagram g.node').forEach(function (n) {
    n.addEventListener('click', function () {
      select([n.id]);
      var first = null;
      document.querySelectorAll('article.finding').forEach(function (a) {
        if ((' ' + a.dataset.nodes + ' ').indexOf(' ' + n.id + ' ') >= 0) {
          a.classList.add('selected');
          if (!first) first = a;
        }
      });
      if (first) first.scrollIntoView({ block: 'nearest' });
    });
  });
  apply();
})();
)js";

}  // namespace

std::string renderHtml(const SourceManager& sources, const Graph& graph,
                       const std::vector<Finding>& findings) {
  const std::vector<Diagram> diagrams = buildDiagrams(sources, graph, findings);
  std::array<size_t, 3> counts{};
  std::set<std::string> rules;
  for (const Finding& f : findings) {
    if (!f.active()) continue;
    ++counts[static_cast<size_t>(f.severity)];
    rules.insert(f.ruleId);
  }
  // Each finding's nodes, as the DOM ids of the page (d<diagram>-<node id>).
  std::map<size_t, std::vector<std::string>> nodesOf;
  for (size_t i = 0; i < diagrams.size(); ++i)
    for (const DiagramNode& n : diagrams[i].nodes)
      for (size_t f : n.findings) nodesOf[f].push_back("d" + std::to_string(i) + "_" + n.id);

  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
      "<title>lbcheck report</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header>\n<h1>lbcheck report</h1>\n<div class=\"counts\">";
  for (Severity s : {Severity::Error, Severity::Warning, Severity::Note}) {
    const size_t n = counts[static_cast<size_t>(s)];
    out += "<span class=\"" + std::string(severityName(s)) + "\">" + severityMarker(s) +
           (n == 1 ? "" : "s") + ": " + std::to_string(n) + "</span>";
  }
  out += "<span>" + std::to_string(diagrams.size()) + " load balancer" +
         (diagrams.size() == 1 ? "" : "s") + "</span>";
  const std::string hidden = hiddenText(hiddenCounts(findings), "not shown");
  if (!hidden.empty()) out += "<span>" + xmlText(hidden) + "</span>";
  out += "</div>\n<div class=\"filters\">";
  for (Severity s : {Severity::Error, Severity::Warning, Severity::Note}) {
    const std::string name(severityName(s));
    out += "<label><input type=\"checkbox\" name=\"severity\" value=\"" + name + "\" checked> " +
           severityMarker(s) + "</label>";
  }
  out += "<label>rule <select id=\"rule\"><option value=\"\">all</option>";
  for (const std::string& r : rules)
    out += "<option value=\"" + xmlAttribute(r) + "\">" + xmlText(r) + "</option>";
  out += "</select></label></div>\n</header>\n<main>\n<div class=\"chains\">\n";

  // One finding as an article. `diagram` is the chain it is shown beside (its
  // nodes there), or npos for the list of findings on no chain; the first
  // article of a finding has the id finding-<i>, others finding-<i>-d<k>.
  std::set<size_t> placed;
  auto article = [&](size_t i, size_t diagram) {
    const Finding& f = findings[i];
    const std::string sev(severityName(f.severity));
    std::vector<std::string> here;
    for (const std::string& n : nodesOf[i])
      if (diagram == std::string::npos || n.rfind("d" + std::to_string(diagram) + "_", 0) == 0)
        here.push_back(n);
    std::string nodes;
    for (const std::string& n : here) nodes += (nodes.empty() ? "" : " ") + n;
    const bool first = placed.insert(i).second;
    std::string a = "<article class=\"finding " + sev + "\" id=\"finding-" + std::to_string(i) +
                    (first ? "" : "-d" + std::to_string(diagram)) + "\" data-severity=\"" + sev +
                    "\" data-rule=\"" + xmlAttribute(f.ruleId) + "\" data-nodes=\"" +
                    xmlAttribute(nodes) + "\">";
    a += "<div><strong class=\"" + sev + "\">" + severityMarker(f.severity) + "</strong> <code>" +
         xmlText(f.ruleId) + "</code>";
    if (!here.empty())
      a += " · <a class=\"to-node\" href=\"#" + xmlAttribute(here.front()) +
           "\">show in diagram</a>";
    a += "</div><div class=\"where\">" + xmlText(output::spanText(sources, f.span)) +
         (f.resource.empty() ? "" : " · " + xmlText(f.resource)) + "</div>";
    a += "<div class=\"message\">" + xmlText(f.message) + "</div>";
    a += snippet(sources, f);
    return a + "</article>\n";
  };
  // The active findings of each diagram, in report order.
  std::vector<std::vector<size_t>> onDiagram(diagrams.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!findings[i].active()) continue;
    std::set<size_t> seen;
    for (const std::string& n : nodesOf[i]) {
      const size_t k = std::stoul(n.substr(1, n.find('_') - 1));
      if (seen.insert(k).second) onDiagram[k].push_back(i);
    }
  }
  for (std::vector<size_t>& list : onDiagram)  // the worst first, then in report order
    std::stable_sort(list.begin(), list.end(), [&](size_t a, size_t b) {
      return findings[a].severity > findings[b].severity;
    });

  // Chains: open when they have findings (and the page is not huge); each
  // chain's findings beside its diagram.
  Layout layout;
  if (!diagrams.empty() && !layout.unavailable().empty())
    out += "<p class=\"note\">" + xmlText(layout.unavailable()) + "</p>\n";
  const bool many = diagrams.size() > 50;
  for (size_t i = 0; i < diagrams.size(); ++i) {
    const Diagram& d = diagrams[i];
    const std::string prefix = "d" + std::to_string(i) + "_";
    out += "<section class=\"chain\" id=\"chain-" + std::to_string(i) + "\" data-severity=\"" +
           severityClass(d.worst) + "\"><details" + (d.worst && !many ? " open" : "") +
           "><summary>" +
           (d.worst ? "<span class=\"" + severityClass(d.worst) + "\">" + severityMarker(*d.worst) +
                          "</span> "
                    : std::string()) +
           xmlText(d.title) + " <small>" + xmlText(d.label) + "</small></summary>\n";
    std::string svg = layout.svg(renderDot(d, prefix));
    if (svg.empty()) {  // Graphviz failed: the nodes as a list, still one element per node
      svg = "<ul>";
      for (const DiagramNode& n : d.nodes)
        svg += "<li id=\"" + prefix + n.id + "\" class=\"node\">" + xmlText(n.kind + " " + n.name) +
               "</li>";
      svg += "</ul>";
    }
    out += "<div class=\"chain-body\"><div class=\"diagram\">" + svg + "</div>";
    if (!onDiagram[i].empty()) {
      out += "<aside class=\"chain-findings\"><h3>Findings on this load balancer (" +
             std::to_string(onDiagram[i].size()) + ")</h3>\n";
      for (size_t f : onDiagram[i]) out += article(f, i);
      out += "</aside>";
    }
    out += "</div></details></section>\n";
  }
  if (diagrams.empty()) out += "<p class=\"empty\">No load-balancer chain in the inputs.</p>\n";
  size_t active = 0, elsewhere = 0;
  for (size_t i = 0; i < findings.size(); ++i)
    if (findings[i].active()) ++active, elsewhere += nodesOf[i].empty() ? 1 : 0;
  out += "</div>\n<div class=\"findings\">\n";
  if (elsewhere > 0)
    out += std::string("<h2>") +
           (diagrams.empty() ? "Findings" : "Findings on no load balancer's diagram") + "</h2>\n";
  for (size_t i = 0; i < findings.size(); ++i)
    if (findings[i].active() && nodesOf[i].empty()) out += article(i, std::string::npos);
  const size_t shown = active;
  if (shown == 0) out += "<p class=\"empty\">No active finding.</p>\n";
  out += "</div>\n</main>\n<script>";
  out += kScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace lbcheck
