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
