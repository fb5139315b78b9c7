#include "parsers/script/shell.h"

#include <algorithm>
#include <optional>
#include <set>

namespace lbcheck::script {

namespace {

bool nameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool nameChar(char c) { return nameStart(c) || (c >= '0' && c <= '9'); }
bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// Length of NAME= at the start of `s`, or 0.
size_t assignmentPrefix(std::string_view s) {
  if (s.empty() || !nameStart(s[0])) return 0;
  size_t i = 1;
  while (i < s.size() && nameChar(s[i])) ++i;
  if (i < s.size() && s[i] == '=') return i + 1;
  if (i + 1 < s.size() && s[i] == '+' && s[i + 1] == '=') return i + 2;
  return 0;
}

/// A variable: a known value, or known to be set to something lbcheck cannot know.
struct Var {
  bool known = false;
  std::string value;
};

struct RawWord {
  Word word;
  bool quoted = false;  // any quoting or expansion (so it is not a keyword or assignment)
};

class Reader {
 public:
  Reader(const SourceFile& file, Script& out) : file_(file), t_(file.text()), out_(out) {}

  void setVariable(const std::string& name, const std::string& value) {
    vars_[name] = Var{true, value};
  }
  void setSources(const SourceReader& sources, int depth) {
    sources_ = sources;
    sourceDepth_ = depth;
  }

  void chunk(Chunk c) {
    i_ = c.begin;
    indent_ = c.indent;
    end_ = std::min<uint32_t>(c.end, static_cast<uint32_t>(t_.size()));
    while (i_ < end_) {
      const char c0 = t_[i_];
      if (blank(c0)) {
        ++i_;
      } else if (c0 == '\n') {
        endCommand();
        ++i_;
        skipHeredocs();
      } else if (c0 == '#') {
        while (i_ < end_ && t_[i_] != '\n') ++i_;
      } else if (c0 == '\\' && i_ + 1 < end_ && t_[i_ + 1] == '\n') {
        i_ += 2;
      } else if (c0 == '\\' && i_ + 1 < end_ && blank(t_[i_ + 1])) {
        brokenContinuation();
      } else if (c0 == '|' && i_ + 1 < end_ && t_[i_ + 1] == '|') {
        endCommand();
        pendingOr_ = true;  // the next command runs only when this one fails
        i_ += 2;
      } else if (c0 == '(' && arrayAssignment()) {
        readArray();
      } else if (c0 == ';' || c0 == '&' || c0 == '|' || c0 == '(' || c0 == ')') {
        endCommand();
        pendingOr_ = false;
        ++i_;
      } else if (const uint32_t n = arrayExpansionAt(i_); n > 0) {
        expandArray(n);
      } else if (c0 == '<' && placeholderAt(i_) > 0) {
        current_.push_back(readWord());
      } else if (c0 == '<' && i_ + 1 < end_ && t_[i_ + 1] == '<' &&
                 !(i_ + 2 < end_ && t_[i_ + 2] == '<')) {
        heredoc();
      } else if (c0 == '<' || c0 == '>' ||
                 (c0 >= '0' && c0 <= '9' && i_ + 1 < end_ &&
                  (t_[i_ + 1] == '>' || t_[i_ + 1] == '<'))) {
        redirection();
      } else {
        current_.push_back(readWord());
      }
    }
    endCommand();
    pendingHeredocs_.clear();
    pendingQuoted_.clear();
    lineTarget_.clear();
  }

 private:
  Span span(uint32_t b, uint32_t e) const { return Span{file_.id(), b, e}; }

  void problem(uint32_t b, uint32_t e, std::string message, std::string help) {
    out_.problems.push_back({span(b, e), std::move(message), std::move(help)});
  }

  /// `\` followed by blanks: at the end of a line (or before a comment) the line
  /// does not continue; in the middle of a line the space becomes part of a word.
  /// Either way the author meant a line break: report it and read it so.
  void brokenContinuation() {
    const uint32_t at = i_;
    uint32_t j = i_ + 1;
    while (j < end_ && blank(t_[j])) ++j;
    if (j >= end_ || t_[j] == '\n' || t_[j] == '#') {
      const bool comment = j < end_ && t_[j] == '#';
      problem(at, at + 1,
              comment ? "a backslash followed by a space and a comment does not continue the line: "
                        "the shell ends the command here and runs the next line on its own"
                      : "a backslash followed by trailing white space does not continue the line: "
                        "the shell ends the command here and runs the next line on its own",
              comment ? "move the comment above the command; nothing may follow the backslash"
                      : "delete the white space after the backslash");
      while (j < end_ && t_[j] != '\n') ++j;
      i_ = j < end_ ? j + 1 : j;  // read on as the author meant: one command
      return;
    }
    problem(at, at + 2,
            "`\\ ` in the middle of a line escapes the space, so the next argument starts with a "
            "space (a line break was probably lost when the command was copied)",
            "put each continued argument on its own line after `\\`, or remove the backslash");
    i_ = j;
  }

