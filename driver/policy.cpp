#include "driver/policy.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "driver/output/report.h"
#include "driver/paths.h"
#include "engine/diagnostics.h"

namespace lbcheck {

namespace fs = std::filesystem;

namespace {

std::string absoluteDir(std::string_view path) {
  return fs::path(absolutePath(path)).parent_path().generic_string();
}

bool readAll(const std::string& path, std::string* out) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  if (fs::file_size(path, ec) > (1u << 20)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

}  // namespace

const Config* ConfigSet::load(const std::string& file, const std::string& dir,
                              SourceManager& sources, std::vector<Finding>& findings) {
  std::string bytes;
  std::error_code ec;
  const fs::path rel = fs::path(file).lexically_relative(fs::current_path(ec));
  const std::string shown =
      !ec && !rel.empty() && rel.native().rfind("..", 0) != 0 ? rel.generic_string() : file;
  if (!readAll(file, &bytes)) {
    SourceFile& f = sources.add(shown, "");
    findings.push_back(makeDiagnostic(diag::kConfigError, Severity::Error, Span{f.id(), 0, 0},
                                      "cannot read the configuration file (missing, not a "
                                      "regular file, or over 1 MiB)"));
    return nullptr;
  }
  SourceFile& f = sources.add(shown, std::move(bytes));
  configs_.push_back(loadConfig(f, dir, findings));
  return configs_.back().get();
}

void ConfigSet::force(const std::string& path, SourceManager& sources,
                      std::vector<Finding>& findings) {
  forced_ = load(absolutePath(path), absoluteDir(path), sources, findings);
  if (!forced_) {
    // Keep going with no configuration, but never silently: the error is reported.
    disabled_ = true;
  }
}

const Config* ConfigSet::governing(std::string_view path, SourceManager& sources,
                                   std::vector<Finding>& findings) {
  if (forced_) return forced_;
  if (disabled_ || path.empty()) return nullptr;
  const std::lock_guard<std::recursive_mutex> lock(mutex_);
  // Files of one directory share the answer: asked by the directory as
  // written, it costs no system call (an absolute path asks for the working
  // directory, and the walk up stats each level).
  // ("" for a bare name, "/" for the root: the slash stays.)
  const size_t slash = path.rfind('/');
  const std::string written(path.substr(0, slash == std::string_view::npos ? 0 : slash + 1));
  if (auto it = byWrittenDir_.find(written); it != byWrittenDir_.end()) return it->second;
  const Config* answer = governingDir(absoluteDir(path), sources, findings);
  byWrittenDir_.emplace(written, answer);
  return answer;
}

const Config* ConfigSet::governingDir(std::string dir, SourceManager& sources,
                                      std::vector<Finding>& findings) {
  std::vector<std::string> visited;
  const Config* found = nullptr;
  while (true) {
    if (auto it = byDir_.find(dir); it != byDir_.end()) {
      found = it->second;
      break;
    }
    visited.push_back(dir);
    const std::string candidate = (dir == "/" ? "" : dir) + "/" + std::string(kConfigName);
    std::error_code ec;
    if (fs::exists(candidate, ec)) {
      found = load(candidate, dir, sources, findings);
      break;
    }
    const std::string parent = fs::path(dir).parent_path().generic_string();
    if (parent == dir || parent.empty()) break;
    dir = parent;
  }
  for (const std::string& d : visited) byDir_[d] = found;
  return found;
}

const Config* ConfigSet::governingFile(uint32_t fileId, SourceManager& sources,
                                       std::vector<Finding>& findings) {
  if (forced_) return forced_;
  if (disabled_) return nullptr;
  const std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (fileId < fileKnown_.size() && fileKnown_[fileId]) return byFile_[fileId];
  const SourceFile* file = sources.find(fileId);
  const Config* config = file ? governing(file->path(), sources, findings) : nullptr;
  if (file) {
    if (fileKnown_.size() <= fileId) {
      fileKnown_.resize(fileId + 1, false);
      byFile_.resize(fileId + 1, nullptr);
    }
    fileKnown_[fileId] = true;
    byFile_[fileId] = config;
  }
  return config;
}

std::vector<const Policy*> ConfigSet::policies() const {
  std::vector<const Policy*> out;
  std::set<std::string> seen;
  for (const auto& c : configs_)
    for (const Policy& p : c->policies)
      if (seen.insert(p.id).second) out.push_back(&p);
  return out;
}

namespace {

// ---------------------------------------------------------------------------
// Inline suppressions: `# lbcheck:ignore ID[,ID] -- reason [until=YYYY-MM-DD]`

struct Inline {
  uint32_t file = 0;
  Span where;
  std::vector<std::string> rules;
  std::string reason;
  std::string until;
  uint32_t targetLine = 0;  // 1-based
  bool used = false;
  bool expired = false;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// The comment text of a line that holds only a comment, or "" (no comment).
bool commentOnly(std::string_view line) {
  const std::string_view t = trim(line);
  return t.rfind("#", 0) == 0 || t.rfind("//", 0) == 0 || t.rfind("/*", 0) == 0 ||
         t.rfind("<!--", 0) == 0;
}

bool fence(std::string_view line) {
  const std::string_view t = trim(line);
  return t.rfind("```", 0) == 0 || t.rfind("~~~", 0) == 0;
}

struct Line {
  uint32_t begin, end;  // [begin, end) without the terminator
};

std::vector<Line> splitLines(std::string_view text) {
  std::vector<Line> lines;
  uint32_t start = 0;
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back({start, i});
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  lines.push_back({start, static_cast<uint32_t>(text.size())});
  return lines;
}

constexpr std::string_view kTag = "lbcheck:ignore";

}  // namespace

bool mayHoldSuppressions(const SourceFile& file) {
  return file.text().find(kTag) != std::string_view::npos;
}

namespace {

/// Finds the suppressions of one file. Malformed ones become LBC009 findings.
void scanFile(const SourceFile& file, std::vector<Inline>& out, std::vector<Finding>& findings) {
  // A released file holds no suppression: run() keeps those (mayHoldSuppressions).
  if (!file.resident() || !mayHoldSuppressions(file)) return;
  const std::string_view text = file.text();
  if (looksLikeJson(text)) return;
  const bool markdown =
      file.path().size() >= 3 && file.path().substr(file.path().size() - 3) == ".md";
  const std::vector<Line> lines = splitLines(text);
  for (size_t li = 0; li < lines.size(); ++li) {
    const std::string_view line = text.substr(lines[li].begin, lines[li].end - lines[li].begin);
    const size_t tag = line.find(kTag);
    if (tag == std::string_view::npos) continue;
    // The tag must open a comment: `#`, `//`, `/*` or `<!--`, then spaces.
    size_t m = tag;
    while (m > 0 && (line[m - 1] == ' ' || line[m - 1] == '\t')) --m;
    size_t markerLen = 0;
    if (m >= 1 && line[m - 1] == '#')
      markerLen = 1;
    else if (m >= 2 && (line.substr(m - 2, 2) == "//" || line.substr(m - 2, 2) == "/*"))
      markerLen = 2;
    else if (m >= 4 && line.substr(m - 4, 4) == "<!--")
      markerLen = 4;
    if (markerLen == 0) continue;
    const size_t marker = m - markerLen;
    const bool ownLine = trim(line.substr(0, marker)).empty();
    std::string_view rest = line.substr(tag + kTag.size());
    // The comment ends at the line end, `*/` or `-->`.
    for (std::string_view close : {"*/", "-->"})
      if (size_t c = rest.find(close); c != std::string_view::npos) rest = rest.substr(0, c);
    const Span where{file.id(), lines[li].begin + static_cast<uint32_t>(marker),
                     lines[li].begin + static_cast<uint32_t>(tag + kTag.size())};
    auto problem = [&](std::string message) {
      findings.push_back(makeDiagnostic(
          diag::kSuppressionProblem, Severity::Warning, where, std::move(message),
          "write `# lbcheck:ignore ID[,ID] -- reason` (optionally `until=YYYY-MM-DD` after the "
          "reason); the reason is required"));
    };
    Inline s;
    s.file = file.id();
    s.where = where;
    const size_t dash = rest.find("--");
    const std::string_view ids = trim(rest.substr(0, dash));
    std::string current;
    for (char c : std::string(ids) + ",") {
      if (c == ',' || c == ' ' || c == '\t') {
        if (!current.empty()) s.rules.push_back(current);
        current.clear();
      } else {
        current += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
    }
    if (s.rules.empty()) {
      problem("this suppression names no rule id, so it suppresses nothing");
      continue;
    }
    bool badId = false;
    for (const std::string& id : s.rules) {
      if (!findRule(id)) {
        bool policyLike = !id.empty() && std::isalpha(static_cast<unsigned char>(id[0]));
        for (char c : id) policyLike = policyLike && std::isalnum(static_cast<unsigned char>(c));
        if (!policyLike) {
          problem("`" + id + "` is not a rule id, so this suppression is ignored");
          badId = true;
        }
      }
    }
    if (badId) continue;
    std::string reason =
        dash == std::string_view::npos ? std::string() : std::string(trim(rest.substr(dash + 2)));
    if (const size_t u = reason.find("until="); u != std::string::npos) {
      size_t e = u + 6;
      while (e < reason.size() && !std::isspace(static_cast<unsigned char>(reason[e]))) ++e;
      s.until = reason.substr(u + 6, e - u - 6);
      reason = std::string(trim(reason.substr(0, u) + reason.substr(e)));
      if (!validDate(s.until)) {
        problem("`until=" + s.until +
                "` is not a date written YYYY-MM-DD, so this "
                "suppression is ignored");
        continue;
      }
    }
    if (reason.empty()) {
      problem("this suppression has no reason after `--`, so it is ignored");
      continue;
    }
    s.reason = reason;
    // Own line: the next line that is not blank, a comment or a Markdown fence.
    size_t target = li;
    if (ownLine) {
      target = li + 1;
      while (target < lines.size()) {
        const std::string_view t =
            text.substr(lines[target].begin, lines[target].end - lines[target].begin);
        if (trim(t).empty() || commentOnly(t) || (markdown && fence(t))) {
          ++target;
          continue;
        }
        break;
      }
      if (target >= lines.size()) {
        problem("this suppression is at the end of the file: it precedes nothing");
        continue;
      }
    }
    s.targetLine = static_cast<uint32_t>(target + 1);
    out.push_back(std::move(s));
  }
}

/// The line a resource's text starts on: its header line, or for YAML the
/// first line of its document (a comment above `apiVersion:` covers the object).
uint32_t blockStartLine(const SourceFile& file, Span header) {
  const uint32_t headerLine = file.locate(header.begin).line;
  const std::string& path = file.path();
  const bool yaml = (path.size() >= 5 && path.substr(path.size() - 5) == ".yaml") ||
                    (path.size() >= 4 && path.substr(path.size() - 4) == ".yml");
  if (!yaml) return headerLine;
  const std::string_view text = file.text();
  // Back to the document separator (or the file start) ...
  uint32_t pos = header.begin;
  uint32_t lineStart = pos;
  while (true) {
    while (lineStart > 0 && text[lineStart - 1] != '\n' && text[lineStart - 1] != '\r') --lineStart;
    if (lineStart == 0) break;
    uint32_t prevEnd = lineStart - 1;
    if (text[prevEnd] == '\n' && prevEnd > 0 && text[prevEnd - 1] == '\r') --prevEnd;
    uint32_t prevStart = prevEnd;
    while (prevStart > 0 && text[prevStart - 1] != '\n' && text[prevStart - 1] != '\r') --prevStart;
    if (text.substr(prevStart, 3) == "---") break;
    lineStart = prevStart;
  }
  // ... then forward over blank and comment lines.
  const std::vector<Line> lines = splitLines(text.substr(lineStart, header.begin - lineStart + 1));
  uint32_t line = file.locate(lineStart).line;
  for (const Line& l : lines) {
    const std::string_view t = text.substr(lineStart + l.begin, l.end - l.begin);
    if (!trim(t).empty() && !commentOnly(t)) return line;
    ++line;
  }
  return headerLine;
}

uint64_t key(uint32_t file, uint32_t line) { return (uint64_t{file} << 32) | line; }

bool matchesAny(const std::vector<std::string>& patterns, std::string_view id) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return ruleMatches(p, id); });
}

/// `*` matches any run of characters (including '/').
bool wildcard(std::string_view pattern, std::string_view s) {
  std::string glob;
  for (char c : pattern) glob += c == '*' ? std::string("**") : std::string(1, c);
  return globMatch(glob, s);
}

// ---------------------------------------------------------------------------
// Organisation policies

std::string regionOf(const Resource& r) {
  if (r.id.scope.type == Scope::Type::Region || r.id.scope.type == Scope::Type::Location)
    return r.id.scope.name;
  if (r.id.scope.type == Scope::Type::Zone) {
    const size_t dash = r.id.scope.name.rfind('-');
    return dash == std::string::npos ? r.id.scope.name.str() : r.id.scope.name.substr(0, dash);
  }
  return {};
}

/// One organisation policy of one configuration, as a rule: it checks the
/// resources that configuration governs (`governing`, by file id).
class PolicyRule final : public Rule {
 public:
  PolicyRule(const Config& config, const Policy& policy,
             std::shared_ptr<const std::vector<const Config*>> governing)
      : config_(config), policy_(policy), governing_(std::move(governing)) {}
  const RuleInfo& info() const override { return policy_.info; }

