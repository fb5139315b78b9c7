#include "driver/config.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include "engine/diagnostics.h"
#include "engine/vocabulary.h"
#include "parsers/yaml/yaml.h"

namespace lbcheck {

namespace {

using json::Value;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// Built-in rule families: user policies must not take their ids.
bool builtinFamily(std::string_view id) {
  for (std::string_view f : {"LBC", "LB", "NET", "NEG", "RUN", "TLS", "OPS"}) {
    if (id.size() > f.size() && iequals(id.substr(0, f.size()), f) &&
        std::isdigit(static_cast<unsigned char>(id[f.size()])))
      return true;
  }
  return false;
}

/// A user policy id: letters then digits, e.g. ORG001 or ACME12.
bool policyIdShape(std::string_view id) {
  size_t i = 0;
  while (i < id.size() && std::isupper(static_cast<unsigned char>(id[i]))) ++i;
  if (i == 0 || i == id.size()) return false;
  for (size_t j = i; j < id.size(); ++j)
    if (!std::isdigit(static_cast<unsigned char>(id[j]))) return false;
  return id.size() <= 16;
}

Kind kindFromName(std::string_view name) {
  for (int k = 1; k <= static_cast<int>(Kind::RunService); ++k) {
    const Kind kind = static_cast<Kind>(k);
    if (collectionName(kind) == name) return kind;
  }
  return Kind::Unknown;
}

std::string kindNames() {
  std::string out;
  for (int k = 1; k <= static_cast<int>(Kind::RunService); ++k) {
    if (!out.empty()) out += ", ";
    out += collectionName(static_cast<Kind>(k));
  }
  return out;
}

class Reader {
 public:
  Reader(const SourceFile& file, Config& config, std::vector<Finding>& findings)
      : file_(file), config_(config), findings_(findings) {}

  void error(Span span, std::string message, std::string help = {}) {
    if (!span.valid()) span = Span{file_.id(), 0, 0};
    findings_.push_back(makeDiagnostic(diag::kConfigError, Severity::Error, span,
                                       std::string(kConfigName) + ": " + std::move(message),
                                       std::move(help)));
  }

  /// A list of strings (a single string is taken as a list of one).
  std::vector<std::pair<std::string, Span>> strings(Value v, std::string_view key) {
    std::vector<std::pair<std::string, Span>> out;
    if (v.isString()) {
      out.emplace_back(std::string(v.str()), v.span());
    } else if (v.isArray()) {
      v.forEachElement([&](size_t, Value e) {
        if (e.isString() || e.isNumber())
          out.emplace_back(e.text(), e.span());
        else
          error(e.span(), q(std::string(key)) + " takes a list of strings");
      });
    } else if (!v.isNull()) {
      error(v.span(), q(std::string(key)) + " takes a list of strings");
    }
    return out;
  }

  std::vector<std::string> ruleList(Value v, std::string_view key) {
    std::vector<std::string> out;
    for (auto& [id, span] : strings(v, key)) {
      bool any = false;
      for (const Rule* r : allRules()) any = any || ruleMatches(id, r->info().id);
      for (const Policy& p : config_.policies) any = any || ruleMatches(id, p.id);
      if (!any) {
        error(span, "no rule id is or starts with " + q(id),
              "see `lbcheck rules` for the ids; a prefix such as NET selects a family");
        continue;
      }
      out.push_back(upper(id));
    }
    return out;
  }

  std::optional<Severity> severity(Value v) {
    const std::string s = v.text();
    if (s == "error") return Severity::Error;
    if (s == "warning") return Severity::Warning;
    if (s == "note") return Severity::Note;
    error(v.span(), "severity must be error, warning or note, not " + q(s));
    return std::nullopt;
  }

  void read(Value root) {
    if (!root.isObject()) {
      if (!root.isNull() && root.exists())
        error(root.span(), "the configuration must be a mapping of keys (select, ignore, ...)");
      return;
    }
    // Policies first: select/ignore/severity may name their ids.
    if (Value p = root.get("policies")) readPolicies(p);
    root.forEachMember([&](std::string_view key, Value v) {
      const Span keySpan = root.keySpan(key);
      if (key == "select") {
        config_.select = ruleList(v, key);
      } else if (key == "ignore") {
        config_.ignore = ruleList(v, key);
      } else if (key == "severity") {
        readSeverity(v);
      } else if (key == "exclude") {
        for (auto& [glob, span] : strings(v, key)) {
          if (glob.empty()) {
            error(span, "an empty `exclude` pattern matches nothing");
            continue;
          }
          config_.exclude.push_back(glob);
        }
      } else if (key == "rules") {
        readRuleOptions(v);
      } else if (key == "policies") {
        // read above
      } else if (key == "suppress") {
        readSuppress(v);
      } else {
        error(keySpan, "unknown key " + q(std::string(key)),
              "the keys are select, ignore, severity, exclude, rules, policies and suppress "
              "(see the README)");
      }
    });
  }

