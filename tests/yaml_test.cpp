#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "helpers.h"
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

namespace {
std::string readBoth(const SourceFile& f, lbcheck::yaml::Reader reader) {
  std::vector<std::unique_ptr<json::Document>> docs;
  json::ParseError err;
  const bool failed = lbcheck::yaml::parse(f, {}, &docs, &err, reader);
  std::string out = failed ? "error@" + std::to_string(err.offset) + " " + err.message + "\n" : "";
  for (const auto& d : docs) out += "---\n" + lbcheck::testing::describeDocument(*d);
  return out;
}
}  // namespace

// The block reader and yaml-cpp give the same documents on every YAML file of
// the project's fixtures and examples, and the block reader takes most of them.
TEST(YamlReader, BlockReaderAgreesWithYamlCppOnEveryFixture) {
  namespace fs = std::filesystem;
  size_t files = 0, taken = 0;
  for (const char* top : {"fixtures", "examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(LBCHECK_SOURCE_DIR) / top)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      SourceFile f(0, e.path().string(), text);
      ++files;
      if (!lbcheck::yaml::blockSubset(text)) continue;
      ++taken;
      EXPECT_EQ(readBoth(f, lbcheck::yaml::Reader::Auto),
                readBoth(f, lbcheck::yaml::Reader::YamlCpp))
          << e.path();
    }
  }
  std::printf("[ yaml ] %zu YAML files, the block reader took %zu\n", files, taken);
  EXPECT_GT(files, 300u);
  EXPECT_GT(taken * 2, files) << taken << " of " << files;
}

// What the block reader leaves to yaml-cpp, and what it takes.
TEST(YamlReader, BlockSubsetIsBlockCollectionsOfOneLineScalars) {
  using lbcheck::yaml::blockSubset;
  EXPECT_TRUE(blockSubset("a: 1\nb:\n  - x\n  - y: 'z'\n    w: \"v\" # c\nc:\n- p\n---\nk: v\n"));
  EXPECT_TRUE(blockSubset("# only\nitems:\n- name: a\n  port: 80\n- name: b\n"));
  // yaml-cpp reports a plain null as a null, not a scalar (its span is empty): so does the
  // block reader, as a key and as a value (found by the yaml fuzzer).
  const SourceFile nulls(0, "n.yaml", "null: a\nb: ~\nc: NULL\n");
  EXPECT_EQ(readBoth(nulls, lbcheck::yaml::Reader::Auto),
            readBoth(nulls, lbcheck::yaml::Reader::YamlCpp));
  for (const char* outside : {"",
                              "# only a comment\n",
                              "a: [1, 2]\n",
                              "a: {b: 1}\n",
                              "a: &x 1\nb: *x\n",
                              "a: !tag 1\n",
                              "a: |\n  text\n",
                              "a: >\n  text\n",
                              "a: one\n  two\n",
                              "a: \"x\\ty\"\n",
                              "a:\nb: 1\n",
                              "---\n---\na: 1\n",
                              "a: 1\r\n",
                              "a:\t1\n",
                              "a: caf\xc3\xa9\n",
                              "%YAML 1.2\n---\na: 1\n",
                              "a: 1\n...\n",
                              "? a\n: 1\n",
                              "a: b: c\n",
                              "just a scalar\n",
                              "a: 'open\n  quote'\n",
                              "- - a\n",
                              "a: 1\n b: 2\n"})
    EXPECT_FALSE(blockSubset(outside)) << outside;
}