  void check(const Graph& graph, Reporter& out) const override {
    const Policy& p = policy_;
    for (const Resource& r : graph.resources()) {
      if (r.mergedInto >= 0 || r.goingAway() || r.lifecycle == Lifecycle::Read) continue;
      if (r.header.file >= governing_->size() || (*governing_)[r.header.file] != &config_) continue;
      if (!p.kinds.empty() && std::find(p.kinds.begin(), p.kinds.end(), r.id.kind) == p.kinds.end())
        continue;
      if (!p.allowedRegions.empty()) {
        const std::string region = regionOf(r);
        const Field& field = r.regionField();
        if (!region.empty() && field.state != State::Unknown &&
            std::find(p.allowedRegions.begin(), p.allowedRegions.end(), region) ==
                p.allowedRegions.end()) {
          std::string allowed;
          for (const auto& a : p.allowedRegions) allowed += (allowed.empty() ? "" : ", ") + a;
          report(out, r, r.fields.count("location") ? "location" : "region",
                 "region " + q(region) + " is not one of " + allowed)
              .help = "move it to an allowed region, or change `allowed-regions` of policy " +
                      p.id + " in " + std::string(kConfigName);
        }
      }
      if (!p.requiredLabels.empty() && r.field("labels").state != State::Unknown && !r.partial) {
        std::string missing;
        for (const std::string& label : p.requiredLabels)
          if (r.field("labels." + label).state == State::Absent)
            missing += (missing.empty() ? "" : ", ") + label;
        if (!missing.empty())
          report(out, r, "labels",
                 "missing label" +
                     std::string(missing.find(',') != std::string::npos ? "s " : " ") + missing)
              .help = "add the label(s) " + missing;
      }
      if (p.namePattern && !r.id.name.empty() && r.id.name.find("${") == std::string::npos &&
          !RE2::FullMatch(r.id.name.str(), *p.namePattern))
        report(out, r, "name", "name " + q(r.id.name) + " does not match " + q(p.namePatternText))
            .help = "rename it to match the pattern " + q(p.namePatternText);
    }
  }

