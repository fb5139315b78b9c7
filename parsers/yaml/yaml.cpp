#include "parsers/yaml/yaml.h"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <deque>
#include <istream>
#include <map>
#include <streambuf>

namespace lbcheck::yaml {

namespace {

using json::Type;

/// An istream over memory, without copying the file.
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

struct LimitHit {
  uint32_t offset;
  std::string message;
};

bool isPlainNull(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool plainBool(std::string_view s, bool* value) {
  if (s == "true" || s == "True" || s == "TRUE") return *value = true, true;
  if (s == "false" || s == "False" || s == "FALSE") return *value = false, true;
  return false;
}

bool plainNumber(std::string_view s, double* value) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return false;
  bool digits = false, dot = false, exp = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      digits = false;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
    } else {
      return false;
    }
  }
  if (!digits) return false;
  std::string_view t = s[0] == '+' ? s.substr(1) : s;
  auto res = std::from_chars(t.data(), t.data() + t.size(), *value);
  return res.ec == std::errc() || res.ec == std::errc::result_out_of_range;
}

class Handler : public YAML::EventHandler {
 public:
  Handler(const SourceFile& file, const Limits& limits,
          std::vector<std::unique_ptr<json::Document>>* out)
      : file_(file), text_(file.text()), limits_(limits), out_(out) {}

