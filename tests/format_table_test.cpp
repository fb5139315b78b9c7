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

TEST(FormatTable, FormatsThatDrawNoGraphWriteTheSameWithoutIt) {
  // lbcheck frees the graph before the reports when none of them draws it
  // (releaseGraph): a writer that read it anyway would write something else.
  // examples/ holds a chain with findings, so the diagrams are not empty.
  RunResult r = lbcheck::testing::runOn({"examples"});
  ASSERT_GT(r.graph.size(), 0u);
  ASSERT_FALSE(r.findings.empty());
  const std::vector<RuleInfo> policies;
  const std::vector<std::string> only;
  auto write = [&](const ReportFormat& format) {
    std::ostringstream out;
    format.write(ReportInput{r, policies, only, false, "", "never", false}, out);
    return out.str();
  };
  std::vector<std::string> before;
  for (const ReportFormat& f : reportFormats()) before.push_back(write(f));
  releaseGraph(r);
  EXPECT_EQ(r.graph.size(), 0u);
  size_t i = 0, drawing = 0;
  for (const ReportFormat& f : reportFormats()) {
    if (f.drawsGraph) {
      ++drawing;
      EXPECT_NE(write(f), before[i]) << f.name << " draws the graph: without it, it differs";
    } else {
      EXPECT_EQ(write(f), before[i]) << f.name;
    }
    ++i;
  }
  EXPECT_EQ(drawing, 2u);  // markdown and html
}
