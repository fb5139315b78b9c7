// What the speed work (issue 9) must not change, and the switches it added:
// each file read once however it is reached, the restart on huge pages,
// LBCHECK_PHASES, the text summary's file count, parallel resolution.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "helpers.h"

namespace fs = std::filesystem;
using lbcheck::testing::readText;
using lbcheck::testing::runCommand;
using lbcheck::testing::TempDir;

namespace {
std::string runLbcheck(const std::string& env, const std::string& args, bool withStderr = true) {
  return runCommand(env + " " + LBCHECK_BINARY + std::string(" --no-config ") + args +
                    (withStderr ? " 2>&1" : " 2>/dev/null"))
      .out;
}

/// The seed KRM stack with every name prefixed (a distinct copy of it).
std::string renamedStack(const std::string& prefix) {
  std::string copy = readText("fixtures/plans/seed-clean.krm.yaml");
  for (size_t at = copy.find("name: "); at != std::string::npos; at = copy.find("name: ", at + 1))
    copy.insert(at + 6, prefix);
  return copy;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST(ReadOnce, AFileReachedByALinkOrNamedTwiceIsReadOnce) {
  TempDir tmp;
  fs::create_directories(tmp.path() + "/d");
  tmp.file("d/plan.tfplan.json", readText("fixtures/rules/LB016/fail.tfplan.json"));
  fs::create_symlink(tmp.path() + "/d/plan.tfplan.json", tmp.path() + "/d/link.json");
  fs::create_hard_link(tmp.path() + "/d/plan.tfplan.json", tmp.path() + "/d/hard.json");
  const std::string once = runLbcheck("", tmp.path() + "/d/plan.tfplan.json --format json");
  const std::string all = runLbcheck("", tmp.path() + "/d " + tmp.path() + "/d/plan.tfplan.json " +
                                             tmp.path() + "/d/./plan.tfplan.json --format json");
  ASSERT_NE(once.find("\"LB016\""), std::string::npos) << once;
  EXPECT_EQ(count(all, "\"rule\": \"LB016\""), count(once, "\"rule\": \"LB016\"")) << all;
  EXPECT_NE(all.find("\"filesRead\": 1"), std::string::npos) << all;
}

TEST(HugePages, LargeInputsRestartOnceWithTheTunableAndReportTheSame) {
  const std::string plain = runLbcheck("LBCHECK_HUGE_PAGES=0", "examples/plan.json", false);
  const std::string forced = runLbcheck("LBCHECK_HUGE_PAGES=1", "examples/plan.json", false);
  EXPECT_EQ(forced, plain);
  const std::string traced =
      runLbcheck("LBCHECK_HUGE_PAGES=1 LBCHECK_PHASES=1", "examples/plan.json");
  EXPECT_EQ(count(traced, "restarted with glibc.malloc.hugetlb=1"), 1u) << traced;
  EXPECT_EQ(count(traced, "  start\n"), 2u) << traced;  // before and after the restart
}

TEST(HugePages, SmallInputsTheSwitchAndTheUsersOwnTunableDoNotRestart) {
  for (const char* env : {"LBCHECK_PHASES=1",  // auto: the example is far below 8 MiB
                          "LBCHECK_PHASES=1 LBCHECK_HUGE_PAGES=0",
                          "LBCHECK_PHASES=1 LBCHECK_HUGE_PAGES=1 "
                          "GLIBC_TUNABLES=glibc.malloc.hugetlb=0"}) {
    const std::string traced = runLbcheck(env, "examples/plan.json");
    EXPECT_EQ(count(traced, "restarted"), 0u) << env << "\n" << traced;
    EXPECT_EQ(count(traced, "  start\n"), 1u) << env << "\n" << traced;
  }
}

TEST(Phases, TimingsGoToStderrAndLeaveTheReportAlone) {
  const std::string quiet = runLbcheck("", "--format json examples/plan.json", false);
  const std::string timed =
      runLbcheck("LBCHECK_PHASES=1", "--format json examples/plan.json", false);
  EXPECT_EQ(timed, quiet);
  const std::string both = runLbcheck("LBCHECK_PHASES=1", "--format json examples/plan.json");
  for (const char* phase :
       {"files found", "files read, parsed and joined", "references resolved",
        "rules resource by resource", "rules", "findings sorted", "reports written"})
    EXPECT_NE(both.find(std::string("  ") + phase + "\n"), std::string::npos) << phase;
  EXPECT_NE(both.find(" resources, "), std::string::npos) << both;
  EXPECT_EQ(runLbcheck("LBCHECK_PHASES=0", "examples/plan.json").find("lbcheck: phase"),
            std::string::npos);
}

TEST(TextSummary, CountsEachFileWithFindingsOnce) {
  TempDir tmp;
  for (const char* name : {"a", "b", "c"})
    tmp.file(std::string(name) + ".krm.yaml", renamedStack(std::string(name) + "-"));
  tmp.file("clean.tfplan.json", readText("fixtures/rules/TLS008/pass.tfplan.json"));
  const std::string out = runLbcheck("", "--rule TLS008 " + tmp.path());
  EXPECT_NE(out.find(" in 3 files (4 read)"), std::string::npos) << out;
}

TEST(ParallelResolve, ThreadsGiveTheSameReportAsOne) {
  // Enough resources (4 x 1,024) that resolve() and the rules use threads.
  TempDir tmp;
  std::string many;
  for (int i = 0; i < 600; ++i) many += renamedStack("s" + std::to_string(i) + "-") + "\n---\n";
  tmp.file("many.krm.yaml", many);
  const std::string one = runLbcheck("", "-j1 --format json " + tmp.path(), false);
  const std::string three = runLbcheck("", "-j3 --format json " + tmp.path(), false);
  ASSERT_NE(one.find("\"rule\""), std::string::npos) << one.substr(0, 2000);
  EXPECT_EQ(one, three);
}
