// Issue #17, "no finding you cannot defend": the load-balancer type a finding
// names and the fix its help proposes must follow from the inputs. Each test
// runs a fixture in the shape of a public file where lbcheck used to claim a
// regional internal load balancer nothing pointed at, or proposed a fix that
// the rest of the configuration rules out.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "tests/fixes_helpers.h"

namespace lbcheck::testing {
namespace {

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

/// No error or warning of `r` claims a regional internal load balancer.
void expectNoInternalClaim(const RunResult& r) {
  for (const Finding& f : r.findings) {
    if (f.severity < Severity::Warning) continue;
    EXPECT_FALSE(has(f.message, "regional internal")) << f.ruleId << ": " << f.message;
    EXPECT_FALSE(has(f.help, "internal load balancer still")) << f.ruleId << ": " << f.help;
  }
}

// --- 1. A regional EXTERNAL forwarding rule in front of a regional proxy ------

TEST(Defend17, RegionalExternalRuleBeforeRegionalProxyIsAMixNotAnInternalLb) {
  for (const char* fixture : {"fixtures/rules/LB023/fail-regional-proxy-external.cai.json",
                              "fixtures/rules/LB023/fail-regional-proxy-external.krm.yaml"}) {
    SCOPED_TRACE(fixture);
    const RunResult r = runOn({fixture});
    EXPECT_TRUE(findingsOf(r, "LB003").empty());
    const Finding* f = only(r, "LB023", "web-fr");
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(has(f->message, "regional target proxy belongs to a regional")) << f->message;
    // The help lists the rows, external ones included.
    EXPECT_TRUE(has(f->help, "regional external (EXTERNAL_MANAGED, regional)")) << f->help;
    EXPECT_TRUE(has(f->help, "classic (EXTERNAL, global")) << f->help;
    expectNoInternalClaim(r);
  }
}

TEST(Defend17, AChainWithAnInternalPieceStillGetsLB003) {
  // With an INTERNAL_MANAGED backend service the chain is the regional internal
  // one, and an EXTERNAL forwarding rule in it is LB003's, with one fix.
  const RunResult r = runOn({"fixtures/rules/LB003/fail-forwarding-rule.tfplan.json"});
  const Finding* f = first(r, "LB003");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(has(f->message, "regional internal Application Load Balancer")) << f->message;
  EXPECT_EQ(f->fixes.size(), 1u);
  EXPECT_FALSE(has(f->help, "EXTERNAL_MANAGED")) << f->help;
  EXPECT_TRUE(findingsOf(r, "LB023").empty());
}

// --- 2. An EXTERNAL regional backend service behind regional URL maps --------

TEST(Defend17, ExternalRegionalBackendWithoutInternalPieceIsOneTwoSidedLB014) {
  const RunResult r = runOn({"fixtures/rules/LB014/fail-no-internal-piece.krm.yaml"});
  EXPECT_TRUE(findingsOf(r, "LB003").empty());
  const auto lb014 = findingsOf(r, "LB014");
  ASSERT_EQ(lb014.size(), 1u);  // one backend service, two URL maps: one finding
  const Finding& f = *lb014[0];
  EXPECT_TRUE(
      has(f.message,
          "a regional URL map can only use INTERNAL_MANAGED or EXTERNAL_MANAGED backend services"))
      << f.message;
  EXPECT_TRUE(has(f.help, "INTERNAL_MANAGED")) << f.help;
  EXPECT_TRUE(has(f.help, "EXTERNAL_MANAGED")) << f.help;
  ASSERT_EQ(f.fixes.size(), 2u);
  bool second = false;
  for (const Related& rel : f.related) second = second || has(rel.message, "web-map-2");
  EXPECT_TRUE(second) << "the second URL map is a related location";
  expectNoInternalClaim(r);
}

TEST(Defend17, SchemeOfAServerlessBackendIsReportedOnceByLB003) {
  // The seed with an EXTERNAL_MANAGED serverless backend service behind an
  // INTERNAL_MANAGED forwarding rule: LB003 reports it, LB014 does not repeat it.
  const RunResult r = runOn({"fixtures/rules/LB003/fail.tfplan.json"});
  const Finding* f = first(r, "LB003");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->fixes.size(), 1u);
  EXPECT_TRUE(findingsOf(r, "LB014").empty());
}

TEST(Defend17, ServerlessBackendWithoutInternalPieceGetsBothRegionalSchemes) {
  // A script that leaves the scheme to gcloud (EXTERNAL) on the serverless backend
  // service and on the forwarding rule: nothing says internal.
  const RunResult r = runOn({"fixtures/rules/LB003/fail.sh"});
  const Finding* f = only(r, "LB003", "run-backend");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(has(f->message, "regional internal")) << f->message;
  EXPECT_TRUE(has(f->help, "--load-balancing-scheme=INTERNAL_MANAGED")) << f->help;
  EXPECT_TRUE(has(f->help, "--load-balancing-scheme=EXTERNAL_MANAGED")) << f->help;
  EXPECT_EQ(f->fixes.size(), 2u);
  // The forwarding rule in front of the regional proxy is the mix LB023 names.
  EXPECT_NE(only(r, "LB023", "run-http-fr"), nullptr);
  expectNoInternalClaim(r);
}

// --- 3. RUN004's help follows the load balancers that serve the service ------

TEST(Defend17, Run004NeverProposesInternalWhenTheLoadBalancerIsNotKnownToBeInternal) {
  {
    // A serverless NEG that no backend service in the inputs uses.
    const RunResult r = runOn({"fixtures/rules/RUN004/fail-neg-without-backend-tf"});
    const Finding* f = first(r, "RUN004");
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(has(f->help, "\"internal-and-cloud-load-balancing\"")) << f->help;
    EXPECT_FALSE(has(f->help, "\"internal\"")) << f->help;
    EXPECT_TRUE(has(f->help, "serverless NEG `web-neg`")) << f->help;
  }
  {
    // The same NEG handed to a registry module that is not installed (the shape of
    // lb-http's Cloud Run example, a global external load balancer).
    const std::string tf = readText("fixtures/rules/RUN004/fail-neg-without-backend-tf/main.tf") +
                           R"(
module "lb" {
  source  = "terraform-google-modules/lb-http/google//modules/serverless_negs"
  version = "~> 12.0"
  name    = "web-lb"
  project = "demo-proj"
  backends = {
    default = {
      groups = [{ group = google_compute_region_network_endpoint_group.web.id }]
    }
  }
}
)";
    const RunResult r = runOnInput("main.tf", tf, "RUN004");
    EXPECT_EQ(findingsOf(r, "LBC004").size(), 1u);  // the module lbcheck cannot read
    const Finding* f = first(r, "RUN004");
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(has(f->help, "\"internal-and-cloud-load-balancing\"")) << f->help;
    EXPECT_FALSE(has(f->help, "\"internal\"")) << f->help;
  }
  {
    // No load balancer at all: no sentence about one.
    const RunResult r = runOn({"fixtures/rules/RUN004/fail-no-load-balancer-tf"});
    const Finding* f = first(r, "RUN004");
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(has(f->help, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")) << f->help;
    EXPECT_FALSE(has(f->help, "load balancer ")) << f->help;
    EXPECT_FALSE(has(f->help, "INTERNAL_ONLY")) << f->help;
  }
}

TEST(Defend17, Run004ProposesInternalBehindAnInternalLoadBalancerOnly) {
  const RunResult r = runOn({"fixtures/rules/RUN004/fail.tfplan.json"});
  const Finding* f = first(r, "RUN004");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(has(f->help, "INGRESS_TRAFFIC_INTERNAL_ONLY")) << f->help;
  EXPECT_TRUE(has(f->help, "(the internal load balancer still reaches it)")) << f->help;
  // The same in a script: the internal load balancer is built after the deploy.
  const RunResult script = runOn({"fixtures/rules/RUN004/fail-allow-unauthenticated.sh"});
  const Finding* s = first(script, "RUN004");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(has(s->help, "--ingress=internal ")) << s->help;
}

// --- 4. LB025 suggests a serverless NEG only where one could go --------------

TEST(Defend17, Lb025SuggestsAServerlessNegOnlyWithoutHealthCheck) {
  for (const char* fixture : {"fixtures/rules/LB025/fail-health-check-tf",
                              "fixtures/rules/LB025/fail-health-check.krm.yaml"}) {
    SCOPED_TRACE(fixture);
    const RunResult r = runOn({fixture});
    const Finding* f = first(r, "LB025");
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(has(f->help, "an instance group or a NEG")) << f->help;
    EXPECT_FALSE(has(f->help, "serverless")) << f->help;
  }
  const RunResult r = runOn({"fixtures/rules/LB025/fail.krm.yaml"});
  const Finding* f = first(r, "LB025");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(has(f->help, "a serverless NEG")) << f->help;
}

}  // namespace
}  // namespace lbcheck::testing
