// The CI-facing reports on hand-made findings: GitHub Actions annotations,
// JUnit XML, --statistics, and what the text report shows of suppressed and
// baseline findings.
#include <gtest/gtest.h>

#include "driver/output/report.h"
#include "helpers.h"
#include "xml_check.h"

using namespace lbcheck;
using lbcheck::testing::expectWellFormedXml;
using lbcheck::testing::xpath;

namespace {

constexpr std::string_view kFile =
    "{\n"
    "  \"ingress\": \"INGRESS_TRAFFIC_ALL\",\n"
    "  \"keep_alive\": 610,\n"
    "  \"name\": \"x\"\n"
    "}\n";

/// One source file and findings on it, made by hand.
struct Hand {
  SourceManager sources;
  std::vector<Finding> findings;
  uint32_t file;

  explicit Hand(std::string path = "infra/plan.json") {
    file = sources.add(std::move(path), std::string(kFile)).id();
  }
  /// A finding on the first occurrence of `text` in the file.
  Finding& add(std::string id, Severity s, std::string_view text, std::string message,
               std::string help = "") {
    const auto at = static_cast<uint32_t>(kFile.find(text));
    Finding f;
    f.ruleId = std::move(id);
    f.severity = s;
    f.span = {file, at, at + static_cast<uint32_t>(text.size())};
    f.message = std::move(message);
    f.help = std::move(help);
    f.resource = "google_thing.t";
    findings.push_back(std::move(f));
    return findings.back();
  }
  /// The usual set: an error, a warning, a note, one suppressed, one in the baseline.
  static Hand mixed() {
    Hand h;
    h.add("LB016", Severity::Error, "610", "keep-alive is 610 s", "use 600 or less");
    h.add("RUN002", Severity::Warning, "\"INGRESS_TRAFFIC_ALL\"", "ingress is open",
          "set INGRESS_TRAFFIC_INTERNAL_ONLY");
    h.add("RUN005", Severity::Note, "\"x\"", "default URL on");
    h.add("LB001", Severity::Error, "\"name\"", "SUPPRESSED-ONE").suppression =
        Suppression{Suppression::Kind::InSource, "known", {}};
    h.add("LB002", Severity::Error, "\"keep_alive\"", "BASELINE-ONE").baseline = true;
    return h;
  }
};

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl = s.find('\n'); nl != std::string::npos; start = nl + 1, nl = s.find('\n', start))
    out.push_back(s.substr(start, nl - start));
  if (start < s.size()) out.push_back(s.substr(start));
  return out;
}

}  // namespace

// --- GitHub Actions workflow commands ---------------------------------------

TEST(GithubReport, OneCommandPerActiveFindingWithGithubSeverities) {
  const Hand h = Hand::mixed();
  const auto out = lines(renderGithub(h.sources, h.findings));
  ASSERT_EQ(out.size(), 3u) << renderGithub(h.sources, h.findings);
  EXPECT_EQ(out[0],
            "::error file=infra/plan.json,line=3,col=17,endLine=3,endColumn=19,"
            "title=LB016 keep-alive-out-of-range::keep-alive is 610 s%0AFix: use 600 or less");
  EXPECT_EQ(out[1].rfind("::warning file=infra/plan.json,line=2,col=14,endLine=2,endColumn=34,"
                         "title=RUN002 ingress-bypasses-internal-lb::ingress is open%0AFix: ",
                         0),
            0u)
      << out[1];
  EXPECT_EQ(out[2].rfind("::notice file=infra/plan.json,line=4,", 0), 0u) << out[2];
}

TEST(GithubReport, SuppressedAndBaselineFindingsAreNotAnnotated) {
  const Hand h = Hand::mixed();
  const std::string out = renderGithub(h.sources, h.findings);
  EXPECT_EQ(out.find("SUPPRESSED-ONE"), std::string::npos) << out;
  EXPECT_EQ(out.find("BASELINE-ONE"), std::string::npos) << out;
  EXPECT_EQ(out.find("LB001"), std::string::npos) << out;
}

TEST(GithubReport, EscapesMessagesAndPropertiesTheWayTheRunnerDecodes) {
  Hand h("dir:odd,name%.json");
  h.add("LB016", Severity::Error, "610", "100% of\r\nit: a,b", "line1\nline2");
  const std::string out = renderGithub(h.sources, h.findings);
  EXPECT_EQ(out,
            "::error file=dir%3Aodd%2Cname%25.json,line=3,col=17,endLine=3,endColumn=19,"
            "title=LB016 keep-alive-out-of-range::100%25 of%0D%0Ait: a,b%0AFix: line1%0Aline2\n");
}

TEST(GithubReport, ControlCharactersAndInvalidUtf8NeverReachTheLog) {
  Hand h;
  h.add("LB016", Severity::Error, "610", std::string("a\x1b[31mb\x01\xff"));
  const std::string out = renderGithub(h.sources, h.findings);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x01'), std::string::npos) << out;
  EXPECT_EQ(out.find('\xff'), std::string::npos) << out;
  EXPECT_NE(out.find("::a\xEF\xBF\xBD[31mb\xEF\xBF\xBD\xEF\xBF\xBD\n"), std::string::npos) << out;
  EXPECT_EQ(lines(out).size(), 1u);
}

