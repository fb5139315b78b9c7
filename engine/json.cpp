#include "engine/json.h"

#include "engine/utf8.h"

#include <sys/mman.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

namespace lbcheck::json {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
// Below this, the heap: it reuses pages from one file (or one benchmark
// iteration) to the next. Above it glibc's malloc maps fresh pages anyway
// (its mmap threshold never exceeds 32 MiB): map them as huge pages.
constexpr size_t kLarge = size_t{32} << 20;
size_t roundUp(size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }
}  // namespace

void* allocateLarge(size_t bytes) {
  if (bytes < kLarge) return ::operator new(bytes);
  const size_t size = roundUp(bytes);
  // Map one huge page more, then trim both ends to a 2 MiB boundary.
  void* raw =
      ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto begin = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (begin + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > begin) ::munmap(raw, aligned - begin);
  const uintptr_t tail = begin + size + kHugePage - (aligned + size);
  if (tail > 0) ::munmap(reinterpret_cast<void*>(aligned + size), tail);
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

void freeLarge(void* p, size_t bytes) {
  if (bytes < kLarge) {
    ::operator delete(p);
    return;
  }
  ::munmap(p, roundUp(bytes));
}

Type Value::type() const { return doc_->node(index_).type; }

std::string_view Value::str() const {
  if (!isString()) return {};
  const Node& n = doc_->node(index_);
  return doc_->arena(n.first, n.count);
}

double Value::number() const { return isNumber() ? doc_->number(doc_->node(index_).first) : 0.0; }
bool Value::boolean() const { return isBool() && doc_->node(index_).boolean; }

std::string_view Value::rawText() const {
  if (!exists()) return {};
  const Node& n = doc_->node(index_);
  return doc_->source().substr(n.begin, n.end - n.begin);
}

std::string Value::text() const {
  if (!exists()) return {};
  switch (type()) {
    case Type::String:
      return std::string(str());
    case Type::Number:
    case Type::Bool:
      return std::string(rawText());
    default:
      return {};
  }
}

Span Value::span() const {
  if (!exists()) return {};
  const Node& n = doc_->node(index_);
  return Span{doc_->fileId(), n.begin, n.end};
}

Value Value::get(std::string_view key) const {
  if (!isObject()) return {};
  const Node& n = doc_->node(index_);
  // Last duplicate wins, as in most JSON readers.
  for (uint32_t i = n.count; i > 0; --i) {
    const Member& m = doc_->member(n.first + i - 1);
    if (doc_->key(m) == key) return Value(doc_, m.value);
  }
  return {};
}

Span Value::keySpan(std::string_view key) const {
  if (!isObject()) return {};
  const Node& n = doc_->node(index_);
  for (uint32_t i = n.count; i > 0; --i) {
    const Member& m = doc_->member(n.first + i - 1);
    if (doc_->key(m) == key) return doc_->keySpan(m);
  }
  return {};
}

Value Value::at(size_t i) const {
  if (!isArray()) return {};
  const Node& n = doc_->node(index_);
  if (i >= n.count) return {};
  return Value(doc_, doc_->member(n.first + static_cast<uint32_t>(i)).value);
}

size_t Value::size() const {
  if (!isObject() && !isArray()) return 0;
  return doc_->node(index_).count;
}

namespace {

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

namespace {

/// Moves `*i` past the JSON number at s[*i] (on its '-' or first digit).
/// Returns null, or what is wrong where *i stopped.
const char* scanNumber(std::string_view s, size_t* i) {
  auto digit = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (s[*i] == '-') ++*i;
  if (!digit(*i)) return "invalid number";
  if (s[*i] == '0') {
    ++*i;
  } else {
    while (digit(*i)) ++*i;
  }
  if (*i < s.size() && s[*i] == '.') {
    ++*i;
    if (!digit(*i)) return "invalid number: digits expected after '.'";
    while (digit(*i)) ++*i;
  }
  if (*i < s.size() && (s[*i] == 'e' || s[*i] == 'E')) {
    ++*i;
    if (*i < s.size() && (s[*i] == '+' || s[*i] == '-')) ++*i;
    if (!digit(*i)) return "invalid number: digits expected in the exponent";
    while (digit(*i)) ++*i;
  }
  return nullptr;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

/// lbcheck's own JSON reader: one pass over the text that builds the same
/// nodes, members, strings and numbers as simdjson On-Demand does through the
/// oracle (engine/json_simdjson.cpp; the tests and the json fuzzer compare the
/// two). Iterative, so nesting costs heap, not stack. On failure it says where
/// it stopped and, when the Checker finds nothing more precise, why.
class JsonReader {
 public:
  JsonReader(Document& doc, std::string_view text, size_t maxDepth, bool scalarRoot = false)
      : doc_(doc), s_(text), maxDepth_(maxDepth), allowScalarRoot_(scalarRoot) {}

  bool read(uint32_t* root) {
    skipSpace();
    if (i_ >= s_.size() || (!allowScalarRoot_ && s_[i_] != '{' && s_[i_] != '[')) {
      scalarRoot_ = i_ < s_.size();
      return fail("a JSON document must be an object or an array here");
    }
    *root = 0;
    for (;;) {
      // A value at i_ (after spaces): open a container, or read a scalar.
      skipSpace();
      if (i_ >= s_.size()) return fail("unexpected end of file: expected a value");
      if (frames_.size() + 1 > maxDepth_)
        return fail("nesting deeper than " + std::to_string(maxDepth_) +
                    " levels (raise the limit with --max-depth)");
      const auto index = static_cast<uint32_t>(doc_.nodes_.size());
      doc_.nodes_.emplace_back();
      doc_.nodes_[index].begin = static_cast<uint32_t>(i_);
      const char c = s_[i_];
      if (c == '{' || c == '[') {
        frames_.push_back({index, scratch_.size(), c == '{', Member{}});
        ++i_;
        skipSpace();
        if (i_ < s_.size() && s_[i_] == (c == '{' ? '}' : ']')) {
          closeFrame();
        } else {
          if (c == '{' && !key()) return false;
          continue;
        }
      } else if (c == '"') {
        uint32_t first = 0, count = 0;
        if (!string(&first, &count)) return false;
        Node& n = doc_.nodes_[index];
        n.type = Type::String;
        n.first = first;
        n.count = count;
        n.end = static_cast<uint32_t>(i_);
        justRead_ = index;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!number(index)) return false;
      } else if (!literal(index)) {
        return false;
      }
      // A complete value: it joins its container; then a separator, or the
      // container closes (and joins its own).
      for (;;) {
        if (frames_.empty()) {
          skipSpace();
          return i_ >= s_.size() || fail("unexpected text after the end of the JSON document");
        }
        Frame& f = frames_.back();
        Member m = f.object ? f.pending : Member{};
        m.value = justRead_;
        scratch_.push_back(m);
        skipSpace();
        if (i_ >= s_.size()) return fail("unexpected end of file: a container is not closed");
        if (s_[i_] == ',') {
          ++i_;
          if (f.object && !key()) return false;
          break;
        }
        if (s_[i_] != (f.object ? '}' : ']'))
          return fail(f.object ? "expected ',' or '}' after an object member"
                               : "expected ',' or ']' after an array element");
        closeFrame();
      }
    }
  }

  bool scalarRoot() const { return scalarRoot_; }
  uint32_t offset() const { return static_cast<uint32_t>(std::min(i_, s_.size())); }
  const std::string& message() const { return message_; }

 private:
  struct Frame {
    uint32_t node;
    size_t mark;
    bool object;
    Member pending;  // an object's member whose value is being read: its key
  };

  bool fail(std::string message) {
    message_ = std::move(message);
    return false;
  }
  void skipSpace() {
    while (i_ < s_.size() && isJsonSpace(s_[i_])) ++i_;
  }

  void closeFrame() {
    const Frame f = frames_.back();
    frames_.pop_back();
    Node& n = doc_.nodes_[f.node];
    n.type = f.object ? Type::Object : Type::Array;
    n.first = static_cast<uint32_t>(doc_.members_.size());
    n.count = static_cast<uint32_t>(scratch_.size() - f.mark);
    ++i_;  // the closing bracket
    n.end = static_cast<uint32_t>(i_);
    doc_.members_.insert(doc_.members_.end(), scratch_.begin() + static_cast<long>(f.mark),
                         scratch_.end());
    scratch_.resize(f.mark);
    justRead_ = f.node;
  }

  // `"key":` at i_ (after spaces): the pending member's key.
  bool key() {
    skipSpace();
    if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a string key");
    Member m;
    const auto begin = static_cast<uint32_t>(i_);
    if (!string(&m.keyOffset, &m.keyLength)) return false;
    if (!(m.keyOffset & Document::kInSource)) {
      // Escapes: string() put the unescaped key at the arena's end; an arena
      // key is written after its span (rare: copy it once more).
      const std::string key = doc_.strings_.substr(m.keyOffset);
      doc_.strings_.resize(m.keyOffset);
      m.keyOffset = doc_.arenaKey(key, begin, static_cast<uint32_t>(i_));
    }
    skipSpace();
    if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':' after an object key");
    ++i_;
    frames_.back().pending = m;
    return true;
  }

  // A string at i_ (on its opening quote): unescaped as written (no escapes)
  // it points into the source, else into the arena.
  bool string(uint32_t* first, uint32_t* count) {
    const size_t open = i_++;
    size_t j = i_;
    while (j < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[j]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++j;
    }
    if (j < s_.size() && s_[j] == '"') {  // the common case: nothing to decode
      *first = static_cast<uint32_t>(open + 1) | Document::kInSource;
      *count = static_cast<uint32_t>(j - open - 1);
      i_ = j + 1;
      return true;
    }
    std::string out(s_.substr(open + 1, j - open - 1));
    i_ = j;
    for (;;) {
      if (i_ >= s_.size()) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') break;
      if (c < 0x20) return fail("control character inside a string (escape it)");
      if (c >= 0x80) {
        const size_t n = decodeUtf8(s_, i_);
        if (n == 0) return fail("invalid UTF-8 byte sequence");
        out.append(s_.substr(i_, n));
        i_ += n;
        continue;
      }
      if (c != '\\') {
        out += static_cast<char>(c);
        ++i_;
        continue;
      }
      if (i_ + 1 >= s_.size()) return fail("unterminated string");
      const char e = s_[i_ + 1];
      if (e != 'u') {
        static constexpr std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
        const size_t k = from.find(e);
        if (k == std::string_view::npos || e == '\0')
          return fail("invalid escape sequence in a string");
        out += to[k];
        i_ += 2;
        continue;
      }
      char32_t cp = 0;
      if (!hex4(i_ + 2, &cp)) return fail("invalid \\u escape in a string");
      i_ += 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate: its low one must follow
        char32_t low = 0;
        if (i_ + 1 >= s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u' || !hex4(i_ + 2, &low) ||
            low < 0xDC00 || low > 0xDFFF)
          return fail("invalid \\u escape in a string: a lone surrogate");
        i_ += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail("invalid \\u escape in a string: a lone surrogate");
      }
      appendUtf8(out, cp);
    }
    ++i_;  // the closing quote
    *count = static_cast<uint32_t>(out.size());
    if (out.size() == i_ - open - 2) {  // only UTF-8 text, no escapes: as written
      *first = static_cast<uint32_t>(open + 1) | Document::kInSource;
    } else {
      *first = static_cast<uint32_t>(doc_.strings_.size());
      doc_.strings_.append(out);
    }
    return true;
  }
  bool hex4(size_t at, char32_t* cp) const {
    if (at + 4 > s_.size()) return false;
    char32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int d = hexDigit(s_[at + k]);
      if (d < 0) return false;
      v = v * 16 + static_cast<char32_t>(d);
    }
    *cp = v;
    return true;
  }

  bool number(uint32_t index) {
    const size_t start = i_;
    if (const char* why = scanNumber(s_, &i_)) return fail(why);
    double d = 0;
    const auto res = std::from_chars(s_.data() + start, s_.data() + i_, d);
    if (res.ec == std::errc::result_out_of_range) {
      // Out of range: a subnormal keeps its value; what overflows is kept as
      // a number with the value 0 (the text says what it was).
      const double v = std::strtod(std::string(s_.substr(start, i_ - start)).c_str(), nullptr);
      d = std::isfinite(v) ? v : 0;
    }
    Node& n = doc_.nodes_[index];
    n.type = Type::Number;
    n.end = static_cast<uint32_t>(i_);
    n.first = static_cast<uint32_t>(doc_.numbers_.size());
    doc_.numbers_.push_back(d);
    justRead_ = index;
    return true;
  }

  bool literal(uint32_t index) {
    Node& n = doc_.nodes_[index];
    if (s_.substr(i_, 4) == "true") {
      n.type = Type::Bool;
      n.boolean = true;
      i_ += 4;
    } else if (s_.substr(i_, 5) == "false") {
      n.type = Type::Bool;
      i_ += 5;
    } else if (s_.substr(i_, 4) == "null") {
      n.type = Type::Null;
      i_ += 4;
    } else {
      return fail("unexpected character: expected a JSON value");
    }
    n.end = static_cast<uint32_t>(i_);
    justRead_ = index;
    return true;
  }

  Document& doc_;
  std::string_view s_;
  size_t maxDepth_;
  size_t i_ = 0;
  std::vector<Frame> frames_;
  std::vector<Member> scratch_;
  uint32_t justRead_ = 0;
  bool scalarRoot_ = false;
  bool allowScalarRoot_;
  std::string message_;
};

namespace {

// ---------------------------------------------------------------------------
// Slow, exact syntax checker: used only to explain a failure precisely.

class Checker {
 public:
  Checker(std::string_view text, size_t maxDepth) : s_(text), maxDepth_(maxDepth) {}

  /// Reads one value and returns the offset just past it (0 on error).
  size_t firstValue(ParseError* error) {
    skipSpace();
    if (i_ >= s_.size()) return fail("the file is empty: expected a JSON value", error), 0;
    if (!value(error)) return 0;
    return i_;
  }

  bool run(ParseError* error) {
    skipSpace();
    if (i_ >= s_.size()) return fail("the file is empty: expected a JSON value", error);
    if (!value(error)) return false;
    skipSpace();
    if (i_ < s_.size()) return fail("unexpected text after the end of the JSON document", error);
    return true;
  }

 private:
  bool fail(const char* message, ParseError* error) {
    error->offset = static_cast<uint32_t>(i_);
    error->message = message;
    return false;
  }
  void skipSpace() {
    while (i_ < s_.size() && isJsonSpace(s_[i_])) ++i_;
  }
  // Iterative over containers so hostile nesting cannot exhaust the stack.
  bool value(ParseError* error) {
    std::vector<char> stack;  // '{' or '['
    for (;;) {
      skipSpace();
      if (i_ >= s_.size()) return fail("unexpected end of file: expected a value", error);
      const char c = s_[i_];
      if (c == '{' || c == '[') {
        if (stack.size() >= maxDepth_) {
          error->offset = static_cast<uint32_t>(i_);
          error->message = "nesting deeper than " + std::to_string(maxDepth_) +
                           " levels (raise the limit with --max-depth)";
          return false;
        }
        stack.push_back(c);
        ++i_;
        skipSpace();
        if (i_ < s_.size() && s_[i_] == (c == '{' ? '}' : ']')) {
          stack.pop_back();
          ++i_;
        } else if (c == '{') {
          if (!key(error)) return false;
          continue;
        } else {
          continue;
        }
      } else if (c == '"') {
        if (!string(error)) return false;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!number(error)) return false;
      } else if (!literal(error)) {
        return false;
      }
      // After a complete value: close containers or expect a separator.
      for (;;) {
        if (stack.empty()) return true;
        skipSpace();
        if (i_ >= s_.size())
          return fail("unexpected end of file: a container is not closed", error);
        const char top = stack.back();
        const char close = top == '{' ? '}' : ']';
        if (s_[i_] == close) {
          stack.pop_back();
          ++i_;
          continue;
        }
        if (s_[i_] == ',') {
          ++i_;
          if (top == '{') {
            skipSpace();
            if (!key(error)) return false;
          }
          break;
        }
        return fail(top == '{' ? "expected ',' or '}' after an object member"
                               : "expected ',' or ']' after an array element",
                    error);
      }
    }
  }
  bool key(ParseError* error) {
    skipSpace();
    if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a string key", error);
    if (!string(error)) return false;
    skipSpace();
    if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':' after an object key", error);
    ++i_;
    return true;
  }
  bool string(ParseError* error) {
    const size_t start = i_;
    ++i_;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return fail("control character inside a string (escape it)", error);
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) break;
        const char e = s_[i_ + 1];
        if (e == 'u') {
          for (size_t k = 2; k < 6; ++k) {
            if (i_ + k >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_ + k])))
              return fail("invalid \\u escape in a string", error);
          }
          i_ += 6;
          continue;
        }
        if (std::strchr("\"\\/bfnrt", e) == nullptr || e == '\0')
          return fail("invalid escape sequence in a string", error);
        i_ += 2;
        continue;
      }
      if (c >= 0x80) {
        const size_t n = decodeUtf8(s_, i_);
        if (n == 0) return fail("invalid UTF-8 byte sequence", error);
        i_ += n;
        continue;
      }
      ++i_;
    }
    i_ = start;
    return fail("unterminated string", error);
  }
  bool number(ParseError* error) {
    if (const char* why = scanNumber(s_, &i_)) return fail(why, error);
    return true;
  }
  bool literal(ParseError* error) {
    for (std::string_view word : {"true", "false", "null"}) {
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return true;
      }
    }
    return fail("unexpected character: expected a JSON value", error);
  }

  std::string_view s_;
  size_t maxDepth_;
  size_t i_ = 0;
};

}  // namespace

