// OPS008: the classic -> global external Application Load Balancer migration
// done out of order: a change of loadBalancingScheme from EXTERNAL to
// EXTERNAL_MANAGED on a backend service whose externalManagedMigrationState is
// not TEST_ALL_TRAFFIC yet, or on a forwarding rule whose backend services are
// neither migrated nor in TEST_ALL_TRAFFIC.
#include <set>
#include <string>

#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

constexpr const char* kMigrationState = "externalManagedMigrationState";

/// The step that switches r from EXTERNAL to EXTERNAL_MANAGED, or null.
const Step* switchOf(const Graph& g, const Resource& r) {
  for (const Step* s : g.changes().stepsOf(g.indexOf(r))) {
    if (s->action != Step::Action::Update) continue;
    const Field& now = r.field("loadBalancingScheme");
    const Field& before = fieldBefore(*s, r, "loadBalancingScheme");
    if (now.is("EXTERNAL_MANAGED") && before.is("EXTERNAL")) return s;
  }
  return nullptr;
}

std::string stateText(const Field& f) { return f.known() ? q(f.text) : "not set"; }

class ClassicMigrationOutOfOrder : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS008", "classic-migration-out-of-order",
                                "A change moves a backend service or forwarding rule from the "
                                "classic (EXTERNAL) to the global external (EXTERNAL_MANAGED) "
                                "scheme before the migration has reached TEST_ALL_TRAFFIC.",
                                Severity::Warning, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    std::set<const Resource*> flagged;  // backend services reported for their own switch
    // Backend services: TEST_ALL_TRAFFIC must come before the scheme change.
    for (int32_t i : g.ofKind(Kind::BackendService)) {
      const Resource& bs = g.at(i);
      if (!live(bs) || bs.id.scope.type != Scope::Type::Global) continue;
      const Step* step = switchOf(g, bs);
      if (!step) continue;
      const Field& state = fieldBefore(*step, bs, kMigrationState);
      if (state.state == State::Unknown || state.is("TEST_ALL_TRAFFIC")) continue;
      flagged.insert(&bs);
      Finding& f = out.report(
          bs, BackendServiceView::kLoadBalancingScheme,
          describe(bs) + " changes " + spelled(bs, BackendServiceView::kLoadBalancingScheme) +
              " from EXTERNAL to EXTERNAL_MANAGED while its " + spelled(bs, kMigrationState) +
              " is " + stateText(state) +
              " before the change; the API accepts the new scheme only after the migration "
              "state has been set to TEST_ALL_TRAFFIC");
      f.help = "migrate in steps: set " + spelled(bs, kMigrationState) +
               " to PREPARE, optionally TEST_BY_PERCENTAGE, then TEST_ALL_TRAFFIC, each applied "
               "and tested, and only then change the scheme";
    }
    // Forwarding rules: every backend service they reach is migrated first.
    for (int32_t i : g.ofKind(Kind::ForwardingRule)) {
      const Resource& fr = g.at(i);
      if (!live(fr)) continue;
      const Step* step = switchOf(g, fr);
      if (!step) continue;
      LbChain chain;
      if (!chainOf(g, fr, chain)) continue;
      for (const Resource* bs : chain.backends) {
        if (flagged.count(bs)) continue;
        // The backend service as it stands before this plan.
        const Step* own = nullptr;
        for (const Step* s : g.changes().stepsOf(g.indexOf(*bs)))
          if (s->action == Step::Action::Update) own = s;
        const Field& scheme = own ? fieldBefore(*own, *bs, BackendServiceView::kLoadBalancingScheme)
                                  : BackendServiceView(*bs).loadBalancingScheme();
        const Field& state =
            own ? fieldBefore(*own, *bs, kMigrationState) : bs->field(kMigrationState);
        if (scheme.state == State::Unknown || state.state == State::Unknown) continue;
        if (scheme.is("EXTERNAL_MANAGED") || state.is("TEST_ALL_TRAFFIC")) continue;
        if (scheme.known() && !scheme.is("EXTERNAL")) continue;  // another mix: LB023
        Finding& f = out.report(
            fr, ForwardingRuleView::kLoadBalancingScheme,
            describe(fr) + " changes " + spelled(fr, ForwardingRuleView::kLoadBalancingScheme) +
                " from EXTERNAL to EXTERNAL_MANAGED while " + describe(*bs) +
                ", which it reaches, is still EXTERNAL with " + spelled(*bs, kMigrationState) +
                " " + stateText(state) +
                "; migrate the backend services first (TEST_ALL_TRAFFIC, then their scheme), "
                "then the forwarding rule");
        f.help = "apply the backend service migration (" + spelled(*bs, kMigrationState) +
                 " TEST_ALL_TRAFFIC, then EXTERNAL_MANAGED) in an earlier change, then switch "
                 "the forwarding rule";
        f.related.push_back({bs->header, "the backend service that is not migrated yet"});
      }
    }
  }
};

LBCHECK_REGISTER_RULE(ClassicMigrationOutOfOrder);

}  // namespace
}  // namespace lbcheck