  void readSeverity(Value v) {
    if (!v.isObject()) {
      error(v.span(), "`severity` maps rule ids to error, warning or note");
      return;
    }
    v.forEachMember([&](std::string_view id, Value s) {
      bool any = false;
      for (const Rule* r : allRules()) any = any || ruleMatches(id, r->info().id);
      for (const Policy& p : config_.policies) any = any || ruleMatches(id, p.id);
      if (!any) {
        error(v.keySpan(id), "no rule id is or starts with " + q(std::string(id)));
        return;
      }
      if (auto sev = severity(s)) config_.severity[upper(id)] = *sev;
    });
  }

  void readRuleOptions(Value v) {
    if (!v.isObject()) {
      error(v.span(),
            "`rules` maps a rule id to its options, e.g. NET004: {recommended-prefix: 24}");
      return;
    }
    const auto& known = knownRuleOptions();
    v.forEachMember([&](std::string_view id, Value opts) {
      const auto rule = known.find(upper(id));
      if (rule == known.end()) {
        std::string which;
        for (const auto& [k, _] : known) which += (which.empty() ? "" : ", ") + k;
        error(v.keySpan(id), "rule " + q(std::string(id)) + " has no options",
              "rules with options: " + which);
        return;
      }
      if (!opts.isObject()) {
        error(opts.span(), "the options of " + rule->first + " are a mapping");
        return;
      }
      bool ok = true;
      opts.forEachMember([&](std::string_view key, Value value) {
        const auto option = rule->second.find(std::string(key));
        if (option == rule->second.end()) {
          std::string which;
          for (const auto& [k, _] : rule->second) which += (which.empty() ? "" : ", ") + k;
          error(opts.keySpan(key), rule->first + " has no option " + q(std::string(key)),
                "its options: " + which);
          ok = false;
          return;
        }
        ok = checkOption(rule->first, key, value) && ok;
      });
      if (ok) config_.options[rule->first] = opts;
    });
  }

  bool checkOption(std::string_view rule, std::string_view key, Value value) {
    if (rule == "NET004") {
      // Range first: converting a number beyond int's range is undefined (the config fuzzer's
      // find).
      if (!value.isNumber() || !(value.number() >= 8 && value.number() <= 26) ||
          value.number() != static_cast<int>(value.number())) {
        error(value.span(), "NET004 " + q(std::string(key)) +
                                " is a prefix length from 8 to 26 (a proxy-only subnet "
                                "needs at least a /26)");
        return false;
      }
      return true;
    }
    if (rule == "RUN002" && key == "accepted-ingress") {
      bool ok = true;
      for (auto& [s, span] : strings(value, key)) {
        if (vocab::canonicalIngress(s).empty()) {
          std::string names;
          for (size_t i = 0; i < std::size(vocab::kIngress); ++i)
            names += std::string(i == 0                                ? ""
                                 : i + 1 == std::size(vocab::kIngress) ? " or "
                                                                       : ", ") +
                     std::string(vocab::kIngress[i].alias);
          error(span, "unknown ingress value " + q(s),
                "use " + names + " (or the v2 names " +
                    std::string(vocab::kIngress[0].canonical.substr(0, 16)) + "...)");
          ok = false;
        }
      }
      return ok;
    }
    return true;
  }

