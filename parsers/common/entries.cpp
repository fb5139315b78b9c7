#include "parsers/common/entries.h"

#include <cctype>
#include <cstdint>

namespace lbcheck::entries {

namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }
bool eol(char c) { return c == '\n' || c == '\r'; }

size_t lineStart(std::string_view text, size_t pos) {
  while (pos > 0 && !eol(text[pos - 1])) --pos;
  return pos;
}

/// The end of the line holding `pos`, before its terminator.
size_t lineEnd(std::string_view text, size_t pos) {
  while (pos < text.size() && !eol(text[pos])) ++pos;
  return pos;
}

/// Past the terminator of the line that ends at `end` (CRLF, LF or CR).
size_t nextLine(std::string_view text, size_t end) {
  if (end < text.size() && text[end] == '\r') ++end;
  if (end < text.size() && text[end] == '\n') ++end;
  return end;
}

size_t indentOf(std::string_view text, size_t start) {
  size_t i = start;
  while (i < text.size() && blank(text[i])) ++i;
  return i - start;
}

/// Only blanks, or a comment opened by `#` (or `//` when `slashes`), from
/// `pos` to the end of its line.
bool restIsComment(std::string_view text, size_t pos, bool slashes) {
  while (pos < text.size() && blank(text[pos])) ++pos;
  if (pos >= text.size() || eol(text[pos])) return true;
  if (text[pos] == '#') return true;
  return slashes && text.substr(pos, 2) == "//";
}

/// Puts the quotes around the span into it when the span holds only what is
/// between them; the replacement keeps the quote character the file used.
void keepQuotes(std::string_view text, Replacement& rep, bool singleQuotes) {
  const uint32_t b = rep.span.begin, e = rep.span.end;
  if (b > 0 && e < text.size() && (text[b - 1] == '"' || (singleQuotes && text[b - 1] == '\'')) &&
      text[e] == text[b - 1]) {
    rep.span.begin = b - 1;
    rep.span.end = e + 1;
  }
  const std::string_view now = text.substr(rep.span.begin, rep.span.end - rep.span.begin);
  if (now.size() < 2 || (now[0] != '"' && now[0] != '\'')) return;
  const char quote = now[0];
  std::string inner = rep.text;
  if (inner.size() >= 2 && (inner[0] == '"' || inner[0] == '\'') && inner.back() == inner[0])
    inner = inner.substr(1, inner.size() - 2);
  if (inner.find(quote) != std::string::npos) return;  // keep the dialect's own quoting
  rep.text = quote + inner + quote;
}

/// Removes whole lines [first, last] (byte offsets on them) from the file.
void takeLines(std::string_view text, Replacement& rep, size_t first, size_t last) {
  rep.span.begin = static_cast<uint32_t>(lineStart(text, first));
  rep.span.end = static_cast<uint32_t>(nextLine(text, lineEnd(text, last)));
  rep.text.clear();
}

bool identChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// ---------------------------------------------------------------------------
// HCL

/// The end of the HCL expression or block body that starts at `pos`: the
/// first line end outside brackets and strings. npos on a heredoc or an
/// unbalanced text.
size_t hclValueEnd(std::string_view text, size_t pos) {
  int depth = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      if (i >= text.size()) return std::string_view::npos;
      continue;
    }
    if (c == '<' && text.substr(i, 2) == "<<") return std::string_view::npos;
    if (c == '#' || (c == '/' && text.substr(i, 2) == "//")) {
      while (i < text.size() && !eol(text[i])) ++i;
      --i;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth < 0) return std::string_view::npos;
      if (depth == 0 && c == '}') return i + 1;  // a block ends with its brace
    }
    if (eol(c) && depth == 0) return i;
  }
  return depth == 0 ? text.size() : std::string_view::npos;
}

bool hclLiteral(std::string_view v) {
  if (v == "true" || v == "false") return true;
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
    return v.find("${") == std::string_view::npos && v.find("%{") == std::string_view::npos;
  if (v.empty()) return false;
  for (char c : v)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  return true;
}

}  // namespace

