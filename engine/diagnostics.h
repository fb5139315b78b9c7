// Tool diagnostics (ids LBC...): problems with the inputs themselves. They are
// findings like any other, so one broken file never hides the others.
#pragma once

#include <string_view>

namespace lbcheck::diag {

inline constexpr std::string_view kSyntax = "LBC001";      // file does not parse
inline constexpr std::string_view kUnreadable = "LBC002";  // cannot read a file or directory
inline constexpr std::string_view kEncoding = "LBC003";    // not UTF-8 text
inline constexpr std::string_view kSkipped = "LBC004";     // not a recognised document
inline constexpr std::string_view kPlanShape = "LBC005";   // a plan lbcheck cannot use
inline constexpr std::string_view kConflict = "LBC006";    // two sources disagree
inline constexpr std::string_view kLimit = "LBC007";       // a configured limit was reached

}  // namespace lbcheck::diag
