#include <gtest/gtest.h>

#include "engine/json.h"

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
