#include <gtest/gtest.h>

#include <filesystem>

#include "engine/json.h"
#include "helpers.h"

namespace json = lbcheck::json;
using lbcheck::SourceFile;

namespace {
std::unique_ptr<json::Document> parse(const SourceFile& f, json::ParseError* err = nullptr) {
  json::ParseError local;
  return json::parse(f, json::Limits{}, err ? err : &local);
}
}  // namespace

TEST(JsonReader, EveryValueKeepsItsExactSpan) {
  SourceFile f(0, "a", R"({"a": [1, "x\"y", true, null], "b": {"c": -2.5e3}})");
  auto doc = parse(f);
  ASSERT_TRUE(doc);
  auto a = doc->root().get("a");
  EXPECT_EQ(a.rawText(), R"([1, "x\"y", true, null])");
  EXPECT_EQ(a.at(1).rawText(), R"("x\"y")");
  EXPECT_EQ(a.at(1).str(), "x\"y");
  EXPECT_EQ(a.at(2).rawText(), "true");
  EXPECT_TRUE(a.at(3).isNull());
  EXPECT_EQ(doc->root().get("b").get("c").rawText(), "-2.5e3");
  EXPECT_DOUBLE_EQ(doc->root().get("b").get("c").number(), -2500.0);
  EXPECT_EQ(doc->root().rawText(), f.text());
}

TEST(JsonReader, KeySpansCoverTheQuotedKey) {
  SourceFile f(0, "a", R"({ "key" : 1 })");
  auto doc = parse(f);
  ASSERT_TRUE(doc);
  const auto span = doc->root().keySpan("key");
  EXPECT_EQ(f.text().substr(span.begin, span.end - span.begin), "\"key\"");
}

// A key without escapes is read in place and its span worked out; one with
// escapes is copied with its span. Both stay file offsets after a byte-order
// mark and in the second of two concatenated documents.
TEST(JsonReader, KeySpansOfPlainAndEscapedKeysAreFileOffsets) {
  const std::string text = "\xEF\xBB\xBF{\"k\\u00e9y\": 1, \"\": 2, \"plain\": [3]}";
  SourceFile f(0, "a", text);
  auto doc = parse(f);
  ASSERT_TRUE(doc);
  auto quoted = [&](const lbcheck::Span& s) { return text.substr(s.begin, s.end - s.begin); };
  EXPECT_EQ(quoted(doc->root().keySpan("k\xC3\xA9y")), "\"k\\u00e9y\"");
  EXPECT_EQ(quoted(doc->root().keySpan("")), "\"\"");
  EXPECT_EQ(quoted(doc->root().keySpan("plain")), "\"plain\"");
  EXPECT_EQ(doc->root().get("k\xC3\xA9y").rawText(), "1");

  const std::string two = "{\"a\": 1}\n{\"\\u0062\": 2, \"c\": 3}";
  SourceFile g(0, "b", two);
  std::vector<std::unique_ptr<json::Document>> docs;
  json::ParseError err;
  ASSERT_FALSE(json::parseMany(g, json::Limits{}, &docs, &err)) << err.message;
  ASSERT_EQ(docs.size(), 2u);
  const lbcheck::Span b = docs[1]->root().keySpan("b");
  EXPECT_EQ(two.substr(b.begin, b.end - b.begin), "\"\\u0062\"");
  const lbcheck::Span c = docs[1]->root().keySpan("c");
  EXPECT_EQ(two.substr(c.begin, c.end - c.begin), "\"c\"");
}

TEST(JsonReader, UnescapesUnicodeEscapesLikeTerraformWritesThem) {
  // terraform show -json escapes < and > as \u003c and \u003e.
  SourceFile f(0, "a", R"({"m": "\u003cservice\u003e.example.com"})");
  auto doc = parse(f);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().get("m").str(), "<service>.example.com");
}

TEST(JsonReader, SkipsAUtf8ByteOrderMarkAndKeepsFileOffsets) {
  SourceFile f(0, "a", "\xEF\xBB\xBF{\"a\": 1}");
  auto doc = parse(f);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().get("a").span().begin, 9u);
  EXPECT_EQ(doc->root().get("a").rawText(), "1");
}

TEST(JsonReader, ReportsTheOffsetOfAMissingComma) {
  SourceFile f(0, "a", "{\n  \"a\": 1\n  \"b\": 2\n}");
  json::ParseError err;
  EXPECT_FALSE(parse(f, &err));
  EXPECT_EQ(f.locate(err.offset).line, 3u);
  EXPECT_EQ(f.locate(err.offset).column, 3u);
  EXPECT_EQ(err.message, "expected ',' or '}' after an object member");
}

TEST(JsonReader, ReportsTrailingText) {
  SourceFile f(0, "a", "{} x");
  json::ParseError err;
  EXPECT_FALSE(parse(f, &err));
  EXPECT_EQ(err.offset, 3u);
  EXPECT_EQ(err.message, "unexpected text after the end of the JSON document");
}

TEST(JsonReader, ReportsAnUnterminatedStringAtItsStart) {
  SourceFile f(0, "a", "{\"a\": \"abc");
  json::ParseError err;
  EXPECT_FALSE(parse(f, &err));
  EXPECT_EQ(err.offset, 6u);
  EXPECT_EQ(err.message, "unterminated string");
}

