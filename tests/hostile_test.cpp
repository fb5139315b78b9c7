// Hostile inputs: every case ends with a clean, located diagnostic (or a
// clean skip) and a bounded run. See also json_test, yaml_test and
// fuzz_regressions_test for the readers' own cases.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "engine/diagnostics.h"
#include "helpers.h"

namespace fs = std::filesystem;
using namespace lbcheck;
using lbcheck::testing::readText;
using lbcheck::testing::runOn;
using lbcheck::testing::TempDir;

namespace {
size_t count(const RunResult& r, std::string_view id) {
  size_t n = 0;
  for (const Finding& f : r.findings) n += f.ruleId == id;
  return n;
}
int runCommand(const std::string& cmd, std::string* out) {
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out->append(buf.data(), n);
  const int st = ::pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
}  // namespace

TEST(Hostile, OneGibibyteFileIsRefusedByTheSizeLimitWithoutBeingRead) {
  TempDir tmp;
  const std::string path = tmp.path() + "/huge.json";
  {
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, off_t{1} << 30), 0);  // sparse: no disk used
    ::close(fd);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto r = runOn({path});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].ruleId, diag::kUnreadable);
  EXPECT_NE(r.findings[0].message.find("--max-file-size"), std::string::npos);
}

TEST(Hostile, SizeLimitIsConfigurable) {
  TempDir tmp;
  const std::string path = tmp.file("plan.json", readText("examples/plan.json"));
  Options o;
  o.paths = {path};
  o.maxFileSize = 100;
  RunResult r;
  run(o, r);
  EXPECT_EQ(count(r, diag::kUnreadable), 1u);
  EXPECT_EQ(count(r, "LB016"), 0u);
}

TEST(Hostile, SymlinkLoopsAndDanglingLinksAreSkippedNotHangs) {
  TempDir tmp;
  fs::create_directories(tmp.path() + "/d/sub");
  fs::create_directory_symlink("..", tmp.path() + "/d/sub/up");  // a directory loop
  fs::create_symlink(tmp.path() + "/d/b.json", tmp.path() + "/d/a.json");
  fs::create_symlink(tmp.path() + "/d/a.json", tmp.path() + "/d/b.json");  // a file loop
  fs::create_symlink(tmp.path() + "/missing.json", tmp.path() + "/d/dangling.json");
  tmp.file("d/sub/plan.json", readText("examples/plan.json"));
  const auto r = runOn({tmp.path() + "/d"});
  EXPECT_EQ(count(r, "LB016"), 1u);  // the real plan is read once, not once per loop
  // Each broken link is skipped (counted in the report), not a finding (#21).
  EXPECT_EQ(count(r, diag::kUnreadable), 0u);
  ASSERT_EQ(r.skipped.size(), 3u);
  for (const lbcheck::SkippedFile& s : r.skipped)
    EXPECT_EQ(s.why.reason, lbcheck::SkipReason::BrokenLink) << r.sources.get(s.file).path();
}

TEST(Hostile, FifosAndDevicesAreNeverOpened) {
  TempDir tmp;
  const std::string fifo = tmp.path() + "/pipe.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  fs::create_symlink("/dev/zero", tmp.path() + "/zero.json");
  // In a walk they are skipped; named, they are reported. Either way nothing blocks.
  const auto walk = runOn({tmp.path()});
  EXPECT_TRUE(walk.findings.empty());
  const auto named = runOn({fifo, tmp.path() + "/zero.json"});
  ASSERT_EQ(named.findings.size(), 2u);
  for (const Finding& f : named.findings) {
    EXPECT_EQ(f.ruleId, diag::kUnreadable);
    EXPECT_NE(f.message.find("not a regular file"), std::string::npos);
  }
}