  void readPolicies(Value v) {
    if (!v.isArray()) {
      error(v.span(), "`policies` is a list of policies (id, message, and checks)");
      return;
    }
    v.forEachElement([&](size_t, Value p) {
      if (!p.isObject()) {
        error(p.span(), "a policy is a mapping with id, message and at least one check");
        return;
      }
      Policy policy;
      policy.where = p.span();
      bool ok = true;
      p.forEachMember([&](std::string_view key, Value value) {
        const Span keySpan = p.keySpan(key);
        if (key == "id") {
          policy.id = value.text();
          if (!policyIdShape(policy.id)) {
            error(value.span(), "policy id " + q(policy.id) +
                                    " must be capital letters then digits, e.g. ORG001");
            ok = false;
          } else if (builtinFamily(policy.id)) {
            error(value.span(), "policy id " + q(policy.id) +
                                    " is in a family lbcheck uses (LB, NET, NEG, RUN, TLS, OPS, "
                                    "LBC); pick your own, e.g. ORG001");
            ok = false;
          }
          for (const Policy& other : config_.policies)
            if (other.id == policy.id) {
              error(value.span(), "two policies have the id " + q(policy.id));
              ok = false;
            }
        } else if (key == "name") {
          policy.slug = value.text();
        } else if (key == "message") {
          policy.message = value.text();
        } else if (key == "severity") {
          if (auto s = severity(value))
            policy.info.severity = *s;
          else
            ok = false;
        } else if (key == "kinds") {
          for (auto& [name, span] : strings(value, key)) {
            const Kind k = kindFromName(name);
            if (k == Kind::Unknown) {
              error(span, "unknown resource kind " + q(name), "kinds are: " + kindNames());
              ok = false;
            } else {
              policy.kinds.push_back(k);
            }
          }
        } else if (key == "allowed-regions") {
          for (auto& [r, _] : strings(value, key)) policy.allowedRegions.push_back(r);
          if (policy.allowedRegions.empty()) {
            error(value.span(), "`allowed-regions` needs at least one region");
            ok = false;
          }
        } else if (key == "required-labels") {
          for (auto& [l, _] : strings(value, key)) policy.requiredLabels.push_back(l);
          if (policy.requiredLabels.empty()) {
            error(value.span(), "`required-labels` needs at least one label key");
            ok = false;
          }
        } else if (key == "name-pattern") {
          policy.namePatternText = value.text();
          RE2::Options o;
          o.set_log_errors(false);
          auto re = std::make_shared<RE2>(policy.namePatternText, o);
          if (!re->ok()) {
            error(value.span(), "invalid RE2 pattern: " + re->error(),
                  "see https://github.com/google/re2/wiki/Syntax");
            ok = false;
          } else {
            policy.namePattern = std::move(re);
          }
        } else {
          error(keySpan, "unknown policy key " + q(std::string(key)),
                "policy keys: id, name, message, severity, kinds, allowed-regions, "
                "required-labels, name-pattern");
          ok = false;
        }
      });
      if (policy.id.empty()) {
        error(p.span(), "a policy needs an `id` (capital letters then digits, e.g. ORG001)");
        ok = false;
      }
      if (policy.message.empty()) {
        error(p.span(), "a policy needs a `message` saying what is wrong and why");
        ok = false;
      }
      if (policy.allowedRegions.empty() && policy.requiredLabels.empty() && !policy.namePattern) {
        error(p.span(),
              "a policy needs at least one check: allowed-regions, required-labels or "
              "name-pattern");
        ok = false;
      }
      if (!ok) return;
      if (policy.slug.empty()) policy.slug = "organisation-policy";
      if (p.get("severity").exists() == false) policy.info.severity = Severity::Warning;
      config_.policies.push_back(std::move(policy));
    });
    for (Policy& policy : config_.policies) {
      policy.info.id = policy.id;
      policy.info.slug = policy.slug;
      policy.info.summary = policy.message;
      policy.info.area = "policy";
    }
  }

  void readSuppress(Value v) {
    if (!v.isArray()) {
      error(v.span(), "`suppress` is a list of {rule, resource, reason} entries");
      return;
    }
    v.forEachElement([&](size_t, Value e) {
      if (!e.isObject()) {
        error(e.span(), "a suppression is a mapping with rule, resource (or path) and reason");
        return;
      }
      ConfigSuppression s;
      s.where = e.span();
      bool ok = true;
      e.forEachMember([&](std::string_view key, Value value) {
        if (key == "rule" || key == "rules") {
          s.rules = ruleList(value, key);
          if (s.rules.empty()) ok = false;
        } else if (key == "resource") {
          s.resource = value.text();
        } else if (key == "path") {
          s.path = value.text();
        } else if (key == "reason") {
          s.reason = value.text();
        } else if (key == "until") {
          s.until = value.text();
          if (!validDate(s.until)) {
            error(value.span(), "`until` is a date written YYYY-MM-DD, not " + q(s.until));
            ok = false;
          }
        } else {
          error(e.keySpan(key), "unknown suppression key " + q(std::string(key)),
                "suppression keys: rule, resource, path, reason, until");
          ok = false;
        }
      });
      if (s.rules.empty() && ok) {
        error(e.span(), "a suppression needs `rule` (an id, a prefix or a list)");
        ok = false;
      }
      if (s.resource.empty() && s.path.empty()) {
        error(e.span(), "a suppression needs `resource` (an address, name or identity) or `path`");
        ok = false;
      }
      if (s.reason.empty()) {
        error(e.span(), "a suppression needs a `reason`: say why the finding is acceptable");
        ok = false;
      }
      if (ok) config_.suppress.push_back(std::move(s));
    });
  }

