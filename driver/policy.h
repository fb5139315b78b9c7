// Configuration files and what they add to a run: organisation policies (as
// rules that run beside the built-in ones), then, after the rules, selection
// and severity overrides, inline and configured suppressions, and the baseline.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "driver/config.h"
#include "engine/graph.h"
#include "engine/rule.h"
#include "engine/source.h"

namespace lbcheck {

/// Every configuration file of a run, and which one governs each directory.
class ConfigSet {
 public:
  /// `--config FILE`: this file governs every input.
  void force(const std::string& path, SourceManager& sources, std::vector<Finding>& findings);
  /// `--no-config`: no file is looked for.
  void disable() { disabled_ = true; }
  /// The configuration governing `path` (a file, relative or absolute): the
  /// forced one, else the nearest .lbcheck.yaml up from its directory. Loads
  /// files as they are first needed; null when there is none.
  const Config* governing(std::string_view path, SourceManager& sources,
                          std::vector<Finding>& findings);
  /// The same for a loaded file, cached by file id (cheap per resource or finding).
  const Config* governingFile(uint32_t fileId, SourceManager& sources,
                              std::vector<Finding>& findings);
  const std::vector<std::unique_ptr<Config>>& all() const { return configs_; }
  /// Every policy of every configuration (for the SARIF rule list).
  std::vector<const Policy*> policies() const;

 private:
  const Config* load(const std::string& file, const std::string& dir, SourceManager& sources,
                     std::vector<Finding>& findings);
  std::vector<std::unique_ptr<Config>> configs_;
  /// The configuration governing `dir` (absolute, normalised).
  const Config* governingDir(std::string dir, SourceManager& sources,
                             std::vector<Finding>& findings);
  std::map<std::string, const Config*, std::less<>> byDir_;
  /// governing()'s answers by the directory as the path spells it.
  std::map<std::string, const Config*, std::less<>> byWrittenDir_;
  std::vector<const Config*> byFile_;  // by file id
  std::vector<bool> fileKnown_;
  const Config* forced_ = nullptr;
  bool disabled_ = false;
  std::recursive_mutex mutex_;  // rules may ask for their options from several threads
};

/// The organisation policies of every configuration, as rules that run beside
/// the built-in ones: each checks the resources its configuration governs.
/// Loads the configuration of every resource's file first (errors go to `findings`).
std::vector<std::unique_ptr<Rule>> policyRules(const Graph& graph, ConfigSet& configs,
                                               SourceManager& sources,
                                               std::vector<Finding>& findings);

/// The file may hold an inline suppression (it mentions `lbcheck:ignore`):
/// applyPolicy reads it whole, so it must stay in memory (SourceManager::release).
bool mayHoldSuppressions(const SourceFile& file);

/// Reads every `# lbcheck:ignore` comment, applies selection, severity overrides and suppressions
/// to `findings`, and reports malformed, expired and unused suppressions.
void applyPolicy(const Graph& graph, const std::vector<std::string>& onlyRules, ConfigSet& configs,
                 SourceManager& sources, std::vector<Finding>& findings);

/// Marks the findings whose fingerprint the baseline file lists. Problems with
/// the file are returned as a message ("" when fine). `fixed` counts baseline
/// entries no longer found.
std::string applyBaseline(const std::string& path, const SourceManager& sources,
                          std::vector<Finding>& findings, size_t* fixed);
/// The baseline of the current findings (every finding not suppressed).
std::string renderBaseline(const SourceManager& sources, const std::vector<Finding>& findings);

}  // namespace lbcheck