TEST(JsonReader, ReportsInvalidUtf8WhereItIs) {
  SourceFile f(0, "a", "{\"a\": \"ok \xC3\x28\"}");
  json::ParseError err;
  EXPECT_FALSE(parse(f, &err));
  EXPECT_EQ(err.offset, 10u);
  EXPECT_EQ(err.message, "invalid UTF-8 byte sequence");
}

TEST(JsonReader, RefusesNestingDeeperThanTheLimitWithoutCrashing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  SourceFile f(0, "a", deep);
  json::ParseError err;
  EXPECT_FALSE(parse(f, &err));
  EXPECT_NE(err.message.find("nesting deeper than 512"), std::string::npos) << err.message;
  EXPECT_EQ(err.offset, 512u);
}

TEST(JsonReader, ReportsAnEmptyFile) {
  SourceFile f(0, "a", "  \n");
  json::ParseError err;
  EXPECT_FALSE(parse(f, &err));
  EXPECT_EQ(err.message, "the file is empty: expected a JSON value");
}

TEST(JsonReader, ReportsNulBytes) {
  SourceFile f(0, "a", std::string("{\"a\":\0}", 7));
  json::ParseError err;
  EXPECT_FALSE(parse(f, &err));
  EXPECT_EQ(err.offset, 5u);
}

TEST(JsonReader, LastDuplicateKeyWins) {
  SourceFile f(0, "a", R"({"a": 1, "a": 2})");
  auto doc = parse(f);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root().get("a").rawText(), "2");
}

TEST(JsonReader, MissingMembersAreMissingValues) {
  SourceFile f(0, "a", R"({"a": [1]})");
  auto doc = parse(f);
  ASSERT_TRUE(doc);
  EXPECT_FALSE(doc->root().get("nope").exists());
  EXPECT_FALSE(doc->root().get("a").at(5).exists());
  EXPECT_FALSE(doc->root().get("nope").get("deeper").at(0).exists());
}

namespace {
// One reader's view of a text: the document, node for node, or the error.
enum class Reader { Own, Simdjson };
std::string readWith(const SourceFile& f, Reader reader) {
  json::ParseError err;
  auto doc = reader == Reader::Own ? json::parse(f, json::Limits{}, &err)
                                   : json::parseWithSimdjson(f, json::Limits{}, &err);
  if (!doc) return "error@" + std::to_string(err.offset) + " " + err.message;
  return lbcheck::testing::describeDocument(*doc);
}
}  // namespace

// lbcheck's own reader and simdjson give the same documents (types, spans,
// strings, numbers, keys) on every JSON file of the fixtures and examples.
TEST(JsonReader, OwnReaderAgreesWithSimdjsonOnEveryFixture) {
  namespace fs = std::filesystem;
  size_t files = 0;
  for (const char* top : {"fixtures", "examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(LBCHECK_SOURCE_DIR) / top)) {
      if (!e.is_regular_file() || e.path().extension() != ".json") continue;
      SourceFile f(0, e.path().string(), lbcheck::testing::readText(e.path().string()));
      ++files;
      EXPECT_EQ(readWith(f, Reader::Own), readWith(f, Reader::Simdjson)) << e.path();
    }
  }
  EXPECT_GT(files, 300u);
}

// The corners of the grammar both readers must agree on.
TEST(JsonReader, OwnReaderAgreesWithSimdjsonOnEscapesNumbersAndErrors) {
  for (const char* text :
       {R"({"a": "x\"y\\z\/\b\f\n\r\t", "\u00e9t\u00E9": "\ud83d\ude00", "k\u0000": 1})",
        R"([0, -0, 1.5, -2.5e3, 1E+2, 12345678901234567890123, 1e-320, 1e400, -1e400, 0.1])",
        "{\"caf\xc3\xa9\": \"na\xc3\xafve\", \"e\": [], \"o\": {}, \"n\": null, \"t\": true}",
        "  [1, [2, [3, {\"a\": [4]}]]]  \n",
        "",
        "   ",
        "1",
        "\"s\"",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "[-]",
        "[tru]",
        "[nul]",
        "{\"a\": 1} x",
        "[\"\\x\"]",
        "[\"a\nb\"]",
        "[\"\\ud800\"]",
        "[\"\\udc00\"]",
        "[\"\\ud800\\u0041\"]",
        "[\"\xff\"]",
        "{\"a\":1,}",
        "[1 2]",
        "{\"a\":{\"b\":{\"c\":[true,false,null]}}}"}) {
    SourceFile f(0, "t.json", text);
    const std::string own = readWith(f, Reader::Own);
    const std::string oracle = readWith(f, Reader::Simdjson);
    // Both fail or both succeed; when both succeed, the documents are the same.
    EXPECT_EQ(own.rfind("error@", 0) == 0, oracle.rfind("error@", 0) == 0) << text << "\n"
                                                                           << own << "\n"
                                                                           << oracle;
    if (oracle.rfind("error@", 0) != 0) {
      EXPECT_EQ(own, oracle) << text;
    }
  }
  // Numbers JSON does not allow, which simdjson's number fallback let through
  // as numbers: the own reader says where they stop being JSON.
  for (const auto& [text, expected] :
       {std::pair{"[01]", "error@2 expected ',' or ']' after an array element"},
        std::pair{"[1.]", "error@3 invalid number: digits expected after '.'"}}) {
    SourceFile f(0, "t.json", text);
    EXPECT_EQ(readWith(f, Reader::Own), expected);
  }
}