TreeBuilder::TreeBuilder(uint32_t fileId, std::string_view source)
    : doc_(std::make_unique<Document>()) {
  doc_->fileId_ = fileId;
  doc_->source_ = source;
}

size_t TreeBuilder::nodeCount() const { return doc_->nodes_.size(); }

void TreeBuilder::add(uint32_t node) {
  if (frames_.empty()) return;  // the root
  Member m = hasKey_ ? pending_ : Member{};
  m.value = node;
  hasKey_ = false;
  scratch_.push_back(m);
}

uint32_t TreeBuilder::scalar(Type type, uint32_t begin, uint32_t end, std::string_view text,
                             double number, bool boolean) {
  const auto index = static_cast<uint32_t>(doc_->nodes_.size());
  Node n;
  n.type = type;
  n.begin = begin;
  n.end = end;
  n.boolean = boolean;
  if (type == Type::Number) {
    // Its text is the source's (Value::rawText).
    n.first = static_cast<uint32_t>(doc_->numbers_.size());
    doc_->numbers_.push_back(number);
  } else {
    n.first = static_cast<uint32_t>(doc_->strings_.size());
    n.count = static_cast<uint32_t>(text.size());
    doc_->strings_.append(text);
  }
  doc_->nodes_.push_back(n);
  add(index);
  return index;
}