  /// yaml-cpp 0.7 can loop forever on some invalid input (emitting empty
  /// documents or nodes without consuming text). Every event needs at least one
  /// byte of text, so more events than twice the size means it stopped making
  /// progress: stop it with a located error instead of hanging.
  void progress(const YAML::Mark& mark) {
    if (++events_ > 2 * text_.size() + 64)
      throw LimitHit{offset(mark),
                     "the YAML parser stopped making progress here: the text is not valid "
                     "YAML (a stray ',' or bracket in block context?)"};
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    progress(mark);
    builder_ = std::make_unique<json::TreeBuilder>(file_.id(), text_);
    frames_.clear();
    anchors_.clear();
  }
  void OnDocumentEnd() override {
    if (builder_) out_->push_back(builder_->finish());
    builder_.reset();
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    progress(mark);
    const uint32_t at = offset(mark);
    if (takeKey("", at, at)) return;
    remember(anchor, builder_->scalar(Type::Null, at, at, "", 0, false));
    childDone(at);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    progress(mark);
    const uint32_t at = offset(mark);
    auto it = anchors_.find(anchor);
    if (takeKey("*alias", at, at + 1)) return;
    if (it == anchors_.end()) {
      builder_->scalar(Type::Null, at, at + 1, "", 0, false);
    } else {
      builder_->attach(it->second);
    }
    childDone(scalarEnd(at));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    progress(mark);
    const uint32_t at = offset(mark);
    const uint32_t end = scalarEnd(at);
    if (takeKey(value, at, end)) return;
    budget(at);
    uint32_t node;
    if (tag == "?") {
      double d = 0;
      bool b = false;
      if (isPlainNull(value)) {
        node = builder_->scalar(Type::Null, at, end, value, 0, false);
      } else if (plainBool(value, &b)) {
        node = builder_->scalar(Type::Bool, at, end, value, 0, b);
      } else if (plainNumber(value, &d)) {
        node = builder_->scalar(Type::Number, at, end, value, d, false);
      } else {
        node = builder_->scalar(Type::String, at, end, value, 0, false);
      }
    } else {
      node = builder_->scalar(Type::String, at, end, value, 0, false);
    }
    remember(anchor, node);
    childDone(end);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    startContainer(mark, anchor, style, Type::Array);
  }
  void OnSequenceEnd() override { endContainer(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    startContainer(mark, anchor, style, Type::Object);
  }
  void OnMapEnd() override { endContainer(); }

 private:
  struct Frame {
    Type type;
    bool flow;
    bool expectKey;
    int skip;  // >0 while inside a complex (non-scalar) key, which is not kept
    uint32_t lastEnd;
  };

  uint32_t offset(const YAML::Mark& m) const {
    if (m.pos < 0) return 0;
    return std::min<uint32_t>(static_cast<uint32_t>(m.pos), static_cast<uint32_t>(text_.size()));
  }

  bool inFlow() const { return !frames_.empty() && frames_.back().flow; }

  /// End of the scalar token that starts at `at`.
  uint32_t scalarEnd(uint32_t at) const {
    const size_t n = text_.size();
    if (at >= n) return at;
    const char c = text_[at];
    size_t i = at + 1;
    if (c == '"') {
      while (i < n && text_[i] != '"') i += text_[i] == '\\' ? 2 : 1;
      return static_cast<uint32_t>(std::min(n, i + 1));
    }
    if (c == '\'') {
      while (i < n) {
        if (text_[i] == '\'') {
          if (i + 1 < n && text_[i + 1] == '\'') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      return static_cast<uint32_t>(std::min(n, i + 1));
    }
    if (c == '|' || c == '>' || c == '*' || c == '&' || c == '!') {
      while (i < n && text_[i] != '\n' && text_[i] != '\r' && text_[i] != ' ') ++i;
      return static_cast<uint32_t>(i);
    }
    // A plain scalar runs to the end of the line, a ": " or " #", or in flow
    // context a ',', ']' or '}'.
    const bool flow = inFlow();
    size_t end = at;
    for (i = at; i < n; ++i) {
      const char d = text_[i];
      if (d == '\n' || d == '\r') break;
      if (d == ':' &&
          (i + 1 == n || text_[i + 1] == ' ' || text_[i + 1] == '\n' ||
           (flow && (text_[i + 1] == ',' || text_[i + 1] == ']' || text_[i + 1] == '}'))))
        break;
      if (d == '#' && i > at && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) break;
      if (flow && (d == ',' || d == ']' || d == '}')) break;
      if (d != ' ' && d != '\t') end = i + 1;
    }
    return static_cast<uint32_t>(std::max<size_t>(end, at + 1));
  }

  /// When the innermost container is a map waiting for a key, the scalar is the
  /// key: record it and report true.
  bool takeKey(const std::string& value, uint32_t begin, uint32_t end) {
    if (!builder_) builder_ = std::make_unique<json::TreeBuilder>(file_.id(), text_);
    if (frames_.empty()) return false;
    Frame& f = frames_.back();
    if (f.skip > 0) return true;
    if (f.type != Type::Object || !f.expectKey) return false;
    builder_->key(value, begin, end);
    f.expectKey = false;
    return true;
  }

  void childDone(uint32_t end) {
    if (frames_.empty()) return;
    Frame& f = frames_.back();
    f.lastEnd = std::max(f.lastEnd, end);
    if (f.type == Type::Object) f.expectKey = true;
  }

  void remember(YAML::anchor_t anchor, uint32_t node) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = node;
  }

  void budget(uint32_t at) {
    if (builder_->nodeCount() >= limits_.maxNodes)
      throw LimitHit{at, "more than " + std::to_string(limits_.maxNodes) + " YAML nodes"};
  }

  void startContainer(const YAML::Mark& mark, YAML::anchor_t anchor,
                      YAML::EmitterStyle::value style, Type type) {
    progress(mark);
    const uint32_t at = offset(mark);
    if (!builder_) builder_ = std::make_unique<json::TreeBuilder>(file_.id(), text_);
    if (!frames_.empty()) {
      Frame& parent = frames_.back();
      if (parent.skip > 0 || (parent.type == Type::Object && parent.expectKey)) {
        // A complex key: skip its contents, then name it.
        ++parent.skip;
        return;
      }
    }
    if (frames_.size() >= limits_.maxDepth)
      throw LimitHit{at, "nesting deeper than " + std::to_string(limits_.maxDepth) +
                             " levels (raise the limit with --max-depth)"};
    budget(at);
    remember(anchor, builder_->open(type, at));
    frames_.push_back({type, style == YAML::EmitterStyle::Flow, true, 0, at + 1});
  }

  void endContainer() {
    if (frames_.empty()) return;
    Frame& f = frames_.back();
    if (f.skip > 0) {
      if (--f.skip == 0 && f.type == Type::Object && f.expectKey) {
        builder_->key("(complex key)", f.lastEnd, f.lastEnd);
        f.expectKey = false;
      }
      return;
    }
    uint32_t end = f.lastEnd;
    if (f.flow) {
      // Include the closing bracket.
      size_t i = end;
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\n' || text_[i] == '\r' ||
                                  text_[i] == '\t' || text_[i] == ','))
        ++i;
      if (i < text_.size() && (text_[i] == ']' || text_[i] == '}'))
        end = static_cast<uint32_t>(i + 1);
    }
    builder_->close(end);
    frames_.pop_back();
    childDone(end);
  }

