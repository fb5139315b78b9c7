// The configuration file (.lbcheck.yaml): rule selection, severity overrides,
// excluded paths, per-rule options, organisation policies and suppressions by
// resource address. One file governs the directory it sits in and everything
// below it; the nearest one up from an input wins.
#pragma once

#include <re2/re2.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/json.h"
#include "engine/model.h"
#include "engine/rule.h"
#include "engine/source.h"

namespace lbcheck {

inline constexpr std::string_view kConfigName = ".lbcheck.yaml";

/// A suppression written in the configuration: for inputs without comments
/// (JSON), or to silence a rule on a resource wherever it is read from.
struct ConfigSuppression {
  std::vector<std::string> rules;  // ids or id prefixes
  std::string resource;            // address, name or identity; `*` matches any run of characters
  std::string path;                // glob relative to the configuration's directory; "" = any file
  std::string reason;
  std::string until;  // YYYY-MM-DD, "" = no end
  Span where;         // the entry in the configuration file
  bool used = false;
};

/// An organisation policy: a check users write without C++.
struct Policy {
  RuleInfo info;  // id (user family), slug, summary (= message), severity, area "policy"
  std::string id, slug, message;
  std::vector<Kind> kinds;  // empty: every kind
  std::vector<std::string> allowedRegions;
  std::vector<std::string> requiredLabels;
  std::string namePatternText;
  std::shared_ptr<const RE2> namePattern;
  Span where;
};

struct Config {
  std::string dir;  // absolute directory the file governs
  uint32_t file = Span::kNoFile;
  std::vector<std::string> select;  // ids or prefixes; empty = every rule
  std::vector<std::string> ignore;  // ids or prefixes
  std::map<std::string, Severity, std::less<>> severity;
  std::vector<std::string> exclude;                         // globs relative to dir
  std::map<std::string, json::Value, std::less<>> options;  // rule id -> its mapping
  std::vector<Policy> policies;
  std::vector<ConfigSuppression> suppress;
  std::vector<std::unique_ptr<json::Document>> documents;  // keeps `options` alive

  /// Whether findings of `ruleId` are reported under this configuration.
  bool enabled(std::string_view ruleId) const;
  /// Whether `absolutePath` matches one of the `exclude` globs.
  bool excludes(std::string_view absolutePath) const;
};

/// Reads and validates `file` (the configuration governing `dir`). Every
/// problem is an LBC008 finding at its key or value; what is valid is kept.
std::unique_ptr<Config> loadConfig(const SourceFile& file, std::string dir,
                                   std::vector<Finding>& findings);

/// Whether `id` equals `pattern` or starts with it as a family prefix ("NET",
/// "LB01"), case-insensitively.
bool ruleMatches(std::string_view pattern, std::string_view id);

/// Glob match: `*` any run within a path segment, `**` any run of segments,
/// `?` one character. Both sides use '/' separators.
bool globMatch(std::string_view glob, std::string_view path);

/// Today's date as YYYY-MM-DD (UTC), or LBCHECK_TODAY when set (reproducible tests).
std::string today();
/// Whether `s` is a valid YYYY-MM-DD calendar date.
bool validDate(std::string_view s);

/// The options a rule documents: key -> a short description of the value.
const std::map<std::string, std::map<std::string, std::string>, std::less<>>& knownRuleOptions();

}  // namespace lbcheck
