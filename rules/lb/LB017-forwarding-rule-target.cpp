// LB017: an INTERNAL_MANAGED regional forwarding rule points at a regional
// target HTTP(S) proxy of its region, and never at a backend service.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

/// The collection segment of a link ("targetTcpProxies"), or "".
std::string collectionOf(std::string_view link) {
  while (!link.empty() && link.back() == '/') link.remove_suffix(1);
  const size_t last = link.rfind('/');
  if (last == std::string_view::npos || last == 0) return {};
  const size_t prev = link.rfind('/', last - 1);
  return std::string(link.substr(prev == std::string_view::npos ? 0 : prev + 1,
                                 last - (prev == std::string_view::npos ? 0 : prev + 1)));
}

class ForwardingRuleTarget : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB017",
                                "forwarding-rule-target",
                                "An internal managed forwarding rule does not point at a regional "
                                "target HTTP(S) proxy in its region, or sets a backend service.",
                                Severity::Error,
                                "lb",
                                {Kind::ForwardingRule},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& fr, Reporter& out) const override {
    if (!isRegionalInternalManagedRule(fr)) return;
    checkBackendService(fr, out);
    checkTarget(g, fr, out);
  }

 private:
  static void checkBackendService(const Resource& fr, Reporter& out) {
    const Field& bs = ForwardingRuleView(fr).backendService();
    if (bs.state != State::Known) return;
    Finding& f = out.report(fr, ForwardingRuleView::kBackendService,
                            "INTERNAL_MANAGED " + describe(fr) + " sets " +
                                spelled(fr, ForwardingRuleView::kBackendService) +
                                "; that field is only for passthrough load balancers, an internal "
                                "Application Load Balancer's forwarding rule points at a target "
                                "proxy");
    f.help = out.fix(f, fr, Edit::remove(ForwardingRuleView::kBackendService)) + " and point " +
             spelled(fr, ForwardingRuleView::kTarget) + " at a regional target HTTP(S) proxy in " +
             fr.id.scope.name + " (the forwarding rule is re-created)";
  }

  static void checkTarget(const Graph& g, const Resource& fr, Reporter& out) {
    const Field& target = ForwardingRuleView(fr).target();
    const std::string name = spelled(fr, ForwardingRuleView::kTarget);
    const std::string fix = "point " + name + " at a regional target HTTP(S) proxy in " +
                            fr.id.scope.name +
                            " (a reference that names no region may mean a global proxy)";
    if (target.state == State::Absent) {
      if (ForwardingRuleView(fr).backendService().state == State::Known) return;  // reported above
      Finding& f = out.report(fr, "",
                              "INTERNAL_MANAGED " + describe(fr) + " has no " + name +
                                  "; it needs a regional target HTTP(S) proxy");
      f.help = fix;
      return;
    }
    if (target.state != State::Known) return;
    const Resource* t = g.target(target);
    const std::optional<Identity> id = refIdentity(g, target);
    std::string problem;
    if (!id) {
      const std::string coll = collectionOf(target.text);
      if (coll.empty()) return;  // not a link lbcheck can read
      problem = "points at a " + q(coll) + " resource, not a target HTTP(S) proxy";
    } else if (id->kind != Kind::TargetHttpProxy && id->kind != Kind::TargetHttpsProxy) {
      problem = "points at " + std::string(kindLabel(id->kind)) + " " + q(id->name) +
                ", not a target HTTP(S) proxy";
    } else if (id->scope.type == Scope::Type::Global) {
      problem = "points at the global " + std::string(kindLabel(id->kind)) + " " + q(id->name) +
                "; this load balancer needs a regional target proxy";
    } else if (!t && id->scope.type == Scope::Type::Region && id->scope.name != fr.id.scope.name) {
      // A resolved target in another region is LB001's finding.
      problem = "points at " + std::string(kindLabel(id->kind)) + " " + q(id->name) + " in " +
                id->scope.name + ", not in the rule's region " + fr.id.scope.name;
    } else {
      return;
    }
    Finding& f = out.report(fr, ForwardingRuleView::kTarget,
                            "INTERNAL_MANAGED " + describe(fr) + ": " + name + " " + problem);
    f.help = fix;
    if (t) f.related.push_back({t->header, describe(*t) + " is defined here"});
    if (const Resource* other = createdElsewhere(g, fr, target))
      f.related.push_back(
          {other->header,
           describe(*other) + " is created here, " +
               (other->id.scope.type == Scope::Type::Global ? std::string("global")
                                                            : "in " + other->id.scope.name) +
               " (no such proxy exists where the rule looks for it)"});
  }
};

LBCHECK_REGISTER_RULE(ForwardingRuleTarget);

}  // namespace
}  // namespace lbcheck
