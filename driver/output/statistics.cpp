// --statistics: active findings counted per rule and severity, like `ruff --statistics`.
#include <algorithm>
#include <map>
#include <tuple>

#include "driver/output/report.h"

namespace lbcheck {

HiddenCounts hiddenCounts(const std::vector<Finding>& findings) {
  HiddenCounts h;
  for (const Finding& f : findings) {
    if (f.suppression)
      ++h.suppressed;  // suppressed and in the baseline: counted once, as suppressed
    else if (f.baseline)
      ++h.baseline;
  }
  return h;
}

std::string hiddenText(const HiddenCounts& hidden, std::string_view verb) {
  std::string out;
  if (hidden.suppressed) out += std::to_string(hidden.suppressed) + " suppressed";
  if (hidden.baseline) {
    if (!out.empty()) out += ", ";
    out += std::to_string(hidden.baseline) + " in baseline";
  }
  if (!out.empty()) out += " " + std::string(verb);
  return out;
}

std::string renderStatistics(const std::vector<Finding>& findings,
                             const std::vector<RuleInfo>& policies) {
  std::map<std::pair<std::string, Severity>, size_t> counts;
  for (const Finding& f : findings)
    if (f.active()) ++counts[{f.ruleId, f.severity}];
  struct Row {
    size_t count;
    std::string id;
    Severity severity;
    std::string name;
  };
  std::vector<Row> rows;
  size_t countWidth = 1, idWidth = 1;
  for (const auto& [key, n] : counts) {
    std::string name;
    if (const Rule* rule = findRule(key.first)) {
      name = rule->info().slug;
    } else {  // an organisation policy of the configuration: its `name`
      for (const RuleInfo& p : policies)
        if (p.id == key.first) name = p.slug;
    }
    rows.push_back({n, key.first, key.second, std::move(name)});
    countWidth = std::max(countWidth, std::to_string(n).size());
    idWidth = std::max(idWidth, key.first.size());
  }
  // Most frequent first; ties by rule id, then the more severe first.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::make_tuple(b.count, a.id, b.severity) < std::make_tuple(a.count, b.id, a.severity);
  });
  std::string out;
  for (const Row& r : rows) {
    const std::string n = std::to_string(r.count);
    const std::string_view sev = severityName(r.severity);
    out += std::string(countWidth - n.size(), ' ') + n + "  " + r.id +
           std::string(idWidth - r.id.size(), ' ') + "  " + std::string(sev) +
           std::string(7 - sev.size(), ' ') + (r.name.empty() ? "" : "  " + r.name) + "\n";
  }
  const std::string hidden = hiddenText(hiddenCounts(findings), "not counted");
  if (!hidden.empty()) out += hidden + "\n";
  return out;
}

}  // namespace lbcheck
