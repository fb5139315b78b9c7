// OPS004: a load-balancer component cannot be deleted while another one uses it.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/timeline.h"

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

bool destroyedFirst(const Resource& r) {
  return r.lifecycle == Lifecycle::Delete || r.lifecycle == Lifecycle::ReplaceDeleteFirst;
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
    for (const Resource& r : g.resources()) {
      if (!component(r.id.kind) || r.mergedInto >= 0) continue;
      if (g.stepwise(g.indexOf(r))) continue;  // replayed in order below
      const bool deleted = r.lifecycle == Lifecycle::Delete;
      const bool replaced = r.lifecycle == Lifecycle::ReplaceDeleteFirst;
      if (!deleted && !(replaced && !replacementIsOps007(r.id.kind))) continue;
      for (const auto& ref : g.referrers(g.indexOf(r))) {
        const Resource& u = g.at(ref.resource);
        if (!user(u.id.kind) || u.mergedInto >= 0) continue;
        if (destroyedFirst(u)) continue;       // Terraform destroys the user first
        if (ref.prior && !replaced) continue;  // the change drops the reference
        const Field& use = ref.prior ? u.priorField(ref.path) : u.field(ref.path);
        const std::string verb =
            deleted ? "deleted" : "replaced (destroyed before it is re-created)";
        Finding& f = out.report(r, "",
                                describe(r) + " is " + verb + " while " + describe(u) +
                                    " still references it in " + spelled(u, ref.path));
        f.span = r.lifecycleSpan.valid() ? r.lifecycleSpan : r.header;
        f.help = deleted ? "delete or re-point " + std::string(kindLabel(u.id.kind)) + " " +
                               q(u.id.name) +
                               " first (forwarding rule, then target proxy, URL map, backend "
                               "service, NEG), or drop the reference in the same change"
                         : dialectOf(r).createBeforeDestroy(r) +
                               ", so the user moves to the new copy before the old one is "
                               "destroyed";
        f.related.push_back({use.span.valid() && use.state == State::Known ? use.span : u.header,
                             describe(u) + " references it here"});
        break;
      }
    }
    checkScripts(g, out);
  }

 private:
  /// gcloud scripts: a delete while another component, as the script left it at
  /// that point, still references the deleted one.
  static void checkScripts(const Graph& g, Reporter& out) {
    replay(g.timeline(), [&](const Operation& op, const ScriptState& before) {
      if (op.verb != Operation::Verb::Delete || !component(op.target.kind)) return;
      for (const auto& [holder, ref] : before.referrersOf(op.target)) {
        if (!user(holder->id.kind)) continue;
        const Resource& r = g.at(op.resource);
        const Resource& u = g.at(holder->resource);
        Finding& f = out.report(r, "",
                                describe(r) + " is deleted while " + describe(u) +
                                    " still references it in " + q(ref->spelling) +
                                    "; the API refuses (resourceInUseByAnotherResource)");
        f.span = op.nameSpan;
        f.related.push_back({ref->span, describe(u) + " references it here"});
        f.help = "delete " + std::string(kindLabel(u.id.kind)) + " " + q(u.id.name) +
                 " first: forwarding rule, then target proxy, URL map, backend service, NEG";
        break;
      }
    });
  }
};

LBCHECK_REGISTER_RULE(ComponentDeletedWhileReferenced);

}  // namespace
}  // namespace lbcheck
