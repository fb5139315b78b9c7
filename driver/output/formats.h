// The report formats of --format, as one table: it checks the option's value,
// lists the formats in --help and picks the writer of each report.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "driver/runner.h"
#include "engine/rule.h"

namespace lbcheck {

/// What a report writer may use: the run, and the options that shape reports.
struct ReportInput {
  const RunResult& result;
  const std::vector<RuleInfo>& policyRules;   // the configuration's organisation policies
  const std::vector<std::string>& onlyRules;  // --rule (empty: every rule ran)
  bool withBaseline = false;                  // --baseline was given
  std::string_view sarifRoot;                 // --sarif-root ("" when not given)
  std::string_view color;                     // --color: auto, always or never
  bool toStdout = false;                      // this report goes to standard output
  bool showSkipped = false;                   // --show-skipped: the text report lists them
};

/// Writes one report of the run to `out`.
using ReportWriter = void (*)(const ReportInput& in, std::ostream& out);

/// One --format.
struct ReportFormat {
  std::string_view name;         // the --format value
  std::string_view description;  // shown in --help after the name, in parentheses ("": none)
  ReportWriter write;
  /// The writer reads the resource graph (diagrams), not only the findings.
  /// When no report of a run does, the graph may be freed before the reports
  /// are written (releaseGraph in driver/runner.h).
  bool drawsGraph = false;
};

/// Every report format, in the order --help lists them; the first is the default.
std::span<const ReportFormat> reportFormats();

/// The format named `name`, or null.
const ReportFormat* findFormat(std::string_view name);

/// The names of the formats for --help: "a (what a is), b or c". Formats named in
/// `except` are left out; `withDescriptions` adds each description in parentheses.
std::string formatList(bool withDescriptions, std::string_view except = {});

}  // namespace lbcheck