TEST(Hostile, UnreadableFilesAndDirectoriesAreReportedAndTheRestIsChecked) {
  TempDir tmp;
  fs::permissions(tmp.path(), fs::perms::all, fs::perm_options::add);
  tmp.file("a-secret.json", "{}");
  fs::permissions(tmp.path() + "/a-secret.json", fs::perms::none);
  fs::create_directory(tmp.path() + "/locked");
  tmp.file("locked/x.json", "{}");
  fs::permissions(tmp.path() + "/locked", fs::perms::none);
  tmp.file("z-plan.json", readText("examples/plan.json"));
  fs::permissions(tmp.path() + "/z-plan.json", fs::perms::owner_read | fs::perms::others_read);
  // Permissions do not bind root: run the binary as an unprivileged user then.
  const std::string as =
      ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  std::string out;
  const int status =
      runCommand(as + LBCHECK_BINARY + std::string(" --format json ") + tmp.path(), &out);
  fs::permissions(tmp.path() + "/locked", fs::perms::owner_all);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("\"rule\": \"LBC002\""), std::string::npos) << out;
  EXPECT_NE(out.find("a-secret.json"), std::string::npos) << out;
  EXPECT_NE(out.find("\"rule\": \"LB016\""), std::string::npos) << out;  // the rest is checked
}

TEST(Hostile, EmptyAndWhitespaceFilesAreLocatedErrors) {
  TempDir tmp;
  const auto r = runOn({tmp.file("empty.json", ""), tmp.file("blank.json", " \n\t\n")});
  EXPECT_EQ(count(r, diag::kSyntax), 2u);
  const auto y = runOn({tmp.file("empty.yaml", "")});
  EXPECT_TRUE(y.findings.empty());  // an empty YAML stream is valid and holds nothing
}

TEST(Hostile, CrlfAndLoneCrLineEndsKeepLineNumbersRight) {
  TempDir tmp;
  std::string plan = readText("examples/plan.json");
  std::string crlf, cr;
  for (char c : plan) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    cr += c == '\n' ? '\r' : c;
  }
  for (const std::string& text : {crlf, cr}) {
    const auto r = runOn({tmp.file("plan.json", text)});
    ASSERT_EQ(count(r, "LB016"), 1u);
    for (const Finding& f : r.findings)
      if (f.ruleId == "LB016") {
        EXPECT_EQ(r.sources.get(f.span.file).locate(f.span.begin).line, 757u);
      }
  }
}

TEST(Hostile, OneHugeLineIsReadAndReportedInAShortSnippet) {
  TempDir tmp;
  std::string big = R"({"format_version":"1.2","terraform_version":"1.11.4","pad":")" +
                    std::string(20 << 20, 'x') + R"("})";
  const auto start = std::chrono::steady_clock::now();
  const auto r = runOn({tmp.file("big.json", big)});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(count(r, diag::kPlanShape), 1u);
}

TEST(Hostile, BinaryGarbageIsALocatedError) {
  TempDir tmp;
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  const auto r =
      runOn({tmp.file("garbage.json", "{" + garbage), tmp.file("garbage.yaml", garbage)});
  EXPECT_EQ(count(r, diag::kSyntax) + count(r, diag::kEncoding), 2u);
}

TEST(Hostile, TimeLimitStopsReadingAndSaysWhichFlag) {
  TempDir tmp;
  for (int i = 0; i < 3; ++i)
    tmp.file("p" + std::to_string(i) + ".json", readText("examples/plan.json"));
  Options o;
  o.paths = {tmp.path()};
  o.timeLimitSeconds = 1e-9;  // already over when the second file is due
  RunResult r;
  run(o, r);
  ASSERT_EQ(count(r, diag::kLimit), 1u);
  for (const Finding& f : r.findings)
    if (f.ruleId == diag::kLimit) {
      EXPECT_NE(f.message.find("--timeout"), std::string::npos);
    }
}

TEST(Hostile, NothingIsWrittenIntoTheScannedTree) {
  TempDir tmp;
  tmp.file("plan.json", readText("examples/plan.json"));
  const std::string out =
      tmp.path() + "/../lbcheck-report-" + std::to_string(::getpid()) + ".sarif";
  std::string text;
  runCommand(std::string(LBCHECK_BINARY) + " --format sarif -o " + out + " " + tmp.path(), &text);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path())) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_TRUE(fs::exists(out));
  fs::remove(out);
}
