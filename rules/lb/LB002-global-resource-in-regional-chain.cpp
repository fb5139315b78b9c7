// LB002: the regional internal ALB is built from regional resources only; a
// global proxy, URL map or backend service in its chain belongs to another product.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

struct Edge {
  Kind from;
  std::string_view pattern;
};

// forwarding rule -> target proxy -> URL map -> backend service.
constexpr Edge kEdges[] = {
    {Kind::ForwardingRule, "target"},
    {Kind::TargetHttpProxy, "urlMap"},
    {Kind::TargetHttpsProxy, "urlMap"},
    {Kind::UrlMap, "defaultService"},
    {Kind::UrlMap, "defaultRouteAction.weightedBackendServices[*].backendService"},
    {Kind::UrlMap, "pathMatchers[*].defaultService"},
    {Kind::UrlMap, "pathMatchers[*].defaultRouteAction.weightedBackendServices[*].backendService"},
    {Kind::UrlMap, "pathMatchers[*].pathRules[*].service"},
    {Kind::UrlMap, "pathMatchers[*].routeRules[*].service"},
};

/// The resources the rule looks at: the kinds an edge starts from.
constexpr KindSet checkedKinds() {
  KindSet kinds;
  for (const Edge& e : kEdges) kinds.add(e.from);
  return kinds;
}

bool chainKind(Kind k) {
  return k == Kind::TargetHttpProxy || k == Kind::TargetHttpsProxy || k == Kind::UrlMap ||
         k == Kind::BackendService || k == Kind::ForwardingRule;
}

class GlobalResourceInRegionalChain : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB002",
                                "global-resource-in-regional-chain",
                                "A regional internal load-balancer chain links a global target "
                                "proxy, URL map or backend service, or a global chain links a "
                                "regional one.",
                                Severity::Error,
                                "lb",
                                checkedKinds()};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    if (!live(r) || !r.id.scope.known()) return;
    for (const Edge& e : kEdges) {
      if (e.from != r.id.kind) continue;
      forEachField(r, e.pattern,
                   [&](const std::string& path, const Field& f) { checkEdge(g, r, path, f, out); });
    }
  }

 private:
  static void checkEdge(const Graph& g, const Resource& r, const std::string& path, const Field& f,
                        Reporter& out) {
    const auto id = refIdentity(g, f);
    if (!id || !chainKind(id->kind) || !id->scope.known()) return;
    const bool fromGlobal = r.id.scope.type == Scope::Type::Global;
    const bool toGlobal = id->scope.type == Scope::Type::Global;
    if (fromGlobal == toGlobal) return;  // same scope (regions are LB001's business)
    // A regional forwarding rule belongs to this load balancer only with INTERNAL_MANAGED.
    if (r.id.kind == Kind::ForwardingRule && !fromGlobal &&
        !r.field("loadBalancingScheme").is("INTERNAL_MANAGED"))
      return;
    const Resource* t = g.target(f);
    const std::string other =
        t ? describe(*t)
          : std::string(kindLabel(id->kind)) + " " + q(id->name) + " (not in the inputs)";
    const std::string where = spelled(r, path);
    std::string message;
    Finding* finding = nullptr;
    if (!fromGlobal) {
      message = "regional " + describe(r) + " points its " + where + " at global " + other +
                "; a regional internal Application Load Balancer is built from regional " +
                std::string(kindLabel(id->kind)) + "s only";
      finding = &out.report(r, path, message);
      const std::string kind(kindLabel(id->kind));
      finding->help = "point " + where + " at a regional " + kind + " in " + r.id.scope.name +
                      " (global " + kind +
                      "s belong to global and cross-region load balancers; create the regional " +
                      kind + " if there is none)";
    } else {
      message = "global " + describe(r) + " points its " + where + " at regional " + other +
                "; global and regional load-balancer components cannot be mixed";
      finding = &out.report(r, path, message);
      finding->help =
          "build the whole chain from regional resources in one region (the regional internal "
          "Application Load Balancer); a global chain is a different product";
    }
    if (t) finding->related.push_back({t->header, describe(*t) + " is defined here"});
  }
};

LBCHECK_REGISTER_RULE(GlobalResourceInRegionalChain);

}  // namespace
}  // namespace lbcheck
