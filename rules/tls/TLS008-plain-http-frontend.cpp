// TLS008: an internal managed forwarding rule that serves plain HTTP.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class PlainHttpFrontend : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS008",
                                "plain-http-frontend",
                                "An internal managed forwarding rule sends its traffic to a target "
                                "HTTP proxy, so clients talk to the load balancer unencrypted.",
                                Severity::Note,
                                "tls",
                                {Kind::ForwardingRule}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& fr, Reporter& out) const override {
    if (!live(fr)) return;
    if (fr.id.scope.type != Scope::Type::Region) return;
    if (!ForwardingRuleView(fr).loadBalancingScheme().is("INTERNAL_MANAGED")) return;
    const Field& target = ForwardingRuleView(fr).target();
    const Resource* proxy = g.target(target);
    if (proxy && !live(*proxy)) return;
    const auto id = refIdentity(g, target);
    if (!id || id->kind != Kind::TargetHttpProxy) return;
    const std::string what = proxy ? describe(*proxy) : "target HTTP proxy " + q(id->name);
    Finding& f = out.report(fr, ForwardingRuleView::kTarget,
                            "INTERNAL_MANAGED " + describe(fr) + " sends plain HTTP to " + what +
                                ": traffic between clients and the load balancer is not "
                                "encrypted");
    f.help = "for production, serve HTTPS: point " + spelled(fr, ForwardingRuleView::kTarget) +
             " at a regional target HTTPS proxy with a regional certificate, and set " +
             spelled(fr, ForwardingRuleView::kPortRange) + " to 443";
    if (proxy) f.related.push_back({proxy->header, "the target HTTP proxy"});
  }
};

LBCHECK_REGISTER_RULE(PlainHttpFrontend);

}  // namespace
}  // namespace lbcheck
