// Tool diagnostics (ids LBC...): problems with the inputs themselves. They are
// findings like any other, so one broken file never hides the others.
//
// This is the one place an LBC id is spelled: every other file names them by
// these constants, and rules/diag/diagnostics.cpp registers the rules of kAll
// (their docs are rules/diag/<ID>-<slug>.md). A test fails when an "LBC0..."
// literal appears in any other C++ file of engine/, parsers/, rules/ or driver/.
#pragma once

#include <string_view>

#include "engine/rule.h"

namespace lbcheck::diag {

inline constexpr std::string_view kSyntax = "LBC001";       // file does not parse
inline constexpr std::string_view kUnreadable = "LBC002";   // cannot read a file or directory
inline constexpr std::string_view kEncoding = "LBC003";     // not UTF-8 text
inline constexpr std::string_view kSkipped = "LBC004";      // part of an input skipped
inline constexpr std::string_view kPlanShape = "LBC005";    // a plan lbcheck cannot use
inline constexpr std::string_view kConflict = "LBC006";     // two sources disagree
inline constexpr std::string_view kLimit = "LBC007";        // a configured limit was reached
inline constexpr std::string_view kConfigError = "LBC008";  // bad .lbcheck.yaml
inline constexpr std::string_view kSuppressionProblem = "LBC009";  // malformed or expired
inline constexpr std::string_view kUnusedSuppression = "LBC010";   // matches no finding

/// One tool diagnostic as the rule list describes it.
struct Info {
  std::string_view id;
  std::string_view slug;
  std::string_view summary;  // the first sentence of its doc
  Severity severity;         // the default severity
};

/// Every tool diagnostic, by id.
inline constexpr Info kAll[] = {
    {kSyntax, "syntax-error", "An input file does not parse.", Severity::Error},
    {kUnreadable, "unreadable-input", "An input file or directory cannot be read.",
     Severity::Error},
    {kEncoding, "unsupported-encoding", "An input file is not UTF-8 text.", Severity::Error},
    {kSkipped, "unrecognised-document",
     "Part of an input was skipped: a runbook block that is not a whole document, an object "
     "lbcheck cannot place, or a remote module that `terraform init` has not installed.",
     Severity::Note},
    {kPlanShape, "unusable-plan",
     "A Terraform plan has a version or shape that lbcheck cannot read.", Severity::Error},
    {kConflict, "conflicting-sources",
     "Two inputs describe the same resource or setting differently.", Severity::Note},
    {kLimit, "limit-reached", "A configured limit stopped lbcheck before it read every input.",
     Severity::Error},
    {kConfigError, "configuration-error",
     "The configuration file (.lbcheck.yaml) has an unknown key, an invalid value or pattern.",
     Severity::Error},
    {kSuppressionProblem, "suppression-problem",
     "A suppression is malformed (no rule id, no reason, a bad date) or has expired.",
     Severity::Warning},
    {kUnusedSuppression, "unused-suppression", "A suppression matches no finding.", Severity::Note},
};

}  // namespace lbcheck::diag
