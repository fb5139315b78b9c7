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
