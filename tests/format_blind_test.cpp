// Rules are format-blind: they read canonical values and propose structured
// fixes that each input's dialect says in its own syntax. No rule source may
// name an input format, test which adapter a resource came from, or read the
// source type an adapter recorded (issue 16).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "helpers.h"

namespace fs = std::filesystem;

namespace {

// What a rule would write to tell inputs apart.
constexpr const char* kFormatTokens[] = {
    ".format",      "fromTerraform", "sourceType",    "\"terraform",   "terraform-plan\"",
    "\"krm\"",      "\"gcloud",      "gcloud-script", "gcloud-export", "cloud-run-v1",
    "cloud-run-v2", "krmPrefix",     "krmName",
};

std::vector<std::string> offendersIn(const std::string& rel, const std::string& text) {
  std::vector<std::string> out;
  for (const char* token : kFormatTokens) {
    const std::string t(token);
    for (size_t at = text.find(t); at != std::string::npos; at = text.find(t, at + 1)) {
      const size_t line =
          1 + static_cast<size_t>(std::count(text.begin(), text.begin() + at, '\n'));
      out.push_back(rel + ":" + std::to_string(line) + ": " + t);
    }
  }
  return out;
}

}  // namespace

TEST(FormatBlind, NoRuleNamesAnInputFormat) {
  const fs::path root(LBCHECK_SOURCE_DIR);
  std::vector<std::string> offenders;
  size_t scanned = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root / "rules")) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cpp") continue;
    ++scanned;
    const std::string rel = fs::relative(entry.path(), root).generic_string();
    const auto found = offendersIn(rel, lbcheck::testing::readText(entry.path().string()));
    offenders.insert(offenders.end(), found.begin(), found.end());
  }
  EXPECT_GT(scanned, 60u) << "the rules folder was not found";
  std::string list;
  for (const auto& o : offenders) list += "\n  " + o;
  EXPECT_TRUE(offenders.empty()) << "rules that tell input formats apart:" << list;
}

TEST(FormatBlind, TheCheckSeesAFormatTest) {
  // The scan itself must catch the ways a rule used to branch on the format.
  EXPECT_EQ(offendersIn("x.cpp", "if (fromTerraform(r)) {}").size(), 1u);
  EXPECT_EQ(offendersIn("x.cpp", "if (r.format == \"krm\") {}").size(), 2u);
  EXPECT_EQ(offendersIn("x.cpp", "r.sourceType == \"google_cloud_run_service\"").size(), 1u);
  EXPECT_TRUE(offendersIn("x.cpp", "out.fix(f, r, Edit::set(\"protocol\", \"HTTP\"))").empty());
}

TEST(FormatBlind, TheDriverIncludesNoParser) {
  // The driver reads every input through the adapter registry
  // (engine/adapter.h): the runner names no parser, so adding a format touches
  // only parsers/.
  const std::string path = std::string(LBCHECK_SOURCE_DIR) + "/driver/runner.cpp";
  const std::string text = lbcheck::testing::readText(path);
  ASSERT_FALSE(text.empty()) << path;
  std::vector<std::string> offenders;
  size_t line = 1;
  for (size_t at = 0; at < text.size();) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view l(text.data() + at, end - at);
    if (l.find("#include") != std::string_view::npos &&
        l.find("\"parsers/") != std::string_view::npos)
      offenders.push_back("driver/runner.cpp:" + std::to_string(line) + ": " + std::string(l));
    at = end + 1;
    ++line;
  }
  std::string list;
  for (const auto& o : offenders) list += "\n  " + o;
  EXPECT_TRUE(offenders.empty()) << "the runner includes parsers:" << list;
  // Nor does it tell formats apart by name.
  std::string named;
  for (const auto& o : offendersIn("driver/runner.cpp", text)) named += "\n  " + o;
  EXPECT_TRUE(named.empty()) << "the runner names input formats:" << named;
  EXPECT_NE(text.find("#include \"engine/adapter.h\""), std::string::npos);
}

TEST(FormatBlind, RulesReadChangesNotTheScriptTimeline) {
  // What a change does and in which order comes from Graph::changes()
  // (engine/change.h), which a plan's lifecycle and a script's timeline both
  // lower into: no rule reads the timeline itself.
  const fs::path root(LBCHECK_SOURCE_DIR);
  std::vector<std::string> offenders;
  for (const auto& entry : fs::recursive_directory_iterator(root / "rules")) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cpp") continue;
    const std::string text = lbcheck::testing::readText(entry.path().string());
    for (const char* token : {"timeline()", "engine/timeline.h", "Operation::Verb"})
      if (text.find(token) != std::string::npos)
        offenders.push_back(fs::relative(entry.path(), root).generic_string() + ": " + token);
  }
  std::string list;
  for (const auto& o : offenders) list += "\n  " + o;
  EXPECT_TRUE(offenders.empty()) << "rules that read the script timeline:" << list;
}
