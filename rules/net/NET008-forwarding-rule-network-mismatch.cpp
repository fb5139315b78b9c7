// NET008: an internal managed forwarding rule's subnet must belong to the rule's
// network and region.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class ForwardingRuleNetworkMismatch : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET008",
                                "forwarding-rule-network-mismatch",
                                "An internal managed forwarding rule's subnet is in another VPC "
                                "network or region than the rule.",
                                Severity::Warning,
                                "net",
                                {Kind::ForwardingRule}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& fr, Reporter& out) const override {
    if (!isRegionalInternalManagedRule(fr)) return;
    const Field& subField = ForwardingRuleView(fr).subnetwork();
    if (!subField.ref->present() && !subField.known()) return;
    const Resource* sub = g.target(subField);
    const auto subId = refIdentity(g, subField);

    // Region: the subnet's own, or the one its link names.
    std::string subRegion;
    if (sub && sub->id.scope.type == Scope::Type::Region) subRegion = sub->id.scope.name;
    if (subRegion.empty() && subId && subId->scope.type == Scope::Type::Region)
      subRegion = subId->scope.name;
    if (!subRegion.empty() && subRegion != fr.id.scope.name) {
      Finding& f =
          out.report(fr, ForwardingRuleView::kSubnetwork,
                     describe(fr) + " is in region " + fr.id.scope.name + " but its subnet " +
                         q(subId ? subId->name.str() : subField.text.str()) + " is in " +
                         subRegion + "; the address comes from a subnet of the rule's own region");
      f.help = "use a subnet of " + fr.id.scope.name + " in the same network";
      if (sub) f.related.push_back({sub->header, "the subnet is defined here"});
      return;
    }

    // Network: the rule's network against the subnet's network.
    if (!sub || !live(*sub)) return;
    const Field& netField = ForwardingRuleView(fr).network();
    if (!netField.ref->present() && !netField.known()) return;  // taken from the subnet
    const auto frNet = refIdentity(g, netField);
    const auto subNet = refIdentity(g, SubnetworkView(*sub).network());
    if (!frNet || !subNet || frNet->name.empty() || subNet->name.empty() ||
        sameObject(*frNet, *subNet))
      return;  // the same network, or one not known
    Finding& f = out.report(fr, ForwardingRuleView::kSubnetwork,
                            describe(fr) + " names network " + q(frNet->name) + " but its " +
                                describe(*sub) + " belongs to network " + q(subNet->name) +
                                "; the rule's address and its proxies must come from one "
                                "network");
    f.help =
        "make the forwarding rule's network and subnet agree (the subnet's network is "
        "where the proxy-only subnet and the clients live)";
    // Point at the network values when they are written out, else at the networks.
    auto relate = [&](const Field& v, const std::string& what) {
      if (v.known())
        f.related.push_back({v.span, what + " is set here"});
      else if (const Resource* n = g.target(v))
        f.related.push_back({n->header, what + " is defined here"});
    };
    relate(netField, "the rule's network " + q(frNet->name));
    relate(SubnetworkView(*sub).network(), "the subnet's network " + q(subNet->name));
  }
};

LBCHECK_REGISTER_RULE(ForwardingRuleNetworkMismatch);

}  // namespace
}  // namespace lbcheck