TEST(GithubReport, MultiLineSpansHaveNoColumnsAndRelatedLocationsAreListed) {
  Hand h;
  Finding& f = h.add("RUN002", Severity::Warning, "\"ingress\": \"INGRESS_TRAFFIC_ALL\",\n  \"keep",
                     "spans lines");
  const auto at = static_cast<uint32_t>(kFile.find("\"x\""));
  f.related.push_back({{h.file, at, at + 3}, "seen here"});
  const std::string out = renderGithub(h.sources, h.findings);
  EXPECT_EQ(out,
            "::warning file=infra/plan.json,line=2,endLine=3,"
            "title=RUN002 ingress-bypasses-internal-lb::spans lines"
            "%0Anote: infra/plan.json:4:11: seen here\n");
}

TEST(GithubReport, FindingWithoutAFileHasNoPosition) {
  Hand h;
  Finding f;
  f.ruleId = "LBC002";
  f.severity = Severity::Error;
  f.message = "nowhere";
  h.findings.push_back(f);
  const std::string out = renderGithub(h.sources, h.findings);
  EXPECT_EQ(out.rfind("::error title=LBC002 ", 0), 0u) << out;
  EXPECT_NE(out.find("::nowhere\n"), std::string::npos) << out;
}

// --- JUnit XML ---------------------------------------------------------------

TEST(JunitReport, OneSuitePerRuleThatRanWithConsistentCounts) {
  const Hand h = Hand::mixed();
  const std::vector<std::string> ran = {"LB001", "LB002", "LB016", "NET001", "RUN002", "RUN005"};
  const std::string xml = renderJunit(h.sources, h.findings, ran);
  expectWellFormedXml(xml);
  EXPECT_EQ(xpath(xml, "count(/testsuites/testsuite)"), "6");
  // Three active findings fail; LB001 (suppressed), LB002 (baseline) and NET001 pass.
  EXPECT_EQ(xpath(xml, "count(//testcase)"), "6");
  EXPECT_EQ(xpath(xml, "count(//testcase/failure)"), "3");
  EXPECT_EQ(xpath(xml, "string(/testsuites/@tests)"), "6");
  EXPECT_EQ(xpath(xml, "string(/testsuites/@failures)"), "3");
  EXPECT_EQ(xpath(xml, "sum(//testsuite/@tests)"), "6");
  EXPECT_EQ(xpath(xml, "sum(//testsuite/@failures)"), "3");
  // Every suite's counts match its own test cases.
  EXPECT_EQ(xpath(xml, "count(//testsuite[@tests != count(testcase)])"), "0");
  EXPECT_EQ(xpath(xml, "count(//testsuite[@failures != count(testcase/failure)])"), "0");
  EXPECT_EQ(xpath(xml, "string(//testsuite[testcase/failure/@type='LB016']/@name)"),
            "LB016 keep-alive-out-of-range");
  EXPECT_EQ(xpath(xml, "string(//testcase[failure/@type='LB016']/@classname)"), "lbcheck.LB016");
  EXPECT_EQ(xpath(xml, "string(//testcase[failure/@type='LB016']/@name)"),
            "infra/plan.json:3:17 google_thing.t");
  EXPECT_EQ(xpath(xml, "string(//failure[@type='LB016'])"),
            "infra/plan.json:3:17: error[LB016]: keep-alive is 610 s\n"
            "resource: google_thing.t\n"
            "help: use 600 or less");
}

