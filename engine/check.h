// The rule runner: the registered rules (and any extra ones) over a resolved graph.
#pragma once

#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/rule.h"

namespace lbcheck {

/// Runs the rules on an already built graph. `options` gives the per-rule
/// settings of the configuration (none when null); the rules are spread over
/// `jobs` threads (the same findings, in the same order). `extra` rules (the
/// configuration's organisation policies) run after the registered ones. A rule
/// that declares `RuleInfo::kinds` is handed only the resources of those kinds.
std::vector<Finding> checkGraph(const Graph& graph, const std::vector<std::string>& onlyRules,
                                const RuleOptions* options = nullptr, size_t jobs = 1,
                                const std::vector<const Rule*>& extra = {});
/// The same, appending the findings to `out` (no second list of them).
void checkGraph(const Graph& graph, const std::vector<std::string>& onlyRules,
                const RuleOptions* options, size_t jobs, const std::vector<const Rule*>& extra,
                std::vector<Finding>& out);

}  // namespace lbcheck
