#include "engine/check.h"

#include <algorithm>
#include <array>

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
  // The per-kind and name indexes are built before the threads start (resolve()
  // builds them; a graph that was not resolved has them built here), so rules
  // only read them.
  graph.ofKind(Kind::Unknown);
  graph.named(Kind::Unknown, {});
  // A small graph is checked faster than a thread starts (the pre-commit case).
  if (graph.size() < 2048) jobs = 1;

  // Rules that look at one resource at a time (RuleInfo::kinds) run resource by
  // resource: each resource is handed to every such rule of its kind in turn,
  // while its fields are in the cache, instead of each rule walking the whole
  // graph (on a million resources the graph is far larger than the caches).
  // Slices of the graph run side by side; each keeps a list per rule.
  std::vector<size_t> perResource, whole;
  std::array<std::vector<uint32_t>, kKindCount> rulesOfKind;
  for (size_t i = 0; i < rules.size(); ++i) {
    const KindSet kinds = rules[i]->info().kinds;
    if (kinds.empty()) {
      whole.push_back(i);
      continue;
    }
    for (uint8_t k = 0; k < kKindCount; ++k)
      if (kinds.contains(static_cast<Kind>(k)))
        rulesOfKind[k].push_back(static_cast<uint32_t>(perResource.size()));
    perResource.push_back(i);
  }
  constexpr size_t kSlice = 1024;
  const size_t slices = (graph.size() + kSlice - 1) / kSlice;
  // found[rule][slice] for per-resource rules; whole-graph rules use slice 0.
  std::vector<std::vector<std::vector<Finding>>> found(rules.size());
  for (size_t i : perResource) found[i].resize(slices);
  for (size_t i : whole) found[i].resize(1);
  const size_t tasks = whole.size() + slices;
  forEachOnThreads(tasks, jobs, 1, [&](size_t task, bool) {
    if (task < whole.size()) {  // the whole-graph rules first: they are the longest
      const size_t i = whole[task];
      Reporter reporter(rules[i]->info(), &found[i][0], options);
      rules[i]->check(graph, reporter);
      found[i][0].shrink_to_fit();
      if (phases::enabled()) phases::mark(std::string("rule ") + std::string(rules[i]->info().id));
      return;
    }
    const size_t slice = task - whole.size();
    std::vector<Reporter> reporters;
    reporters.reserve(perResource.size());
    for (size_t i : perResource)
      reporters.emplace_back(rules[i]->info(), &found[i][slice], options);
    const size_t end = std::min(graph.size(), (slice + 1) * kSlice);
    for (size_t at = slice * kSlice; at < end; ++at) {
      const Resource& r = graph.at(static_cast<int32_t>(at));
      for (uint32_t k : rulesOfKind[static_cast<size_t>(r.id.kind)])
        rules[perResource[k]]->check(graph, r, reporters[k]);
    }
    for (size_t i : perResource) found[i][slice].shrink_to_fit();
  });
  if (phases::enabled()) phases::mark("rules resource by resource");
  // Joined in rule order, each rule's findings in graph order: the same list as
  // one thread running one rule after the other.
  size_t total = 0;
  for (const auto& lists : found)
    for (const auto& list : lists) total += list.size();
  out.reserve(out.size() + total);
  for (auto& lists : found) {
    for (auto& list : lists) {
      for (Finding& f : list) out.push_back(std::move(f));
      std::vector<Finding>().swap(list);
    }
  }
}

}  // namespace lbcheck