uint32_t TreeBuilder::open(Type type, uint32_t begin) {
  const auto index = static_cast<uint32_t>(doc_->nodes_.size());
  Node n;
  n.type = type;
  n.begin = begin;
  n.end = begin + 1;
  doc_->nodes_.push_back(n);
  add(index);
  frames_.push_back({index, scratch_.size()});
  return index;
}

void TreeBuilder::close(uint32_t end) {
  if (frames_.empty()) return;
  const Frame f = frames_.back();
  frames_.pop_back();
  Node& n = doc_->nodes_[f.node];
  n.first = static_cast<uint32_t>(doc_->members_.size());
  n.count = static_cast<uint32_t>(scratch_.size() - f.mark);
  n.end = std::max(end, n.begin + 1);
  doc_->members_.insert(doc_->members_.end(), scratch_.begin() + static_cast<long>(f.mark),
                        scratch_.end());
  scratch_.resize(f.mark);
  hasKey_ = false;
}

void TreeBuilder::key(std::string_view k, uint32_t keyBegin, uint32_t keyEnd) {
  pending_ = Member{};
  pending_.keyOffset = doc_->arenaKey(k, keyBegin, keyEnd);
  pending_.keyLength = static_cast<uint32_t>(k.size());
  hasKey_ = true;
}

