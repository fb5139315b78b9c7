// The oracle of lbcheck's JSON reader: simdjson On-Demand builds the same
// Document (nodes, members, spans, strings, numbers) that json::parse builds.
// Only the tests, the json fuzzer and the benchmarks link this file (library
// lbcheck_json_oracle): the lbcheck program does not load libsimdjson.
#include <simdjson.h>

#include <charconv>
#include <string>

#include "engine/json.h"

namespace lbcheck::json {

namespace od = simdjson::ondemand;

namespace {

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string describe(simdjson::error_code err, size_t maxDepth) {
  switch (err) {
    case simdjson::DEPTH_ERROR:
      return "nesting deeper than " + std::to_string(maxDepth) +
             " levels (raise the limit with --max-depth)";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8 byte sequence";
    case simdjson::EMPTY:
      return "the file is empty: expected a JSON value";
    case simdjson::CAPACITY:
      return "the document is too large to parse";
    default:
      return std::string("malformed JSON (") + simdjson::error_message(err) + ")";
  }
}

}  // namespace

class Builder {
 public:
  Builder(Document& doc, const char* base, size_t length, size_t maxDepth)
      : doc_(doc), base_(base), length_(length), maxDepth_(maxDepth) {}

  simdjson::error_code build(od::value value, size_t depth, uint32_t* out);

 private:
  uint32_t offsetOf(const char* p) const { return static_cast<uint32_t>(p - base_); }
  uint32_t trimmedEnd(std::string_view token) const {
    size_t n = token.size();
    while (n > 0 && isJsonSpace(token[n - 1])) --n;
    return offsetOf(token.data()) + static_cast<uint32_t>(n);
  }
  // Offset just past the closing bracket that follows `from`.
  uint32_t closeAfter(uint32_t from) const {
    size_t i = from;
    while (i < length_ && isJsonSpace(base_[i])) ++i;
    return static_cast<uint32_t>(i < length_ ? i + 1 : length_);
  }
  // Moves the members collected since `mark` into place, contiguous.
  void finishContainer(uint32_t index, Type type, size_t mark, uint32_t lastEnd) {
    Node& n = doc_.nodes_[index];
    n.type = type;
    n.first = static_cast<uint32_t>(doc_.members_.size());
    n.count = static_cast<uint32_t>(scratch_.size() - mark);
    n.end = closeAfter(lastEnd);
    doc_.members_.insert(doc_.members_.end(), scratch_.begin() + static_cast<long>(mark),
                         scratch_.end());
    scratch_.resize(mark);
  }
  uint32_t addString(std::string_view s) {
    const auto off = static_cast<uint32_t>(doc_.strings_.size());
    doc_.strings_.append(s);
    return off;
  }
  uint32_t keyEnd(const char* afterQuote) const {
    size_t i = offsetOf(afterQuote);
    while (i < length_ && base_[i] != '"') i += (base_[i] == '\\') ? 2 : 1;
    return static_cast<uint32_t>(i < length_ ? i + 1 : length_);
  }