  const SourceFile& file_;
  std::string_view text_;
  const Limits& limits_;
  std::vector<std::unique_ptr<json::Document>>* out_;
  std::unique_ptr<json::TreeBuilder> builder_;
  std::vector<Frame> frames_;
  std::map<YAML::anchor_t, uint32_t> anchors_;
  size_t events_ = 0;
};

/// One event of the block reader, replayed into the Handler as yaml-cpp's would be.
struct Event {
  enum Kind : uint8_t {
    DocumentStart,
    DocumentEnd,
    MapStart,
    MapEnd,
    SeqStart,
    SeqEnd,
    Plain,
    Quoted,
    Null,  // a plain `~`, `null`, `Null` or `NULL`: yaml-cpp reports these as nulls, not scalars
  };
  Kind kind;
  uint32_t at;             // where yaml-cpp's mark points: the token's first byte
  std::string_view value;  // scalars: the text (into the source, or into BlockReader::unescaped_)
};

/// Reads the block subset of YAML (see blockSubset) into events, or says the
/// text leaves it: then nothing is used and yaml-cpp reads the whole stream.
/// Line by line: each content line continues the innermost open block at its
/// indentation, opens one below an entry whose value is still to come, or
/// closes the deeper ones first. Anything else (flow collections, anchors,
/// tags, block scalars, multi-line scalars, escapes, null by omission, empty
/// documents) is left to yaml-cpp.
class BlockReader {
 public:
  explicit BlockReader(std::string_view text) : t_(text) {}

  bool read(std::vector<Event>* out) {
    out_ = out;
    for (const unsigned char c : t_)
      if (c >= 0x80 || (c < 0x20 && c != '\n') || c == 0x7f) return false;
    size_t ls = 0;
    while (ls < t_.size()) {
      size_t le = t_.find('\n', ls);
      if (le == std::string_view::npos) le = t_.size();
      if (!line(static_cast<uint32_t>(ls), static_cast<uint32_t>(le))) return false;
      ls = le + 1;
    }
    return inDocument_ && endDocument();
  }

 private:
  struct Open {
    bool seq;
    uint32_t indent;
  };

  static bool space(char c) { return c == ' '; }
  void emit(Event::Kind kind, uint32_t at, std::string_view value = {}) {
    out_->push_back({kind, at, value});
  }
  // An entry's value that follows on the next lines (`key:` or `-` at the end of a line).
  bool pending_ = false;
  bool pendingInMap_ = false;
  uint32_t pendingIndent_ = 0;
  bool inDocument_ = false;
  bool hasRoot_ = false;