void TreeBuilder::attach(uint32_t node) { add(node); }

std::unique_ptr<Document> TreeBuilder::finish() {
  while (!frames_.empty()) close(doc_->nodes_[frames_.back().node].end);
  return std::move(doc_);
}

namespace {

class Skimmer {
 public:
  using Open = std::function<bool(const std::vector<std::string_view>&)>;
  Skimmer(std::string_view text, uint32_t to, size_t maxDepth, const Open& open)
      : s_(text), to_(to), maxDepth_(maxDepth), open_(open) {}

  bool value(uint32_t& i, Skim& out) {
    skipSpace(i);
    if (i >= to_) return false;
    out.begin = i;
    const char c = s_[i];
    if (c == '{' || c == '[') {
      out.type = c == '{' ? Type::Object : Type::Array;
      if (open_(path_)) {
        if (!open(i, out)) return false;
      } else if (!skipContainer(i)) {
        return false;
      }
    } else if (c == '"') {
      out.type = Type::String;
      if (!skipString(i)) return false;
    } else {
      out.type = c == 't' || c == 'f' ? Type::Bool : c == 'n' ? Type::Null : Type::Number;
      while (i < to_ && !isDelimiter(s_[i])) ++i;
      if (i == out.begin) return false;
    }
    out.end = i;
    return true;
  }