 private:
  const SourceFile& file_;
  Config& config_;
  std::vector<Finding>& findings_;
};

}  // namespace

bool ruleMatches(std::string_view pattern, std::string_view id) {
  return !pattern.empty() && pattern.size() <= id.size() &&
         iequals(id.substr(0, pattern.size()), pattern);
}

bool Config::enabled(std::string_view ruleId) const {
  if (ruleId == diag::kConfigError) return true;  // configuration errors cannot be silenced
  if (!select.empty() && std::none_of(select.begin(), select.end(),
                                      [&](const std::string& p) { return ruleMatches(p, ruleId); }))
    return false;
  return std::none_of(ignore.begin(), ignore.end(),
                      [&](const std::string& p) { return ruleMatches(p, ruleId); });
}

bool Config::excludes(std::string_view absolutePath) const {
  if (exclude.empty()) return false;
  std::string_view rel = absolutePath;
  if (rel.size() > dir.size() && rel.substr(0, dir.size()) == dir &&
      (dir.back() == '/' || rel[dir.size()] == '/'))
    rel.remove_prefix(dir.size() + (dir.back() == '/' ? 0 : 1));
  else
    return false;
  for (const std::string& g : exclude) {
    // A pattern without a slash matches a name at any depth, as in .gitignore;
    // a directory pattern excludes everything below it.
    std::string glob = g;
    if (glob.rfind("./", 0) == 0) glob = glob.substr(2);
    if (!glob.empty() && glob.back() == '/') glob += "**";
    if (glob.find('/') == std::string::npos) glob = "**/" + glob;
    if (globMatch(glob, rel) || globMatch(glob + "/**", rel)) return true;
  }
  return false;
}

bool globMatch(std::string_view glob, std::string_view path) {
  // Dynamic programming over (glob position, path position): linear in the
  // product of the lengths whatever the pattern, no exponential backtracking.
  const size_t G = glob.size(), P = path.size();
  std::vector<signed char> memo((G + 1) * (P + 1), -1);
  auto match = [&](auto&& self, size_t g, size_t p) -> bool {
    signed char& m = memo[g * (P + 1) + p];
    if (m >= 0) return m;
    bool r = false;
    if (g == G) {
      r = p == P;
    } else if (glob.substr(g, 3) == "**/") {
      // Zero or more whole segments.
      r = self(self, g + 3, p);
      for (size_t i = p; !r && i < P; ++i)
        if (path[i] == '/') r = self(self, g + 3, i + 1);
    } else if (glob.substr(g, 2) == "**") {
      for (size_t i = p; !r && i <= P; ++i) r = self(self, g + 2, i);
    } else if (glob[g] == '*') {
      for (size_t i = p; !r && i <= P; ++i) {
        r = self(self, g + 1, i);
        if (i < P && path[i] == '/') break;
      }
    } else if (p < P && (glob[g] == path[p] || (glob[g] == '?' && path[p] != '/'))) {
      r = self(self, g + 1, p + 1);
    }
    m = r ? 1 : 0;
    return r;
  };
  return match(match, 0, 0);
}

std::string today() {
  if (const char* t = std::getenv("LBCHECK_TODAY"); t && validDate(t)) return t;
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool validDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const int m = std::stoi(std::string(s.substr(5, 2)));
  const int d = std::stoi(std::string(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

const std::map<std::string, std::map<std::string, std::string>, std::less<>>& knownRuleOptions() {
  static const std::map<std::string, std::map<std::string, std::string>, std::less<>> kOptions = {
      {"NET004",
       {{"required-prefix",
         "a proxy-only subnet with a longer prefix is an error (default 26, at most 26)"},
        {"recommended-prefix",
         "a proxy-only subnet with a longer prefix gets a note (default 23)"}}},
      {"RUN002",
       {{"accepted-ingress",
         "the ingress settings accepted behind an internal load balancer (default: " +
             std::string(vocab::shortIngress("INGRESS_TRAFFIC_INTERNAL_ONLY")) + ", " +
             std::string(vocab::shortIngress("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")) + ")"}}},
  };
  return kOptions;
}

std::unique_ptr<Config> loadConfig(const SourceFile& file, std::string dir,
                                   std::vector<Finding>& findings) {
  auto config = std::make_unique<Config>();
  config->dir = std::move(dir);
  config->file = file.id();
  yaml::Limits limits;
  limits.maxDepth = 64;
  limits.maxNodes = 100'000;
  json::ParseError err;
  const bool failed = yaml::parse(file, limits, &config->documents, &err);
  Reader reader(file, *config, findings);
  if (failed) {
    reader.error(Span{file.id(), err.offset, err.offset}, "not valid YAML: " + err.message);
    return config;
  }
  if (config->documents.size() > 1)
    reader.error(config->documents[1]->root().span(),
                 "the configuration is one YAML document; the others are ignored");
  if (!config->documents.empty()) reader.read(config->documents[0]->root());
  return config;
}

}  // namespace lbcheck
