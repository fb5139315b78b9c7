// OPS001: a NEG cannot be deleted while a backend service still uses it.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/timeline.h"

namespace lbcheck {
namespace {

class NegDeletedWhileAttached : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS001", "neg-deleted-while-attached",
                                "A network endpoint group is deleted while a backend service "
                                "still uses it.",
                                Severity::Error, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& neg : g.resources()) {
      if (neg.id.kind != Kind::NetworkEndpointGroup || neg.mergedInto >= 0) continue;
      if (g.stepwise(g.indexOf(neg))) continue;  // replayed in order below
      const bool deleted = neg.lifecycle == Lifecycle::Delete;
      const bool replaced = neg.lifecycle == Lifecycle::ReplaceDeleteFirst;
      if (!deleted && !replaced) continue;
      for (const auto& ref : g.referrers(g.indexOf(neg))) {
        const Resource& bs = g.at(ref.resource);
        if (bs.id.kind != Kind::BackendService) continue;
        // A backend service that goes away first is fine: Terraform destroys it earlier.
        if (bs.lifecycle == Lifecycle::Delete || bs.lifecycle == Lifecycle::ReplaceDeleteFirst)
          continue;
        // On a plain delete only a reference that stays matters; on a destroy-first
        // replacement the old reference is still there when the NEG is destroyed.
        if (ref.prior && !replaced) continue;
        const Field& use = ref.prior ? bs.priorField(ref.path) : bs.field(ref.path);
        std::string verb = deleted ? "deleted" : "replaced (destroyed before it is re-created)";
        Finding& f = out.report(neg, "",
                                describe(neg) + " is " + verb + " while " + describe(bs) +
                                    " still uses it as a backend");
        f.span = neg.lifecycleSpan.valid() ? neg.lifecycleSpan : neg.header;
        f.help = deleted ? "remove the backend from " + describe(bs) +
                               " first (or drop it in the same change), then delete the NEG"
                         : dialectOf(neg).createBeforeDestroy(neg) +
                               ", so the backend service moves to the new NEG before the old one "
                               "is destroyed";
        f.related.push_back({use.span.valid() && use.state == State::Known ? use.span : bs.header,
                             describe(bs) + " uses it here"});
        break;
      }
    }
    checkScripts(g, out);
  }

 private:
  /// gcloud scripts: a NEG delete while a backend service (as the script left it
  /// at that point) still lists the NEG.
  static void checkScripts(const Graph& g, Reporter& out) {
    replay(g.timeline(), [&](const Operation& op, const ScriptState& before) {
      if (op.verb != Operation::Verb::Delete || op.target.kind != Kind::NetworkEndpointGroup)
        return;
      for (const auto& [user, ref] : before.referrersOf(op.target)) {
        if (user->id.kind != Kind::BackendService) continue;
        const Resource& neg = g.at(op.resource);
        const Resource& bs = g.at(user->resource);
        Finding& f = out.report(neg, "",
                                describe(neg) + " is deleted while " + describe(bs) +
                                    " still uses it as a backend; the API refuses to delete it");
        f.span = op.nameSpan;
        f.related.push_back({ref->span, "added as a backend of " + describe(bs) + " here"});
        // A remove-backend without --network-endpoint-group-region does not find it.
        for (const Operation& other : g.timeline()) {
          if (other.document != op.document || other.sequence >= op.sequence ||
              other.verb != Operation::Verb::RemoveBackend ||
              !sameScriptObject(other.target, user->id))
            continue;
          for (const auto& rm : other.removed)
            if (!rm.to.scope.known() && rm.to.name == op.target.name)
              f.related.push_back(
                  {rm.span,
                   "this remove-backend has no --network-endpoint-group-region, so "
                   "the command does not find the regional NEG and removes nothing"});
        }
        const std::string region = op.target.scope.name.empty() ? "REGION" : op.target.scope.name;
        f.help = "detach it first: gcloud compute backend-services remove-backend " + bs.id.name +
                 " --network-endpoint-group=" + neg.id.name +
                 " --network-endpoint-group-region=" + region +
                 " --region=" + (bs.id.scope.name.empty() ? "REGION" : bs.id.scope.name);
        break;
      }
    });
  }
};

LBCHECK_REGISTER_RULE(NegDeletedWhileAttached);

}  // namespace
}  // namespace lbcheck