  bool endDocument() {
    if (pending_ || !hasRoot_) return false;  // null by omission, or an empty document
    while (!stack_.empty()) close();
    emit(Event::DocumentEnd, 0);
    inDocument_ = hasRoot_ = false;
    return true;
  }
  void close() {
    emit(stack_.back().seq ? Event::SeqEnd : Event::MapEnd, 0);
    stack_.pop_back();
  }
  bool restIsComment(uint32_t p, uint32_t le) const {
    uint32_t q = p;
    while (q < le && space(t_[q])) ++q;
    return q == le || (t_[q] == '#' && q > p);
  }

  bool line(uint32_t ls, uint32_t le) {
    uint32_t p = ls;
    while (p < le && space(t_[p])) ++p;
    if (p == le || t_[p] == '#') return true;  // blank or comment
    const uint32_t indent = p - ls;
    if (indent == 0 && t_.substr(p, 3) == "---") {
      if (!restIsComment(p + 3, le) || (p + 3 < le && !space(t_[p + 3]))) return false;
      if (inDocument_ && !endDocument()) return false;
      inDocument_ = true;
      emit(Event::DocumentStart, p);
      return true;
    }
    if (indent == 0 && (t_.substr(p, 3) == "..." || t_[p] == '%')) return false;
    if (!inDocument_) {
      inDocument_ = true;
      emit(Event::DocumentStart, p);
    }
    if (pending_) {
      const bool deeper = indent > pendingIndent_;
      const bool compactSequence = indent == pendingIndent_ && pendingInMap_ && entryDash(p, le);
      if (!deeper && !compactSequence) return false;  // the value is null: yaml-cpp's business
    } else {
      while (!stack_.empty() && stack_.back().indent > indent) close();
      if (stack_.empty() ? hasRoot_ : stack_.back().indent != indent) return false;
    }
    return content(p, le, indent, ls);
  }

  bool entryDash(uint32_t p, uint32_t le) const {
    return t_[p] == '-' && (p + 1 == le || space(t_[p + 1]));
  }
  // Opens a block at `column` where a value is pending (or at the document's root).
  bool opens() const { return pending_ || stack_.empty(); }

  bool content(uint32_t p, uint32_t le, uint32_t column, uint32_t ls) {
    if (entryDash(p, le)) {
      if (opens()) {
        emit(Event::SeqStart, p);
        stack_.push_back({true, column});
        pending_ = false;
        hasRoot_ = true;
      } else if (!stack_.back().seq) {
        return false;
      }
      uint32_t q = p + 1;
      while (q < le && space(t_[q])) ++q;
      if (q == le || t_[q] == '#') {
        pending_ = true;
        pendingInMap_ = false;
        pendingIndent_ = column;
        return true;
      }
      if (entryDash(q, le)) return false;  // `- - a`
      // The item's own content, on this line at its own column.
      pending_ = true;
      pendingInMap_ = false;
      pendingIndent_ = column;
      if (isKey(q, le)) return content(q, le, q - ls, ls);
      pending_ = false;
      return scalar(q, le);
    }
    if (!isKey(p, le)) return false;  // a scalar alone on its line (a root, or a continuation)
    if (!opens()) {
      Open& top = stack_.back();
      if (top.seq) {
        // `key:` then `- a` at the key's own indentation: that sequence ends here.
        if (stack_.size() < 2 || stack_[stack_.size() - 2].seq ||
            stack_[stack_.size() - 2].indent != column)
          return false;
        close();
      }
    } else {
      emit(Event::MapStart, p);
      stack_.push_back({false, column});
      pending_ = false;
      hasRoot_ = true;
    }
    uint32_t v = keyEnd_;
    emit(keyQuoted_ ? Event::Quoted : plainKind(keyText_), p, keyText_);
    while (v < le && space(t_[v])) ++v;
    if (v == le || t_[v] == '#') {
      pending_ = true;
      pendingInMap_ = true;
      pendingIndent_ = column;
      return true;
    }
    return scalar(v, le);
  }

