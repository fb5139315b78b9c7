// Runs every test from the source directory so displayed paths are relative.
#include <gtest/gtest.h>

#include <filesystem>

namespace {
class SourceDirEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { std::filesystem::current_path(LBCHECK_SOURCE_DIR); }
};
const auto* const kEnv =
    ::testing::AddGlobalTestEnvironment(new SourceDirEnvironment);  // owned by gtest
}  // namespace
