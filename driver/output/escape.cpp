#include "driver/output/escape.h"

namespace lbcheck::output {

namespace {

/// Decodes the UTF-8 sequence at s[i]: its length (0 when invalid) and code point.
size_t decode(std::string_view s, size_t i, char32_t* cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  size_t n;
  char32_t v;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    v = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    v = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    v = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    v = (v << 6) | (c & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool allowed(char32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0x7F && cp != 0xFFFE && cp != 0xFFFF;
}

}  // namespace

std::string cleanText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const size_t n = decode(s, i, &cp);
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
  std::string out;
  for (char c : cleanText(s)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";  // also keeps "]]>" out of text content
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xmlAttribute(std::string_view s) {
  std::string out;
  for (char c : xmlText(s)) {
    switch (c) {
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string githubData(std::string_view s) {
  std::string out;
  for (char c : cleanText(s)) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string githubProperty(std::string_view s) {
  std::string out;
  for (char c : githubData(s)) {
    switch (c) {
      case ':':
        out += "%3A";
        break;
      case ',':
        out += "%2C";
        break;
      default:
        out += c;
    }
  }
  return out;
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
