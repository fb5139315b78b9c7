// OPS003: an active proxy-only subnet cannot be deleted while regional Envoy
// load balancers or a backup proxy-only subnet remain in its network and region.
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

bool proxyOnly(const Field& purpose) {
  return purpose.is("REGIONAL_MANAGED_PROXY") || purpose.is("INTERNAL_HTTPS_LOAD_BALANCER");
}

class ProxySubnetDeletedWhileNeeded : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS003", "proxy-subnet-deleted-while-needed",
                                "An active proxy-only subnet is deleted while a regional managed "
                                "load balancer or a backup proxy-only subnet remains in its "
                                "network and region.",
                                Severity::Error, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const Changes& changes = g.changes();
    std::optional<Places> places;
    for (const Step& step : changes.steps()) {
      if (!step.destroysFirst()) continue;
      const Resource& s = g.at(step.resource);
      if (s.id.kind != Kind::Subnetwork) continue;
      if (!proxyOnly(changes.fieldBefore(step, s, SubnetworkView::kPurpose))) continue;
      const Field& role = changes.fieldBefore(step, s, SubnetworkView::kRole);
      if (role.state == State::Unknown ||
          (role.known() && !role.is("ACTIVE") && !role.text.empty()))
        continue;  // a BACKUP subnet may go
      const auto network = refIdentity(g, changes.fieldBefore(step, s, SubnetworkView::kNetwork));
      if (!network || !s.id.scope.known()) continue;
      if (!places) places.emplace(g);
      const std::string verb = step.action == Step::Action::Delete
                                   ? "deleted"
                                   : "replaced (destroyed before it is re-created)";

      if (const Resource* fr = remainingBalancer(g, *places, changes, step, s, *network)) {
        // A step that runs against exactly what the steps before it left meets
        // the API's refusal; a scheduled change leaves the rule in place.
        Finding& f = out.reportAt(
            s, "", step.at,
            "active proxy-only " + describe(s) + " is " + verb + " while " + describe(*fr) +
                (step.sequential ? " still uses the proxies of its network and region; the API "
                                   "refuses"
                                 : " still uses the proxies of network " + q(network->name) +
                                       " in " + s.id.scope.name));
        f.help =
            "delete the regional managed load balancers of this network and region first; "
            "to replace the subnet while they run, create a BACKUP proxy-only subnet, "
            "promote it to ACTIVE, let connections drain, then delete the old one";
        f.related.push_back(
            {fr->header,
             describe(*fr) + (step.sequential ? " still exists at this point" : " stays")});
        continue;
      }
      if (const Resource* backup = remainingBackup(g, *places, changes, step, s, *network)) {
        Finding& f = out.reportAt(s, "", step.at,
                                  "active proxy-only " + describe(s) + " is " + verb +
                                      " while BACKUP proxy-only " + describe(*backup) +
                                      " remains in the same network and region");
        f.help =
            "delete the BACKUP subnet first, or promote it to ACTIVE (which demotes this "
            "one) and delete this one after draining";
        const Field& r = SubnetworkView(*backup).role();
        f.related.push_back({r.span.valid() && r.state == State::Known ? r.span : backup->header,
                             describe(*backup) + " is BACKUP"});
      }
    }
  }

 private:
  /// The regional INTERNAL_MANAGED / EXTERNAL_MANAGED forwarding rules by network
  /// name and region, and the proxy-only subnets by network: each deleted subnet
  /// looks at its own network and region only, so the rule stays linear.
  struct Places {
    explicit Places(const Graph& g) : subnets(g) {
      for (int32_t i : g.ofKind(Kind::ForwardingRule)) {
        const Resource& fr = g.at(i);
        if (fr.id.kind != Kind::ForwardingRule || fr.id.scope.type != Scope::Type::Region) continue;
        const Field& scheme = ForwardingRuleView(fr).loadBalancingScheme();
        if (!scheme.is("INTERNAL_MANAGED") && !scheme.is("EXTERNAL_MANAGED")) continue;
        std::optional<Identity> network;
        const Field& net = ForwardingRuleView(fr).network();
        if (net.ref->present() || net.known())
          network = refIdentity(g, net);
        else if (const Resource* sub = g.target(ForwardingRuleView(fr).subnetwork()))
          network = refIdentity(g, SubnetworkView(*sub).network());
        if (!network) continue;
        balancers[network->name + "|" + fr.id.scope.name].push_back({i, *network});
      }
    }
    std::unordered_map<std::string, std::vector<std::pair<int32_t, Identity>>> balancers;
    SubnetsByNetwork subnets;
  };

  /// A regional managed forwarding rule in the subnet's network and region that exists then.
  static const Resource* remainingBalancer(const Graph& g, const Places& places,
                                           const Changes& changes, const Step& step,
                                           const Resource& s, const Identity& network) {
    const auto it = places.balancers.find(network.name + "|" + s.id.scope.name);
    if (it == places.balancers.end()) return nullptr;
    for (const auto& [i, net] : it->second)
      if (sameObject(net, network) && changes.existsAt(i, step)) return &g.at(i);
    return nullptr;
  }

  static const Resource* remainingBackup(const Graph& g, const Places& places,
                                         const Changes& changes, const Step& step,
                                         const Resource& s, const Identity& network) {
    for (const Resource* candidate : places.subnets.candidates(network, false)) {
      const Resource& b = *candidate;
      if (b.id.kind != Kind::Subnetwork || &b == &s || !changes.existsAt(g.indexOf(b), step))
        continue;
      if (!proxyOnly(SubnetworkView(b).purpose()) || !SubnetworkView(b).role().is("BACKUP"))
        continue;
      if (b.id.scope.name != s.id.scope.name) continue;
      const auto id = refIdentity(g, SubnetworkView(b).network());
      if (id && sameObject(*id, network)) return &b;
    }
    return nullptr;
  }
};

LBCHECK_REGISTER_RULE(ProxySubnetDeletedWhileNeeded);

}  // namespace
}  // namespace lbcheck
