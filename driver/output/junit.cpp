// JUnit XML for CI dashboards: one <testsuite> per rule that ran, one failing
// <testcase> per active finding, one passing <testcase> for a rule without any.
#include <algorithm>
#include <map>

#include "driver/output/escape.h"
#include "driver/output/report.h"

namespace lbcheck {

std::vector<std::string> rulesThatRan(const std::vector<std::string>& onlyRules) {
  std::vector<std::string> ids;
  for (const Rule* rule : allRules()) {
    const RuleInfo& info = rule->info();
    // Tool diagnostics (LBC...) come from reading the inputs: --rule never turns them off.
    const bool named = std::find(onlyRules.begin(), onlyRules.end(), info.id) != onlyRules.end();
    if (onlyRules.empty() || info.diagnostic || named) ids.emplace_back(info.id);
  }
  return ids;
}

std::string renderJunit(const SourceManager& sources, const std::vector<Finding>& findings,
                        const std::vector<std::string>& rulesRun) {
  // Suites in rule id order; a finding of a rule not in the list still gets its suite.
  std::map<std::string, std::vector<const Finding*>> byRule;
  for (const std::string& id : rulesRun) byRule[id];
  for (const Finding& f : findings)
    if (f.active()) byRule[f.ruleId].push_back(&f);

  size_t tests = 0, failures = 0;
  std::string suites;
  for (const auto& [id, list] : byRule) {
    std::string name = id;
    if (const Rule* rule = findRule(id)) name += " " + std::string(rule->info().slug);
    const std::string classname = output::xmlAttribute("lbcheck." + id);
    const size_t suiteTests = list.empty() ? 1 : list.size();
    tests += suiteTests;
    failures += list.size();
    suites += "  <testsuite name=\"" + output::xmlAttribute(name) + "\" tests=\"" +
              std::to_string(suiteTests) + "\" failures=\"" + std::to_string(list.size()) +
              "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
    if (list.empty()) {
      // The rule ran and found nothing: one passing test, so dashboards count it.
      suites += "    <testcase name=\"" + output::xmlAttribute(name) + "\" classname=\"" +
                classname + "\" time=\"0\"/>\n";
    }
    for (const Finding* f : list) {
      std::string caseName = output::spanText(sources, f->span);
      if (!f->resource.empty()) caseName += " " + f->resource;
      suites += "    <testcase name=\"" + output::xmlAttribute(caseName) + "\" classname=\"" +
                classname + "\" time=\"0\">\n";
      suites += "      <failure message=\"" + output::xmlAttribute(f->message) + "\" type=\"" +
                output::xmlAttribute(f->ruleId) + "\">" +
                output::xmlText(output::findingText(sources, *f)) + "</failure>\n";
      suites += "    </testcase>\n";
    }
    suites += "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lbcheck\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"0\" time=\"0\">\n" + suites + "</testsuites>\n";
}

}  // namespace lbcheck