TEST(JunitReport, SuppressedAndBaselineFindingsAreLeftOut) {
  const Hand h = Hand::mixed();
  const std::string xml = renderJunit(h.sources, h.findings, {"LB001", "LB002"});
  EXPECT_EQ(xml.find("SUPPRESSED-ONE"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("BASELINE-ONE"), std::string::npos) << xml;
  EXPECT_EQ(xpath(xml, "count(//failure[@type='LB001' or @type='LB002'])"), "0");
}

TEST(JunitReport, AFindingOfARuleNotListedStillGetsItsSuite) {
  const Hand h = Hand::mixed();
  const std::string xml = renderJunit(h.sources, h.findings, {});
  EXPECT_EQ(xpath(xml, "count(/testsuites/testsuite)"), "3");
  EXPECT_EQ(xpath(xml, "string(/testsuites/@tests)"), "3");
  EXPECT_EQ(xpath(xml, "string(/testsuites/@failures)"), "3");
}

TEST(JunitReport, HostileMessagesStayWellFormed) {
  Hand h("a<b>&\"c'.json");
  const std::string hostile = std::string("<&\">'\x01 ]]> \xff\xfe tab\there\r\nnext \x7f end");
  Finding& f = h.add("LB016", Severity::Error, "610", hostile, hostile);
  f.resource = hostile;
  f.related.push_back({f.span, hostile});
  const std::string xml = renderJunit(h.sources, h.findings, {"LB016"});
  expectWellFormedXml(xml);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\x7f'), std::string::npos);
  EXPECT_EQ(xml.find("]]>"), std::string::npos);
  // The parser gets the message back, with each illegal character replaced by U+FFFD
  // and the line break kept.
  EXPECT_EQ(xpath(xml, "string(//failure/@message)"),
            "<&\">'\xEF\xBF\xBD ]]> \xEF\xBF\xBD\xEF\xBF\xBD tab\there\r\nnext \xEF\xBF\xBD end");
  EXPECT_EQ(xpath(xml, "string(//testcase/@name)").rfind("a<b>&\"c'.json:3:17 <&\">'", 0), 0u);
}

TEST(JunitReport, RulesThatRanFollowTheRuleFilterAndKeepDiagnostics) {
  const auto all = rulesThatRan({});
  EXPECT_EQ(all.size(), allRules().size());
  const auto some = rulesThatRan({"NET001"});
  EXPECT_NE(std::find(some.begin(), some.end(), "NET001"), some.end());
  EXPECT_EQ(std::find(some.begin(), some.end(), "LB016"), some.end());
  EXPECT_NE(std::find(some.begin(), some.end(), "LBC001"), some.end());  // diagnostics always run
}

// --- --statistics ------------------------------------------------------------

TEST(Statistics, CountsActiveFindingsPerRuleMostFrequentFirst) {
  Hand h = Hand::mixed();
  h.add("RUN002", Severity::Warning, "\"name\"", "again");
  h.add("RUN002", Severity::Note, "\"name\"", "lower on one");
  EXPECT_EQ(renderStatistics(h.findings),
            "2  RUN002  warning  ingress-bypasses-internal-lb\n"
            "1  LB016   error    keep-alive-out-of-range\n"
            "1  RUN002  note     ingress-bypasses-internal-lb\n"
            "1  RUN005  note     default-url-enabled\n"
            "1 suppressed, 1 in baseline not counted\n");
}

TEST(Statistics, NothingActiveNothingHidden) {
  Hand h;
  EXPECT_EQ(renderStatistics(h.findings), "");
  h.add("LB016", Severity::Error, "610", "x").baseline = true;
  EXPECT_EQ(renderStatistics(h.findings), "1 in baseline not counted\n");
}

TEST(Statistics, PoliciesAreNamedLikeRulesAndUnknownIdsEndTheLine) {
  Hand h;
  h.add("ORG001", Severity::Error, "\"us-east1\"", "not in the EU");
  h.add("XYZ999", Severity::Warning, "\"x\"", "from nowhere");
  RuleInfo eu{"ORG001", "eu-only", "load balancers run in the EU", Severity::Error, "policy"};
  EXPECT_EQ(renderStatistics(h.findings, {eu}),
            "1  ORG001  error    eu-only\n"
            "1  XYZ999  warning\n");
}

TEST(Statistics, ColumnsWidenForLargeCounts) {
  Hand h;
  for (int i = 0; i < 12; ++i) h.add("LB016", Severity::Error, "610", "x");
  h.add("RUN005", Severity::Note, "\"x\"", "y");
  EXPECT_EQ(renderStatistics(h.findings),
            "12  LB016   error    keep-alive-out-of-range\n"
            " 1  RUN005  note     default-url-enabled\n");
}

// --- text: active findings only ---------------------------------------------

TEST(TextReport, ShowsActiveFindingsOnlyAndCountsTheRest) {
  const Hand h = Hand::mixed();
  const std::string text = renderText(h.sources, h.findings, 1, {});
  EXPECT_EQ(text.find("SUPPRESSED-ONE"), std::string::npos) << text;
  EXPECT_EQ(text.find("BASELINE-ONE"), std::string::npos) << text;
  EXPECT_NE(text.find("error[LB016]"), std::string::npos) << text;
  EXPECT_NE(text.find("lbcheck: 1 error, 1 warning, 1 note in 1 file (1 read); 1 suppressed, 1 "
                      "in baseline not shown\n"),
            std::string::npos)
      << text;
}

TEST(TextReport, OnlyHiddenFindingsStillSayHowManyWereHidden) {
  Hand h;
  h.add("LB016", Severity::Error, "610", "a").suppression = Suppression{};
  h.add("LB016", Severity::Error, "610", "b").suppression = Suppression{};
  h.add("RUN005", Severity::Note, "\"x\"", "c").baseline = true;
  EXPECT_EQ(renderText(h.sources, h.findings, 3, {}),
            "lbcheck: no findings in 3 files; 2 suppressed, 1 in baseline not shown\n");
}

TEST(TextReport, SuppressedAndInBaselineCountsOnceAsSuppressed) {
  Hand h;
  Finding& f = h.add("LB016", Severity::Error, "610", "a");
  f.suppression = Suppression{};
  f.baseline = true;
  EXPECT_EQ(renderText(h.sources, h.findings, 1, {}),
            "lbcheck: no findings in 1 file; 1 suppressed not shown\n");
}