  void heredoc() {
    i_ += 2;
    bool dash = false;
    if (i_ < end_ && t_[i_] == '-') {
      dash = true;
      ++i_;
    }
    while (i_ < end_ && blank(t_[i_])) ++i_;
    if (i_ >= end_ || t_[i_] == '\n') return;
    RawWord w = readWord();
    pendingHeredocs_.push_back({w.word.text, dash});
    pendingQuoted_.push_back(w.quoted);
  }

  /// Skips the bodies of here-documents that start on the line just ended.
  void skipHeredocs() {
    size_t n = 0;
    for (const auto& [delim, dash] : pendingHeredocs_) {
      const uint32_t bodyBegin = i_;
      uint32_t bodyEnd = end_;
      while (i_ < end_) {
        const uint32_t lineBegin = i_;
        uint32_t e = i_;
        while (e < end_ && t_[e] != '\n') ++e;
        std::string_view line = t_.substr(i_, e - i_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        for (uint32_t k = 0; k < indent_ && !line.empty() && line.front() == ' '; ++k)
          line.remove_prefix(1);
        if (dash)
          while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
        i_ = e < end_ ? e + 1 : e;
        if (line == delim) {
          bodyEnd = lineBegin;
          break;
        }
      }
      Heredoc h;
      if (n == 0) h.target = lineTarget_;
      h.body = span(bodyBegin, std::max(bodyBegin, bodyEnd));
      h.command =
          out_.commands.empty() ? UINT32_MAX : static_cast<uint32_t>(out_.commands.size() - 1);
      const std::string_view body = t_.substr(bodyBegin, h.body.end - bodyBegin);
      h.expands = !(n < pendingQuoted_.size() && pendingQuoted_[n]) &&
                  body.find_first_of("$`") != std::string_view::npos;
      if (out_.heredocs.size() < 1024) out_.heredocs.push_back(std::move(h));
      ++n;
    }
    pendingHeredocs_.clear();
    pendingQuoted_.clear();
    lineTarget_.clear();
  }

  void redirection() {
    while (i_ < end_ && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
    const uint32_t op = i_;
    while (i_ < end_ && (t_[i_] == '<' || t_[i_] == '>' || t_[i_] == '&' || t_[i_] == '|')) ++i_;
    const std::string_view ops = t_.substr(op, i_ - op);
    if (i_ < end_ && t_[i_] == '-') ++i_;  // >&-
    while (i_ < end_ && blank(t_[i_])) ++i_;
    if (i_ < end_ && t_[i_] != '\n' && t_[i_] != ';' && t_[i_] != '&' && t_[i_] != '|' &&
        t_[i_] != '(' && t_[i_] != ')') {
      const RawWord w = readWord();  // the file name: not an argument
      // `> FILE` (not `>&2`): where a here-document on this line is written.
      if ((ops == ">" || ops == ">|") && !w.word.unknown) lineTarget_ = w.word.text;
    }
  }

  /// Skips a balanced `(...)` starting at t_[i_] == '(' (quotes respected).
  void skipParens() {
    int depth = 0;
    while (i_ < end_) {
      const char c = t_[i_];
      if (c == '\\') {
        i_ += 2;
        continue;
      }
      if (c == '\'' || c == '"') {
        const char q = c;
        ++i_;
        while (i_ < end_ && t_[i_] != q) i_ += (t_[i_] == '\\' && q == '"') ? 2 : 1;
        ++i_;
        continue;
      }
      ++i_;
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) return;
    }
  }

  /// Expands `$...` at t_[i_] == '$' into `out`; returns false when unknown.
  bool expansion(std::string& out) {
    const uint32_t start = i_;
    ++i_;
    if (i_ >= end_) {
      out += '$';
      return true;
    }
    const char c = t_[i_];
    if (c == '(') {
      skipParens();
      return false;
    }
    if (c == '{') {
      const uint32_t open = i_ + 1;
      int depth = 1;
      ++i_;
      while (i_ < end_ && depth > 0) {
        if (t_[i_] == '{') ++depth;
        if (t_[i_] == '}') --depth;
        if (t_[i_] == '\\') ++i_;
        ++i_;
      }
      if (depth > 0) {
        problem(start, start + 2, "unterminated `${`", "close the expansion with `}`");
        return false;
      }
      return braced(t_.substr(open, i_ - 1 - open), out);
    }
    if (nameStart(c)) {
      const uint32_t b = i_;
      while (i_ < end_ && nameChar(t_[i_])) ++i_;
      const auto it = vars_.find(t_.substr(b, i_ - b));
      if (it == vars_.end() || !it->second.known) return false;
      out += it->second.value;
      return true;
    }
    if ((c >= '0' && c <= '9') || c == '@' || c == '*' || c == '#' || c == '?' || c == '$' ||
        c == '!' || c == '-') {
      ++i_;
      return false;
    }
    if (c == '\'') {  // $'...': ANSI-C quoting, read as plain single quotes
      ++i_;
      while (i_ < end_ && t_[i_] != '\'') out += t_[i_++];
      ++i_;
      return true;
    }
    out += '$';
    return true;
  }

  /// ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:=default}, ${NAME:+alt}.
  bool braced(std::string_view inner, std::string& out) {
    size_t n = 0;
    while (n < inner.size() && nameChar(inner[n])) ++n;
    if (n == 0 || !nameStart(inner[0])) return false;
    const std::string name(inner.substr(0, n));
    const auto it = vars_.find(name);
    const bool set = it != vars_.end();
    const bool known = set && it->second.known;
    std::string_view rest = inner.substr(n);
    if (!set && (rest.empty() || rest.front() == '[')) return arrayElement(name, rest, out);
    if (rest.empty()) {
      if (!known) return false;
      out += it->second.value;
      return true;
    }
    const bool colon = rest[0] == ':';
    if (colon) rest.remove_prefix(1);
    if (rest.empty()) return false;
    const char op = rest[0];
    const std::string_view arg = rest.substr(1);
    if (op != '-' && op != '=' && op != '+') return false;  // ${X:?}, ${X#p}, ${X/a/b}...
    if (set && !known) return false;
    const bool useDefault = !set || (colon && it->second.value.empty());
    std::string value;
    bool ok = true;
    if (op == '+') {
      if (useDefault) return true;  // empty
      ok = expandText(arg, value);
    } else if (useDefault) {
      ok = expandText(arg, value);
      if (op == '=') vars_[name] = Var{ok, value};
    } else {
      value = it->second.value;
    }
    if (!ok) return false;
    out += value;
    return true;
  }

  /// `${NAME[N]}` (`subscript` "[N]") or `${NAME}` (element 0, as bash reads
  /// an array named without a subscript) of a known array; an index past its
  /// end is empty. False (unknown) for anything else.
  bool arrayElement(const std::string& name, std::string_view subscript, std::string& out) const {
    const auto a = arrays_.find(name);
    if (a == arrays_.end() || !a->second.known) return false;
    size_t index = 0;
    if (!subscript.empty()) {
      if (subscript.size() < 3 || subscript.size() > 6 || subscript.back() != ']') return false;
      const std::string_view digits = subscript.substr(1, subscript.size() - 2);
      for (char d : digits) {
        if (d < '0' || d > '9') return false;  // ${A[@]} inside a word, ${A[$i]}, ${A[-1]}
        index = index * 10 + static_cast<size_t>(d - '0');
      }
    }
    const std::vector<std::string>& e = a->second.elements;
    if (index < e.size()) out += e[index];
    return index < e.size() || e.size() < 256;  // elements past 256 are not kept
  }

  /// Expands $VAR in a default value (no quotes or substitutions inside).
  bool expandText(std::string_view s, std::string& out) {
    for (size_t k = 0; k < s.size(); ++k) {
      if (s[k] == '$' || s[k] == '`') return expandNested(s, out);
      if (s[k] == '"' || s[k] == '\'') continue;
      out += s[k];
    }
    return true;
  }
  bool expandNested(std::string_view s, std::string& out) {
    size_t k = 0;
    while (k < s.size()) {
      if (s[k] == '$') {
        size_t b = k + 1;
        if (b < s.size() && s[b] == '{') {
          const size_t close = s.find('}', b);
          if (close == std::string_view::npos) return false;
          if (!braced(s.substr(b + 1, close - b - 1), out)) return false;
          k = close + 1;
          continue;
        }
        size_t e = b;
        while (e < s.size() && nameChar(s[e])) ++e;
        if (e == b) return false;
        const auto it = vars_.find(s.substr(b, e - b));
        if (it == vars_.end() || !it->second.known) return false;
        out += it->second.value;
        k = e;
        continue;
      }
      if (s[k] == '`') return false;
      if (s[k] != '"' && s[k] != '\'') out += s[k];
      ++k;
    }
    return true;
  }

  bool wordEnd(char c) const {
    return blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' ||
           c == '<' || c == '>';
  }

  /// The length of a documentation placeholder `<NAME>` (`<REGION>`, `<your-project>`)
  /// at `at`, or 0. A runbook means "put your value here": the word is unknown, never
  /// a redirection.
  uint32_t placeholderAt(uint32_t at) const {
    if (at >= end_ || t_[at] != '<') return 0;
    uint32_t j = at + 1;
    if (j >= end_ || !nameStart(t_[j])) return 0;
    while (j < end_ && (nameChar(t_[j]) || t_[j] == '-' || t_[j] == '.')) ++j;
    if (j >= end_ || t_[j] != '>') return 0;
    return j + 1 - at;
  }

  RawWord readWord() {
    RawWord w;
    const uint32_t begin = i_;
    std::string& text = w.word.text;
    bool known = true;
    while (i_ < end_ && (!wordEnd(t_[i_]) || placeholderAt(i_) > 0)) {
      const char c = t_[i_];
      if (const uint32_t n = placeholderAt(i_); n > 0) {
        i_ += n;
        w.quoted = true;
        known = false;
      } else if (c == '\\') {
        if (i_ + 1 >= end_) {
          ++i_;
          break;
        }
        if (t_[i_ + 1] == '\n') {
          i_ += 2;
          continue;
        }
        if (blank(t_[i_ + 1])) {
          // `value\ # comment` or `value\ ` at the end of a line: a broken continuation.
          uint32_t j = i_ + 1;
          while (j < end_ && blank(t_[j])) ++j;
          if (j >= end_ || t_[j] == '\n' || t_[j] == '#') {
            brokenContinuation();
            break;
          }
        }
        text += t_[i_ + 1];
        i_ += 2;
        w.quoted = true;
      } else if (c == '\'') {
        w.quoted = true;
        const uint32_t open = i_++;
        while (i_ < end_ && t_[i_] != '\'') text += t_[i_++];
        if (i_ >= end_) {
          problem(open, open + 1, "unterminated single quote",
                  "close the quote; lbcheck stops reading this command here");
          known = false;
          break;
        }
        ++i_;
      } else if (c == '"') {
        w.quoted = true;
        const uint32_t open = i_++;
        while (i_ < end_ && t_[i_] != '"') {
          const char d = t_[i_];
          if (d == '\\' && i_ + 1 < end_) {
            const char e = t_[i_ + 1];
            if (e == '\n') {
              i_ += 2;
              continue;
            }
            if (e == '$' || e == '`' || e == '"' || e == '\\') {
              text += e;
              i_ += 2;
              continue;
            }
            text += d;
            ++i_;
          } else if (d == '$') {
            if (!expansion(text)) known = false;
          } else if (d == '`') {
            ++i_;
            while (i_ < end_ && t_[i_] != '`') i_ += t_[i_] == '\\' ? 2 : 1;
            ++i_;
            known = false;
          } else {
            text += d;
            ++i_;
          }
        }
        if (i_ >= end_) {
          problem(open, open + 1, "unterminated double quote",
                  "close the quote; lbcheck stops reading this command here");
          known = false;
          i_ = end_;
          break;
        }
        ++i_;
      } else if (c == '$') {
        w.quoted = true;
        if (!expansion(text)) known = false;
      } else if (c == '`') {
        w.quoted = true;
        ++i_;
        while (i_ < end_ && t_[i_] != '`') i_ += t_[i_] == '\\' ? 2 : 1;
        ++i_;
        known = false;
      } else {
        text += c;
        ++i_;
      }
    }
    i_ = std::min(i_, end_);
    w.word.span = span(begin, std::max(i_, begin));
    w.word.unknown = !known;
    return w;
  }

  void assign(const RawWord& w) {
    const std::string_view raw = t_.substr(w.word.span.begin, w.word.span.end - w.word.span.begin);
    const size_t n = assignmentPrefix(raw);
    const bool append = raw[n - 2] == '+';
    const std::string name(raw.substr(0, append ? n - 2 : n - 1));
    // The value is the word's text after NAME=.
    const size_t eq = w.word.text.find('=');
    std::string value = eq == std::string::npos ? "" : w.word.text.substr(eq + 1);
    Var v{!w.word.unknown, std::move(value)};
    if (append) {
      auto it = vars_.find(name);
      if (it != vars_.end()) v = Var{v.known && it->second.known, it->second.value + v.value};
    }
    vars_[name] = std::move(v);
  }

  static bool keyword(std::string_view s) {
    static constexpr std::string_view kKeywords[] = {
        "if", "then", "else", "elif", "fi",   "do", "done", "while", "until",
        "{",  "}",    "!",    "time", "esac", ";;", "[[",   "]]",    "function"};
    return std::find(std::begin(kKeywords), std::end(kKeywords), s) != std::end(kKeywords);
  }

  /// `NAME=(` (or `NAME+=(`): the word just read ends with `=` right before the `(`.
  bool arrayAssignment() const {
    if (current_.empty()) return false;
    const Word& w = current_.back().word;
    if (w.span.end != i_ || w.span.end <= w.span.begin) return false;
    const std::string_view raw = t_.substr(w.span.begin, w.span.end - w.span.begin);
    return assignmentPrefix(raw) == raw.size();
  }

  /// `NAME=( word... )`: the array's elements, known when every word is.
  void readArray() {
    const RawWord assignment = current_.back();
    current_.pop_back();
    const std::string_view raw = t_.substr(assignment.word.span.begin,
                                           assignment.word.span.end - assignment.word.span.begin);
    const bool append = raw.size() >= 2 && raw[raw.size() - 2] == '+';
    const std::string name(raw.substr(0, raw.size() - (append ? 2 : 1)));
    Array a;
    ++i_;  // (
    while (i_ < end_ && t_[i_] != ')') {
      const char c = t_[i_];
      if (blank(c) || c == '\n') {
        ++i_;
      } else if (c == '#') {
        while (i_ < end_ && t_[i_] != '\n') ++i_;
      } else if (c == '\\' && i_ + 1 < end_ && t_[i_ + 1] == '\n') {
        i_ += 2;
      } else if (wordEnd(c)) {
        a.known = false;  // `$(...)`-like syntax lbcheck does not follow
        ++i_;
      } else {
        const RawWord w = readWord();
        if (w.word.unknown) a.known = false;
        if (a.elements.size() < 256) a.elements.push_back(w.word.text);
      }
    }
    if (i_ < end_) ++i_;  // )
    if (append) {
      auto it = arrays_.find(name);
      if (it != arrays_.end()) {
        it->second.known = it->second.known && a.known;
        for (std::string& e : a.elements)
          if (it->second.elements.size() < 256) it->second.elements.push_back(std::move(e));
        return;
      }
      a.known = false;  // appended to an array lbcheck has not seen
    }
    arrays_[name] = std::move(a);
  }

  /// The length of `"${NAME[@]}"`, `${NAME[@]}` (or `[*]`) at `at` when it is a
  /// whole word and NAME a known array; 0 otherwise.
  uint32_t arrayExpansionAt(uint32_t at) const {
    uint32_t j = at;
    const bool quoted = j < end_ && t_[j] == '"';
    if (quoted) ++j;
    if (j + 2 >= end_ || t_[j] != '$' || t_[j + 1] != '{') return 0;
    j += 2;
    const uint32_t b = j;
    while (j < end_ && nameChar(t_[j])) ++j;
    if (j == b || j + 3 >= end_ || t_[j] != '[' || (t_[j + 1] != '@' && t_[j + 1] != '*') ||
        t_[j + 2] != ']' || t_[j + 3] != '}')
      return 0;
    const auto it = arrays_.find(t_.substr(b, j - b));
    if (it == arrays_.end() || !it->second.known) return 0;
    j += 4;
    if (quoted) {
      if (j >= end_ || t_[j] != '"') return 0;
      ++j;
    }
    if (j < end_ && !wordEnd(t_[j])) return 0;
    return j - at;
  }

  /// Each element of the array is a word of its own, located at the expansion.
  void expandArray(uint32_t n) {
    uint32_t j = i_;
    if (t_[j] == '"') ++j;
    j += 2;
    const uint32_t b = j;
    while (nameChar(t_[j])) ++j;
    const Array& a = arrays_.find(t_.substr(b, j - b))->second;
    for (const std::string& e : a.elements) {
      RawWord w;
      w.word.text = e;
      w.word.span = span(i_, i_ + n);
      w.quoted = true;
      current_.push_back(std::move(w));
    }
    i_ += n;
  }

  /// `source FILE` / `. FILE`: the variables and arrays FILE sets.
  void source(const Word& path) {
    if (!sources_ || sourceDepth_ >= 8) return;
    std::string name = path.text;
    if (path.unknown) {
      // `"$(dirname "$0")/env.sh"`, `"${DIR}/env.sh"`: the file name, if written out.
      const std::string_view raw = t_.substr(path.span.begin, path.span.end - path.span.begin);
      const size_t slash = raw.rfind('/');
      if (slash == std::string_view::npos) return;
      std::string_view tail = raw.substr(slash + 1);
      while (!tail.empty() && (tail.back() == '"' || tail.back() == '\'')) tail.remove_suffix(1);
      if (tail.empty() || tail.find_first_of("$`\"'{}()") != std::string_view::npos) return;
      name = std::string(tail);
    }
    const std::optional<std::string> text = sources_(name);
    if (!text || text->size() > (1u << 20)) return;
    const SourceFile sourced(file_.id(), name, *text);
    Script ignored;
    Reader nested(sourced, ignored);
    nested.vars_ = vars_;
    nested.arrays_ = arrays_;
    nested.setSources(sources_, sourceDepth_ + 1);
    nested.chunk(Chunk{0, static_cast<uint32_t>(text->size()), 0});
    vars_ = std::move(nested.vars_);
    arrays_ = std::move(nested.arrays_);
  }

  /// The commands whose outcome decides whether the next command runs.
  std::vector<uint32_t> currentGuards() {
    std::vector<uint32_t> guards;
    for (const Frame& f : frames_)
      if (f.inBody) guards.insert(guards.end(), f.conditions.begin(), f.conditions.end());
    if (pendingOr_ && !out_.commands.empty()) {
      const Command& left = out_.commands.back();
      guards.push_back(static_cast<uint32_t>(out_.commands.size() - 1));
      guards.insert(guards.end(), left.guards.begin(), left.guards.end());
    }
    std::sort(guards.begin(), guards.end());
    guards.erase(std::unique(guards.begin(), guards.end()), guards.end());
    if (guards.size() > 64) guards.erase(guards.begin(), guards.end() - 64);
    return guards;
  }

  /// Opens and closes `if`/`while`/`until` frames for the keywords of a command.
  void compound(std::string_view k) {
    if (k == "if" || k == "while" || k == "until") {
      if (frames_.size() < 64) frames_.push_back({});
    } else if (k == "then" || k == "do" || k == "else") {
      if (!frames_.empty()) frames_.back().inBody = true;
    } else if (k == "elif") {
      if (!frames_.empty()) frames_.back().inBody = false;
    } else if (k == "fi" || k == "done") {
      if (!frames_.empty()) frames_.pop_back();
    }
  }

  void endCommand() {
    std::vector<RawWord> words = std::move(current_);
    current_.clear();
    size_t k = 0;
    // Keywords that open or close a compound command: read the body as plain commands.
    while (k < words.size() && !words[k].quoted && keyword(words[k].word.text)) {
      if (words[k].word.text == "function" && k + 1 < words.size()) ++k;  // its name
      compound(words[k].word.text);
      ++k;
    }
    if (k < words.size() && !words[k].quoted &&
        (words[k].word.text == "for" || words[k].word.text == "select")) {
      // for NAME in ...: walked once, so NAME is unknown inside the body.
      if (k + 1 < words.size()) vars_[words[k + 1].word.text] = Var{false, {}};
      return;
    }
    if (k < words.size() && !words[k].quoted && words[k].word.text == "case") return;
    size_t firstCommand = k;
    while (firstCommand < words.size() &&
           assignmentPrefix(t_.substr(
               words[firstCommand].word.span.begin,
               words[firstCommand].word.span.end - words[firstCommand].word.span.begin)) > 0)
      ++firstCommand;
    if (firstCommand == words.size()) {
      for (size_t a = k; a < words.size(); ++a) assign(words[a]);
      return;
    }
    const std::string& name = words[firstCommand].word.text;
    if (name == "export" || name == "readonly" || name == "declare" || name == "local" ||
        name == "typeset") {
      for (size_t a = firstCommand + 1; a < words.size(); ++a) {
        const auto& w = words[a];
        const std::string_view raw =
            t_.substr(w.word.span.begin, w.word.span.end - w.word.span.begin);
        if (assignmentPrefix(raw) > 0) assign(w);
      }
      return;
    }
    if (name == "unset") {
      for (size_t a = firstCommand + 1; a < words.size(); ++a) {
        vars_.erase(words[a].word.text);
        arrays_.erase(words[a].word.text);
      }
      return;
    }
    if ((name == "source" || name == ".") && !words[firstCommand].quoted &&
        firstCommand + 1 < words.size()) {
      source(words[firstCommand + 1].word);
      return;
    }
    Command cmd;
    cmd.guards = currentGuards();
    pendingOr_ = false;
    for (size_t a = firstCommand; a < words.size(); ++a) cmd.words.push_back(words[a].word);
    cmd.span = span(cmd.words.front().span.begin, cmd.words.back().span.end);
    for (const auto& [n, v] : vars_)
      if (v.known && n.rfind("CLOUDSDK_", 0) == 0) cmd.vars[n] = v.value;
    // A condition of the `if`/`while` being read guards the commands of its body;
    // one that tests `$?` (`if [ $? -ne 0 ]`) tests the command before it too.
    if (!frames_.empty() && !frames_.back().inBody && frames_.back().conditions.size() < 16) {
      const bool status = std::any_of(words.begin() + static_cast<std::ptrdiff_t>(firstCommand),
                                      words.end(), [&](const RawWord& w) {
                                        const std::string_view raw = t_.substr(
                                            w.word.span.begin, w.word.span.end - w.word.span.begin);
                                        return raw.find("$?") != std::string_view::npos ||
                                               raw.find("${?}") != std::string_view::npos;
                                      });
      if (status && !out_.commands.empty())
        frames_.back().conditions.push_back(static_cast<uint32_t>(out_.commands.size() - 1));
      frames_.back().conditions.push_back(static_cast<uint32_t>(out_.commands.size()));
    }
    out_.commands.push_back(std::move(cmd));
  }

  const SourceFile& file_;
  std::string_view t_;
  Script& out_;
  uint32_t i_ = 0;
  uint32_t end_ = 0;
  uint32_t indent_ = 0;
  bool pendingOr_ = false;
  /// An `if`, `while` or `until` being read: its condition commands, and
  /// whether the reader is in its body yet.
  struct Frame {
    std::vector<uint32_t> conditions;
    bool inBody = false;
  };
  std::vector<Frame> frames_;
  struct Array {
    bool known = true;
    std::vector<std::string> elements;
  };
  std::map<std::string, Array, std::less<>> arrays_;
  SourceReader sources_;
  int sourceDepth_ = 0;
  std::vector<RawWord> current_;
  std::vector<std::pair<std::string, bool>> pendingHeredocs_;
  std::vector<bool> pendingQuoted_;
  std::string lineTarget_;
  std::map<std::string, Var, std::less<>> vars_;
};

std::string_view lineAt(std::string_view text, size_t begin, size_t* next) {
  size_t e = text.find('\n', begin);
  if (e == std::string_view::npos) e = text.size();
  *next = e < text.size() ? e + 1 : e;
  std::string_view line = text.substr(begin, e - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string lowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<Chunk> wholeFile(std::string_view text) {
  return {Chunk{0, static_cast<uint32_t>(text.size())}};
}

bool hasShellShebang(std::string_view text) {
  if (text.substr(0, 2) != "#!") return false;
  size_t next = 0;
  std::string_view line = lineAt(text, 2, &next);
  std::vector<std::string_view> parts;
  size_t k = 0;
  while (k < line.size()) {
    while (k < line.size() && blank(line[k])) ++k;
    const size_t b = k;
    while (k < line.size() && !blank(line[k])) ++k;
    if (k > b) parts.push_back(line.substr(b, k - b));
  }
  auto base = [](std::string_view p) {
    const size_t slash = p.rfind('/');
    return slash == std::string_view::npos ? p : p.substr(slash + 1);
  };
  for (size_t p = 0; p < parts.size(); ++p) {
    const std::string_view b = base(parts[p]);
    if (b == "env" || (!b.empty() && b[0] == '-')) continue;
    return b == "sh" || b == "bash" || b == "zsh" || b == "dash" || b == "ksh";
  }
  return false;
}

std::vector<Fence> markdownFences(std::string_view text) {
  std::vector<Fence> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = 0;
    std::string_view line = lineAt(text, pos, &next);
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    std::string_view rest = line.substr(indent);
    const char fence = rest.empty() ? 0 : rest[0];
    size_t len = 0;
    while (len < rest.size() && rest[len] == fence) ++len;
    if ((fence != '`' && fence != '~') || len < 3) {
      pos = next;
      continue;
    }
    std::string_view info = rest.substr(len);
    while (!info.empty() && blank(info.front())) info.remove_prefix(1);
    size_t w = 0;
    while (w < info.size() && !blank(info[w]) && info[w] != '{' && info[w] != ',') ++w;
    Fence f;
    f.label = lowerCase(info.substr(0, w));
    f.open = static_cast<uint32_t>(pos);
    f.openEnd = static_cast<uint32_t>(pos + line.size());
    // Find the closing fence.
    const size_t bodyBegin = next;
    size_t p = next, bodyEnd = text.size(), after = text.size();
    while (p < text.size()) {
      size_t n2 = 0;
      std::string_view l = lineAt(text, p, &n2);
      size_t in = 0;
      while (in < l.size() && (l[in] == ' ' || l[in] == '\t')) ++in;
      std::string_view r = l.substr(in);
      size_t fl = 0;
      while (fl < r.size() && r[fl] == fence) ++fl;
      std::string_view tail = r.substr(fl);
      while (!tail.empty() && blank(tail.front())) tail.remove_prefix(1);
      if (fl >= len && tail.empty()) {
        bodyEnd = p;
        after = n2;
        break;
      }
      p = n2;
    }
    f.bodyBegin = static_cast<uint32_t>(bodyBegin);
    f.bodyEnd = static_cast<uint32_t>(bodyEnd);
    out.push_back(std::move(f));
    pos = after;
  }
  return out;
}

namespace {

/// Labels of languages that are never shell commands, whatever they contain.
bool otherLanguage(std::string_view label) {
  static const std::set<std::string_view> kLanguages = {
      "python",   "py",       "python3", "go",     "golang",     "java",       "javascript",
      "js",       "jsx",      "ts",      "tsx",    "typescript", "json5",      "jsonc",
      "toml",     "ini",      "xml",     "html",   "css",        "scss",       "sql",
      "c",        "cpp",      "c++",     "h",      "rust",       "rs",         "ruby",
      "rb",       "php",      "csharp",  "cs",     "kotlin",     "kt",         "swift",
      "scala",    "r",        "lua",     "perl",   "pl",         "dockerfile", "docker",
      "makefile", "make",     "diff",    "patch",  "mermaid",    "dot",        "graphviz",
      "proto",    "protobuf", "graphql", "gql",    "powershell", "ps1",        "pwsh",
      "ps",       "bat",      "batch",   "cmd",    "nginx",      "apache",     "properties",
      "csv",      "markdown", "md",      "rego",   "cue",        "jsonnet",    "starlark",
      "bzl",      "groovy",   "gradle",  "elixir", "erlang",     "haskell",    "ocaml",
      "dart",     "vue",      "svelte",  "hcl2",   "nix",        "sed",        "awk",
      "regex",    "csharp",   "vb",      "matlab"};
  return kLanguages.count(label) > 0;
}

/// A line that reads as a command someone runs: `gcloud ...`, `export X=...`,
/// `NAME=value`.
bool commandLine(std::string_view line) {
  while (!line.empty() && blank(line.front())) line.remove_prefix(1);
  if (line.rfind("gcloud ", 0) == 0 || line == "gcloud" || line.rfind("export ", 0) == 0 ||
      line.rfind("sudo gcloud ", 0) == 0)
    return true;
  return assignmentPrefix(line) > 0;
}

}  // namespace

FenceUse fenceUse(const Fence& fence, std::string_view text) {
  const std::string& l = fence.label;
  if (l == "sh" || l == "bash" || l == "shell" || l == "zsh") return FenceUse::Shell;
  if (l == "console" || l == "shell-session" || l == "sh-session" || l == "shellsession" ||
      l == "bash-session")
    return FenceUse::Console;
  if (l == "json") return FenceUse::Json;
  if (l == "yaml" || l == "yml") return FenceUse::Yaml;
  if (l == "hcl" || l == "terraform" || l == "tf") return FenceUse::Terraform;
  if (otherLanguage(l)) return FenceUse::Ignored;
  // Unlabelled, or a label that names no language (text, terminal, fish...): by content.
  bool command = false, prompt = false;
  const std::string_view body = text.substr(fence.bodyBegin, fence.bodyEnd - fence.bodyBegin);
  size_t q = 0;
  while (q < body.size()) {
    size_t n = 0;
    std::string_view line = lineAt(body, q, &n);
    size_t in = 0;
    while (in < line.size() && blank(line[in])) ++in;
    if (line.substr(in, 2) == "$ ") {
      prompt = true;
    } else if (commandLine(line)) {
      command = true;
    }
    q = n;
  }
  if (prompt) return FenceUse::Console;
  return command ? FenceUse::Shell : FenceUse::Skipped;
}

void appendShellChunks(const Fence& fence, FenceUse use, std::string_view text,
                       std::vector<Chunk>& out) {
  if (use == FenceUse::Shell) {
    out.push_back(Chunk{fence.bodyBegin, fence.bodyEnd});
    return;
  }
  if (use != FenceUse::Console) return;
  const size_t bodyEnd = fence.bodyEnd;
  size_t q = fence.bodyBegin;
  while (q < bodyEnd) {
    size_t n3 = 0;
    std::string_view l = lineAt(text, q, &n3);
    size_t in = 0;
    while (in < l.size() && blank(l[in])) ++in;
    if (l.substr(in, 2) != "$ ") {
      q = n3;
      continue;
    }
    const size_t begin = q + in + 2;
    // The command and its continuation lines.
    size_t e = n3;
    std::string_view cur = l;
    while (!cur.empty() && cur.back() == '\\' && e < bodyEnd) {
      size_t n4 = 0;
      cur = lineAt(text, e, &n4);
      e = n4;
    }
    out.push_back(Chunk{static_cast<uint32_t>(begin), static_cast<uint32_t>(std::min(e, bodyEnd))});
    q = e;
  }
}

std::vector<Chunk> markdownBlocks(std::string_view text) {
  std::vector<Chunk> out;
  for (const Fence& f : markdownFences(text)) appendShellChunks(f, fenceUse(f, text), text, out);
  return out;
}

bool hasTerraformFence(std::string_view text) {
  if (text.find("```") == std::string_view::npos && text.find("~~~") == std::string_view::npos)
    return false;
  for (const Fence& f : markdownFences(text))
    if (f.label == "hcl" || f.label == "terraform" || f.label == "tf") return true;
  return false;
}

Script read(const SourceFile& file, const std::vector<Chunk>& chunks) {
  return read(file, chunks, Environment{});
}

Script read(const SourceFile& file, const std::vector<Chunk>& chunks,
            const Environment& environment, const SourceReader& sources) {
  Script out;
  Reader reader(file, out);
  reader.setSources(sources, 0);
  for (const auto& [name, value] : environment) reader.setVariable(name, value);
  for (const Chunk& c : chunks) reader.chunk(c);
  return out;
}

}  // namespace lbcheck::script