bool settleHcl(std::string_view text, Replacement& rep) {
  if (rep.span.end > text.size() || rep.span.begin > rep.span.end) return false;
  if (rep.kind == Replacement::Kind::Value) {
    keepQuotes(text, rep, false);
    return hclLiteral(text.substr(rep.span.begin, rep.span.end - rep.span.begin));
  }
  // The attribute or block that holds the value: the nearest line at or above
  // it that starts with the key and whose entry reaches the value.
  size_t line = lineStart(text, rep.span.begin);
  for (int tries = 0; tries < 200; ++tries) {
    const size_t keyAt = line + indentOf(text, line);
    if (text.substr(keyAt, rep.key.size()) == rep.key && keyAt + rep.key.size() < text.size() &&
        !identChar(text[keyAt + rep.key.size()])) {
      size_t after = keyAt + rep.key.size();
      while (after < text.size() && blank(text[after])) ++after;
      if (after < text.size() && (text[after] == '=' || text[after] == '{')) {
        const size_t end = hclValueEnd(text, text[after] == '=' ? after + 1 : after);
        if (end == std::string_view::npos || end < rep.span.end) return false;
        if (!restIsComment(text, end, true)) return false;
        takeLines(text, rep, keyAt, end == 0 ? 0 : end - 1);
        return true;
      }
    }
    if (line == 0) return false;
    line = lineStart(text, line - 1);
  }
  return false;
}

// ---------------------------------------------------------------------------
// YAML

