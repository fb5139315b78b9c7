// The built lbcheck binary run on fixtures: --fail-on at every level, several
// outputs in one run, --statistics, and the github and junit formats.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "engine/rule.h"
#include "helpers.h"
#include "xml_check.h"

using lbcheck::testing::readText;
using lbcheck::testing::runCommand;
using lbcheck::testing::TempDir;

namespace {

struct CliResult {
  int status = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

CliResult runLbcheck(const std::string& args) {
  TempDir tmp;
  const std::string out = tmp.path() + "/stdout", err = tmp.path() + "/stderr";
  const auto r =
      runCommand(std::string(LBCHECK_BINARY) + " " + args + " >'" + out + "' 2>'" + err + "'");
  return {r.status, readText(out), readText(err)};
}

size_t filesIn(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// examples/plan.json: an error (LB016), a warning (RUN002) and notes.
constexpr const char* kErrorWarningNotes = "examples/plan.json";
// Only the warning: RUN002 alone.
constexpr const char* kWarningOnly = "--rule RUN002 examples/plan.json";
// Only notes (RUN005, TLS008...): the guide's stack behind an HTTPS frontend.
constexpr const char* kNotesOnly = "fixtures/rules/TLS008/pass.tfplan.json";
// Nothing at all.
constexpr const char* kClean = "--rule LB016 fixtures/rules/TLS008/pass.tfplan.json";

}  // namespace

TEST(GatesCli, FixturesHoldWhatTheGateTestsAssume) {
  // The --fail-on tests below mean something only if these hold.
  const CliResult all = runLbcheck(std::string("--statistics ") + kErrorWarningNotes);
  EXPECT_NE(all.out.find(" error "), std::string::npos) << all.out;
  EXPECT_NE(all.out.find(" warning "), std::string::npos) << all.out;
  EXPECT_NE(all.out.find(" note "), std::string::npos) << all.out;
  const CliResult warning = runLbcheck(std::string("--statistics ") + kWarningOnly);
  EXPECT_NE(warning.out.find(" warning "), std::string::npos) << warning.out;
  EXPECT_EQ(warning.out.find(" error "), std::string::npos) << warning.out;
  const CliResult notes = runLbcheck(std::string("--statistics ") + kNotesOnly);
  EXPECT_NE(notes.out.find(" note "), std::string::npos) << notes.out;
  EXPECT_EQ(notes.out.find(" warning "), std::string::npos) << notes.out;
  EXPECT_EQ(notes.out.find(" error "), std::string::npos) << notes.out;
  const CliResult clean = runLbcheck(kClean);
  EXPECT_NE(clean.out.find("lbcheck: no findings in 1 file"), std::string::npos) << clean.out;
}

TEST(GatesCli, FailOnErrorFailsOnErrorsOnly) {
  EXPECT_EQ(runLbcheck(std::string("--fail-on error ") + kErrorWarningNotes).status, 1);
  EXPECT_EQ(runLbcheck(std::string("--fail-on error ") + kWarningOnly).status, 0);
  EXPECT_EQ(runLbcheck(std::string("--fail-on error ") + kNotesOnly).status, 0);
  EXPECT_EQ(runLbcheck(std::string("--fail-on error ") + kClean).status, 0);
}

TEST(GatesCli, FailOnWarningFailsOnWarningsAndErrors) {
  EXPECT_EQ(runLbcheck(std::string("--fail-on warning ") + kErrorWarningNotes).status, 1);
  EXPECT_EQ(runLbcheck(std::string("--fail-on warning ") + kWarningOnly).status, 1);
  EXPECT_EQ(runLbcheck(std::string("--fail-on warning ") + kNotesOnly).status, 0);
  EXPECT_EQ(runLbcheck(std::string("--fail-on warning ") + kClean).status, 0);
}

TEST(GatesCli, FailOnNoteFailsOnAnyFinding) {
  EXPECT_EQ(runLbcheck(std::string("--fail-on note ") + kErrorWarningNotes).status, 1);
  EXPECT_EQ(runLbcheck(std::string("--fail-on note ") + kWarningOnly).status, 1);
  EXPECT_EQ(runLbcheck(std::string("--fail-on note ") + kNotesOnly).status, 1);
  EXPECT_EQ(runLbcheck(std::string("--fail-on note ") + kClean).status, 0);
}

TEST(GatesCli, FailOnNeverAlwaysPasses) {
  EXPECT_EQ(runLbcheck(std::string("--fail-on never ") + kErrorWarningNotes).status, 0);
  EXPECT_EQ(runLbcheck(std::string("--fail-on never ") + kWarningOnly).status, 0);
  EXPECT_EQ(runLbcheck(std::string("--fail-on never ") + kNotesOnly).status, 0);
  EXPECT_EQ(runLbcheck("--fail-on never no/such/file.json").status, 0);
  // ...but a usage error is still one.
  EXPECT_EQ(runLbcheck("--fail-on never").status, 2);
  EXPECT_EQ(runLbcheck("--fail-on never --format xml examples/plan.json").status, 2);
}

TEST(GatesCli, DefaultIsWarning) {
  EXPECT_EQ(runLbcheck(kWarningOnly).status, 1);
  EXPECT_EQ(runLbcheck(kNotesOnly).status, 0);
}

TEST(GatesCli, UnreadableInputIsAnError) {
  EXPECT_EQ(runLbcheck("--fail-on error no/such/file.json").status, 1);
}

TEST(GatesCli, FailOnGivenTwiceIsAUsageError) {
  // Which one would win is a guess: refuse rather than silently pick one.
  const CliResult r = runLbcheck(std::string("--fail-on error --fail-on note ") + kNotesOnly);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--fail-on"), std::string::npos) << r.err;
}

TEST(GatesCli, WrongFailOnValueIsAUsageError) {
  for (const char* bad : {"fatal", "ERROR", "notice", "''", "1"}) {
    const CliResult r = runLbcheck(std::string("--fail-on ") + bad + " examples/plan.json");
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_NE(r.err.find("--fail-on"), std::string::npos) << bad << ": " << r.err;
    EXPECT_EQ(r.out, "") << bad;  // nothing was checked
  }
  const CliResult missing = runLbcheck("examples/plan.json --fail-on");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("--fail-on"), std::string::npos) << missing.err;
}

TEST(GatesCli, SeveralOutputsInOneRun) {
  TempDir tmp;
  const std::string sarif = tmp.path() + "/a.sarif", json = tmp.path() + "/b.json",
                    xml = tmp.path() + "/c.xml";
  const CliResult r = runLbcheck("--format sarif -o " + sarif + " --format json --output " + json +
                                 " --format text --format junit -o " + xml + " examples/plan.json");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("error[LB016]"), std::string::npos) << r.out;  // text on stdout
  EXPECT_EQ(nlohmann::json::parse(readText(sarif))["version"], "2.1.0");
  EXPECT_TRUE(nlohmann::json::parse(readText(json)).contains("findings"));
  lbcheck::testing::expectWellFormedXml(readText(xml));
  EXPECT_EQ(filesIn(tmp.path()), 3u);  // no temporary file left behind
}

