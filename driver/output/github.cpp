// GitHub Actions workflow commands: one annotation per active finding.
#include "driver/output/escape.h"
#include "driver/output/report.h"

namespace lbcheck {

namespace {

/// The workflow command of a severity: error, warning or notice.
std::string command(Severity s) {
  return s == Severity::Note ? "notice" : std::string(severityName(s));
}

/// file=,line=,col=,endLine=,endColumn= of a span. GitHub's columns are
/// inclusive and only allowed when the annotation starts and ends on one line.
std::string position(const SourceManager& sources, Span span) {
  const SourceFile* file = sources.find(span.file);
  if (!file) return "";
  const Location a = file->locate(span.begin);
  Location b = file->locate(std::max(span.end, span.begin));
  bool endColumnKnown = true;
  if (b.line > a.line && b.column == 1) {
    // The span ends with a line break: it ends on the line before.
    --b.line;
    endColumnKnown = false;
  }
  std::string out =
      "file=" + output::githubProperty(file->path()) + ",line=" + std::to_string(a.line);
  if (b.line == a.line) {
    out += ",col=" + std::to_string(a.column) + ",endLine=" + std::to_string(a.line);
    if (endColumnKnown) out += ",endColumn=" + std::to_string(std::max(a.column, b.column - 1));
  } else {
    out += ",endLine=" + std::to_string(b.line);  // several lines: no columns
  }
  return out;
}

}  // namespace

std::string renderGithub(const SourceManager& sources, const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    if (!f.active()) continue;
    std::string title = f.ruleId;
    if (const Rule* rule = findRule(f.ruleId)) title += " " + std::string(rule->info().slug);
    std::string message = f.message;
    if (!f.help.empty()) message += "\nFix: " + f.help;
    for (const Related& r : f.related)
      message += "\nnote: " + output::spanText(sources, r.span) + ": " + r.message;
    std::string properties = position(sources, f.span);
    if (!properties.empty()) properties += ",";
    properties += "title=" + output::githubProperty(title);
    out += std::string("::") + command(f.severity) + " " + properties +
           "::" + output::githubData(message) + "\n";
  }
  return out;
}

}  // namespace lbcheck
