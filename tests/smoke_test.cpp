#include <gtest/gtest.h>

#include "engine/rule.h"

TEST(Registry, HasTheSixSeedRules) {
  for (const char* id : {"NET001", "LB001", "RUN002", "NEG007", "LB016", "OPS001"})
    EXPECT_NE(lbcheck::findRule(id), nullptr) << id;
}