  // A key at p: a plain or quoted scalar, then ':' and a space or the line's end.
  // Sets keyEnd_ past the ':' and keyText_.
  bool isKey(uint32_t p, uint32_t le) {
    const char c = t_[p];
    if (c == '"' || c == '\'') {
      uint32_t close = 0;
      if (!quoted(p, le, &close, &keyText_)) return false;
      uint32_t q = close;
      while (q < le && space(t_[q])) ++q;
      if (q >= le || t_[q] != ':' || !(q + 1 == le || space(t_[q + 1]))) return false;
      keyQuoted_ = true;
      keyEnd_ = q + 1;
      return true;
    }
    if (!plainFirst(p, le)) return false;
    for (uint32_t q = p; q < le; ++q) {
      if (t_[q] == '#' && q > p && space(t_[q - 1])) return false;
      if (t_[q] == ':' && (q + 1 == le || space(t_[q + 1]))) {
        uint32_t e = q;
        while (e > p && space(t_[e - 1])) --e;
        keyText_ = t_.substr(p, e - p);
        keyQuoted_ = false;
        keyEnd_ = q + 1;
        return true;
      }
    }
    return false;
  }

  static Event::Kind plainKind(std::string_view text) {
    return isPlainNull(text) ? Event::Null : Event::Plain;
  }

  // The first character of a plain scalar (YAML 1.2 ns-plain-first, block context).
  bool plainFirst(uint32_t p, uint32_t le) const {
    const char c = t_[p];
    if (c == '-' || c == '?' || c == ':') return p + 1 < le && !space(t_[p + 1]);
    return std::string_view(",[]{}#&*!|>'\"%@`").find(c) == std::string_view::npos;
  }

  // A value scalar from p to the end of the line (a comment may follow).
  bool scalar(uint32_t p, uint32_t le) {
    if (t_[p] == '"' || t_[p] == '\'') {
      uint32_t close = 0;
      std::string_view text;
      if (!quoted(p, le, &close, &text) || !restIsComment(close, le)) return false;
      if (close < le && t_[close] == '#') return false;  // `'a'#b`
      emit(Event::Quoted, p, text);
      return true;
    }
    if (!plainFirst(p, le)) return false;
    uint32_t end = p;
    for (uint32_t q = p; q < le; ++q) {
      const char c = t_[q];
      if (c == ':' && (q + 1 == le || space(t_[q + 1]))) return false;  // `a: b: c`
      if (c == '#' && space(t_[q - 1])) break;
      if (!space(c)) end = q + 1;
    }
    const std::string_view text = t_.substr(p, end - p);
    emit(plainKind(text), p, text);
    return true;
  }

  // A quoted scalar on one line: `'...'` ('' for ') or `"..."` without escapes.
  // `close` is past the closing quote.
  bool quoted(uint32_t p, uint32_t le, uint32_t* close, std::string_view* text) {
    const char q = t_[p];
    uint32_t i = p + 1;
    bool doubled = false;
    for (; i < le; ++i) {
      if (q == '"' && t_[i] == '\\') return false;
      if (t_[i] == q) {
        if (q == '\'' && i + 1 < le && t_[i + 1] == '\'') {
          doubled = true;
          ++i;
          continue;
        }
        break;
      }
    }
    if (i >= le) return false;  // runs onto the next line
    *close = i + 1;
    const std::string_view inner = t_.substr(p + 1, i - p - 1);
    if (!doubled) {
      *text = inner;
      return true;
    }
    std::string& s = unescaped_.emplace_back();
    for (size_t k = 0; k < inner.size(); ++k) {
      s += inner[k];
      if (inner[k] == '\'') ++k;
    }
    *text = s;
    return true;
  }

  std::string_view t_;
  std::vector<Event>* out_ = nullptr;
  std::vector<Open> stack_;
  std::deque<std::string> unescaped_;  // the events' texts that are not in the source
  uint32_t keyEnd_ = 0;
  std::string_view keyText_;
  bool keyQuoted_ = false;
};

