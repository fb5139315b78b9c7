// LB015: host rules name existing path matchers, path patterns follow the
// URL map grammar, and no feature of other load-balancer types is used.
#include <map>
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

/// Why a path pattern is invalid, or "" when it is fine.
std::string pathProblem(std::string_view p) {
  if (p.empty() || p.front() != '/') return "does not start with `/`";
  if (p.find_first_of("?#") != std::string_view::npos)
    return "contains `?` or `#`; path rules never see the query string or fragment";
  const size_t star = p.find('*');
  if (star != std::string_view::npos && (star != p.size() - 1 || p[star - 1] != '/'))
    return "uses `*` other than as the last character right after a `/` (as in `/api/*`)";
  return {};
}

class UrlMapStructure : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB015",
                                "url-map-structure",
                                "A regional URL map has an invalid path pattern, a host rule or "
                                "path matcher that does not fit together, or a feature this load "
                                "balancer does not offer.",
                                Severity::Error,
                                "lb",
                                {Kind::UrlMap}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& m, Reporter& out) const override {
    if (!live(m) || m.id.scope.type != Scope::Type::Region) return;
    checkPaths(m, out);
    checkNames(m, out);
    checkErrorPolicies(m, out);
  }

 private:
  // (c) path syntax.
  static void checkPaths(const Resource& m, Reporter& out) {
    forEachField(
        m, "pathMatchers[*].pathRules[*].paths[*]", [&](const std::string& path, const Field& f) {
          if (f.state != State::Known) return;
          const std::string why = pathProblem(f.text);
          if (why.empty()) return;
          Finding& finding = out.report(
              m, path,
              "path " + q(f.text) + " in " + spelled(m, path) + " of " + describe(m) + " " + why);
          finding.help =
              "write paths as `/exact/path` or `/prefix/*`: a leading `/`, `*` only at "
              "the end after a `/`, no query string or fragment";
        });
  }

  // (a) unknown path matcher, (b) duplicates, (d) unused path matchers.
  static void checkNames(const Resource& m, Reporter& out) {
    std::map<std::string, std::string> matchers;  // name -> field path of the first one
    bool allKnown = true;
    forEachField(m, "pathMatchers[*].name", [&](const std::string& path, const Field& f) {
      if (f.state != State::Known) {
        allKnown = false;
        return;
      }
      auto [it, fresh] = matchers.emplace(f.text, path);
      if (fresh) return;
      Finding& finding =
          out.report(m, path, describe(m) + " has two path matchers named " + q(f.text));
      finding.severity = Severity::Warning;
      finding.help = "give every path matcher a unique name; host rules select them by name";
      finding.related.push_back({m.field(it->second).span, "the first path matcher of that name"});
    });

    std::set<std::string> used;
    bool usesKnown = true;
    forEachField(m, "hostRules[*].pathMatcher", [&](const std::string& path, const Field& f) {
      if (f.state != State::Known) {
        usesKnown = false;
        return;
      }
      used.insert(f.text);
      if (!allKnown || matchers.count(f.text)) return;
      Finding& finding = out.report(m, path,
                                    "a host rule of " + describe(m) + " selects path matcher " +
                                        q(f.text) + ", which the URL map does not define");
      finding.severity = Severity::Warning;
      finding.help = matchers.empty() ? "add a path matcher of that name"
                                      : "name one of the path matchers (" + list(matchers) +
                                            ") or add a path matcher called " + q(f.text);
    });

    std::map<std::string, std::string> hosts;  // host -> field path of the first use
    forEachField(m, "hostRules[*].hosts[*]", [&](const std::string& path, const Field& f) {
      if (f.state != State::Known) return;
      const std::string rule = path.substr(0, path.find(']') + 1);
      auto [it, fresh] = hosts.emplace(f.text, path);
      if (fresh || it->second.rfind(rule, 0) == 0) return;
      Finding& finding =
          out.report(m, path, "host " + q(f.text) + " appears in two host rules of " + describe(m));
      finding.severity = Severity::Warning;
      finding.help = "list each host pattern in one host rule only";
      finding.related.push_back({m.field(it->second).span, "the first host rule with it"});
    });

    if (!usesKnown || !allKnown) return;
    for (const auto& [name, path] : matchers) {
      if (used.count(name)) continue;
      Finding& finding = out.report(m, path,
                                    "path matcher " + q(name) + " of " + describe(m) +
                                        " is not used by any host rule, so it never matches");
      finding.severity = Severity::Warning;
      finding.help = "add a host rule that selects it, or remove it";
    }
  }

  // (e) custom error response policies: global external Application Load Balancer only.
  static void checkErrorPolicies(const Resource& m, Reporter& out) {
    auto flag = [&](const std::string& path, const Field& f) {
      if (!f.known() || !f.authored) return;
      Finding& finding = out.report(m, path,
                                    spelled(m, path) + " of " + describe(m) +
                                        " is a feature of the global external Application Load "
                                        "Balancer; the regional internal one does not offer it");
      finding.severity = Severity::Warning;
      finding.help =
          "remove the custom error response policy; serve error pages from the Cloud "
          "Run service instead";
    };
    flag("defaultCustomErrorResponsePolicy", m.field("defaultCustomErrorResponsePolicy"));
    forEachField(m, "pathMatchers[*].defaultCustomErrorResponsePolicy", flag);
    forEachField(m, "pathMatchers[*].pathRules[*].customErrorResponsePolicy", flag);
  }

  static std::string list(const std::map<std::string, std::string>& names) {
    std::string out;
    for (const auto& [name, path] : names) out += (out.empty() ? "" : ", ") + q(name);
    return out;
  }
};

LBCHECK_REGISTER_RULE(UrlMapStructure);

}  // namespace
}  // namespace lbcheck
