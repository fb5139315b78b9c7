// OPS002: Terraform must create the proxy-only subnet before the internal
// managed forwarding rule; nothing orders them unless a dependency says so.
#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/timeline.h"

namespace lbcheck {
namespace {

bool creates(const Resource& r) {
  return r.lifecycle == Lifecycle::Create || r.lifecycle == Lifecycle::ReplaceDeleteFirst ||
         r.lifecycle == Lifecycle::ReplaceCreateFirst;
}

/// `address` is `dep` or lies under it (an instance of it, or inside the module).
bool covers(std::string_view dep, std::string_view address) {
  if (address.substr(0, dep.size()) != dep) return false;
  return address.size() == dep.size() || address[dep.size()] == '[' || address[dep.size()] == '.';
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
    const SubnetsByNetwork subnets(g);
    PlanAddresses addresses;
    for (int32_t i : g.ofKind(Kind::ForwardingRule)) {
      const Resource& fr = g.at(i);
      if (fr.id.kind != Kind::ForwardingRule || !live(fr) || !creates(fr)) continue;
      if (!planned(g, fr) || !fr.dependsOn) continue;
      if (fr.id.scope.type != Scope::Type::Region) continue;
      if (!fr.field("loadBalancingScheme").is("INTERNAL_MANAGED")) continue;
      const auto network = networkOf(g, fr);
      if (!network) continue;

      // The proxy-only subnets of (network, region): all must be created in this
      // plan for the order to matter (an existing one already serves the rule).
      std::vector<const Resource*> created;
      bool existing = false;
      for (const Resource* candidate : subnets.candidates(*network, false)) {
        const Resource& s = *candidate;
        if (s.id.kind != Kind::Subnetwork || !live(s)) continue;
        const Field& purpose = s.field("purpose");
        if (!purpose.is("REGIONAL_MANAGED_PROXY") && !purpose.is("INTERNAL_HTTPS_LOAD_BALANCER"))
          continue;
        if (s.id.scope.name != fr.id.scope.name) continue;
        const auto sNet = refIdentity(g, s.field("network"));
        if (!sNet || !sameObject(*sNet, *network)) continue;
        if (creates(s) && s.document == fr.document && planned(g, s))
          created.push_back(&s);
        else
          existing = true;
      }
      if (existing || created.empty()) continue;
      if (addresses.empty()) addresses.build(g);
      const std::set<int32_t> reach = reachable(g, addresses, fr);
      bool ordered = false;
      for (const Resource* s : created) ordered = ordered || reach.count(g.indexOf(*s)) > 0;
      if (ordered) continue;

      const Resource& subnet = *created.front();
      Finding& f = out.report(fr, "",
                              describe(fr) + " and proxy-only " + describe(subnet) +
                                  " are both created by this plan, but nothing makes the rule "
                                  "wait for the subnet: Terraform may create the rule first, and "
                                  "that fails");
      f.help = dialectOf(fr).createAfter(fr, subnet);
      f.related.push_back({subnet.header, "the proxy-only subnet is created here"});
    }
    checkScripts(g, out);
  }

 private:
  /// Changed by a plan: computed ahead, ordered only by its dependencies
  /// (not a step of a script, not a static document).
  static bool planned(const Graph& g, const Resource& r) {
    return r.lifecycle != Lifecycle::Static && !g.stepwise(g.indexOf(r));
  }
  static bool proxyOnly(const Resource& s) {
    return s.id.kind == Kind::Subnetwork &&
           (s.field("purpose").is("REGIONAL_MANAGED_PROXY") ||
            s.field("purpose").is("INTERNAL_HTTPS_LOAD_BALANCER")) &&
           !s.field("role").is("BACKUP");
  }
  static bool samePlace(const Resource& fr, const Resource& s) {
    if (fr.id.scope.name != s.id.scope.name) return false;
    const auto& a = fr.field("network").ref.identity;
    const auto& b = s.field("network").ref.identity;
    return !a || !b || sameObject(*a, *b);
  }

