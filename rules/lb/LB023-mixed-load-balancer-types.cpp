// LB023: the pieces of one chain must all belong to one row of the family table
// (engine/topology.h). Mixes of global and regional pieces that LB002 reports,
// and the scheme mix-ups of a chain with an INTERNAL_MANAGED piece (the regional
// internal one) that LB003 reports, are left to those rules.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class MixedLoadBalancerTypes : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB023", "mixed-load-balancer-types",
                                "The forwarding rule, target proxy, URL map and backend services "
                                "of one chain match no Application Load Balancer type (scheme and "
                                "scope do not fit together).",
                                Severity::Error, "lb"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const LbChain& c : allChains(g)) {
      if (c.type != LbType::Mixed || !c.rule) continue;
      const Resource& fr = *c.rule;
      const std::string scheme = effectiveScheme(fr);
      const bool frRegional = fr.id.scope.type == Scope::Type::Region;
      if (c.mixScope) {
        // LB002 reports global pieces behind an INTERNAL_MANAGED regional rule
        // and regional pieces behind a global rule.
        if (!frRegional || scheme == "INTERNAL_MANAGED") continue;
      } else if (frRegional && proxyRegional(g, c) &&
                 (scheme == "INTERNAL_MANAGED" || anyScheme(c, "INTERNAL_MANAGED") ||
                  internalManagedPeer(g, fr) != nullptr)) {
        // LB003: the schemes of a chain that some INTERNAL_MANAGED piece makes the
        // regional internal one. A regional EXTERNAL rule in front of a regional
        // proxy with no such piece fits no row, and is reported here.
        continue;
      }
      const Resource* other = c.mixTo ? c.mixTo : c.proxy;
      const std::string otherText =
          other ? describe(*other) + " (" + schemeAndScope(*other) + ")" : "its target proxy";
      Finding& f = out.report(
          fr, c.mixScope ? ForwardingRuleView::kTarget : ForwardingRuleView::kLoadBalancingScheme,
          describe(fr) + " (" + schemeAndScope(fr) + ") and " + otherText +
              " are one chain but no Application Load Balancer type: " + c.mixWhy);
      if (other) f.related.push_back({other->header, describe(*other) + " is defined here"});
      f.help =
          "build the chain from one row: regional internal (INTERNAL_MANAGED, regional), "
          "cross-region internal (INTERNAL_MANAGED, global), global external "
          "(EXTERNAL_MANAGED, global), classic (EXTERNAL, global; a regional forwarding rule "
          "only in Standard Tier) or regional external (EXTERNAL_MANAGED, regional)";
    }
  }

 private:
  static bool proxyRegional(const Graph& g, const LbChain& c) {
    if (c.proxy) return c.proxy->id.scope.regional();
    const auto id = refIdentity(g, ForwardingRuleView(*c.rule).target());
    return id && id->scope.regional();
  }

  static bool anyScheme(const LbChain& c, std::string_view scheme) {
    for (const Resource* bs : c.backends)
      if (effectiveScheme(*bs) == scheme) return true;
    return false;
  }

  static std::string schemeAndScope(const Resource& r) {
    std::string s = r.id.scope.type == Scope::Type::Global ? "global" : "regional";
    if (r.id.kind == Kind::ForwardingRule || r.id.kind == Kind::BackendService) {
      const Field& f = r.field("loadBalancingScheme");
      s += ", " + (f.known() ? f.text.str() : std::string("EXTERNAL by default"));
      if (r.id.kind == Kind::ForwardingRule && r.id.scope.type == Scope::Type::Region) {
        const Field& tier = ForwardingRuleView(r).networkTier();
        s += tier.known() ? ", " + tier.text + " tier" : ", Premium Tier by default";
      }
    }
    return s;
  }
};

LBCHECK_REGISTER_RULE(MixedLoadBalancerTypes);

}  // namespace
}  // namespace lbcheck
