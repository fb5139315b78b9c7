#include "driver/output/escape.h"

#include <algorithm>
#include <initializer_list>

namespace lbcheck::output {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool allowed(char32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0x7F && cp != 0xFFFE && cp != 0xFFFF;
}

/// A byte and the text that stands for it.
struct Escape {
  char c;
  std::string_view text;
};

/// `s` with each byte that `table` lists replaced by its text.
std::string replaceEach(std::string_view s, std::initializer_list<Escape> table) {
  std::string out;
  for (char c : s) {
    const Escape* e =
        std::find_if(table.begin(), table.end(), [c](const Escape& x) { return x.c == c; });
    if (e != table.end())
      out += e->text;
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string cleanText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const size_t n = decodeUtf8(s, i, &cp);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (allowed(cp))
      out.append(s.substr(i, n));
    else
      out += kReplacement;
    i += n;
  }
  return out;
}

std::string xmlText(std::string_view s) {
  // "&gt;" also keeps "]]>" out of text content.
  return replaceEach(cleanText(s), {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}});
}

std::string xmlAttribute(std::string_view s) {
  return replaceEach(
      xmlText(s),
      {{'"', "&quot;"}, {'\'', "&apos;"}, {'\t', "&#9;"}, {'\n', "&#10;"}, {'\r', "&#13;"}});
}

std::string githubData(std::string_view s) {
  return replaceEach(cleanText(s), {{'%', "%25"}, {'\r', "%0D"}, {'\n', "%0A"}});
}

std::string githubProperty(std::string_view s) {
  return replaceEach(githubData(s), {{':', "%3A"}, {',', "%2C"}});
}

std::string spanText(const SourceManager& sources, Span span) {
  const SourceFile* file = sources.find(span.file);
  if (!file) return "<unknown>";
  const Location loc = file->locate(span.begin);
  return file->path() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

std::string findingText(const SourceManager& sources, const Finding& f) {
  std::string out = spanText(sources, f.span) + ": " + std::string(severityName(f.severity)) + "[" +
                    f.ruleId + "]: " + f.message;
  if (!f.resource.empty()) out += "\nresource: " + f.resource;
  if (!f.help.empty()) out += "\nhelp: " + f.help;
  for (const Related& r : f.related)
    out += "\nnote: " + spanText(sources, r.span) + ": " + r.message;
  return out;
}

}  // namespace lbcheck::output
