// Inputs that are not lbcheck's: a whole file skipped is counted and listed
// (text, JSON, SARIF notifications), never a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lbcheck {

/// Why a whole input file was skipped.
enum class SkipReason : uint8_t {
  None,          // not skipped
  NotAFormat,    // no format lbcheck reads (a package.json, an unrelated manifest)
  DoesNotParse,  // does not parse, and nothing in it is lbcheck's (JSON with comments, a template)
  NotLoaded,     // a variables file Terraform does not load by itself
  BrokenLink,    // a symbolic link whose target is missing
};

/// A file skipped, and why; `detail` says more (the parse error).
struct Skip {
  SkipReason reason = SkipReason::None;
  std::string detail;
  explicit operator bool() const { return reason != SkipReason::None; }
};

/// A skipped input of the run: the file (a SourceFile id) and why.
struct SkippedFile {
  uint32_t file = 0;
  Skip why;
};

/// "not a format lbcheck reads", for one file (the report's list).
inline std::string_view skipReasonText(SkipReason reason) {
  switch (reason) {
    case SkipReason::None:
      return "not skipped";
    case SkipReason::NotAFormat:
      return "not a format lbcheck reads";
    case SkipReason::DoesNotParse:
      return "does not parse, and is not a format lbcheck reads";
    case SkipReason::NotLoaded:
      return "a variables file Terraform does not load by itself (pass it with --var-file)";
    case SkipReason::BrokenLink:
      return "a broken symbolic link";
  }
  return "";
}

/// "2 not a format lbcheck reads": `count` files skipped for `reason`, for the
/// report's one-line count.
inline std::string skipCountText(SkipReason reason, size_t count) {
  const std::string n = std::to_string(count);
  const bool one = count == 1;
  switch (reason) {
    case SkipReason::None:
      break;
    case SkipReason::NotAFormat:
      return n + " not in a format lbcheck reads";
    case SkipReason::DoesNotParse:
      return n + (one ? " does" : " do") + " not parse and " + (one ? "is" : "are") +
             " not lbcheck's";
    case SkipReason::NotLoaded:
      return n + " variables file" + (one ? "" : "s") + " Terraform does not load";
    case SkipReason::BrokenLink:
      return n + " broken symbolic link" + (one ? "" : "s");
  }
  return n;
}

/// A stable key for machine-readable reports ("not-a-format").
inline std::string_view skipReasonKey(SkipReason reason) {
  switch (reason) {
    case SkipReason::None:
      return "none";
    case SkipReason::NotAFormat:
      return "not-a-format";
    case SkipReason::DoesNotParse:
      return "does-not-parse";
    case SkipReason::NotLoaded:
      return "variables-not-loaded";
    case SkipReason::BrokenLink:
      return "broken-link";
  }
  return "";
}

}  // namespace lbcheck
