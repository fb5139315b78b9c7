// Inputs the fuzzers found (tests/fuzz/regressions/): each must go through the
// whole pipeline under every reader and finish with a report.
#include <gtest/gtest.h>

#include <filesystem>

#include "driver/config.h"
#include "driver/output/report.h"
#include "helpers.h"

namespace fs = std::filesystem;

TEST(FuzzRegressions, EveryFoundInputRunsThroughThePipeline) {
  size_t inputs = 0;
  for (const auto& e : fs::directory_iterator("tests/fuzz/regressions")) {
    const std::string bytes = lbcheck::testing::readText(e.path().string());
    for (const char* name : {"input.json", "input.yaml", "input.tf", "input.tf.json",
                             "input.tfvars.json", "input.sh", "input.md", "input"}) {
      lbcheck::Options options;
      lbcheck::RunResult result;
      lbcheck::loadBytes(options, result, name, bytes);
      lbcheck::finish(options, result);
      const std::string text = lbcheck::renderText(result.sources, result.findings, 1, {});
      EXPECT_FALSE(text.empty()) << e.path();
    }
    // And as a configuration file.
    lbcheck::SourceManager sources;
    std::vector<lbcheck::Finding> findings;
    const auto config = lbcheck::loadConfig(sources.add(".lbcheck.yaml", bytes), "/repo", findings);
    EXPECT_NE(config, nullptr);
    ++inputs;
  }
  EXPECT_GE(inputs, 1u);
}
