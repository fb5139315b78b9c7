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

/// Whether r is still classic (EXTERNAL) just before step s: its scheme says
/// so or is not set (EXTERNAL is the API's default), or the scheme is not
/// known but a migration state is (only a classic
/// backend service in migration has one).
bool classicBefore(const Changes& c, const Step& s, const Resource& r) {
  const Field& scheme = c.fieldBefore(s, r, "loadBalancingScheme");
  if (scheme.is("EXTERNAL") || scheme.state == State::Absent) return true;  // the API default
  return scheme.state == State::Unknown && c.fieldBefore(s, r, kMigrationState).known();
}

/// The step that switches r from EXTERNAL to EXTERNAL_MANAGED, or null. A
/// forwarding rule whose scheme before the step is not known was classic when
/// one of the backend services it reaches is in migration then.
const Step* switchOf(const Graph& g, const Resource& r,
                     const std::vector<const Resource*>& backends = {}) {
  const Changes& c = g.changes();
  for (const Step* s : c.stepsOf(g.indexOf(r))) {
    if (s->action != Step::Action::Update) continue;
    if (!c.fieldAfter(*s, "loadBalancingScheme").is("EXTERNAL_MANAGED")) continue;
    if (classicBefore(c, *s, r)) return s;
    if (c.fieldBefore(*s, r, "loadBalancingScheme").state != State::Unknown) continue;
    for (const Resource* bs : backends)
      if (c.fieldBefore(*s, *bs, kMigrationState).known()) return s;
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
      const Field& state = g.changes().fieldBefore(*step, bs, kMigrationState);
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
      LbChain chain;
      if (!chainOf(g, fr, chain)) continue;
      const Step* step = switchOf(g, fr, chain.backends);
      if (!step) continue;
      for (const Resource* bs : chain.backends) {
        if (flagged.count(bs)) continue;
        // The backend service as it stands when the forwarding rule switches.
        const Field& scheme =
            g.changes().fieldBefore(*step, *bs, BackendServiceView::kLoadBalancingScheme);
        const Field& state = g.changes().fieldBefore(*step, *bs, kMigrationState);
        if (state.state == State::Unknown) continue;
        if (scheme.state == State::Unknown && !state.known()) continue;
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
