// The worked examples of RULES.md §8 (rows 1-13) and the grammar's edge cases.
#include <gtest/gtest.h>

#include "engine/urlmask.h"

using lbcheck::UrlMask;
using Code = lbcheck::UrlMaskProblem::Code;

namespace {
void expectRoute(const char* mask, const char* url, const char* service, const char* tag) {
  const UrlMask m = UrlMask::parse(mask);
  ASSERT_TRUE(m.valid()) << mask;
  const auto match = m.match(url);
  ASSERT_TRUE(match) << mask << " should match " << url;
  EXPECT_EQ(match->service, service) << mask << " " << url;
  EXPECT_EQ(match->tag, tag) << mask << " " << url;
}
Code firstProblem(const char* mask) {
  const UrlMask m = UrlMask::parse(mask);
  EXPECT_FALSE(m.valid()) << mask;
  return m.problems().empty() ? Code::Empty : m.problems().front().code;
}
}  // namespace

TEST(UrlMask, Row1ServiceFromThePath) {
  expectRoute("example.com/<service>", "https://example.com/login", "login", "");
  expectRoute("/<service>", "https://example.com/login", "login", "");
}

TEST(UrlMask, Row2ServiceFromAHostLabel) {
  expectRoute("<service>-home.example.com", "https://login-home.example.com/web", "login", "");
}

TEST(UrlMask, Row3TrailingPathSegmentsMayBeOmitted) {
  expectRoute("example.com/<service>", "https://example.com/login/web", "login", "");
  expectRoute("/<service>", "https://example.com/login/web", "login", "");
}

TEST(UrlMask, Row4TagAndServiceInTheHost) {
  expectRoute("<tag>.<service>.example.com", "https://test.login.example.com/web", "login", "test");
}

TEST(UrlMask, Row5TagAndServiceInThePath) {
  expectRoute("example.com/home/<service>/<tag>", "https://example.com/home/login/test", "login",
              "test");
  expectRoute("/home/<service>/<tag>", "https://example.com/home/login/test", "login", "test");
}

TEST(UrlMask, Row6TagInTheHostServiceInThePath) {
  expectRoute("<tag>.example.com/home/<service>", "https://test.example.com/home/login/web",
              "login", "test");
}

TEST(UrlMask, Row7OneMaskManyServices) {
  expectRoute("<tag>.domain.com/<service>", "foo1.domain.com/bar1", "bar1", "foo1");
  expectRoute("<tag>.domain.com/<service>", "foo1.domain.com/bar2", "bar2", "foo1");
}

TEST(UrlMask, Row8SchemeIsNotAllowed) {
  EXPECT_EQ(firstProblem("https://example.com/<service>"), Code::Scheme);
}

TEST(UrlMask, Row9MaskCopiedFromTheProviderDocsHasNoPlaceholder) {
  const UrlMask m = UrlMask::parse(".domain.com/");
  EXPECT_TRUE(m.valid());
  EXPECT_FALSE(m.hasPlaceholder());
  EXPECT_FALSE(m.hasService());
}

TEST(UrlMask, Row10AppEngineVersionPlaceholder) {
  const UrlMask m = UrlMask::parse("<service>-dot-appname.appspot.com/<version>");
  ASSERT_EQ(m.problems().size(), 1u);
  EXPECT_EQ(m.problems()[0].code, Code::UnknownPlaceholder);
  EXPECT_EQ(m.problems()[0].offset, 34u);
  EXPECT_NE(m.problems()[0].message.find("App Engine"), std::string::npos);
}

TEST(UrlMask, Row11CloudFunctionsPlaceholder) {
  EXPECT_EQ(firstProblem("/<function>"), Code::UnknownPlaceholder);
}

TEST(UrlMask, Row12RepeatedPlaceholder) {
  EXPECT_EQ(firstProblem("<service>.example.com/<service>"), Code::DuplicatePlaceholder);
}

TEST(UrlMask, Row13HostOnlyServiceMaskIsValid) {
  const UrlMask m = UrlMask::parse("<service>.example.com");
  EXPECT_TRUE(m.valid());
  EXPECT_TRUE(m.hasService());
  EXPECT_FALSE(m.hasTag());
  EXPECT_EQ(m.path(), "");
}

TEST(UrlMask, EmptyAndUnbalancedMasks) {
  EXPECT_EQ(firstProblem(""), Code::Empty);
  EXPECT_EQ(firstProblem("example.com/<service"), Code::Unbalanced);
  EXPECT_EQ(firstProblem("example.com/service>"), Code::Unbalanced);
  EXPECT_EQ(firstProblem("example.com/<<service>"), Code::Unbalanced);
}

TEST(UrlMask, UrlsThatDoNotFitDoNotMatch) {
  const UrlMask m = UrlMask::parse("example.com/home/<service>");
  EXPECT_FALSE(m.match("https://example.com/other/login"));
  EXPECT_FALSE(m.match("https://example.org/home/login"));
  EXPECT_FALSE(UrlMask::parse("https://x/<service>").match("https://x/a"));
}

TEST(UrlMask, HostLabelsBeforeTheMaskMayBeOmitted) {
  expectRoute("example.com/<service>", "https://www.example.com/login", "login", "");
}

TEST(UrlMask, QueryPortAndFragmentAreIgnored) {
  expectRoute("example.com/<service>", "https://example.com:8443/login?x=1#top", "login", "");
}

TEST(UrlMask, RegexCharactersInLiteralsAreLiteral) {
  const UrlMask m = UrlMask::parse("a.b/<service>");
  EXPECT_FALSE(m.match("axb/login"));
}
