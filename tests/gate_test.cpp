// --fail-on (which findings fail a run) and how --format and -o pair up.
#include <gtest/gtest.h>

#include "driver/gate.h"

using namespace lbcheck;

namespace {

Finding finding(Severity s) {
  Finding f;
  f.ruleId = "LB016";
  f.severity = s;
  return f;
}

using K = OutputArg::Kind;

std::vector<OutputTarget> plan(const std::vector<OutputArg>& args) {
  std::vector<OutputTarget> targets;
  std::string error;
  EXPECT_TRUE(planOutputs(args, &targets, &error)) << error;
  return targets;
}

std::string planError(const std::vector<OutputArg>& args) {
  std::vector<OutputTarget> targets;
  std::string error;
  EXPECT_FALSE(planOutputs(args, &targets, &error));
  return error;
}

}  // namespace

TEST(Gate, ParsesEveryLevelAndNothingElse) {
  EXPECT_EQ(parseFailOn("error"), FailOn::Error);
  EXPECT_EQ(parseFailOn("warning"), FailOn::Warning);
  EXPECT_EQ(parseFailOn("note"), FailOn::Note);
  EXPECT_EQ(parseFailOn("never"), FailOn::Never);
  EXPECT_EQ(parseFailOn(""), std::nullopt);
  EXPECT_EQ(parseFailOn("Error"), std::nullopt);
  EXPECT_EQ(parseFailOn("notice"), std::nullopt);
}

TEST(Gate, EachLevelFailsOnItsSeverityAndAbove) {
  struct Case {
    Severity worst;
    FailOn threshold;
    bool fails;
  };
  const Case cases[] = {
      {Severity::Note, FailOn::Note, true},      {Severity::Note, FailOn::Warning, false},
      {Severity::Note, FailOn::Error, false},    {Severity::Note, FailOn::Never, false},
      {Severity::Warning, FailOn::Note, true},   {Severity::Warning, FailOn::Warning, true},
      {Severity::Warning, FailOn::Error, false}, {Severity::Warning, FailOn::Never, false},
      {Severity::Error, FailOn::Note, true},     {Severity::Error, FailOn::Warning, true},
      {Severity::Error, FailOn::Error, true},    {Severity::Error, FailOn::Never, false},
  };
  for (const Case& c : cases) {
    // The worst finding comes last: the gate must look at all of them.
    const std::vector<Finding> findings = {finding(Severity::Note), finding(c.worst)};
    EXPECT_EQ(failsGate(findings, c.threshold), c.fails)
        << "worst " << severityName(c.worst) << ", threshold " << static_cast<int>(c.threshold);
  }
}

TEST(Gate, NoFindingsNeverFail) {
  for (FailOn t : {FailOn::Note, FailOn::Warning, FailOn::Error, FailOn::Never})
    EXPECT_FALSE(failsGate({}, t));
}

TEST(Gate, SuppressedAndBaselineFindingsNeverFail) {
  Finding suppressed = finding(Severity::Error);
  suppressed.suppression = Suppression{Suppression::Kind::External, "accepted risk", {}};
  Finding inBaseline = finding(Severity::Error);
  inBaseline.baseline = true;
  const std::vector<Finding> hidden = {suppressed, inBaseline};
  for (FailOn t : {FailOn::Note, FailOn::Warning, FailOn::Error})
    EXPECT_FALSE(failsGate(hidden, t)) << static_cast<int>(t);
  std::vector<Finding> withActive = hidden;
  withActive.push_back(finding(Severity::Note));
  EXPECT_TRUE(failsGate(withActive, FailOn::Note));
  EXPECT_FALSE(failsGate(withActive, FailOn::Warning));
}

TEST(PlanOutputs, NothingGivenIsTextOnStandardOutput) {
  EXPECT_EQ(plan({}), (std::vector<OutputTarget>{{"text", ""}}));
}

TEST(PlanOutputs, OneFormatTakesOneOutputBeforeOrAfterIt) {
  EXPECT_EQ(plan({{K::Format, "sarif"}, {K::Output, "x.sarif"}}),
            (std::vector<OutputTarget>{{"sarif", "x.sarif"}}));
  EXPECT_EQ(plan({{K::Output, "x.sarif"}, {K::Format, "sarif"}}),
            (std::vector<OutputTarget>{{"sarif", "x.sarif"}}));
  EXPECT_EQ(plan({{K::Output, "x.txt"}}), (std::vector<OutputTarget>{{"text", "x.txt"}}));
  EXPECT_EQ(plan({{K::Format, "json"}}), (std::vector<OutputTarget>{{"json", ""}}));
}

TEST(PlanOutputs, EachOutputBelongsToTheFormatBeforeIt) {
  EXPECT_EQ(plan({{K::Format, "sarif"},
                  {K::Output, "a.sarif"},
                  {K::Format, "text"},
                  {K::Format, "junit"},
                  {K::Output, "b.xml"}}),
            (std::vector<OutputTarget>{{"sarif", "a.sarif"}, {"text", ""}, {"junit", "b.xml"}}));
  EXPECT_EQ(plan({{K::Format, "json"},
                  {K::Output, "a.json"},
                  {K::Format, "sarif"},
                  {K::Output, "b.sarif"}}),
            (std::vector<OutputTarget>{{"json", "a.json"}, {"sarif", "b.sarif"}}));
}

TEST(PlanOutputs, OutputBeforeTheFirstOfSeveralFormatsIsAmbiguous) {
  const std::string e =
      planError({{K::Output, "a"}, {K::Format, "sarif"}, {K::Format, "json"}, {K::Output, "b"}});
  EXPECT_NE(e.find("-o a comes before any --format"), std::string::npos) << e;
}

TEST(PlanOutputs, TwoOutputsForOneFormatAreRejected) {
  EXPECT_NE(planError({{K::Format, "sarif"}, {K::Output, "a"}, {K::Output, "b"}})
                .find("given 2 times for one format"),
            std::string::npos);
  EXPECT_NE(planError({{K::Output, "a"}, {K::Output, "b"}}).find("given 2 times"),
            std::string::npos);
  const std::string e =
      planError({{K::Format, "sarif"}, {K::Output, "a"}, {K::Output, "b"}, {K::Format, "json"}});
  EXPECT_NE(e.find("--format sarif has two -o/--output files (a and b)"), std::string::npos) << e;
}

TEST(PlanOutputs, AtMostOneReportOnStandardOutput) {
  const std::string e =
      planError({{K::Format, "json"}, {K::Format, "sarif"}, {K::Format, "text"}, {K::Output, "t"}});
  EXPECT_NE(e.find("only one report can go to standard output, but --format json and --format "
                   "sarif have no -o/--output FILE"),
            std::string::npos)
      << e;
}

TEST(PlanOutputs, TwoFormatsCannotWriteOneFile) {
  const std::string e = planError(
      {{K::Format, "json"}, {K::Output, "r.out"}, {K::Format, "sarif"}, {K::Output, "./r.out"}});
  EXPECT_NE(e.find("--format json and --format sarif both write to ./r.out"), std::string::npos)
      << e;
}

TEST(PlanOutputs, AnEmptyFileNameIsRejected) {
  EXPECT_NE(planError({{K::Format, "json"}, {K::Output, ""}}).find("needs a file name"),
            std::string::npos);
}
