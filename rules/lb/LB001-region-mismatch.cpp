// LB001: every piece of the regional chain lives in one region.
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

struct Edge {
  Kind from;
  std::string_view pattern;
};

// forwarding rule -> proxy -> URL map -> backend service -> NEG -> Cloud Run,
// plus the rule's subnet and the proxy's certificates.
constexpr Edge kEdges[] = {
    {Kind::ForwardingRule, "target"},
    {Kind::ForwardingRule, "subnetwork"},
    {Kind::TargetHttpProxy, "urlMap"},
    {Kind::TargetHttpsProxy, "urlMap"},
    {Kind::TargetHttpsProxy, "sslCertificates[*]"},
    {Kind::TargetHttpsProxy, "sslPolicy"},
    {Kind::UrlMap, "defaultService"},
    {Kind::UrlMap, "pathMatchers[*].defaultService"},
    {Kind::UrlMap, "pathMatchers[*].pathRules[*].service"},
    {Kind::UrlMap, "pathMatchers[*].routeRules[*].service"},
    {Kind::BackendService, "backends[*].group"},
    {Kind::NetworkEndpointGroup, "cloudRun.service"},
};

/// The resources the rule looks at: the kinds an edge starts from.
constexpr KindSet checkedKinds() {
  KindSet kinds;
  for (const Edge& e : kEdges) kinds.add(e.from);
  return kinds;
}

class RegionMismatch : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB001",
                                "region-mismatch",
                                "Two linked pieces of the regional load-balancer chain are in "
                                "different regions.",
                                Severity::Error,
                                "lb",
                                checkedKinds()};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    if (!live(r)) return;
    for (const Edge& e : kEdges) {
      if (e.from != r.id.kind) continue;
      forEachField(r, e.pattern, [&](const std::string& path, const Field& f) {
        if (const Resource* other = createdElsewhere(g, r, f)) {
          namedInWrongScope(r, path, f, *other, out);
          return;
        }
        if (!r.id.scope.regional()) return;
        const Resource* t = g.target(f);
        if (!t || !live(*t) || !t->id.scope.regional()) return;  // global targets: LB002
        if (t->id.scope.name == r.id.scope.name) return;
        const Field& theirs = t->regionField();
        Finding& finding =
            out.report(r, path,
                       describe(r) + " is in " + r.id.scope.name + " but its " + spelled(r, path) +
                           " points at " + describe(*t) + " in " + t->id.scope.name);
        finding.help = "create both in the same region: " +
                       std::string(t->id.kind == Kind::RunService
                                       ? "a serverless NEG only reaches a Cloud Run service "
                                         "in its own region"
                                       : "a regional load balancer's components must all be "
                                         "in one region");
        finding.related.push_back(
            {theirs.span.valid() && theirs.state == State::Known ? theirs.span : t->header,
             describe(*t) + " is in " + t->id.scope.name});
        const Field& mine = r.regionField();
        if (mine.span.valid() && mine.state == State::Known)
          finding.related.push_back({mine.span, describe(r) + " is in " + r.id.scope.name});
      });
    }
  }

  /// `path` names an object in one scope; the same inputs create it only in another.
  static void namedInWrongScope(const Resource& r, const std::string& path, const Field& f,
                                const Resource& other, Reporter& out) {
    const Identity& id = *f.ref->identity;
    // A forwarding rule's target in another scope than the rule is LB017's finding.
    if (r.id.kind == Kind::ForwardingRule && path == "target" &&
        (id.scope.type == Scope::Type::Global || id.scope.name != r.id.scope.name))
      return;
    auto where = [](const Scope& s) {
      return s.type == Scope::Type::Global ? std::string("global") : "in " + s.name;
    };
    const std::string kind(kindLabel(id.kind));
    Finding& finding =
        out.report(r, path,
                   spelled(r, path) + " of " + describe(r) + " names " + kind + " " + q(id.name) +
                       " " + where(id.scope) + ", but the inputs create " + q(id.name) + " " +
                       where(other.id.scope) + " only: the API finds no such " + kind + " " +
                       where(id.scope) + " and rejects the change");
    finding.help = "name the " + kind + " where it is created (" + where(other.id.scope) +
                   "), or create it " + where(id.scope) +
                   "; the parts of a regional load balancer must all be in one region";
    finding.related.push_back(
        {other.header, describe(other) + " is created here, " + where(other.id.scope)});
  }
};

LBCHECK_REGISTER_RULE(RegionMismatch);

}  // namespace
}  // namespace lbcheck