 private:
  static bool isDelimiter(char c) {
    return isJsonSpace(c) || c == ',' || c == '}' || c == ']' || c == ':' || c == '{' || c == '[' ||
           c == '"';
  }
  void skipSpace(uint32_t& i) const {
    while (i < to_ && isJsonSpace(s_[i])) ++i;
  }
  /// From the opening quote to just past the closing one.
  bool skipString(uint32_t& i) const {
    ++i;
    for (;;) {
      const void* q = i < to_ ? std::memchr(s_.data() + i, '"', to_ - i) : nullptr;
      if (q == nullptr) return false;
      const uint32_t at = static_cast<uint32_t>(static_cast<const char*>(q) - s_.data());
      uint32_t slashes = 0;
      while (at - slashes > i && s_[at - slashes - 1] == '\\') ++slashes;
      i = at + 1;
      if (slashes % 2 == 0) return true;
    }
  }
  bool skipContainer(uint32_t& i) const {
    size_t depth = 0;
    while (i < to_) {
      const char c = s_[i];
      if (c == '"') {
        if (!skipString(i)) return false;
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++i;
          return true;
        }
      }
      ++i;
    }
    return false;
  }
  bool open(uint32_t& i, Skim& out) {
    if (path_.size() + 1 > maxDepth_ || path_.size() >= kMaxOpened) return false;
    const bool object = out.type == Type::Object;
    const char close = object ? '}' : ']';
    out.opened = true;
    ++i;
    skipSpace(i);
    if (i < to_ && s_[i] == close) {
      ++i;
      return true;
    }
    for (;;) {
      std::string_view key;
      if (object) {
        skipSpace(i);
        if (i >= to_ || s_[i] != '"') return false;
        const uint32_t k = ++i;
        // Plain ASCII only: a key is no piece, so the skim is all that reads it.
        while (i < to_ && s_[i] != '"' && s_[i] != '\\' &&
               static_cast<unsigned char>(s_[i]) >= 0x20 &&
               static_cast<unsigned char>(s_[i]) < 0x80)
          ++i;
        if (i >= to_ || s_[i] != '"') return false;  // an escape, a control or UTF-8 byte: whole
        key = s_.substr(k, i - k);
        ++i;
        skipSpace(i);
        if (i >= to_ || s_[i] != ':') return false;
        ++i;
      }
      path_.push_back(object ? key : std::string_view("[]"));
      out.children.emplace_back().key = key;
      const bool ok = value(i, out.children.back());
      path_.pop_back();
      if (!ok) return false;
      skipSpace(i);
      if (i >= to_) return false;
      if (s_[i] == close) {
        ++i;
        return true;
      }
      if (s_[i] != ',') return false;
      ++i;
    }
  }