TEST(GatesCli, MachineReadableFormatOnStdoutBesideAFile) {
  TempDir tmp;
  const std::string text = tmp.path() + "/report.txt";
  const CliResult r = runLbcheck("--format text -o " + text + " --format json examples/plan.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(nlohmann::json::parse(r.out).contains("findings")) << r.out;
  EXPECT_NE(readText(text).find("error[LB016]"), std::string::npos);
  EXPECT_EQ(readText(text).find('\033'), std::string::npos);  // never colour in a file by default
}

TEST(GatesCli, OneFormatWithOutputBeforeOrAfterKeepsWorking) {
  TempDir tmp;
  const std::string after = tmp.path() + "/after.sarif", before = tmp.path() + "/before.sarif";
  const CliResult a = runLbcheck("--format sarif -o " + after + " examples/plan.json");
  const CliResult b = runLbcheck("-o " + before + " --format sarif examples/plan.json");
  EXPECT_EQ(a.status, 1);
  EXPECT_EQ(b.status, 1);
  EXPECT_EQ(a.out, "");
  EXPECT_EQ(b.out, "");
  EXPECT_EQ(readText(after), readText(before));
  EXPECT_EQ(nlohmann::json::parse(readText(before))["version"], "2.1.0");
  // Short and --name=value spellings pair the same way.
  const std::string shortForm = tmp.path() + "/short.sarif", eqForm = tmp.path() + "/eq.sarif";
  EXPECT_EQ(runLbcheck("-f sarif -o " + shortForm + " examples/plan.json").status, 1);
  EXPECT_EQ(runLbcheck("--output=" + eqForm + " --format=sarif examples/plan.json").status, 1);
  EXPECT_EQ(readText(shortForm), readText(before));
  EXPECT_EQ(readText(eqForm), readText(before));
  // -o without --format writes text.
  const std::string text = tmp.path() + "/plain.txt";
  EXPECT_EQ(runLbcheck("-o " + text + " examples/plan.json").status, 1);
  EXPECT_NE(readText(text).find("error[LB016]"), std::string::npos);
}

TEST(GatesCli, AmbiguousOutputsAreUsageErrorsAndWriteNothing) {
  TempDir tmp;
  const std::string a = tmp.path() + "/a", b = tmp.path() + "/b";
  const std::pair<std::string, std::string> cases[] = {
      {"--format json --format sarif", "only one report can go to standard output"},
      {"-o " + a + " --format json --format sarif -o " + b, "comes before any --format"},
      {"--format json -o " + a + " -o " + b + " --format sarif", "has two -o/--output files"},
      {"--format json -o " + a + " --format sarif -o " + a, "both write to"},
      {"-o " + a + " -o " + b, "given 2 times"},
      {"--print-graph --format json -o " + a + " --format text", "--print-graph"},
  };
  for (const auto& [args, message] : cases) {
    const CliResult r = runLbcheck(args + " examples/plan.json");
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(filesIn(tmp.path()), 0u) << args;
  }
}

TEST(GatesCli, UnwritableOutputIsStatusTwoButTheOtherReportsAreWritten) {
  TempDir tmp;
  const std::string json = tmp.path() + "/ok.json";
  const CliResult r =
      runLbcheck("--format sarif -o " + tmp.path() + "/no/such/dir/x.sarif --format json -o " +
                 json + " --format text examples/plan.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cannot create"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("error[LB016]"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(readText(json)).contains("findings"));
}

TEST(GatesCli, StatisticsFollowTheTextReport) {
  const CliResult r = runLbcheck("--statistics examples/plan.json");
  EXPECT_EQ(r.status, 1);
  const size_t summary = r.out.find("lbcheck: 1 error, 1 warning");
  ASSERT_NE(summary, std::string::npos) << r.out;
  const std::string stats = r.out.substr(r.out.find('\n', summary) + 1);
  EXPECT_NE(stats.find("1  LB016 "), std::string::npos) << stats;
  EXPECT_NE(stats.find("  error    keep-alive-out-of-range\n"), std::string::npos) << stats;
  EXPECT_NE(stats.find("  warning  ingress-bypasses-internal-lb\n"), std::string::npos) << stats;
  EXPECT_EQ(r.err, "");
}

TEST(GatesCli, StatisticsNeverCorruptAMachineReadableStdout) {
  for (const char* format : {"json", "sarif"}) {
    const CliResult r =
        runLbcheck(std::string("--statistics --format ") + format + " examples/plan.json");
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(nlohmann::json::accept(r.out)) << format << r.out;
    EXPECT_NE(r.err.find("keep-alive-out-of-range"), std::string::npos) << format << r.err;
  }
  const CliResult junit = runLbcheck("--statistics --format junit examples/plan.json");
  lbcheck::testing::expectWellFormedXml(junit.out);
  EXPECT_NE(junit.err.find("keep-alive-out-of-range"), std::string::npos);
  const CliResult github = runLbcheck("--statistics --format github examples/plan.json");
  for (size_t start = 0, nl; (nl = github.out.find('\n', start)) != std::string::npos;
       start = nl + 1)
    EXPECT_EQ(github.out.compare(start, 2, "::"), 0) << github.out.substr(start, nl - start);
  EXPECT_NE(github.err.find("keep-alive-out-of-range"), std::string::npos);
}

TEST(GatesCli, StatisticsGoToStdoutWhenEveryReportGoesToAFile) {
  TempDir tmp;
  const CliResult r =
      runLbcheck("--statistics --format json -o " + tmp.path() + "/r.json examples/plan.json");
  EXPECT_NE(r.out.find("keep-alive-out-of-range"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(GatesCli, GithubFormatAnnotatesEveryFinding) {
  const CliResult r = runLbcheck("--format github examples/plan.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("::error file=examples/plan.json,line=757,col=42,endLine=757,endColumn="),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(",title=LB016 keep-alive-out-of-range::"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("::warning file=examples/plan.json,line=380,col=22,"), std::string::npos);
  EXPECT_NE(r.out.find("%0AFix: "), std::string::npos);
  const auto json = nlohmann::json::parse(runLbcheck("--format json examples/plan.json").out);
  EXPECT_EQ(count(r.out, "\n"), json["findings"].size());
  EXPECT_EQ(count(r.out, "::notice "), json["summary"]["notes"].get<size_t>());
}

TEST(GatesCli, JunitFormatHasASuitePerRuleAndAFailurePerFinding) {
  const CliResult r = runLbcheck("--format junit examples/plan.json");
  EXPECT_EQ(r.status, 1);
  lbcheck::testing::expectWellFormedXml(r.out);
  const auto json = nlohmann::json::parse(runLbcheck("--format json examples/plan.json").out);
  using lbcheck::testing::xpath;
  EXPECT_EQ(xpath(r.out, "count(/testsuites/testsuite)"),
            std::to_string(lbcheck::allRules().size()));
  EXPECT_EQ(xpath(r.out, "count(//failure)"), std::to_string(json["findings"].size()));
  EXPECT_EQ(xpath(r.out, "string(/testsuites/@failures)"), std::to_string(json["findings"].size()));
  // --rule narrows the suites to the named rules and the tool diagnostics.
  const CliResult one = runLbcheck("--format junit --rule LB016 examples/plan.json");
  EXPECT_EQ(xpath(one.out, "count(//testsuite[starts-with(@name, 'LB0')])"), "1");
  EXPECT_EQ(xpath(one.out, "count(//failure)"), "1");
}

TEST(GatesCli, HelpExplainsGatesFormatsAndStatistics) {
  const CliResult r = runLbcheck("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* s : {"--fail-on", "--statistics", "github", "junit", "never", "-o FILE"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  // The exit-status paragraph names the gate.
  const size_t exit = r.out.find("Exit status");
  ASSERT_NE(exit, std::string::npos);
  const std::string paragraph = r.out.substr(exit, r.out.find("\n\n", exit) - exit);
  EXPECT_NE(paragraph.find("--fail-on"), std::string::npos) << paragraph;
}
