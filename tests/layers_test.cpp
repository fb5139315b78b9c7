// The one-way architecture: engine/ at the bottom, parsers/ and rules/ on it, driver/
// on top. scripts/check-layers.sh lists every project #include and fails on one that
// goes up; running it here makes the normal test run fail too.
#include <gtest/gtest.h>

#include <string>

#include "helpers.h"

TEST(Layers, NoIncludeGoesUp) {
  const lbcheck::testing::CommandRun r = lbcheck::testing::runCommand(
      std::string("bash '") + LBCHECK_SOURCE_DIR + "/scripts/check-layers.sh' 2>&1");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("check-layers: no include goes up"), std::string::npos) << r.out;
}