  /// gcloud scripts: `forwarding-rules create` runs before the `subnets create`
  /// of the proxy-only subnet of its network and region.
  static void checkScripts(const Graph& g, Reporter& out) {
    replay(g.timeline(), [&](const Operation& op, const ScriptState& before) {
      if (op.verb != Operation::Verb::Create || op.target.kind != Kind::ForwardingRule) return;
      const Resource& fr = g.at(op.resource);
      if (fr.id.scope.type != Scope::Type::Region) return;
      if (!fr.field("loadBalancingScheme").is("INTERNAL_MANAGED") &&
          !fr.field("loadBalancingScheme").is("EXTERNAL_MANAGED"))
        return;
      for (const auto& o : before.live)
        if (o.resource >= 0 && proxyOnly(g.at(o.resource)) && samePlace(fr, g.at(o.resource)))
          return;  // already there
      // Another input (an export, a plan) with the subnet: it exists outside the script.
      for (const Resource& s : g.resources())
        if (!g.stepwise(g.indexOf(s)) && live(s) && proxyOnly(s) && samePlace(fr, s)) return;
      for (const Operation& later : g.timeline()) {
        if (later.document != op.document || later.sequence <= op.sequence ||
            later.verb != Operation::Verb::Create || later.target.kind != Kind::Subnetwork)
          continue;
        const Resource& s = g.at(later.resource);
        if (!proxyOnly(s) || !samePlace(fr, s)) continue;
        Finding& f = out.report(fr, "",
                                describe(fr) + " is created before proxy-only " + describe(s) +
                                    " of its network and region, so its creation fails");
        f.severity = Severity::Error;
        f.span = op.nameSpan;
        f.related.push_back({later.nameSpan, "the proxy-only subnet is created only here"});
        f.help = dialectOf(fr).createAfter(fr, s);
        return;
      }
    });
  }
  static std::optional<Identity> networkOf(const Graph& g, const Resource& fr) {
    const Field& net = fr.field("network");
    if (net.ref.present() || net.known()) return refIdentity(g, net);
    if (const Resource* sub = g.target(fr.field("subnetwork")))
      return refIdentity(g, sub->field("network"));
    if (net.state == State::Absent && fr.field("subnetwork").state == State::Absent)
      return Identity{Kind::Network, fr.id.project, Scope{Scope::Type::Global, ""}, "default"};
    return std::nullopt;
  }

  /// The Terraform plan resources of each document, sorted by address: the
  /// addresses a dependency covers are one range (they start with it).
  class PlanAddresses {
   public:
    bool empty() const { return !built_; }
    void build(const Graph& g) {
      built_ = true;
      for (size_t i = 0; i < g.size(); ++i) {
        const Resource& r = g.at(static_cast<int32_t>(i));
        if (!planned(g, r)) continue;
        byDocument_[r.document].emplace_back(r.displayName, static_cast<int32_t>(i));
      }
      for (auto& [document, list] : byDocument_) std::sort(list.begin(), list.end());
    }
    /// f(index) for each plan resource of `document` that `dep` covers.
    template <typename F>
    void forEachCovered(uint32_t document, std::string_view dep, F&& f) const {
      const auto it = byDocument_.find(document);
      if (it == byDocument_.end()) return;
      const auto& list = it->second;
      for (auto at = std::lower_bound(list.begin(), list.end(), std::make_pair(dep, INT32_MIN));
           at != list.end() && at->first.substr(0, dep.size()) == dep; ++at)
        if (covers(dep, at->first)) f(at->second);
    }

   private:
    bool built_ = false;
    std::map<uint32_t, std::vector<std::pair<std::string_view, int32_t>>> byDocument_;
  };

  /// Every resource of the same plan that `from` waits for, directly or not.
  static std::set<int32_t> reachable(const Graph& g, const PlanAddresses& addresses,
                                     const Resource& from) {
    std::set<int32_t> seen;
    std::deque<int32_t> todo{g.indexOf(from)};
    while (!todo.empty()) {
      const Resource& r = g.at(todo.front());
      todo.pop_front();
      if (!r.dependsOn) continue;
      for (const std::string& dep : *r.dependsOn) {
        addresses.forEachCovered(from.document, dep, [&](int32_t other) {
          if (seen.insert(other).second) todo.push_back(other);
        });
      }
    }
    return seen;
  }
};

LBCHECK_REGISTER_RULE(ForwardingRuleBeforeProxySubnet);

}  // namespace
}  // namespace lbcheck
