// LB021: client VMs in another region reach a regional internal ALB only when
// its forwarding rule allows global access.
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

/// "us-east1" from the zone "us-east1-b".
std::string regionOfZone(std::string_view zone) {
  const size_t dash = zone.rfind('-');
  return std::string(dash == std::string_view::npos ? zone : zone.substr(0, dash));
}

class ClientOutsideRegion : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB021",
                                "client-outside-region",
                                "A client VM in another region cannot reach an internal managed "
                                "forwarding rule that does not allow global access.",
                                Severity::Warning,
                                "lb",
                                {Kind::ForwardingRule},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& fr, Reporter& out) const override {
    if (!isRegionalInternalManagedRule(fr)) return;
    const Field& global = ForwardingRuleView(fr).allowGlobalAccess();
    if (global.state == State::Unknown || global.is("true")) return;
    const auto network = networkOf(g, fr);
    if (!network) return;
    std::set<std::string> regions;  // one finding per client region
    for (int32_t i : g.ofKind(Kind::Instance)) {
      const Resource& vm = g.at(i);
      if (vm.id.kind != Kind::Instance || !live(vm)) continue;
      if (vm.id.scope.type != Scope::Type::Zone || vm.id.scope.name.empty()) continue;
      const std::string region = regionOfZone(vm.id.scope.name);
      if (region == fr.id.scope.name || regions.count(region)) continue;
      if (!inNetwork(g, vm, *network)) continue;
      regions.insert(region);
      Finding& f =
          out.report(fr, global.state == State::Known ? "allowGlobalAccess" : "",
                     describe(vm) + " in " + vm.id.scope.name + " cannot reach INTERNAL_MANAGED " +
                         describe(fr) + " in " + fr.id.scope.name + ": " +
                         spelled(fr, ForwardingRuleView::kAllowGlobalAccess) +
                         (global.state == State::Known ? " is false" : " is not set") +
                         ", so only clients in " + fr.id.scope.name + " are served");
      f.help = out.fix(f, fr, Edit::set(ForwardingRuleView::kAllowGlobalAccess, "true")) +
               " on the forwarding rule (it can be changed in place), or create the client in " +
               fr.id.scope.name;
      f.related.push_back({vm.header, describe(vm) + " is in " + vm.id.scope.name});
    }
  }

 private:
  static std::optional<Identity> networkOf(const Graph& g, const Resource& fr) {
    const Field& net = ForwardingRuleView(fr).network();
    const Field& sub = ForwardingRuleView(fr).subnetwork();
    if (net.ref->present()) return refIdentity(g, net);
    if (const Resource* s = g.target(sub)) return refIdentity(g, SubnetworkView(*s).network());
    if (net.state == State::Absent && sub.state == State::Absent)
      return Identity{Kind::Network, fr.id.project, Scope{Scope::Type::Global, ""}, "default"};
    return std::nullopt;
  }

  static bool inNetwork(const Graph& g, const Resource& vm, const Identity& network) {
    bool found = false;
    forEachField(vm, "networkInterfaces[*].network", [&](const std::string&, const Field& f) {
      if (const auto id = refIdentity(g, f); id && sameObject(*id, network)) found = true;
    });
    if (found) return true;
    forEachField(vm, "networkInterfaces[*].subnetwork", [&](const std::string&, const Field& f) {
      if (const Resource* s = g.target(f))
        if (const auto id = refIdentity(g, SubnetworkView(*s).network());
            id && sameObject(*id, network))
          found = true;
    });
    return found;
  }
};

LBCHECK_REGISTER_RULE(ClientOutsideRegion);

}  // namespace
}  // namespace lbcheck
