// OPS003: an active proxy-only subnet cannot be deleted while regional Envoy
// load balancers or a backup proxy-only subnet remain in its network and region.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/timeline.h"

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
    for (const Resource& s : g.resources()) {
      if (s.id.kind != Kind::Subnetwork || s.mergedInto >= 0) continue;
      const bool deleted = s.lifecycle == Lifecycle::Delete;
      if (!deleted && s.lifecycle != Lifecycle::ReplaceDeleteFirst) continue;
      if (!proxyOnly(s.priorField("purpose"))) continue;
      const Field& role = s.priorField("role");
      if (role.state == State::Unknown ||
          (role.known() && !role.is("ACTIVE") && !role.text.empty()))
        continue;  // a BACKUP subnet may go
      const auto network = refIdentity(g, s.priorField("network"));
      if (!network || !s.id.scope.known()) continue;
      const std::string verb = deleted ? "deleted" : "replaced (destroyed before it is re-created)";

      if (const Resource* fr = remainingBalancer(g, s, *network)) {
        Finding& f = out.report(s, "",
                                "active proxy-only " + describe(s) + " is " + verb + " while " +
                                    describe(*fr) + " still uses the proxies of network " +
                                    q(network->name) + " in " + s.id.scope.name);
        f.span = s.lifecycleSpan.valid() ? s.lifecycleSpan : s.header;
        f.help =
            "delete the regional managed load balancers of this network and region first; "
            "to replace the subnet while they run, create a BACKUP proxy-only subnet, "
            "promote it to ACTIVE, let connections drain, then delete the old one";
        f.related.push_back({fr->header, describe(*fr) + " stays"});
        continue;
      }
      if (const Resource* backup = remainingBackup(g, s, *network)) {
        Finding& f = out.report(s, "",
                                "active proxy-only " + describe(s) + " is " + verb +
                                    " while BACKUP proxy-only " + describe(*backup) +
                                    " remains in the same network and region");
        f.span = s.lifecycleSpan.valid() ? s.lifecycleSpan : s.header;
        f.help =
            "delete the BACKUP subnet first, or promote it to ACTIVE (which demotes this "
            "one) and delete this one after draining";
        const Field& r = backup->field("role");
        f.related.push_back({r.span.valid() && r.state == State::Known ? r.span : backup->header,
                             describe(*backup) + " is BACKUP"});
      }
    }
    checkScripts(g, out);
  }

  /// gcloud scripts: what the script left in place when it deletes the subnet.
  static void checkScripts(const Graph& g, Reporter& out) {
    replay(g.timeline(), [&](const Operation& op, const ScriptState& before) {
      if (op.verb != Operation::Verb::Delete || op.target.kind != Kind::Subnetwork) return;
      const Resource& s = g.at(op.resource);
      if (!proxyOnly(s.field("purpose"))) return;  // unknown when the script did not create it
      if (s.field("role").is("BACKUP")) return;
      const auto network = s.field("network").ref.identity;
      auto sameNetwork = [&](const Resource& r, const Field& net) {
        if (r.id.scope.name != s.id.scope.name) return false;
        return !network || !net.ref.identity || sameObject(*net.ref.identity, *network);
      };
      for (const auto& o : before.live) {
        if (o.resource < 0 || o.resource == op.resource) continue;
        const Resource& r = g.at(o.resource);
        if (r.id.kind == Kind::ForwardingRule && r.id.scope.type == Scope::Type::Region &&
            (r.field("loadBalancingScheme").is("INTERNAL_MANAGED") ||
             r.field("loadBalancingScheme").is("EXTERNAL_MANAGED")) &&
            sameNetwork(r, r.field("network"))) {
          Finding& f =
              out.report(s, "",
                         "active proxy-only " + describe(s) + " is deleted while " + describe(r) +
                             " still uses the proxies of its network and "
                             "region; the API refuses");
          f.span = op.nameSpan;
          f.related.push_back({r.header, describe(r) + " still exists at this point"});
          f.help = "delete the forwarding rules of the regional managed load balancers first";
          return;
        }
        if (r.id.kind == Kind::Subnetwork && proxyOnly(r.field("purpose")) &&
            r.field("role").is("BACKUP") && sameNetwork(r, r.field("network"))) {
          Finding& f = out.report(s, "",
                                  "active proxy-only " + describe(s) +
                                      " is deleted while BACKUP proxy-only " + describe(r) +
                                      " remains in the same network and region");
          f.span = op.nameSpan;
          f.related.push_back({r.header, describe(r) + " is BACKUP"});
          f.help = "delete the BACKUP subnet first";
          return;
        }
      }
    });
  }

 private:
  static bool inPlace(const Graph& g, const Resource& r, const Resource& s, const Field& net,
                      const Identity& network) {
    if (r.id.scope.name != s.id.scope.name) return false;
    const auto id = refIdentity(g, net);
    return id && sameObject(*id, network);
  }

  /// A regional INTERNAL_MANAGED / EXTERNAL_MANAGED forwarding rule that stays.
  static const Resource* remainingBalancer(const Graph& g, const Resource& s,
                                           const Identity& network) {
    for (int32_t i : g.ofKind(Kind::ForwardingRule)) {
      const Resource& fr = g.at(i);
      if (fr.id.kind != Kind::ForwardingRule || !live(fr)) continue;
      if (fr.lifecycle == Lifecycle::ReplaceDeleteFirst) continue;  // goes away first too
      if (fr.id.scope.type != Scope::Type::Region) continue;
      const Field& scheme = fr.field("loadBalancingScheme");
      if (!scheme.is("INTERNAL_MANAGED") && !scheme.is("EXTERNAL_MANAGED")) continue;
      const Field& net = fr.field("network");
      if (net.ref.present() || net.known()) {
        if (inPlace(g, fr, s, net, network)) return &fr;
      } else if (const Resource* sub = g.target(fr.field("subnetwork"))) {
        if (inPlace(g, fr, s, sub->field("network"), network)) return &fr;
      }
    }
    return nullptr;
  }

  static const Resource* remainingBackup(const Graph& g, const Resource& s,
                                         const Identity& network) {
    for (int32_t i : g.ofKind(Kind::Subnetwork)) {
      const Resource& b = g.at(i);
      if (b.id.kind != Kind::Subnetwork || !live(b) || &b == &s) continue;
      if (!proxyOnly(b.field("purpose")) || !b.field("role").is("BACKUP")) continue;
      if (inPlace(g, b, s, b.field("network"), network)) return &b;
    }
    return nullptr;
  }
};

LBCHECK_REGISTER_RULE(ProxySubnetDeletedWhileNeeded);

}  // namespace
}  // namespace lbcheck