  static constexpr size_t kMaxOpened = 256;  // the skim recurses into what it opens
  std::string_view s_;
  uint32_t to_;
  size_t maxDepth_;
  const Open& open_;
  std::vector<std::string_view> path_;
};

}  // namespace

bool skim(std::string_view text, uint32_t from, uint32_t to, size_t maxDepth,
          const std::function<bool(const std::vector<std::string_view>&)>& open, Skim* out) {
  if (to > text.size() || from > to) return false;
  Skimmer skimmer(text, to, maxDepth, open);
  uint32_t i = from;
  *out = Skim{};
  if (!skimmer.value(i, *out)) return false;
  while (i < to && isJsonSpace(text[i])) ++i;
  return i == to;
}

bool findSyntaxError(std::string_view text, size_t maxDepth, ParseError* error) {
  Checker checker(text, maxDepth);
  return !checker.run(error);
}

std::unique_ptr<Document> parse(const SourceFile& file, const Limits& limits, ParseError* error) {
  const std::string_view text = file.text();
  const uint32_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  return parseRange(file, bom, static_cast<uint32_t>(text.size()), limits, error);
}

bool parseMany(const SourceFile& file, const Limits& limits,
               std::vector<std::unique_ptr<Document>>* documents, ParseError* error) {
  const std::string_view text = file.text();
  size_t at = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (;;) {
    while (at < text.size() && isJsonSpace(text[at])) ++at;
    if (at >= text.size())
      return documents->empty() ? (error->message = "the file is empty: expected a JSON value",
                                   error->offset = 0, true)
                                : false;
    Checker checker(text.substr(at), limits.maxDepth);
    ParseError e;
    const size_t length = checker.firstValue(&e);
    if (length == 0) {
      error->offset = static_cast<uint32_t>(at) + e.offset;
      error->message = e.message;
      return true;
    }
    auto doc = parseRange(file, static_cast<uint32_t>(at), static_cast<uint32_t>(at + length),
                          limits, error);
    if (!doc) return true;
    documents->push_back(std::move(doc));
    at += length;
  }
}

