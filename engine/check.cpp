#include "engine/check.h"

#include <algorithm>

#include "engine/parallel.h"
#include "engine/phases.h"

namespace lbcheck {

std::vector<Finding> checkGraph(const Graph& graph, const std::vector<std::string>& onlyRules,
                                const RuleOptions* options, size_t jobs,
                                const std::vector<const Rule*>& extra) {
  std::vector<Finding> out;
  checkGraph(graph, onlyRules, options, jobs, extra, out);
  return out;
}

void checkGraph(const Graph& graph, const std::vector<std::string>& onlyRules,
                const RuleOptions* options, size_t jobs, const std::vector<const Rule*>& extra,
                std::vector<Finding>& out) {
  std::vector<const Rule*> rules;
  for (const Rule* rule : allRules()) {
    if (rule->info().diagnostic) continue;
    if (!onlyRules.empty() &&
        std::find(onlyRules.begin(), onlyRules.end(), rule->info().id) == onlyRules.end())
      continue;
    rules.push_back(rule);
  }
  rules.insert(rules.end(), extra.begin(), extra.end());
  // The per-kind index is built before the threads start (resolve() builds it;
  // a graph that was not resolved has it built here), so rules only read it.
  graph.ofKind(Kind::Unknown);
  // Rules only read the graph: they run side by side, each into its own list,
  // and the lists join in rule order (the same output as one thread). A small
  // graph is checked faster than a thread starts (the pre-commit case).
  if (graph.size() < 2048) jobs = 1;
  std::vector<std::vector<Finding>> found(rules.size());
  forEachOnThreads(rules.size(), jobs, 1, [&](size_t i, bool) {
    Reporter reporter(rules[i]->info(), &found[i], options);
    // A rule with kinds is handed the resources of its kinds one by one (the
    // default Rule::check); one without checks the whole graph.
    rules[i]->check(graph, reporter);
    found[i].shrink_to_fit();  // the lists wait side by side for the join
    if (phases::enabled()) phases::mark(std::string("rule ") + std::string(rules[i]->info().id));
  });
  size_t total = 0;
  for (const auto& list : found) total += list.size();
  out.reserve(out.size() + total);
  for (auto& list : found) {
    for (Finding& f : list) out.push_back(std::move(f));
    std::vector<Finding>().swap(list);
  }
}

}  // namespace lbcheck
