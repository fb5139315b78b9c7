// The --format table (driver/output/formats.cpp): every format is found by
// name, the help lists them in table order, and each writer writes what its
// render function does.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "driver/output/formats.h"
#include "driver/output/report.h"
#include "helpers.h"

using namespace lbcheck;

TEST(FormatTable, NamesAreUniqueAndFound) {
  std::set<std::string_view> names;
  for (const ReportFormat& f : reportFormats()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(findFormat(f.name), &f) << f.name;
    EXPECT_NE(f.write, nullptr) << f.name;
  }
  EXPECT_EQ(reportFormats().front().name, "text");  // the default
  EXPECT_EQ(findFormat("bogus"), nullptr);
}

TEST(FormatTable, HelpListsTheTable) {
  EXPECT_EQ(formatList(true),
            "text (for people), json, sarif (GitHub code scanning), github (GitHub Actions "
            "annotations), junit (JUnit XML for CI dashboards), markdown (pull requests and "
            "GitHub job summaries, with Mermaid diagrams) or html (one self-contained page: "
            "diagrams, findings, filters)");
  EXPECT_EQ(formatList(false, "text"), "json, sarif, github, junit, markdown or html");
}

TEST(FormatTable, WritersCallTheirRenderers) {
  const RunResult r = lbcheck::testing::runOn({"examples/plan.json"});
  const std::vector<RuleInfo> policies;
  const std::vector<std::string> only;
  const ReportInput in{r, policies, only, false, "", "never", false};
  auto write = [](const ReportFormat* format, const ReportInput& input) {
    std::ostringstream out;
    format->write(input, out);
    return out.str();
  };
  EXPECT_EQ(write(findFormat("text"), in), renderText(r.sources, r.findings, r.filesRead, {}));
  EXPECT_EQ(write(findFormat("json"), in), renderJson(r.sources, r.findings, r.filesRead));
  EXPECT_EQ(write(findFormat("github"), in), renderGithub(r.sources, r.findings));
  EXPECT_EQ(write(findFormat("junit"), in), renderJunit(r.sources, r.findings, rulesThatRan({})));
  const ReportInput rooted{r, policies, only, true, "/somewhere", "never", false};
  EXPECT_EQ(write(findFormat("sarif"), rooted),
            renderSarif(r.sources, r.findings, {}, true, "/somewhere"));
}