std::unique_ptr<Document> parseRange(const SourceFile& file, uint32_t from, uint32_t to,
                                     const Limits& limits, ParseError* error) {
  const std::string_view body = file.text().substr(from, to - from);
  auto result = Document::create(file, body.size());
  JsonReader own(*result, body, limits.maxDepth, limits.scalarRoot);
  uint32_t root = 0;
  if (!own.read(&root)) {
    failAt(body, from, own.scalarRoot() ? 0 : own.offset(), own.message(), limits.maxDepth, error);
    return nullptr;
  }
  result->shift(from);
  return result;
}

void failAt(std::string_view body, uint32_t bias, uint32_t offset, std::string message,
            size_t maxDepth, ParseError* error) {
  ParseError precise;
  if (findSyntaxError(body, maxDepth, &precise)) {
    error->offset = precise.offset + bias;
    error->message = std::move(precise.message);
  } else {
    error->offset = offset + bias;
    error->message = std::move(message);
  }
}

std::unique_ptr<Document> Document::create(const SourceFile& file, size_t bytes) {
  auto doc = std::make_unique<Document>();
  doc->fileId_ = file.id();
  doc->source_ = file.text();
  // About one value per 16 bytes in typical plans and exports: a large file's
  // arrays are mapped once (huge pages; untouched pages cost nothing) instead of
  // grown by copying. Small ones grow from the heap, whose pages are reused.
  if (bytes >= (size_t{16} << 20)) {
    doc->nodes_.reserve(bytes / 16 + 16);
    doc->members_.reserve(bytes / 16 + 16);
  }
  return doc;
}

void Document::shift(uint32_t bias) {
  if (bias == 0) return;
  for (auto& n : nodes_) {
    n.begin += bias;
    n.end += bias;
    if (n.type == Type::String && (n.first & kInSource)) n.first += bias;
  }
  for (auto& m : members_) {
    if (m.keyOffset & kInSource) {
      m.keyOffset += bias;
    } else if (m.keyOffset >= kKeySpanBytes) {  // an array element has no key
      uint32_t span[2];
      char* at = strings_.data() + m.keyOffset - kKeySpanBytes;
      std::memcpy(span, at, sizeof span);
      span[0] += bias;
      span[1] += bias;
      std::memcpy(at, span, sizeof span);
    }
  }
}

uint32_t Document::arenaKey(std::string_view key, uint32_t begin, uint32_t end) {
  const uint32_t span[2] = {begin, end};
  strings_.append(reinterpret_cast<const char*>(span), sizeof span);
  const auto offset = static_cast<uint32_t>(strings_.size());
  strings_.append(key);
  return offset;
}

Span Document::keySpan(const Member& m) const {
  if (m.keyOffset & kInSource) {
    const uint32_t open = (m.keyOffset & ~kInSource) - 1;
    return Span{fileId_, open, open + m.keyLength + 2};
  }
  if (m.keyOffset < kKeySpanBytes) return Span{fileId_, 0, 0};  // an array element
  uint32_t span[2];
  std::memcpy(span, strings_.data() + m.keyOffset - kKeySpanBytes, sizeof span);
  return Span{fileId_, span[0], span[1]};
}

}  // namespace lbcheck::json
