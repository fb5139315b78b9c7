// Escaping shared by the github and junit reporters: whatever bytes a finding
// carries (messages quote user input), the output stays valid.
#pragma once

#include <string>
#include <string_view>

#include "engine/rule.h"
#include "engine/source.h"

namespace lbcheck::output {

/// `s` as valid UTF-8 without C0 controls other than tab, LF and CR, DEL, or the
/// non-characters U+FFFE and U+FFFF: each invalid byte and each such character
/// becomes U+FFFD. What is left is a legal XML 1.0 character sequence.
std::string cleanText(std::string_view s);

/// Text content of an XML element: `cleanText`, then `&`, `<` and `>` as references.
std::string xmlText(std::string_view s);
/// An XML attribute value (double-quoted): as `xmlText`, plus `"` and `'`, and tab,
/// LF and CR as character references so attribute normalisation keeps them.
std::string xmlAttribute(std::string_view s);

/// The message of a GitHub Actions workflow command: `cleanText`, then `%`, CR
/// and LF percent-encoded (the runner decodes them back).
std::string githubData(std::string_view s);
/// A property value of a workflow command: as `githubData`, plus `:` and `,`.
std::string githubProperty(std::string_view s);

/// "path:line:col" of a span, or "<unknown>" when it has no file.
std::string spanText(const SourceManager& sources, Span span);

/// The text of a finding for reports that hold plain text (JUnit failures):
/// "path:line:col: severity[ID]: message", then its help and related locations
/// on lines of their own.
std::string findingText(const SourceManager& sources, const Finding& f);

}  // namespace lbcheck::output