 private:
  /// The policy's message, then what it found on `r`.
  Finding& report(Reporter& out, const Resource& r, std::string_view fieldPath,
                  const std::string& detail) const {
    return out.report(r, fieldPath, policy_.message + " (" + describe(r) + ": " + detail + ")");
  }

  const Config& config_;
  const Policy& policy_;
  std::shared_ptr<const std::vector<const Config*>> governing_;
};

const Config* configOf(const Finding& f, ConfigSet& configs, SourceManager& sources,
                       std::vector<Finding>& extra) {
  return configs.governingFile(f.span.file, sources, extra);
}

}  // namespace

std::vector<std::unique_ptr<Rule>> policyRules(const Graph& graph, ConfigSet& configs,
                                               SourceManager& sources,
                                               std::vector<Finding>& findings) {
  std::vector<std::unique_ptr<Rule>> rules;
  if (configs.all().empty()) return rules;
  auto governing = std::make_shared<std::vector<const Config*>>(sources.size(), nullptr);
  for (const Resource& r : graph.resources())
    if (r.header.file < governing->size())
      (*governing)[r.header.file] = configs.governingFile(r.header.file, sources, findings);
  for (const auto& config : configs.all())
    for (const Policy& p : config->policies)
      rules.push_back(std::make_unique<PolicyRule>(*config, p, governing));
  return rules;
}

void applyPolicy(const Graph& graph, const std::vector<std::string>& onlyRules, ConfigSet& configs,
                 SourceManager& sources, std::vector<Finding>& findings) {
  // Selection and severity overrides, by the configuration of the finding's file.
  std::vector<Finding> extra;  // configuration errors found while looking up
  // Kept findings move up in place (a second list would double the largest
  // allocation of a large run).
  size_t kept = 0;
  for (Finding& f : findings) {
    if (!onlyRules.empty() && !findRule(f.ruleId))
      continue;  // a policy finding while --rule asks for built-in rules only
    const Config* config = configOf(f, configs, sources, extra);
    if (config) {
      if (!config->enabled(f.ruleId)) continue;
      size_t best = 0;
      for (const auto& [pattern, severity] : config->severity)
        if (ruleMatches(pattern, f.ruleId) && pattern.size() > best) {
          best = pattern.size();
          f.severity = severity;
        }
    }
    if (&findings[kept] != &f) findings[kept] = std::move(f);
    ++kept;
  }
  findings.erase(findings.begin() + static_cast<std::ptrdiff_t>(kept), findings.end());

  // Inline suppressions.
  std::vector<Inline> inlines;
  std::vector<Finding> problems;
  for (size_t i = 0; i < sources.size(); ++i)
    scanFile(sources.get(static_cast<uint32_t>(i)), inlines, problems);
  const std::string now = today();
  if (!inlines.empty()) {
    std::unordered_map<uint64_t, std::vector<size_t>> byLine;
    for (size_t i = 0; i < inlines.size(); ++i) {
      inlines[i].expired = !inlines[i].until.empty() && inlines[i].until < now;
      byLine[key(inlines[i].file, inlines[i].targetLine)].push_back(i);
    }
    // Resources whose text starts on a suppressed line: the suppression covers
    // them wherever their findings are reported.
    std::unordered_map<std::string, std::vector<size_t>> byResource;
    // Only files with suppressions are looked at (the others may be released:
    // locating in them would read them again).
    std::unordered_set<uint32_t> suppressing;
    for (const Inline& s : inlines) suppressing.insert(s.file);
    auto visit = [&](const Resource& r) {
      const SourceFile* file = sources.find(r.header.file);
      if (!file || !suppressing.count(file->id())) return;
      const auto it = byLine.find(key(file->id(), blockStartLine(*file, r.header)));
      if (it == byLine.end()) return;
      const std::string name = r.displayName.empty() ? r.id.name.str() : r.displayName;
      for (size_t i : it->second) byResource[name].push_back(i);
    };
    for (const Resource& r : graph.resources()) visit(r);
    for (const Locator& l : graph.locators()) visit(l.source);
    for (Finding& f : findings) {
      if (f.suppression) continue;
      const SourceFile* file = sources.find(f.span.file);
      std::vector<size_t> candidates;
      if (file && suppressing.count(file->id()))
        if (auto it = byLine.find(key(file->id(), file->locate(f.span.begin).line));
            it != byLine.end())
          candidates = it->second;
      if (!f.resource.empty())
        if (auto it = byResource.find(f.resource); it != byResource.end())
          candidates.insert(candidates.end(), it->second.begin(), it->second.end());
      for (size_t i : candidates) {
        Inline& s = inlines[i];
        if (!matchesAny(s.rules, f.ruleId)) continue;
        s.used = true;
        if (s.expired) continue;
        f.suppression = Suppression{Suppression::Kind::InSource, s.reason, s.where};
        break;
      }
    }
  }

  // Suppressions in the configuration (by resource address, name or identity).
  for (Finding& f : findings) {
    if (f.suppression) continue;
    const Config* config = configOf(f, configs, sources, extra);
    if (!config) continue;
    for (const ConfigSuppression& s : config->suppress) {
      if (!matchesAny(s.rules, f.ruleId)) continue;
      if (!s.resource.empty() && !wildcard(s.resource, f.resource) &&
          !wildcard(s.resource, f.identity))
        continue;
      if (!s.path.empty()) {
        const SourceFile* file = sources.find(f.span.file);
        const std::string abs = file ? absolutePath(file->path()) : std::string();
        if (abs.size() <= config->dir.size() || abs.compare(0, config->dir.size(), config->dir))
          continue;
        if (!globMatch(s.path, abs.substr(config->dir.size() + 1))) continue;
      }
      const_cast<ConfigSuppression&>(s).used = true;
      if (!s.until.empty() && s.until < now) continue;
      f.suppression = Suppression{Suppression::Kind::External, s.reason, s.where};
      break;
    }
  }

  // Expired and unused suppressions are findings of their own.
  auto ruleRan = [&](const std::vector<std::string>& rules, uint32_t file) {
    const Config* config = configs.governingFile(file, sources, extra);
    for (const std::string& id : rules) {
      const bool selected = onlyRules.empty() ||
                            std::any_of(onlyRules.begin(), onlyRules.end(),
                                        [&](const std::string& o) { return ruleMatches(id, o); });
      if (selected && (!config || config->enabled(id))) return true;
    }
    return false;
  };
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
  };
  for (const Inline& s : inlines) {
    if (s.expired && s.used) {
      problems.push_back(
          makeDiagnostic(diag::kSuppressionProblem, Severity::Warning, s.where,
                         "this suppression of " + join(s.rules) + " expired on " + s.until +
                             ", so the finding it covered is reported again",
                         "fix the finding, or extend `until=` with a reason that still holds"));
    } else if (!s.used && ruleRan(s.rules, s.file)) {
      problems.push_back(makeDiagnostic(
          diag::kUnusedSuppression, Severity::Note, s.where,
          "this suppression of " + join(s.rules) + " matches no finding",
          "remove it (the finding it was written for is gone), or check the rule id"));
    }
  }
  for (const auto& config : configs.all()) {
    for (const ConfigSuppression& s : config->suppress) {
      if (!s.until.empty() && s.until < now && s.used) {
        problems.push_back(
            makeDiagnostic(diag::kSuppressionProblem, Severity::Warning, s.where,
                           "this suppression of " + join(s.rules) + " expired on " + s.until +
                               ", so the findings it covered are reported again",
                           "fix the findings, or extend `until` with a reason that still holds"));
      } else if (!s.used && ruleRan(s.rules, config->file)) {
        problems.push_back(
            makeDiagnostic(diag::kUnusedSuppression, Severity::Note, s.where,
                           "this suppression of " + join(s.rules) + " matches no finding",
                           "remove the entry, or correct its rule, resource or path"));
      }
    }
  }
  for (Finding& f : problems) {
    const Config* config = configOf(f, configs, sources, extra);
    if (config && !config->enabled(f.ruleId)) continue;
    if (config)
      if (auto it = config->severity.find(f.ruleId); it != config->severity.end())
        f.severity = it->second;
    findings.push_back(std::move(f));
  }
  for (Finding& f : extra) findings.push_back(std::move(f));
}

