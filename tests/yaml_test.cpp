#include <gtest/gtest.h>

#include "parsers/yaml/yaml.h"

namespace json = lbcheck::json;
using lbcheck::SourceFile;

namespace {
std::vector<std::unique_ptr<json::Document>> parse(const SourceFile& f,
                                                   json::ParseError* err = nullptr,
                                                   lbcheck::yaml::Limits limits = {}) {
  std::vector<std::unique_ptr<json::Document>> docs;
  json::ParseError local;
  lbcheck::yaml::parse(f, limits, &docs, err ? err : &local);
  return docs;
}
std::string_view at(const SourceFile& f, json::Value v) {
  return f.text().substr(v.span().begin, v.span().end - v.span().begin);
}
}  // namespace

TEST(YamlReader, ScalarTypesFollowTheCoreSchemaAndKeepStringsThatLookLikeNumbers) {
  SourceFile f(0, "a",
               "portRange: 80-80\nIPAddress: 10.1.2.99\nid: '8901234567890123456'\n"
               "timeoutSec: 30\nenabled: true\nempty:\nname: \"quoted\"\n");
  auto docs = parse(f);
  ASSERT_EQ(docs.size(), 1u);
  auto r = docs[0]->root();
  EXPECT_EQ(r.get("portRange").type(), json::Type::String);
  EXPECT_EQ(r.get("portRange").str(), "80-80");
  EXPECT_EQ(r.get("IPAddress").str(), "10.1.2.99");
  EXPECT_EQ(r.get("id").type(), json::Type::String);
  EXPECT_EQ(r.get("timeoutSec").type(), json::Type::Number);
  EXPECT_EQ(r.get("timeoutSec").number(), 30);
  EXPECT_TRUE(r.get("enabled").boolean());
  EXPECT_TRUE(r.get("empty").isNull());
  EXPECT_EQ(r.get("name").text(), "quoted");
}

TEST(YamlReader, SpansPointAtTheValueTokens) {
  SourceFile f(0, "a", "a:\n  b: hello world  # comment\n  c: 'x y'\n  d: [1, two]\n");
  auto docs = parse(f);
  ASSERT_EQ(docs.size(), 1u);
  auto a = docs[0]->root().get("a");
  EXPECT_EQ(at(f, a.get("b")), "hello world");
  EXPECT_EQ(at(f, a.get("c")), "'x y'");
  EXPECT_EQ(at(f, a.get("d")), "[1, two]");
  EXPECT_EQ(at(f, a.get("d").at(1)), "two");
  const auto k = a.keySpan("c");
  EXPECT_EQ(f.text().substr(k.begin, k.end - k.begin), "c");
  EXPECT_EQ(f.locate(a.get("c").span().begin).line, 3u);
  EXPECT_EQ(f.locate(a.get("c").span().begin).column, 6u);
}

TEST(YamlReader, ReadsEveryDocumentOfAStream) {
  SourceFile f(0, "a", "---\nname: one\n---\nname: two\n");
  auto docs = parse(f);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1]->root().get("name").str(), "two");
  EXPECT_EQ(f.locate(docs[1]->root().get("name").span().begin).line, 4u);
}

TEST(YamlReader, AliasesShareTheAnchoredNode) {
  SourceFile f(0, "a", "base: &b {x: 1}\ncopy: *b\n");
  auto docs = parse(f);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]->root().get("copy").get("x").number(), 1);
}

TEST(YamlReader, AliasBombStaysSmall) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 30; ++i)
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
            ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + "]\n";
  SourceFile f(0, "a", bomb);
  auto docs = parse(f);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_LT(docs[0]->nodeCount(), 500u);
}

TEST(YamlReader, SyntaxErrorIsLocated) {
  SourceFile f(0, "a", "a: 1\nb: [1, 2\nc: 3\n");
  json::ParseError err;
  parse(f, &err);
  EXPECT_FALSE(err.message.empty());
  EXPECT_GE(f.locate(err.offset).line, 2u);
}

TEST(YamlReader, DeepNestingIsRefusedWithoutCrashing) {
  SourceFile f(0, "a", std::string(100000, '[') + std::string(100000, ']'));
  json::ParseError err;
  parse(f, &err);
  EXPECT_FALSE(err.message.empty());
}

TEST(YamlReader, NestingLimitIsConfigurable) {
  SourceFile f(0, "a", "a: {b: {c: {d: 1}}}\n");
  json::ParseError err;
  lbcheck::yaml::Limits limits;
  limits.maxDepth = 2;
  parse(f, &err, limits);
  EXPECT_NE(err.message.find("nesting deeper than 2"), std::string::npos) << err.message;
}

// Regression (found by the yaml fuzzer): yaml-cpp 0.7 never returns on a document
// whose first token is ','. lbcheck must report it instead of hanging.
TEST(YamlReader, DocumentStartingWithACommaIsAnErrorNotAHang) {
  for (const char* text : {",a", "  ,a: b", "# comment\n,a", "---\n,a", "a: 1\n---\n&x ,b",
                           ",.6\xff"
                           "O\0Na\xff"
                           "0\xff"
                           "e: NULLO\0Na"}) {
    SourceFile f(0, "a", text);
    json::ParseError err;
    parse(f, &err);
    EXPECT_NE(err.message.find("cannot start with ','"), std::string::npos) << text;
  }
}

TEST(YamlReader, CommasElsewhereAreFine) {
  SourceFile f(0, "a", "a: b,c\nd: [1, 2]\n");
  json::ParseError err;
  auto docs = parse(f, &err);
  EXPECT_TRUE(err.message.empty());
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]->root().get("a").str(), "b,c");
}
