// Reporters: text for people, JSON for scripts, SARIF 2.1.0 for code scanning,
// GitHub Actions annotations, JUnit XML for CI dashboards, and --statistics.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph.h"
#include "engine/rule.h"
#include "engine/skip.h"
#include "engine/source.h"

namespace lbcheck {

struct TextStyle {
  bool color = false;
  bool listSkipped = false;  // --show-skipped: each skipped file, before the count
};

/// Writes the text report finding by finding (a large run's report is never
/// held in memory whole); renderText returns the same text. It ends with one
/// line counting the `skipped` files by reason, when there are any.
void writeText(std::ostream& out, const SourceManager& sources,
               const std::vector<Finding>& findings, size_t filesRead, const TextStyle& style,
               const std::vector<SkippedFile>& skipped = {});
std::string renderText(const SourceManager& sources, const std::vector<Finding>& findings,
                       size_t filesRead, const TextStyle& style,
                       const std::vector<SkippedFile>& skipped = {});
/// The JSON report, written finding by finding; renderJson returns the same
/// text. `skipped`: the files that are not lbcheck's, listed under "skipped".
void writeJson(std::ostream& out, const SourceManager& sources,
               const std::vector<Finding>& findings, size_t filesRead,
               const std::vector<SkippedFile>& skipped);
std::string renderJson(const SourceManager& sources, const std::vector<Finding>& findings,
                       size_t filesRead, const std::vector<SkippedFile>& skipped = {});
/// `extraRules`: the organisation policies of the configuration, described in
/// the rule list like the built-in rules. `withBaseline`: a --baseline was
/// given, so every result says whether it is new or unchanged. `sourceRoot`: the
/// directory that %SRCROOT% stands for (empty: the current directory); a file under
/// it gets a relative URI with that base id, any other an absolute file:// URI.
/// Skipped files and unreadable inputs (LBC002) are not results: they are
/// the invocation's toolExecutionNotifications. Written result by result;
/// renderSarif returns the same text.
void writeSarif(std::ostream& out, const SourceManager& sources,
                const std::vector<Finding>& findings, const std::vector<RuleInfo>& extraRules,
                bool withBaseline, const std::string& sourceRoot,
                const std::vector<SkippedFile>& skipped);
std::string renderSarif(const SourceManager& sources, const std::vector<Finding>& findings,
                        const std::vector<RuleInfo>& extraRules = {}, bool withBaseline = false,
                        const std::string& sourceRoot = {},
                        const std::vector<SkippedFile>& skipped = {});

/// GitHub Actions workflow commands (`::error file=...,line=...::message`), one per
/// active finding: error, warning and notice annotations on the pull request.
std::string renderGithub(const SourceManager& sources, const std::vector<Finding>& findings);

/// JUnit XML: one <testsuite> per rule in `rulesRun` (and per rule of an active
/// finding), each active finding a failing <testcase>, a rule without any one
/// passing <testcase>. Suppressed and baseline findings are left out.
std::string renderJunit(const SourceManager& sources, const std::vector<Finding>& findings,
                        const std::vector<std::string>& rulesRun);
/// The ids of the rules a run with `--rule onlyRules` checks (every rule when
/// empty), tool diagnostics included: they always run.
std::vector<std::string> rulesThatRan(const std::vector<std::string>& onlyRules);

/// `--statistics`: one line per rule and severity with active findings, most
/// frequent first: count, id, severity, name; then how many were not counted.
/// `policies`: the configuration's organisation policies, named like rules.
std::string renderStatistics(const std::vector<Finding>& findings,
                             const std::vector<RuleInfo>& policies = {});

/// Findings that are not active, by reason. One both suppressed and in the
/// baseline counts as suppressed.
struct HiddenCounts {
  size_t suppressed = 0;
  size_t baseline = 0;
};
HiddenCounts hiddenCounts(const std::vector<Finding>& findings);
/// "2 suppressed, 5 in baseline <verb>", the parts that are not zero; "" when both are.
std::string hiddenText(const HiddenCounts& hidden, std::string_view verb);

/// Every resource with its identity and where it was read, and each reference
/// with what it resolved to.
std::string renderGraph(const SourceManager& sources, const Graph& graph);

/// The stable fingerprint of a finding: rule, resource identity and field path
/// (never line numbers), so alerts survive edits that move code around.
std::string fingerprint(const Finding& f, const SourceManager& sources);

extern const char* const kVersion;
extern const char* const kInformationUri;

}  // namespace lbcheck
