// The Markdown report (`--format markdown`): a pull-request comment or a
// GitHub job summary, with the chains as Mermaid diagrams.
#include <algorithm>
#include <array>

#include "driver/output/diagram.h"
#include "driver/output/report.h"

namespace lbcheck {

namespace {

/// Text in a Markdown table cell: one line, no pipe, no HTML.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// A path in a link target: spaces and parentheses would end it.
std::string linkTarget(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '(' || c == ')' || c == '<' || c == '>') {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[(static_cast<unsigned char>(c) >> 4) & 15];
      out += hex[static_cast<unsigned char>(c) & 15];
    } else {
      out += c;
    }
  }
  return out;
}

int rank(std::optional<Severity> s) { return s ? static_cast<int>(*s) + 1 : 0; }

}  // namespace

std::string renderMarkdown(const SourceManager& sources, const Graph& graph,
                           const std::vector<Finding>& findings, const MarkdownStyle& style) {
  std::array<size_t, 3> counts{};
  std::vector<const Finding*> active;
  for (const Finding& f : findings) {
    if (!f.active()) continue;
    ++counts[static_cast<size_t>(f.severity)];
    active.push_back(&f);
  }
  // The worst first: the table may be cut at maxFindings.
  std::stable_sort(active.begin(), active.end(), [](const Finding* a, const Finding* b) {
    return static_cast<int>(a->severity) > static_cast<int>(b->severity);
  });
  auto plural = [](size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  std::string out = "## lbcheck: " + plural(counts[2], "error") + ", " +
                    plural(counts[1], "warning") + ", " + plural(counts[0], "note") + "\n\n";
  out += "| Severity | Active findings |\n|---|---:|\n";
  for (Severity s : {Severity::Error, Severity::Warning, Severity::Note})
    out +=
        "| " + severityMarker(s) + " | " + std::to_string(counts[static_cast<size_t>(s)]) + " |\n";
  const std::string hidden = hiddenText(hiddenCounts(findings), "not shown");
  if (!hidden.empty()) out += "\n" + hidden + ".\n";

  if (!active.empty()) {
    out +=
        "\n### Findings\n\n| Severity | Rule | Location | Resource | Message |\n"
        "|---|---|---|---|---|\n";
    for (size_t i = 0; i < active.size() && i < style.maxFindings; ++i) {
      const Finding& f = *active[i];
      std::string where;
      if (const SourceFile* file = sources.find(f.span.file)) {
        std::string path = file->path();
        if (path.rfind("./", 0) == 0) path.erase(0, 2);
        const uint32_t line = file->locate(f.span.begin).line;
        const std::string text = path + ":" + std::to_string(line);
        // An absolute path is outside the repository: no link into it.
        const std::string base = path.rfind('/', 0) == 0 ? "" : style.blobBase;
        where =
            "[" + cell(text) + "](" + linkTarget(base + path) + "#L" + std::to_string(line) + ")";
      }
      out += "| " + severityMarker(f.severity) + " | `" + f.ruleId + "` | " + where + " | " +
             (f.resource.empty() ? "" : "`" + cell(f.resource) + "`") + " | " + cell(f.message) +
             " |\n";
    }
    if (active.size() > style.maxFindings)
      out += "\n… and " + std::to_string(active.size() - style.maxFindings) +
             " more (see the full report).\n";
  }

  std::vector<Diagram> diagrams = buildDiagrams(sources, graph, findings);
  if (!diagrams.empty()) {
    out += "\n### Load balancers\n";
    std::stable_sort(diagrams.begin(), diagrams.end(), [](const Diagram& a, const Diagram& b) {
      return rank(a.worst) > rank(b.worst);
    });
    for (size_t i = 0; i < diagrams.size() && i < style.maxDiagrams; ++i) {
      const Diagram& d = diagrams[i];
      out += "\n#### " + cell(d.title) + " (" + cell(d.label) + ")\n\n```mermaid\n" +
             renderMermaid(d) + "```\n";
    }
    if (diagrams.size() > style.maxDiagrams)
      out += "\n… and " + std::to_string(diagrams.size() - style.maxDiagrams) +
             " more load balancers (`lbcheck graph` draws them all).\n";
  }
  return out;
}

}  // namespace lbcheck
