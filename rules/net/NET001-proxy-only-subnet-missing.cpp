// NET001: the forwarding rule of a regional internal, regional external or
// cross-region internal Application Load Balancer needs an active proxy-only
// subnet of its type's purpose in its network and region.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class ProxyOnlySubnetMissing : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET001", "proxy-only-subnet-missing",
                                "The forwarding rule of a regional internal, regional external "
                                "or cross-region internal Application Load Balancer has no "
                                "active proxy-only subnet of its purpose in its VPC network and "
                                "region.",
                                Severity::Error, "net"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const SubnetsByNetwork subnets(g);
    for (int32_t i : g.ofKind(Kind::ForwardingRule)) {
      const Resource& fr = g.at(i);
      if (isRegionalInternalManagedRule(fr)) {
        checkRule(g, subnets, fr, LbType::RegionalInternal, fr.id.scope.name, out);
        continue;
      }
      if (!live(fr) || !fr.id.scope.known()) continue;
      const std::string scheme = effectiveScheme(fr);
      if (scheme == "EXTERNAL_MANAGED" && fr.id.scope.type == Scope::Type::Region) {
        // Only the ALB and the regional external proxy NLB: both use the subnet.
        checkRule(g, subnets, fr, LbType::RegionalExternal, fr.id.scope.name, out);
      } else if (scheme == "INTERNAL_MANAGED" && fr.id.scope.type == Scope::Type::Global) {
        // The region of a global internal forwarding rule is its subnet's.
        const auto sub = refIdentity(g, ForwardingRuleView(fr).subnetwork());
        if (!sub || sub->scope.type != Scope::Type::Region || sub->scope.name.empty()) continue;
        checkRule(g, subnets, fr, LbType::CrossRegionInternal, std::string(sub->scope.name), out);
      }
    }
  }

 private:
  static void checkRule(const Graph& g, const SubnetsByNetwork& subnets, const Resource& fr,
                        LbType type, const std::string& region, Reporter& out) {
    const std::string wanted(proxySubnetPurpose(type));
    // The legacy purpose serves the regional internal ALB only (NET003).
    const bool legacyServes = type == LbType::RegionalInternal;
    // The network: written on the rule, or taken from its subnet, or "default".
    std::optional<Identity> network;
    const Field& netField = ForwardingRuleView(fr).network();
    const Field& subField = ForwardingRuleView(fr).subnetwork();
    if (netField.ref->present() || netField.known()) {
      network = refIdentity(g, netField);
    } else if (const Resource* sub = g.target(subField)) {
      network = refIdentity(g, SubnetworkView(*sub).network());
    } else if (netField.state == State::Absent && subField.state == State::Absent) {
      network = Identity{Kind::Network, fr.id.project, Scope{Scope::Type::Global, ""}, "default"};
    }
    if (!network) return;  // unknown network: never guess

    const Resource* networkResource = nullptr;
    auto consider = [&](const Resource& r) {
      if (r.id.kind == Kind::Network && live(r) && sameObject(objectIdentity(r), *network))
        networkResource = &r;
    };
    if (network->name.find('.') == std::string::npos) {
      for (int32_t i : g.named(Kind::Network, network->name)) consider(g.at(i));
    } else {
      for (const Resource& r : g.resources()) consider(r);  // an address: the name is unknown
    }

    const Resource* nearMiss = nullptr;  // a proxy-only subnet that almost qualifies
    std::string nearMissWhy;
    bool subnetsInNetwork = false;
    // Subnets of other networks are skipped below: only the candidates matter.
    for (const Resource* candidate : subnets.candidates(*network, true)) {
      const Resource& s = *candidate;
      if (s.id.kind != Kind::Subnetwork || !live(s)) continue;
      const auto sNet = refIdentity(g, SubnetworkView(s).network());
      if (!sNet) {
        if (SubnetworkView(s).network().state == State::Unknown)
          return;  // cannot tell: stay silent
        continue;
      }
      if (!sameObject(*sNet, *network)) continue;
      subnetsInNetwork = true;
      const Field& purpose = SubnetworkView(s).purpose();
      const Field& role = SubnetworkView(s).role();
      if (purpose.state == State::Unknown) return;
      if (!purpose.is("REGIONAL_MANAGED_PROXY") && !purpose.is("INTERNAL_HTTPS_LOAD_BALANCER") &&
          !purpose.is("GLOBAL_MANAGED_PROXY"))
        continue;
      if (!s.id.scope.known()) return;
      if (!purpose.is(wanted) && !(legacyServes && purpose.is("INTERNAL_HTTPS_LOAD_BALANCER"))) {
        // Another type's proxy-only subnet: it does not serve this one.
        if (type != LbType::RegionalInternal && s.id.scope.name == region &&
            (!nearMiss || nearMiss->id.scope.name != region)) {
          nearMiss = &s;
          nearMissWhy = "proxy-only subnet " + q(s.id.name) + " has purpose " + purpose.text +
                        ", which does not serve the " + std::string(lbTypeName(type));
        }
        continue;
      }
      if (s.id.scope.name != region) {
        if (!nearMiss) {
          nearMiss = &s;
          nearMissWhy =
              "proxy-only subnet " + q(s.id.name) + " is in " + s.id.scope.name + ", not " + region;
        }
        continue;
      }
      if (purpose.is("INTERNAL_HTTPS_LOAD_BALANCER")) return;  // NET003 reports the legacy purpose
      if (role.state == State::Unknown || role.state == State::Absent || role.is("ACTIVE")) return;
      if (!nearMiss || nearMiss->id.scope.name != region) {
        nearMiss = &s;
        nearMissWhy = "proxy-only subnet " + q(s.id.name) + " has role " + role.text +
                      "; only an ACTIVE one serves the proxies";
      }
    }

    const std::string where = "network " + q(network->name) + ", region " + region;
    if (!networkResource && !subnetsInNetwork) {
      Finding& f = out.report(fr, ForwardingRuleView::kNetwork,
                              "cannot verify the proxy-only subnet for " + describe(fr) + ": " +
                                  where + " is not in the inputs");
      f.severity = Severity::Note;
      f.help = "add the network's configuration to the inputs so lbcheck can check it";
      return;
    }
    const std::string forWhat =
        type == LbType::RegionalInternal
            ? "INTERNAL_MANAGED " + describe(fr)
            : describe(fr) + ", the front of a " + std::string(lbTypeName(type));
    Finding& f = out.report(
        fr, ForwardingRuleView(fr).network().known() ? ForwardingRuleView::kNetwork : "",
        "no active proxy-only subnet (purpose " + wanted + ") in " + where + " for " + forWhat);
    f.help = "add a proxy-only subnet in network " + q(network->name) + ", region " + region +
             ": purpose " + wanted +
             ", role ACTIVE and a /23 range (e.g. 10.129.0.0/23); "
             "it must exist before the forwarding rule is created";
    if (nearMiss) f.related.push_back({nearMiss->header, nearMissWhy});
    if (networkResource)
      f.related.push_back({networkResource->header, "the network is defined here"});
  }
};

LBCHECK_REGISTER_RULE(ProxyOnlySubnetMissing);

}  // namespace
}  // namespace lbcheck
