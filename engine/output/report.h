// Reporters: text for people, JSON for scripts, SARIF 2.1.0 for code scanning.
#pragma once

#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/rule.h"
#include "engine/source.h"

namespace lbcheck {

struct TextStyle {
  bool color = false;
};

std::string renderText(const SourceManager& sources, const std::vector<Finding>& findings,
                       size_t filesRead, const TextStyle& style);
std::string renderJson(const SourceManager& sources, const std::vector<Finding>& findings,
                       size_t filesRead);
/// `extraRules`: the organisation policies of the configuration, described in
/// the rule list like the built-in rules. `withBaseline`: a --baseline was
/// given, so every result says whether it is new or unchanged.
std::string renderSarif(const SourceManager& sources, const std::vector<Finding>& findings,
                        const std::vector<RuleInfo>& extraRules = {}, bool withBaseline = false);

/// Every resource with its identity and where it was read, and each reference
/// with what it resolved to.
std::string renderGraph(const SourceManager& sources, const Graph& graph);

/// The stable fingerprint of a finding: rule, resource identity and field path
/// (never line numbers), so alerts survive edits that move code around.
std::string fingerprint(const Finding& f, const SourceManager& sources);

extern const char* const kVersion;
extern const char* const kInformationUri;

}  // namespace lbcheck
