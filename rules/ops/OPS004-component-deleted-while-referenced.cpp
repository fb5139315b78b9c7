// OPS004: a load-balancer component cannot be deleted while another one uses it.
#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

/// Components whose deletion the API refuses while referenced. NEGs are OPS001's.
bool component(Kind k) {
  switch (k) {
    case Kind::TargetHttpProxy:
    case Kind::TargetHttpsProxy:
    case Kind::UrlMap:
    case Kind::BackendService:
    case Kind::SslCertificate:
    case Kind::SslPolicy:
    case Kind::CertificateManagerCertificate:
      return true;
    default:
      return false;
  }
}

/// Kinds whose destroy-first replacement OPS007 reports.
bool replacementIsOps007(Kind k) { return k == Kind::UrlMap || k == Kind::BackendService; }

bool user(Kind k) {
  return k == Kind::ForwardingRule || k == Kind::TargetHttpProxy || k == Kind::TargetHttpsProxy ||
         k == Kind::UrlMap || k == Kind::BackendService;
}

class ComponentDeletedWhileReferenced : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS004", "component-deleted-while-referenced",
                                "A load-balancer component (target proxy, URL map, backend "
                                "service, certificate or SSL policy) is deleted while another "
                                "component still references it.",
                                Severity::Error, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const Changes& changes = g.changes();
    for (const Step& step : changes.steps()) {
      if (!step.destroysFirst()) continue;
      const Resource& r = g.at(step.resource);
      if (!component(r.id.kind)) continue;
      const bool deleted = step.action == Step::Action::Delete;
      if (!deleted && replacementIsOps007(r.id.kind)) continue;
      for (const Holder& use : changes.holders(step)) {
        const Resource& u = g.at(use.resource);
        if (!user(u.id.kind)) continue;
        const std::string verb =
            deleted ? "deleted" : "replaced (destroyed before it is re-created)";
        // A step that runs against exactly what the steps before it left meets the API's refusal.
        Finding& f = out.reportAt(
            r, "", step.at,
            describe(r) + " is " + verb + " while " + describe(u) + " still references it in " +
                q(use.spelling) +
                (step.sequential ? "; the API refuses (resourceInUseByAnotherResource)" : ""));
        const std::string first = std::string(kindLabel(u.id.kind)) + " " + q(u.id.name);
        if (!deleted)
          f.help = dialectOf(r).createBeforeDestroy(r) +
                   ", so the user moves to the new copy before the old one is destroyed";
        else if (step.sequential)
          f.help = "delete " + first +
                   " first: forwarding rule, then target proxy, URL map, backend service, NEG";
        else
          f.help = "delete or re-point " + first +
                   " first (forwarding rule, then target proxy, URL map, backend service, NEG), "
                   "or drop the reference in the same change";
        f.related.push_back({use.span, describe(u) + " references it here"});
        break;
      }
    }
  }
};

LBCHECK_REGISTER_RULE(ComponentDeletedWhileReferenced);

}  // namespace
}  // namespace lbcheck
