// LB014: every backend service a regional URL map names must have the scheme of
// a regional Application Load Balancer: INTERNAL_MANAGED (and only that when an
// INTERNAL_MANAGED piece makes the chain the internal one) or EXTERNAL_MANAGED.
// Backend services with a serverless NEG are LB003's (one finding per root cause).
#include <set>
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

constexpr std::string_view kRefs[] = {
    "defaultService",
    "defaultRouteAction.weightedBackendServices[*].backendService",
    "defaultRouteAction.requestMirrorPolicy.backendService",
    "pathMatchers[*].defaultService",
    "pathMatchers[*].defaultRouteAction.weightedBackendServices[*].backendService",
    "pathMatchers[*].pathRules[*].service",
    "pathMatchers[*].routeRules[*].service",
};

class UrlMapBackendUnusable : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB014",
                                "url-map-backend-unusable",
                                "A regional URL map sends traffic to a backend service whose load "
                                "balancing scheme is not INTERNAL_MANAGED.",
                                Severity::Error,
                                "lb",
                                {Kind::UrlMap},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& m, Reporter& out) const override {
    if (!live(m) || m.id.scope.type != Scope::Type::Region) return;
    // An INTERNAL_MANAGED piece linked to the URL map makes it the regional internal
    // load balancer's; without one it may as well be the regional external one's.
    const Resource* internal = internalManagedPeer(g, m);
    std::set<const Resource*> done;
    for (std::string_view pattern : kRefs) {
      forEachField(m, pattern, [&](const std::string& path, const Field& f) {
        const Resource* bs = g.target(f);
        // Global or other-region targets are LB002's and LB001's business.
        if (!bs || !live(*bs) || bs->id.kind != Kind::BackendService) return;
        if (bs->id.scope.type != Scope::Type::Region) return;
        // One finding per backend service: at the first reference of the first
        // regional URL map that uses it, the other URL maps as related locations.
        if (!done.insert(bs).second) return;
        const std::vector<const Resource*> maps = regionalMapsUsing(g, *bs);
        if (!maps.empty() && maps.front() != &m) return;
        // A backend service with a serverless NEG: LB003 reports its scheme there.
        if (backends::firstServerless(backends::of(g, *bs))) return;
        const Field& scheme = BackendServiceView(*bs).loadBalancingScheme();
        const std::string effective = effectiveScheme(*bs);
        if (effective.empty() || effective == "INTERNAL_MANAGED") return;
        // An all-EXTERNAL_MANAGED chain is the regional external Application Load
        // Balancer, a consistent product: LB003 notes that it is not checked.
        if (effective == "EXTERNAL_MANAGED" && !internal) return;
        std::string what;
        if (scheme.state == State::Defaulted)
          what = ", whose load balancing scheme is " + q(scheme.text) + " (the default " +
                 scheme.defaultedBy + " fills in)";
        else if (scheme.state == State::Absent)
          what = ", which does not set its load balancing scheme (the API default, " +
                 q(effective) + ", applies)";
        else
          what = ", whose load balancing scheme is " + q(scheme.text);
        Finding& finding = out.report(
            m, path,
            describe(m) + " sends traffic to " + describe(*bs) + what +
                (internal ? "; a regional internal Application Load Balancer can only use "
                            "INTERNAL_MANAGED backend services"
                          : "; a regional URL map can only use INTERNAL_MANAGED or "
                            "EXTERNAL_MANAGED backend services"));
        constexpr std::string_view kRecreated =
            " on the backend service (the scheme cannot be changed in place: the backend "
            "service is re-created)";
        if (internal) {
          finding.help =
              out.fix(finding, *bs,
                      Edit::set(BackendServiceView::kLoadBalancingScheme, "INTERNAL_MANAGED")) +
              std::string(kRecreated);
        } else {
          finding.help =
              "on the backend service, " +
              out.fix(finding, *bs,
                      Edit::set(BackendServiceView::kLoadBalancingScheme, "INTERNAL_MANAGED")) +
              " for a regional internal Application Load Balancer, or " +
              out.fix(finding, *bs,
                      Edit::set(BackendServiceView::kLoadBalancingScheme, "EXTERNAL_MANAGED")) +
              " for a regional external one (the scheme cannot be changed in place: the backend "
              "service is re-created)";
        }
        finding.related.push_back(
            {scheme.state == State::Known && scheme.span.valid() ? scheme.span : bs->header,
             scheme.state == State::Absent ? describe(*bs) + " does not set its scheme"
                                           : describe(*bs) + " has scheme " + q(scheme.text)});
        for (const Resource* other : maps)
          if (other != &m)
            finding.related.push_back({other->header, describe(*other) + " also uses it"});
        if (internal)
          finding.related.push_back({internal->field("loadBalancingScheme").span.valid()
                                         ? internal->field("loadBalancingScheme").span
                                         : internal->header,
                                     describe(*internal) + " is INTERNAL_MANAGED"});
      });
    }
  }

 private:
  /// The live regional URL maps that use `bs` now, in graph order.
  static std::vector<const Resource*> regionalMapsUsing(const Graph& g, const Resource& bs) {
    std::set<int32_t> found;
    for (const auto& ref : g.referrers(g.indexOf(bs))) {
      const Resource& u = g.at(ref.resource);
      if (!ref.prior && live(u) && u.id.kind == Kind::UrlMap &&
          u.id.scope.type == Scope::Type::Region)
        found.insert(ref.resource);
    }
    std::vector<const Resource*> out;
    for (const int32_t i : found) out.push_back(&g.at(i));
    return out;
  }
};

LBCHECK_REGISTER_RULE(UrlMapBackendUnusable);

}  // namespace
}  // namespace lbcheck
