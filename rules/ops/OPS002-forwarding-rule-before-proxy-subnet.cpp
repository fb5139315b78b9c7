// OPS002: the proxy-only subnet must exist before the regional managed
// forwarding rule is created: the change creates the rule first, or nothing
// orders the two.
#include <optional>

#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

bool proxyOnly(const Resource& s) {
  const SubnetworkView view(s);
  return s.id.kind == Kind::Subnetwork &&
         (view.purpose().is("REGIONAL_MANAGED_PROXY") ||
          view.purpose().is("INTERNAL_HTTPS_LOAD_BALANCER")) &&
         !view.role().is("BACKUP");
}

class ForwardingRuleBeforeProxySubnet : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS002", "forwarding-rule-before-proxy-subnet",
                                "An internal managed forwarding rule may be created before its "
                                "proxy-only subnet: a gcloud script runs them in that order, or a "
                                "Terraform plan has no dependency between them.",
                                Severity::Warning, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const Changes& changes = g.changes();
    std::optional<SubnetsByNetwork> subnets;
    for (const Step& step : changes.steps()) {
      if (!step.creates() || !step.dependenciesKnown) continue;
      const Resource& fr = g.at(step.resource);
      if (fr.id.kind != Kind::ForwardingRule || fr.id.scope.type != Scope::Type::Region) continue;
      const Field& scheme = ForwardingRuleView(fr).loadBalancingScheme();
      if (!scheme.is("INTERNAL_MANAGED") && !scheme.is("EXTERNAL_MANAGED")) continue;
      const auto network = networkOf(g, fr);
      if (!network) continue;
      if (!subnets) subnets.emplace(g);

      // The proxy-only subnets of (network, region): one that exists when the
      // rule is created serves it; otherwise the one the change creates too.
      bool exists = false;
      const Step* pending = nullptr;
      for (const Resource* candidate : subnets->candidates(*network, false)) {
        const Resource& s = *candidate;
        if (!proxyOnly(s) || s.id.scope.name != fr.id.scope.name) continue;
        const auto sNet = refIdentity(g, SubnetworkView(s).network());
        if (!sNet || !sameObject(*sNet, *network)) continue;
        if (changes.existsAt(g.indexOf(s), step)) {
          exists = true;
          break;
        }
        for (const Step* made : changes.stepsOf(g.indexOf(s))) {
          if (pending || !made->creates() || made->document != step.document ||
              made->sequential != step.sequential || changes.before(*made, step))
            continue;
          pending = made;
        }
      }
      if (exists || !pending) continue;

      const Resource& subnet = g.at(pending->resource);
      if (changes.before(step, *pending)) {
        Finding& f =
            out.reportAt(fr, "", step.name,
                         describe(fr) + " is created before proxy-only " + describe(subnet) +
                             " of its network and region, so its creation fails");
        f.severity = Severity::Error;
        f.related.push_back({pending->name, "the proxy-only subnet is created only here"});
        f.help = dialectOf(fr).createAfter(fr, subnet);
        continue;
      }
      // Sequential steps not ordered: parts of one document that may run at the same time.
      Finding& f = out.reportAt(
          fr, "", step.name,
          describe(fr) + " and proxy-only " + describe(subnet) +
              (step.sequential
                   ? " are created by steps that may run at the same time: nothing makes the "
                     "rule's step wait for the subnet's, so the rule may be created first, and "
                     "that fails"
                   : " are both created by this plan, but nothing makes the rule wait for the "
                     "subnet: Terraform may create the rule first, and that fails"));
      f.help = step.sequential ? "make the step that creates " + describe(fr) +
                                     " wait for the step that creates " + describe(subnet)
                               : dialectOf(fr).createAfter(fr, subnet);
      f.related.push_back({pending->name, "the proxy-only subnet is created here"});
    }
  }

 private:
  static std::optional<Identity> networkOf(const Graph& g, const Resource& fr) {
    const Field& net = ForwardingRuleView(fr).network();
    if (net.ref->present() || net.known()) return refIdentity(g, net);
    if (const Resource* sub = g.target(ForwardingRuleView(fr).subnetwork()))
      return refIdentity(g, SubnetworkView(*sub).network());
    if (net.state == State::Absent && ForwardingRuleView(fr).subnetwork().state == State::Absent)
      return Identity{Kind::Network, fr.id.project, Scope{Scope::Type::Global, ""}, "default"};
    return std::nullopt;
  }
};

LBCHECK_REGISTER_RULE(ForwardingRuleBeforeProxySubnet);

}  // namespace
}  // namespace lbcheck