/// yaml-cpp 0.7 loops forever on a document whose first token is a flow entry
/// (`,`). Find that case ourselves (found by fuzzing; see tests/yaml_test.cpp).
bool leadingFlowEntry(std::string_view s, uint32_t* offset) {
  size_t i = 0;
  bool documentStart = true;
  while (i < s.size()) {
    // At the start of a line: comments, blank lines and document markers.
    const size_t lineEnd = std::min(s.find('\n', i), s.size());
    std::string_view line = s.substr(i, lineEnd - i);
    size_t j = 0;
    while (j < line.size() && (line[j] == ' ' || line[j] == '\t' || line[j] == '\r')) ++j;
    if (line.substr(0, 3) == "---" || line.substr(0, 3) == "...") {
      documentStart = true;
      j = 3;
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
    }
    if (documentStart) {
      // Skip node properties (&anchor, !tag) before the first real token.
      while (j < line.size() && (line[j] == '&' || line[j] == '!')) {
        while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
        while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
      }
      if (j < line.size() && line[j] == ',') {
        *offset = static_cast<uint32_t>(i + j);
        return true;
      }
      if (j < line.size() && line[j] != '#' && line[j] != '%') documentStart = false;
    }
    i = lineEnd + 1;
  }
  return false;
}

}  // namespace

bool blockSubset(std::string_view text) {
  std::vector<Event> events;
  return BlockReader(text).read(&events);
}

bool parse(const SourceFile& file, const Limits& limits,
           std::vector<std::unique_ptr<json::Document>>* documents, json::ParseError* error,
           Reader reader) {
  std::string_view text = file.text();
  if (uint32_t at = 0; leadingFlowEntry(text, &at)) {
    error->offset = at;
    error->message = "a document cannot start with ',' (a flow entry outside [...] or {...})";
    return true;
  }
  std::vector<Event> events;
  BlockReader block(text);
  const bool inSubset = reader == Reader::Auto && block.read(&events);
  Handler handler(file, limits, documents);
  try {
    if (inSubset) {
      std::string value;
      auto mark = [](uint32_t at) {
        YAML::Mark m;
        m.pos = static_cast<int>(at);
        return m;
      };
      for (const Event& e : events) {
        switch (e.kind) {
          case Event::DocumentStart:
            handler.OnDocumentStart(mark(e.at));
            break;
          case Event::DocumentEnd:
            handler.OnDocumentEnd();
            break;
          case Event::MapStart:
            handler.OnMapStart(mark(e.at), "?", YAML::NullAnchor, YAML::EmitterStyle::Block);
            break;
          case Event::MapEnd:
            handler.OnMapEnd();
            break;
          case Event::SeqStart:
            handler.OnSequenceStart(mark(e.at), "?", YAML::NullAnchor, YAML::EmitterStyle::Block);
            break;
          case Event::SeqEnd:
            handler.OnSequenceEnd();
            break;
          case Event::Null:
            handler.OnNull(mark(e.at), YAML::NullAnchor);
            break;
          case Event::Plain:
          case Event::Quoted:
            value.assign(e.value);
            handler.OnScalar(mark(e.at), e.kind == Event::Plain ? "?" : "!", YAML::NullAnchor,
                             value);
            break;
        }
      }
      return false;
    }
    MemoryBuffer buffer(text);
    std::istream in(&buffer);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(handler)) {
    }
    return false;
  } catch (const LimitHit& hit) {
    error->offset = hit.offset;
    error->message = hit.message;
  } catch (const YAML::Exception& e) {
    error->offset = e.mark.pos >= 0 ? static_cast<uint32_t>(e.mark.pos) : 0;
    error->message = e.msg;
  } catch (const std::exception& e) {
    error->offset = 0;
    error->message = e.what();
  }
  error->offset = std::min<uint32_t>(error->offset, static_cast<uint32_t>(text.size()));
  return true;
}

}  // namespace lbcheck::yaml