  Document& doc_;
  const char* base_;
  size_t length_;
  size_t maxDepth_;
  std::vector<Member> scratch_;
};

simdjson::error_code Builder::build(od::value value, size_t depth, uint32_t* out) {
  if (depth > maxDepth_) return simdjson::DEPTH_ERROR;
  const std::string_view token = value.raw_json_token();
  od::json_type type;
  if (auto err = value.type().get(type)) return err;

  const auto index = static_cast<uint32_t>(doc_.nodes_.size());
  doc_.nodes_.emplace_back();
  *out = index;
  const uint32_t begin = offsetOf(token.data());
  doc_.nodes_[index].begin = begin;

  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto err = value.get_object().get(object)) return err;
      const size_t mark = scratch_.size();
      uint32_t lastEnd = begin + 1;
      for (auto field : object) {
        od::raw_json_string rawKey;
        if (auto err = field.key().get(rawKey)) return err;
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) return err;
        Member m;
        m.keyLength = static_cast<uint32_t>(key.size());
        const uint32_t keyBegin = offsetOf(rawKey.raw()) - 1;
        const uint32_t end = keyEnd(rawKey.raw());
        // Unescaped as written (no escapes): point into the source.
        m.keyOffset = end - keyBegin == m.keyLength + 2 && base_[end - 1] == '"'
                          ? (keyBegin + 1) | Document::kInSource
                          : doc_.arenaKey(key, keyBegin, end);
        uint32_t child = 0;
        if (auto err = build(field.value(), depth + 1, &child)) return err;
        m.value = child;
        lastEnd = doc_.nodes_[child].end;
        scratch_.push_back(m);
      }
      finishContainer(index, Type::Object, mark, lastEnd);
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto err = value.get_array().get(array)) return err;
      const size_t mark = scratch_.size();
      uint32_t lastEnd = begin + 1;
      for (auto element : array) {
        od::value v;
        if (auto err = element.get(v)) return err;
        uint32_t child = 0;
        if (auto err = build(v, depth + 1, &child)) return err;
        Member m;
        m.value = child;
        lastEnd = doc_.nodes_[child].end;
        scratch_.push_back(m);
      }
      finishContainer(index, Type::Array, mark, lastEnd);
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto err = value.get_string().get(s)) return err;
      Node& n = doc_.nodes_[index];
      n.type = Type::String;
      n.count = static_cast<uint32_t>(s.size());
      n.end = trimmedEnd(token);
      // Unescaped as written (no escapes): point into the source.
      n.first = n.end - n.begin == n.count + 2 && base_[n.end - 1] == '"'
                    ? (n.begin + 1) | Document::kInSource
                    : addString(s);
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      Node& n = doc_.nodes_[index];
      n.type = Type::Number;
      n.end = trimmedEnd(token);
      double d = 0;
      if (auto err = value.get_double().get(d)) {
        // Out-of-range numbers are still numbers; keep the text, clamp the value.
        if (err != simdjson::NUMBER_ERROR) return err;
        const char* first = base_ + n.begin;
        auto res = std::from_chars(first, base_ + n.end, d);
        if (res.ec != std::errc() && res.ec != std::errc::result_out_of_range) return err;
      }
      doc_.nodes_[index].first = static_cast<uint32_t>(doc_.numbers_.size());
      doc_.numbers_.push_back(d);
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (auto err = value.get_bool().get(b)) return err;
      Node& n = doc_.nodes_[index];
      n.type = Type::Bool;
      n.boolean = b;
      n.end = trimmedEnd(token);
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool isNull = false;
      if (auto err = value.is_null().get(isNull)) return err;
      if (!isNull) return simdjson::N_ATOM_ERROR;
      Node& n = doc_.nodes_[index];
      n.type = Type::Null;
      n.end = trimmedEnd(token);
      return simdjson::SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;
}

std::unique_ptr<Document> parseWithSimdjson(const SourceFile& file, const Limits& limits,
                                            ParseError* error) {
  const std::string_view text = file.text();
  const uint32_t from = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  const std::string_view body = text.substr(from);
  auto fail = [&](uint32_t offset, std::string message) -> std::unique_ptr<Document> {
    failAt(body, from, offset, std::move(message), limits.maxDepth, error);
    return nullptr;
  };
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: files are read
  // with that much spare capacity and parsed in place; anything else is copied.
  simdjson::padded_string copy;
  simdjson::padded_string_view padded;
  if (text.size() + simdjson::SIMDJSON_PADDING <= file.capacity()) {
    padded = simdjson::padded_string_view(body.data(), body.size(), file.capacity() - from);
  } else {
    copy = simdjson::padded_string(body);
    padded = simdjson::padded_string_view(copy.data(), copy.size(),
                                          copy.size() + simdjson::SIMDJSON_PADDING);
  }
  od::parser parser;
  if (parser.allocate(padded.size() + 1, limits.maxDepth + 2) != simdjson::SUCCESS)
    return fail(0, "cannot allocate the JSON parser");
  od::document doc;
  if (auto err = parser.iterate(padded).get(doc)) return fail(0, describe(err, limits.maxDepth));

  auto result = Document::create(file, body.size());
  // Offsets are relative to the padded copy: shift them back onto the file.
  Builder builder(*result, padded.data(), padded.size(), limits.maxDepth);
  od::value root;
  uint32_t rootIndex = 0;
  simdjson::error_code err = doc.get_value().get(root);
  if (err == simdjson::SCALAR_DOCUMENT_AS_VALUE) {
    return fail(0, "a JSON document must be an object or an array here");
  }
  if (!err) err = builder.build(root, 1, &rootIndex);
  if (!err) {
    size_t i = result->nodes_[rootIndex].end;
    while (i < padded.size() && isJsonSpace(padded.data()[i])) ++i;
    if (i < padded.size()) err = simdjson::TRAILING_CONTENT;
  }
  if (err) {
    const char* at = nullptr;
    uint32_t offset = 0;
    if (doc.current_location().get(at) == simdjson::SUCCESS)
      offset = static_cast<uint32_t>(at - padded.data());
    return fail(offset, describe(err, limits.maxDepth));
  }
  // Offsets are relative to the text after the byte-order mark: shift them back.
  result->shift(from);
  return result;
}

}  // namespace lbcheck::json
