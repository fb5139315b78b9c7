// NET002: per VPC network, region and proxy-only purpose there may be one ACTIVE
// and one BACKUP subnet, and a BACKUP needs an ACTIVE.
#include <map>
#include <tuple>
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class ProxyOnlySubnetCardinality : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET002",
                                "proxy-only-subnet-cardinality",
                                "A VPC network and region has more than one active or more than "
                                "one backup proxy-only subnet of the same purpose, or a backup "
                                "without an active one.",
                                Severity::Error,
                                "net",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    struct Group {
      std::vector<const Resource*> active, backup;
      bool unsure = false;  // a member whose role is unknown or unset
    };
    // (project, network, region, purpose, the document of a network named by
    // its address) -> subnets, in input order.
    using Key = std::tuple<std::string, std::string, std::string, std::string, uint32_t>;
    std::map<Key, Group> groups;
    std::vector<Key> order;
    bool someUnknown = false;  // a subnet that might be the missing ACTIVE one
    for (const Resource& s : g.resources()) {
      if (s.id.kind != Kind::Subnetwork || !live(s)) continue;
      const Field& purpose = SubnetworkView(s).purpose();
      const Field& netField = SubnetworkView(s).network();
      if (purpose.state == State::Unknown || netField.state == State::Unknown ||
          !s.id.scope.known()) {
        someUnknown = someUnknown || purpose.state == State::Unknown || !s.id.scope.known() ||
                      !netField.ref->present();
        if (purpose.state == State::Unknown || !s.id.scope.known()) continue;
      }
      if (!purpose.is("REGIONAL_MANAGED_PROXY") && !purpose.is("GLOBAL_MANAGED_PROXY")) continue;
      const auto network = refIdentity(g, netField);
      if (!network) continue;
      // Projects: an unknown project on a reference means "the subnet's own".
      const std::string project = !network->project.empty() ? network->project : s.id.project;
      // A network known only by its address is one object within one
      // document: two root modules' `google_compute_network.a` are two networks.
      const Key key{project, network->name, s.id.scope.name, purpose.text, network->addressIn};
      if (!groups.count(key)) order.push_back(key);
      Group& group = groups[key];
      const Field& role = SubnetworkView(s).role();
      if (role.is("ACTIVE")) {
        group.active.push_back(&s);
      } else if (role.is("BACKUP")) {
        group.backup.push_back(&s);
      } else {
        group.unsure = true;  // unknown, or unset (NET005 asks for an explicit role)
      }
    }

    for (const auto& key : order) {
      const Group& group = groups[key];
      const auto& [project, network, region, purpose, document] = key;
      const std::string where =
          "network " + q(network) + ", region " + region + " (purpose " + purpose + ")";
      for (const auto* list : {&group.active, &group.backup}) {
        const std::string role = list == &group.active ? "ACTIVE" : "BACKUP";
        for (size_t i = 1; i < list->size(); ++i) {
          const Resource& s = *(*list)[i];
          const Resource& first = *(*list)[0];
          Finding& f = out.report(s, SubnetworkView::kRole,
                                  describe(s) + " is a second " + role + " proxy-only subnet in " +
                                      where + "; only one " + role + " subnet is allowed there");
          if (role == "ACTIVE") {
            f.help =
                "keep one ACTIVE proxy-only subnet per network and region; to grow or replace it, "
                "create the new one as BACKUP, then promote it by setting its role to ACTIVE (an "
                "in-place update)";
            // The first extra one can be the standby when there is none yet.
            if (i == 1 && group.backup.empty())
              f.help += "; to keep this one as the standby: " +
                        out.fix(f, s, Edit::set(SubnetworkView::kRole, "BACKUP"));
          } else {
            f.help = "keep at most one BACKUP proxy-only subnet per network and region";
          }
          f.related.push_back({SubnetworkView(first).role().span,
                               "the first " + role + " subnet " + q(first.id.name) + " is here"});
        }
      }
      if (group.active.empty() && !group.unsure && !someUnknown) {
        for (const Resource* s : group.backup) {
          Finding& f = out.report(*s, SubnetworkView::kRole,
                                  describe(*s) + " is a BACKUP proxy-only subnet, but " + where +
                                      " has no ACTIVE one; a backup can only exist next to an "
                                      "active subnet");
          f.help = out.fix(f, *s, Edit::set(SubnetworkView::kRole, "ACTIVE")) +
                   ", or add an ACTIVE proxy-only subnet in the same network and region";
        }
      }
    }
  }
};

LBCHECK_REGISTER_RULE(ProxyOnlySubnetCardinality);

}  // namespace
}  // namespace lbcheck
