#include <gtest/gtest.h>

#include "engine/link.h"

using lbcheck::Identity;
using lbcheck::Kind;
using lbcheck::LinkContext;
using lbcheck::parseLink;
using lbcheck::Scope;

namespace {
const LinkContext kRegional{Kind::BackendService, "demo-proj",
                            Scope{Scope::Type::Region, "us-central1"}};
const Identity kBackend{Kind::BackendService, "demo-proj",
                        Scope{Scope::Type::Region, "us-central1"}, "run-backend"};
}  // namespace

TEST(LinkNormalisation, EverySpellingOfOneBackendServiceIsTheSameIdentity) {
  for (const char* spelling : {
           "https://www.googleapis.com/compute/v1/projects/demo-proj/regions/us-central1/"
           "backendServices/run-backend",
           "https://www.googleapis.com/compute/beta/projects/demo-proj/regions/us-central1/"
           "backendServices/run-backend",
           "https://www.googleapis.com/compute/alpha/projects/demo-proj/regions/us-central1/"
           "backendServices/run-backend",
           "https://compute.googleapis.com/compute/v1/projects/demo-proj/regions/us-central1/"
           "backendServices/run-backend",
           "//compute.googleapis.com/projects/demo-proj/regions/us-central1/backendServices/"
           "run-backend",
           "projects/demo-proj/regions/us-central1/backendServices/run-backend",
           "regions/us-central1/backendServices/run-backend",
           "run-backend",
       }) {
    auto id = parseLink(spelling, kRegional);
    ASSERT_TRUE(id) << spelling;
    EXPECT_EQ(*id, kBackend) << spelling;
  }
}

TEST(LinkNormalisation, GlobalAndRegionalObjectsDiffer) {
  auto id = parseLink("projects/p/global/backendServices/b", kRegional);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->scope.type, Scope::Type::Global);
  EXPECT_NE(*id, (Identity{Kind::BackendService, "p", Scope{Scope::Type::Region, "r"}, "b"}));
}

TEST(LinkNormalisation, CollectionDecidesTheKind) {
  auto id =
      parseLink("https://www.googleapis.com/compute/v1/projects/p/regions/r/targetHttpsProxies/x",
                LinkContext{Kind::TargetHttpProxy, "p", {}});
  ASSERT_TRUE(id);
  EXPECT_EQ(id->kind, Kind::TargetHttpsProxy);
}

TEST(LinkNormalisation, CloudRunNamesInAllThreeSpellings) {
  const LinkContext ctx{Kind::RunService, "p", Scope{Scope::Type::Location, "us-central1"}};
  for (const char* spelling : {"projects/p/locations/us-central1/services/hello",
                               "locations/us-central1/namespaces/p/services/hello", "hello"}) {
    auto id = parseLink(spelling, ctx);
    ASSERT_TRUE(id) << spelling;
    EXPECT_EQ(id->kind, Kind::RunService);
    EXPECT_EQ(id->name, "hello");
    EXPECT_EQ(id->scope.name, "us-central1");
    EXPECT_EQ(id->project, "p");
  }
}

TEST(LinkNormalisation, RejectsTextThatIsNotALink) {
  EXPECT_FALSE(parseLink("", kRegional));
  EXPECT_FALSE(parseLink("   ", kRegional));
  EXPECT_FALSE(parseLink("projects/p/regions/r/notACollection/x", kRegional));
  EXPECT_FALSE(parseLink("projects/p/regions/r/backendServices", kRegional));
  EXPECT_FALSE(parseLink("https://example.com", kRegional));
  EXPECT_FALSE(parseLink("name with spaces", kRegional));
}

TEST(LinkNormalisation, BareNameWithoutAnExpectedKindIsNotALink) {
  EXPECT_FALSE(parseLink("run-backend", LinkContext{}));
}

TEST(LinkNormalisation, RegionNameFromNameOrUrl) {
  EXPECT_EQ(lbcheck::regionName("us-central1"), "us-central1");
  EXPECT_EQ(lbcheck::regionName("https://www.googleapis.com/compute/v1/projects/p/regions/"
                                "us-central1"),
            "us-central1");
}

TEST(LinkNormalisation, IpLiteralsAreNotLinks) {
  EXPECT_TRUE(lbcheck::isIpLiteral("10.1.2.99"));
  EXPECT_TRUE(lbcheck::isIpLiteral("fd20::1"));
  EXPECT_TRUE(lbcheck::isIpLiteral("10.0.0.0/24"));
  EXPECT_FALSE(lbcheck::isIpLiteral("my-address"));
  EXPECT_FALSE(lbcheck::isIpLiteral("projects/p/regions/r/addresses/a"));
  EXPECT_FALSE(lbcheck::isIpLiteral("abc"));
}