// ---------------------------------------------------------------------------
// Baseline

std::string applyBaseline(const std::string& path, const SourceManager& sources,
                          std::vector<Finding>& findings, size_t* fixed) {
  *fixed = 0;
  std::string bytes;
  if (!readAll(path, &bytes)) return "cannot read the baseline file " + path;
  std::map<std::string, size_t> counts;
  try {
    const auto j = nlohmann::json::parse(bytes);
    if (!j.is_object() || j.value("tool", "") != "lbcheck" || !j.contains("findings") ||
        !j["findings"].is_array())
      return path + " is not an lbcheck baseline (write one with --write-baseline)";
    for (const auto& e : j["findings"]) {
      if (!e.is_object() || !e.contains("fingerprint") || !e["fingerprint"].is_string())
        return path + ": every entry needs a string `fingerprint`";
      ++counts[e["fingerprint"].get<std::string>()];
    }
  } catch (const std::exception& e) {
    return path + " is not valid JSON: " + e.what();
  }
  for (Finding& f : findings) {
    if (f.suppression) continue;
    auto it = counts.find(fingerprint(f, sources));
    if (it == counts.end() || it->second == 0) continue;
    --it->second;
    f.baseline = true;
  }
  for (const auto& [_, n] : counts) *fixed += n;
  return {};
}

std::string renderBaseline(const SourceManager& sources, const std::vector<Finding>& findings) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  std::vector<std::pair<std::string, const Finding*>> entries;
  for (const Finding& f : findings)
    if (!f.suppression) entries.emplace_back(fingerprint(f, sources), &f);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second->message < b.second->message;
  });
  for (const auto& [fp, f] : entries)
    list.push_back({{"fingerprint", fp},
                    {"rule", f->ruleId},
                    {"resource", f->resource},
                    {"field", f->fieldPath},
                    {"message", f->message}});
  nlohmann::ordered_json out;
  out["tool"] = "lbcheck";
  out["version"] = 1;
  out["comment"] =
      "Findings accepted when this baseline was written; lbcheck --baseline FILE reports them as "
      "unchanged and fails only on new ones. Keyed by fingerprint (rule, resource identity, "
      "field), never by line.";
  out["findings"] = std::move(list);
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace lbcheck
