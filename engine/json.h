// A JSON value tree in which every node keeps its exact byte span.
//
// Built in one pass by lbcheck's own reader (the tree is one flat array of
// nodes), so positions stay exact in pretty-printed and in one-line documents.
// simdjson On-Demand builds the same tree (parseWithSimdjson): the tests and the
// json fuzzer compare the two. The own reader needs no structural index beside
// the tree (on a 100 MB plan, about 80 MB less at the peak) and is a little
// faster (bench/RESULTS.md, issue 16); it also refuses `01` and `1.`, which are
// not JSON and which simdjson's number parsing let through.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/source.h"

namespace lbcheck::json {

enum class Type : uint8_t { Null, Bool, Number, String, Array, Object };

struct Node {
  // 20 bytes: a 100 MB plan holds millions of them.
  Type type = Type::Null;
  bool boolean = false;
  uint32_t begin = 0;  // byte offsets in the source file
  uint32_t end = 0;
  /// String: offset in the string arena; Array/Object: first member; Number:
  /// index of its value in the document's numbers.
  uint32_t first = 0;
  uint32_t count = 0;  // String: length; Array/Object: number of members
};

/// An object's member or an array's element (no key). 12 bytes: a 100 MB plan
/// holds millions of them, so the key's span is not stored when it can be
/// worked out (Document::keySpan).
struct Member {
  /// kInSource | offset: the key is the text between the quotes of the token
  /// "key" in the source (JSON without escapes), its span that token. Else an
  /// offset in the string arena, where the key's span (two uint32_t: begin,
  /// end) is written just before its text.
  uint32_t keyOffset = 0;
  uint32_t keyLength = 0;
  uint32_t value = 0;  // node index
};

class Document;

/// Large arrays (the nodes of a 100 MB plan) on transparent huge pages: one page
/// fault per 2 MiB instead of per 4 KiB. Small ones come from the heap.
void* allocateLarge(size_t bytes);
void freeLarge(void* p, size_t bytes);
template <typename T>
struct LargeAllocator {
  using value_type = T;
  LargeAllocator() = default;
  template <typename U>
  LargeAllocator(const LargeAllocator<U>&) {}  // NOLINT: rebinding
  T* allocate(size_t n) { return static_cast<T*>(allocateLarge(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { freeLarge(p, n * sizeof(T)); }
  friend bool operator==(const LargeAllocator&, const LargeAllocator&) { return true; }
};

/// A cheap handle on one node. A default-constructed Value is "missing".
class Value {
 public:
  Value() = default;
  Value(const Document* doc, uint32_t index) : doc_(doc), index_(index) {}

  bool exists() const { return doc_ != nullptr; }
  explicit operator bool() const { return exists(); }
  Type type() const;
  bool isNull() const { return exists() && type() == Type::Null; }
  bool isString() const { return exists() && type() == Type::String; }
  bool isNumber() const { return exists() && type() == Type::Number; }
  bool isBool() const { return exists() && type() == Type::Bool; }
  bool isObject() const { return exists() && type() == Type::Object; }
  bool isArray() const { return exists() && type() == Type::Array; }

  std::string_view str() const;      // "" unless a string
  double number() const;             // 0 unless a number
  bool boolean() const;              // false unless a bool
  std::string_view rawText() const;  // the source bytes of this value
  /// A scalar as text: strings unescaped, numbers as written ("80", "1.5"),
  /// booleans "true"/"false"; "" for null, objects and arrays.
  std::string text() const;
  Span span() const;

  /// Object member by key; missing Value when absent or not an object.
  Value get(std::string_view key) const;
  /// Span of the key token for `key` (invalid span if absent).
  Span keySpan(std::string_view key) const;
  /// Array element; missing Value when out of range or not an array.
  Value at(size_t i) const;
  size_t size() const;  // members of an object or array, else 0

  /// Iterate object members: f(key, value).
  template <typename F>
  void forEachMember(F&& f) const;
  /// Iterate array elements: f(index, value).
  template <typename F>
  void forEachElement(F&& f) const;

  const Document* document() const { return doc_; }
  uint32_t index() const { return index_; }

 private:
  const Document* doc_ = nullptr;
  uint32_t index_ = 0;
};

struct ParseError {
  uint32_t offset = 0;
  std::string message;
};

struct Limits {
  size_t maxDepth = 512;
  /// A scalar is a whole document too (a piece of one: parseRange of a
  /// member's value). A file's document must be an object or an array.
  bool scalarRoot = false;
};

class Document {
 public:
  Value root() const { return nodes_.empty() ? Value() : Value(this, 0); }
  uint32_t fileId() const { return fileId_; }
  size_t nodeCount() const { return nodes_.size(); }

  const Node& node(uint32_t i) const { return nodes_[i]; }
  const Member& member(uint32_t i) const { return members_[i]; }
  /// Strings without escapes are not copied: their offset has kInSource set and
  /// points into the source text.
  static constexpr uint32_t kInSource = 0x80000000u;
  std::string_view arena(uint32_t off, uint32_t len) const {
    if (off & kInSource) return std::string_view(source_.data() + (off & ~kInSource), len);
    return std::string_view(strings_.data() + off, len);
  }
  std::string_view source() const { return source_; }
  /// A member's key, as unescaped text.
  std::string_view key(const Member& m) const { return arena(m.keyOffset, m.keyLength); }
  /// Where a member's key is written in the source (quotes included for JSON).
  Span keySpan(const Member& m) const;
  double number(uint32_t i) const { return i < numbers_.size() ? numbers_[i] : 0.0; }

 private:
  friend class Builder;  // the simdjson oracle (engine/json_simdjson.cpp)
  friend class TreeBuilder;
  friend class JsonReader;
  friend std::unique_ptr<Document> parseRange(const SourceFile&, uint32_t, uint32_t, const Limits&,
                                              ParseError*);
  friend std::unique_ptr<Document> parseWithSimdjson(const SourceFile&, const Limits&, ParseError*);
  /// An empty document of `file`, its arrays sized for `bytes` of JSON.
  static std::unique_ptr<Document> create(const SourceFile& file, size_t bytes);
  /// Moves every offset `bias` bytes on (a reader read the text from there).
  void shift(uint32_t bias);
  /// Writes a key that is not the quoted text at [begin + 1, end - 1) of the
  /// source into the arena, after its span; returns its Member::keyOffset.
  uint32_t arenaKey(std::string_view key, uint32_t begin, uint32_t end);
  /// The span written before an arena key (arenaKey).
  static constexpr size_t kKeySpanBytes = 2 * sizeof(uint32_t);
  uint32_t fileId_ = Span::kNoFile;
  std::string_view source_;  // the whole file; owned by the SourceFile
  std::vector<Node, LargeAllocator<Node>> nodes_;
  std::vector<Member, LargeAllocator<Member>> members_;
  std::string strings_;
  std::vector<double> numbers_;  // Node::first of a Number
};

/// Builds a Document from another reader's events (YAML). Containers are
/// opened and closed in document order; a node may be attached twice (YAML
/// aliases share the node instead of copying it).
class TreeBuilder {
 public:
  TreeBuilder(uint32_t fileId, std::string_view source);
  /// A scalar; `text` is stored for strings (and kept for other types too).
  uint32_t scalar(Type type, uint32_t begin, uint32_t end, std::string_view text, double number,
                  bool boolean);
  /// Opens an object or array; its children follow until close().
  uint32_t open(Type type, uint32_t begin);
  void close(uint32_t end);
  /// Sets the key for the next child of the innermost object.
  void key(std::string_view key, uint32_t keyBegin, uint32_t keyEnd);
  /// Attaches an existing node (an alias) as the next child.
  void attach(uint32_t node);
  size_t nodeCount() const;
  size_t depth() const { return frames_.size(); }
  std::unique_ptr<Document> finish();

 private:
  void add(uint32_t node);
  std::unique_ptr<Document> doc_;
  struct Frame {
    uint32_t node;
    size_t mark;
  };
  std::vector<Frame> frames_;
  std::vector<Member> scratch_;
  Member pending_;
  bool hasKey_ = false;
};

/// Parses `file` (which must outlive the Document). A UTF-8 byte-order mark is
/// skipped. On failure returns null and fills `error` with a located message.
std::unique_ptr<Document> parse(const SourceFile& file, const Limits& limits, ParseError* error);

/// Parses the bytes [from, to) of `file` as one JSON document (offsets stay
/// offsets into the file).
std::unique_ptr<Document> parseRange(const SourceFile& file, uint32_t from, uint32_t to,
                                     const Limits& limits, ParseError* error);

/// Parses a file holding several JSON values one after another (newline-
/// delimited JSON, concatenated objects). Values before an error are kept;
/// returns true when there was an error.
bool parseMany(const SourceFile& file, const Limits& limits,
               std::vector<std::unique_ptr<Document>>* documents, ParseError* error);

/// The same document as parse() gives, built by simdjson On-Demand: the oracle
/// of the tests and the json fuzzer. Defined in engine/json_simdjson.cpp, which
/// only they link (library lbcheck_json_oracle): lbcheck itself does not load
/// libsimdjson.
std::unique_ptr<Document> parseWithSimdjson(const SourceFile& file, const Limits& limits,
                                            ParseError* error);

/// Fills `error` for a reader that stopped at `offset` of `body` (which starts
/// `bias` bytes into its file) saying `message`: findSyntaxError's more precise
/// answer wins when it has one.
void failAt(std::string_view body, uint32_t bias, uint32_t offset, std::string message,
            size_t maxDepth, ParseError* error);

/// What a skim found out about one JSON value without building its tree: where
/// it is and, for the containers the caller asked to open, its members
/// (objects) or elements (arrays), each skimmed in turn. A large plan is read
/// this way first, then a piece at a time (parsers/tfplan).
struct Skim {
  /// Object or Array for a container; String, Number, Bool or Null for a
  /// scalar, judged by its first byte (the parse checks the rest).
  Type type = Type::Null;
  uint32_t begin = 0;  // byte offsets in the file
  uint32_t end = 0;
  bool opened = false;  // `children` lists the members or elements
  /// The member's key (its text between the quotes) when this is an object's
  /// member; empty for an array element and the skimmed value itself.
  std::string_view key;
  /// Object members or array elements, in order.
  std::vector<Skim> children;
};

/// Skims the one JSON value in text[from, to) (whitespace around it allowed).
/// `open` is asked about each container on the way down, with the keys that
/// lead to it ("[]" for an array element); the containers it says yes to are
/// opened (their children listed), the others skipped. A skim follows strings
/// and counts brackets, nothing more: each piece's syntax is checked when it is
/// parsed (parseRange with the limit less the piece's depth). False when the
/// text is visibly not one value, a key holds an escape, or an opened container
/// is nested deeper than `maxDepth` (keys of plain ASCII only, as nothing else
/// reads them): then the caller parses the text whole,
/// which says what is wrong.
bool skim(std::string_view text, uint32_t from, uint32_t to, size_t maxDepth,
          const std::function<bool(const std::vector<std::string_view>& path)>& open, Skim* out);

/// Describes the first syntax error of `text` precisely (slow path, used only
/// after a failure). Returns false when the text is well-formed JSON.
bool findSyntaxError(std::string_view text, size_t maxDepth, ParseError* error);

template <typename F>
void Value::forEachMember(F&& f) const {
  if (!isObject()) return;
  const Node& n = doc_->node(index_);
  for (uint32_t i = 0; i < n.count; ++i) {
    const Member& m = doc_->member(n.first + i);
    f(doc_->key(m), Value(doc_, m.value));
  }
}

template <typename F>
void Value::forEachElement(F&& f) const {
  if (!isArray()) return;
  const Node& n = doc_->node(index_);
  for (uint32_t i = 0; i < n.count; ++i) {
    f(static_cast<size_t>(i), Value(doc_, doc_->member(n.first + i).value));
  }
}

}  // namespace lbcheck::json
