// OPS005: subnet changes the API refuses in place: purpose, role BACKUP,
// resizing a proxy-only subnet.
#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

bool proxyOnly(const Field& purpose) {
  return purpose.is("REGIONAL_MANAGED_PROXY") || purpose.is("INTERNAL_HTTPS_LOAD_BALANCER") ||
         purpose.is("GLOBAL_MANAGED_PROXY");
}

/// The purpose migrations the API performs in place.
bool allowedMigration(const std::string& from, const std::string& to) {
  return (from == "INTERNAL_HTTPS_LOAD_BALANCER" && to == "REGIONAL_MANAGED_PROXY") ||
         (from == "PEER_MIGRATION" && to == "PRIVATE");
}

class IllegalSubnetMutation : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS005", "illegal-subnet-mutation",
                                "A plan changes a subnet in place in a way the API refuses: its "
                                "purpose, its role to BACKUP, or the range of a proxy-only "
                                "subnet.",
                                Severity::Error, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Step& step : g.changes().steps()) {
      if (step.action != Step::Action::Update) continue;
      const Resource& s = g.at(step.resource);
      if (s.id.kind != Kind::Subnetwork || !live(s)) continue;
      const Field& purpose = SubnetworkView(s).purpose();
      const Field& oldPurpose = g.changes().fieldBefore(step, s, SubnetworkView::kPurpose);
      if (purpose.state == State::Known && oldPurpose.known() && purpose.text != oldPurpose.text &&
          !allowedMigration(oldPurpose.text, purpose.text)) {
        Finding& f = out.report(s, SubnetworkView::kPurpose,
                                describe(s) + " changes " + spelled(s, SubnetworkView::kPurpose) +
                                    " from " + oldPurpose.text + " to " + purpose.text +
                                    " in place; only INTERNAL_HTTPS_LOAD_BALANCER -> "
                                    "REGIONAL_MANAGED_PROXY and PEER_MIGRATION -> PRIVATE can be "
                                    "changed on an existing subnet");
        f.help = proxyOnly(purpose)
                     ? "create a new proxy-only subnet with its own name and range instead of "
                       "converting this one"
                     : "create a new subnet with the purpose you need";
      }
      const Field& role = SubnetworkView(s).role();
      const Field& oldRole = g.changes().fieldBefore(step, s, SubnetworkView::kRole);
      if (role.state == State::Known && role.text == "BACKUP" && oldRole.known() &&
          oldRole.text != "BACKUP") {
        Finding& f =
            out.report(s, SubnetworkView::kRole,
                       describe(s) + " changes " + spelled(s, SubnetworkView::kRole) + " from " +
                           oldRole.text + " to BACKUP; an update can only set the role to ACTIVE");
        f.help =
            "promote the other (BACKUP) proxy-only subnet to ACTIVE instead: the active one "
            "is demoted to BACKUP automatically";
      }
      const Field& range = SubnetworkView(s).ipCidrRange();
      const Field& oldRange = g.changes().fieldBefore(step, s, SubnetworkView::kIpCidrRange);
      if (proxyOnly(purpose) && range.state == State::Known && oldRange.known() &&
          range.text != oldRange.text) {
        Finding& f = out.report(s, SubnetworkView::kIpCidrRange,
                                "proxy-only " + describe(s) + " changes " +
                                    spelled(s, SubnetworkView::kIpCidrRange) + " from " +
                                    oldRange.text + " to " + range.text +
                                    " in place; the range of a proxy-only subnet cannot be "
                                    "expanded");
        f.help =
            "create a BACKUP proxy-only subnet with the new range, allow it in the "
            "firewall rules, promote it to ACTIVE, let connections drain, then delete the "
            "old subnet";
        f.related.push_back(
            {oldRange.span.valid() ? oldRange.span : s.header, "the range before the change"});
      }
    }
  }
};

LBCHECK_REGISTER_RULE(IllegalSubnetMutation);

}  // namespace
}  // namespace lbcheck
