// LB014: every backend service a regional URL map names must be an
// INTERNAL_MANAGED one.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

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
                                {Kind::UrlMap}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& m, Reporter& out) const override {
    if (!live(m) || m.id.scope.type != Scope::Type::Region) return;
    for (std::string_view pattern : kRefs) {
      forEachField(m, pattern, [&](const std::string& path, const Field& f) {
        const Resource* bs = g.target(f);
        // Global or other-region targets are LB002's and LB001's business.
        if (!bs || !live(*bs) || bs->id.kind != Kind::BackendService) return;
        if (bs->id.scope.type != Scope::Type::Region) return;
        const Field& scheme = BackendServiceView(*bs).loadBalancingScheme();
        if (!scheme.known() || scheme.text == "INTERNAL_MANAGED") return;
        // An all-EXTERNAL_MANAGED chain is the regional external Application Load
        // Balancer, a consistent product: LB003 notes that it is not checked.
        if (scheme.text == "EXTERNAL_MANAGED" && !internalManagedPeer(g, m)) return;
        const bool defaulted = scheme.state == State::Defaulted;
        Finding& finding = out.report(
            m, path,
            describe(m) + " sends traffic to " + describe(*bs) +
                ", whose load balancing scheme is " + q(scheme.text) +
                (defaulted ? " (the default " + scheme.defaultedBy + " fills in)" : "") +
                "; a regional internal Application Load Balancer can only use INTERNAL_MANAGED "
                "backend services");
        finding.help =
            out.fix(finding, *bs,
                    Edit::set(BackendServiceView::kLoadBalancingScheme, "INTERNAL_MANAGED")) +
            " on the backend service (the scheme cannot be changed in place: the "
            "backend service is re-created)";
        finding.related.push_back(
            {scheme.state == State::Known && scheme.span.valid() ? scheme.span : bs->header,
             describe(*bs) + " has scheme " + q(scheme.text)});
      });
    }
  }
};

LBCHECK_REGISTER_RULE(UrlMapBackendUnusable);

}  // namespace
}  // namespace lbcheck
