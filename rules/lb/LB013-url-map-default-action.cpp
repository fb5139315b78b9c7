// LB013: a URL map, and each of its path matchers, has exactly one default
// destination: a service, a redirect, or weighted backend services.
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

constexpr std::string_view kWeighted = "defaultRouteAction.weightedBackendServices";

struct Candidate {
  std::string path;  // the field that sets it
  const Field* field;
};

class UrlMapDefaultAction : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB013",
                                "url-map-default-action",
                                "A regional URL map or one of its path matchers has no default "
                                "destination, or more than one.",
                                Severity::Error,
                                "lb",
                                {Kind::UrlMap},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& m, Reporter& out) const override {
    if (!live(m) || m.id.scope.type != Scope::Type::Region) return;
    checkLevel(m, "", out);
    const size_t n = m.listSize("pathMatchers");
    for (size_t i = 0; i < n; ++i) checkLevel(m, "pathMatchers[" + std::to_string(i) + "].", out);
  }

 private:
  static void checkLevel(const Resource& m, const std::string& prefix, Reporter& out) {
    std::vector<Candidate> set;
    bool unknown = false;
    auto consider = [&](const std::string& path, const Field& f) {
      if (f.state == State::Unknown) {
        unknown = true;
        set.push_back({path, &f});
      } else if (f.known()) {
        set.push_back({path, &f});
      }
    };
    consider(prefix + "defaultService", m.field(prefix + "defaultService"));
    consider(prefix + "defaultUrlRedirect", m.field(prefix + "defaultUrlRedirect"));
    // Weighted backend services count once, however many there are.
    const Field* weighted = nullptr;
    std::string weightedPath;
    forEachField(m, prefix + "defaultRouteAction.weightedBackendServices[*].backendService",
                 [&](const std::string& path, const Field& f) {
                   if (!weighted || (weighted->state == State::Unknown && f.known())) {
                     weighted = &f;
                     weightedPath = path;
                   }
                 });
    if (weighted) consider(weightedPath, *weighted);

    const bool top = prefix.empty();
    const std::string where =
        top ? describe(m)
            : "path matcher " + q(m.field(prefix + "name").text) + " of " + describe(m);
    if (set.empty()) {
      if (unknown) return;
      Finding& f =
          out.report(m, top ? "" : prefix + "name",
                     where + " has no default destination: none of " + names(m) + " is set");
      f.help = top ? "set exactly one default: the backend service that gets requests no host "
                     "rule matches (" +
                         spelled(m, "defaultService") +
                         "), a redirect, or weighted backend services"
                   : "give the path matcher exactly one default: a backend service for paths no "
                     "path rule matches, a redirect, or weighted backend services";
      return;
    }
    if (set.size() < 2) return;
    // Presence is what counts, but at least one value must be certain.
    size_t known = 0;
    for (const Candidate& c : set) known += c.field->known() ? 1 : 0;
    if (known == 0) return;
    const Candidate& first = set[0];
    const Candidate& second = set[1];
    Finding& f =
        out.report(m, second.path,
                   where + " sets both " + spelled(m, first.path) + " and " +
                       spelled(m, second.path) + "; only one default destination may be set");
    // Alternatives: keep the first, or keep the second.
    const std::string dropSecond = out.fix(f, m, Edit::remove(setting(prefix, second.path)));
    const std::string dropFirst = out.fix(f, m, Edit::remove(setting(prefix, first.path)));
    f.help =
        "keep one default destination (a default service, a default redirect, or default "
        "route action weighted backend services): " +
        dropSecond + ", or " + dropFirst;
    f.related.push_back(
        {first.field->span.valid() && first.field->known() ? first.field->span : m.header,
         spelled(m, first.path) + " is set here"});
  }

  /// The fields that can set a default destination, as the URL map's input
  /// names them (the names of the URL map's own level: a path matcher's have
  /// the same last part).
  static std::string names(const Resource& m) {
    return spelled(m, "defaultService") + ", " + spelled(m, "defaultUrlRedirect") + ", " +
           spelled(m, kWeighted);
  }

  /// The setting a candidate field belongs to: weighted backend services go as a whole.
  static std::string setting(const std::string& prefix, const std::string& path) {
    const std::string weighted = prefix + std::string(kWeighted);
    return path.rfind(weighted, 0) == 0 ? weighted : path;
  }
};

LBCHECK_REGISTER_RULE(UrlMapDefaultAction);

}  // namespace
}  // namespace lbcheck
