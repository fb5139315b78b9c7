#include "driver/output/formats.h"

#include <unistd.h>

#include <cstdlib>
#include <iterator>
#include <ostream>

#include "driver/output/diagram.h"
#include "driver/output/report.h"

namespace lbcheck {

namespace {

/// The report formats. Adding one is a writer file in driver/output/ (its
/// render function declared in report.h) plus one entry here: a name, a
/// description for --help and the call of the writer. --format accepts it,
/// --help lists it, and lbcheck writes it, from this table alone.
const ReportFormat kFormats[] = {
    {"text", "for people",
     [](const ReportInput& in, std::ostream& out) {
       const char* noColorEnv = std::getenv("NO_COLOR");
       const bool noColor = noColorEnv && *noColorEnv;
       TextStyle style;
       style.color = in.color == "always" ||
                     (in.color == "auto" && in.toStdout && !noColor && ::isatty(STDOUT_FILENO));
       style.listSkipped = in.showSkipped;
       writeText(out, in.result.sources, in.result.findings, in.result.filesRead, style,
                 in.result.skipped);
     }},
    {"json", "",
     [](const ReportInput& in, std::ostream& out) {
       writeJson(out, in.result.sources, in.result.findings, in.result.filesRead,
                 in.result.skipped);
     }},
    {"sarif", "GitHub code scanning",
     [](const ReportInput& in, std::ostream& out) {
       const char* workspace = std::getenv("GITHUB_WORKSPACE");
       const std::string root = !in.sarifRoot.empty()     ? std::string(in.sarifRoot)
                                : workspace && *workspace ? workspace
                                                          : "";
       writeSarif(out, in.result.sources, in.result.findings, in.policyRules, in.withBaseline, root,
                  in.result.skipped);
     }},
    {"github", "GitHub Actions annotations",
     [](const ReportInput& in, std::ostream& out) {
       out << renderGithub(in.result.sources, in.result.findings);
     }},
    {"junit", "JUnit XML for CI dashboards",
     [](const ReportInput& in, std::ostream& out) {
       out << renderJunit(in.result.sources, in.result.findings, rulesThatRan(in.onlyRules));
     }},
    {"markdown", "pull requests and GitHub job summaries, with Mermaid diagrams",
     [](const ReportInput& in, std::ostream& out) {
       MarkdownStyle style;
       const char* server = std::getenv("GITHUB_SERVER_URL");
       const char* repo = std::getenv("GITHUB_REPOSITORY");
       const char* sha = std::getenv("GITHUB_SHA");
       if (server && *server && repo && *repo && sha && *sha)
         style.blobBase = std::string(server) + "/" + repo + "/blob/" + sha + "/";
       out << renderMarkdown(in.result.sources, in.result.graph, in.result.findings, style);
     },
     true},
    {"html", "one self-contained page: diagrams, findings, filters",
     [](const ReportInput& in, std::ostream& out) {
       out << renderHtml(in.result.sources, in.result.graph, in.result.findings);
     },
     true},
};

}  // namespace

std::span<const ReportFormat> reportFormats() { return kFormats; }

const ReportFormat* findFormat(std::string_view name) {
  for (const ReportFormat& f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

std::string formatList(bool withDescriptions, std::string_view except) {
  std::vector<const ReportFormat*> listed;
  for (const ReportFormat& f : kFormats)
    if (f.name != except) listed.push_back(&f);
  std::string out;
  for (size_t i = 0; i < listed.size(); ++i) {
    if (i > 0) out += i + 1 == listed.size() ? " or " : ", ";
    out += listed[i]->name;
    if (withDescriptions && !listed[i]->description.empty())
      out += " (" + std::string(listed[i]->description) + ")";
  }
  return out;
}

}  // namespace lbcheck