bool settleYaml(std::string_view text, Replacement& rep) {
  if (rep.span.end > text.size() || rep.span.begin > rep.span.end) return false;
  if (rep.kind == Replacement::Kind::Value) {
    const std::string_view v = text.substr(rep.span.begin, rep.span.end - rep.span.begin);
    if (v.find('\n') != std::string_view::npos) return false;  // a block scalar
    keepQuotes(text, rep, true);
    return true;
  }
  const size_t valueLine = lineStart(text, rep.span.begin);
  const size_t valueIndent = indentOf(text, valueLine);
  size_t line = valueLine;
  for (int tries = 0; tries < 200; ++tries) {
    const size_t indent = indentOf(text, line);
    const size_t keyAt = line + indent;
    std::string_view key = text.substr(keyAt, rep.key.size() + 2);
    bool quoted = false;
    if (!key.empty() && (key[0] == '"' || key[0] == '\'')) {
      quoted = text.substr(keyAt + 1, rep.key.size()) == rep.key &&
               keyAt + rep.key.size() + 1 < text.size() &&
               text[keyAt + rep.key.size() + 1] == text[keyAt];
    }
    const size_t colon = keyAt + rep.key.size() + (quoted ? 2 : 0);
    const bool matches =
        (quoted || text.substr(keyAt, rep.key.size()) == rep.key) && colon < text.size() &&
        text[colon] == ':' &&
        (colon + 1 == text.size() || blank(text[colon + 1]) || eol(text[colon + 1]));
    if (matches && (line == valueLine || indent < valueIndent)) {
      // The entry runs on while lines are deeper (or a block sequence at the
      // key's own depth); blank and comment lines at its end stay.
      const bool valueOnLine = !restIsComment(text, colon + 1, false);
      size_t last = lineEnd(text, keyAt);
      size_t next = nextLine(text, last);
      while (next < text.size()) {
        const size_t nIndent = indentOf(text, next);
        const size_t at = next + nIndent;
        const bool empty = at >= text.size() || eol(text[at]) || text[at] == '#';
        if (!empty) {
          const bool deeper = nIndent > indent;
          const bool sameSeq = !valueOnLine && nIndent == indent && text.substr(at, 2) == "- ";
          if (!deeper && !sameSeq) break;
          last = lineEnd(text, next);
        }
        next = nextLine(text, lineEnd(text, next));
      }
      if (last < rep.span.end) return false;
      takeLines(text, rep, keyAt, last);
      return true;
    }
    // A key of a sequence item (`- key: value`) cannot go without the item.
    if (text.substr(keyAt, 2) == "- ") {
      size_t k = keyAt + 2;
      while (k < text.size() && blank(text[k])) ++k;
      if (text.substr(k, rep.key.size()) == rep.key && k + rep.key.size() < text.size() &&
          text[k + rep.key.size()] == ':')
        return false;
    }
    if (line == 0) return false;
    line = lineStart(text, line - 1);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Command lines

namespace {

/// Whether `flag` is also given before `at` in the same command (its lines
/// joined by a trailing `\`). The last occurrence counts, so removing it alone
/// would bring an earlier one back into force.
bool givenEarlier(std::string_view text, size_t at, std::string_view flag) {
  size_t begin = lineStart(text, at);
  for (int lines = 0; begin > 0 && lines < 1000; ++lines) {
    size_t prev = begin - 1;  // the previous line's end
    if (prev > 0 && text[prev] == '\n' && text[prev - 1] == '\r') --prev;
    while (prev > 0 && blank(text[prev - 1])) --prev;
    if (prev == 0 || text[prev - 1] != '\\') break;
    begin = lineStart(text, prev - 1);
  }
  const std::string_view head = text.substr(0, at);
  for (size_t k = head.find(flag, begin); k != std::string_view::npos; k = head.find(flag, k + 1)) {
    const size_t end = k + flag.size();
    if ((k == 0 || blank(text[k - 1])) &&
        (end >= text.size() || text[end] == '=' || blank(text[end]) || eol(text[end])))
      return true;
  }
  return false;
}

}  // namespace

bool settleFlag(std::string_view text, Replacement& rep) {
  if (rep.span.end > text.size() || rep.span.begin > rep.span.end) return false;
  size_t b = rep.span.begin, e = rep.span.end;
  // A quoted argument: the quotes belong to it.
  if (b > 0 && e < text.size() && (text[b - 1] == '"' || text[b - 1] == '\'') &&
      text[e] == text[b - 1]) {
    --b;
    ++e;
  }
  // The flag before the argument: `--flag=ARG` or `--flag ARG`.
  size_t flagEnd = b;
  if (flagEnd > 0 && text[flagEnd - 1] == '=') {
    --flagEnd;
  } else {
    while (flagEnd > 0 && blank(text[flagEnd - 1])) --flagEnd;
    if (flagEnd == b) return false;
  }
  size_t flagStart = flagEnd;
  while (flagStart > 0 && !blank(text[flagStart - 1]) && !eol(text[flagStart - 1])) --flagStart;
  const std::string_view flag = text.substr(flagStart, flagEnd - flagStart);
  if (flag.substr(0, 2) != "--") return false;
  if (!rep.key.empty() && rep.key.substr(0, 2) == "--" && flag != rep.key) return false;
  if (rep.kind == Replacement::Kind::Value) {
    if (rep.text == "true" || rep.text == "false") return false;  // a switch, not an argument
    rep.span.begin = static_cast<uint32_t>(b);
    rep.span.end = static_cast<uint32_t>(e);
    keepQuotes(text, rep, true);
    return true;
  }
  if (givenEarlier(text, flagStart, flag)) return false;
  rep.text.clear();
  const size_t start = lineStart(text, flagStart);
  const bool firstOnLine = indentOf(text, start) == flagStart - start;
  size_t after = e;
  while (after < text.size() && blank(text[after])) ++after;
  const bool continued = after < text.size() && text[after] == '\\' &&
                         (after + 1 == text.size() || eol(text[after + 1]));
  const bool lastOnLine = after >= text.size() || eol(text[after]);
  if (firstOnLine && continued) {
    // `  --timeout=30 \` on a line of its own: the line goes.
    takeLines(text, rep, flagStart, after);
    return true;
  }
  if (firstOnLine && lastOnLine) {
    // The command's last line: the previous line's ` \` goes with it.
    if (start == 0) return false;
    size_t prev = start - 1;
    if (text[prev] == '\n' && prev > 0 && text[prev - 1] == '\r') --prev;
    if (prev == 0 || text[prev - 1] != '\\') return false;
    size_t cut = prev - 1;
    while (cut > 0 && blank(text[cut - 1])) --cut;
    rep.span.begin = static_cast<uint32_t>(cut);
    rep.span.end = static_cast<uint32_t>(e);
    return true;
  }
  // Within a line: the flag and the blanks before it.
  size_t cut = flagStart;
  while (cut > start && blank(text[cut - 1])) --cut;
  if (cut == flagStart) return false;
  rep.span.begin = static_cast<uint32_t>(cut);
  rep.span.end = static_cast<uint32_t>(e);
  return true;
}

}  // namespace lbcheck::entries
