// Issue #17: the clean canonical setup of each Application Load Balancer type, in
// front of Cloud Run through a serverless NEG as Google's setup page for the type
// builds it, gives no error and no warning in every format (a Terraform plan, a
// `.tf` directory, a gcloud script), and its chain is typed as that type.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "engine/topology.h"
#include "helpers.h"

using namespace lbcheck;
using lbcheck::testing::runOn;

namespace {

struct Canonical {
  std::string name;  // fixtures/plans/clean-<name>...
  LbType type;
};

void PrintTo(const Canonical& c, std::ostream* os) { *os << c.name; }

const std::vector<Canonical>& canonicals() {
  static const std::vector<Canonical> all = {
      {"seed", LbType::RegionalInternal},
      {"global-external", LbType::GlobalExternal},
      {"classic", LbType::Classic},
      {"regional-external", LbType::RegionalExternal},
      {"cross-region-internal", LbType::CrossRegionInternal},
  };
  return all;
}

/// The three formats of one setup (the regional internal one is the seed's).
std::vector<std::string> formatsOf(const Canonical& c) {
  if (c.name == "seed")
    return {"fixtures/plans/seed-clean.tfplan.json", "fixtures/plans/seed-clean-tf",
            "fixtures/plans/seed-clean-setup.sh"};
  const std::string base = "fixtures/plans/clean-" + c.name;
  return {base + ".tfplan.json", base + "-tf", base + ".sh"};
}

lbcheck::testing::CommandRun printGraph(const std::string& path) {
  return lbcheck::testing::runCommand(std::string(LBCHECK_BINARY) + " --print-graph " + path +
                                      " 2>&1");
}

}  // namespace

class CanonicalSetup : public ::testing::TestWithParam<Canonical> {};

TEST_P(CanonicalSetup, HasNoErrorAndNoWarningInEveryFormat) {
  for (const std::string& path : formatsOf(GetParam())) {
    const auto result = runOn({path});
    EXPECT_GT(result.filesRead, 0u) << path;
    EXPECT_TRUE(result.skipped.empty()) << path;
    for (const Finding& f : result.findings)
      EXPECT_LT(f.severity, Severity::Warning) << path << ": " << f.ruleId << " " << f.message;
  }
}

TEST_P(CanonicalSetup, ItsOneChainIsTypedAsItsTypeInEveryFormat) {
  const Canonical& c = GetParam();
  for (const std::string& path : formatsOf(c)) {
    const auto result = runOn({path});
    std::vector<LbChain> chains;
    for (const Resource& r : result.graph.resources()) {
      LbChain chain;
      if (r.id.kind == Kind::ForwardingRule && chainOf(result.graph, r, chain))
        chains.push_back(chain);
    }
    ASSERT_EQ(chains.size(), 1u) << path;
    EXPECT_EQ(chains[0].type, c.type) << path << ": " << lbTypeId(chains[0].type);
    // The whole chain is in the inputs: proxy, URL map and the one backend service.
    EXPECT_NE(chains[0].proxy, nullptr) << path;
    EXPECT_NE(chains[0].urlMap, nullptr) << path;
    EXPECT_EQ(chains[0].backends.size(), 1u) << path;
    // The address the rule names is in the inputs too.
    if (chains[0].rule->field("IPAddress").ref->present()) {
      EXPECT_NE(result.graph.target(chains[0].rule->field("IPAddress")), nullptr)
          << path << ": the forwarding rule's address does not resolve";
    }
    // An HTTPS proxy's certificate is in the inputs too, and its reference reaches it.
    if (chains[0].proxy && chains[0].proxy->id.kind == Kind::TargetHttpsProxy) {
      const Resource& p = *chains[0].proxy;
      const Resource* cert = result.graph.target(p.field("sslCertificates[0]"));
      if (!cert) cert = result.graph.target(p.field("certificateManagerCertificates[0]"));
      EXPECT_NE(cert, nullptr) << path << ": the proxy's certificate does not resolve";
    }

    // What a user sees: --print-graph names the type in front of the chain.
    const auto g = printGraph(path);
    EXPECT_EQ(g.status, 0) << g.out;
    EXPECT_NE(
        g.out.find("\nload balancers:\n  " + std::string(lbTypeId(c.type)) + "  forwarding rule "),
        std::string::npos)
        << path << "\n"
        << g.out;
  }
}

INSTANTIATE_TEST_SUITE_P(All, CanonicalSetup, ::testing::ValuesIn(canonicals()),
                         [](const ::testing::TestParamInfo<Canonical>& p) {
                           std::string n = p.param.name;
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

// The cross-region setup as the page builds it, in two regions: a Cloud Run service,
// serverless NEG, subnet, GLOBAL_MANAGED_PROXY subnet and forwarding rule in each, one
// backend service with both NEGs. Two chains, both cross-region internal, nothing reported.
TEST(CanonicalSetup, CrossRegionInternalInTwoRegionsIsCleanAndTypedAsTfAndScript) {
  for (const char* path : {"fixtures/plans/clean-cross-region-internal-two-regions-tf",
                           "fixtures/plans/clean-cross-region-internal-two-regions.sh"}) {
    const auto result = runOn({path});
    for (const Finding& f : result.findings)
      EXPECT_LT(f.severity, Severity::Warning) << path << ": " << f.ruleId << " " << f.message;
    std::vector<std::string> rules;
    for (const Resource& r : result.graph.resources()) {
      LbChain chain;
      if (r.id.kind != Kind::ForwardingRule || !chainOf(result.graph, r, chain)) continue;
      rules.push_back(r.id.name);
      EXPECT_EQ(chain.type, LbType::CrossRegionInternal) << path << ": " << r.id.name;
      ASSERT_EQ(chain.backends.size(), 1u) << path;
    }
    std::sort(rules.begin(), rules.end());
    EXPECT_EQ(rules, (std::vector<std::string>{"hello-fr", "hello-fr-b"})) << path;
  }
}
