// OPS001: a NEG cannot be deleted while a backend service still uses it.
#include <vector>

#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"

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
    const Changes& changes = g.changes();
    for (const Step& step : changes.steps()) {
      if (!step.destroysFirst()) continue;
      const Resource& neg = g.at(step.resource);
      if (neg.id.kind != Kind::NetworkEndpointGroup) continue;
      for (const Holder& use : changes.holders(step)) {
        const Resource& bs = g.at(use.resource);
        if (bs.id.kind != Kind::BackendService) continue;
        report(changes, step, neg, bs, use, out);
        break;
      }
    }
  }

 private:
  static void report(const Changes& changes, const Step& step, const Resource& neg,
                     const Resource& bs, const Holder& use, Reporter& out) {
    const bool deleted = step.action == Step::Action::Delete;
    const std::string verb = deleted ? "deleted" : "replaced (destroyed before it is re-created)";
    // A detach written in a part of the document that may run at the same time
    // as the delete (neither waits for the other): it may come too late.
    std::vector<const Step*> racing;
    if (step.sequential)
      for (const Step* other : changes.stepsOf(use.resource))
        if (other->document == step.document && other->sequential && other->detaches &&
            !changes.before(*other, step) && !changes.before(step, *other))
          for (const auto& drop : other->drops)
            if (drop.to.kind == neg.id.kind && drop.to.name == neg.id.name) {
              racing.push_back(other);
              break;
            }
    // A step that runs against exactly what the steps before it left meets the API's refusal.
    Finding& f = out.reportAt(
        neg, "", step.at,
        describe(neg) + " is " + verb + " while " + describe(bs) +
            (racing.empty() ? " still uses it as a backend" : " may still use it as a backend") +
            (!step.sequential ? ""
             : racing.empty() ? "; the API refuses to delete it"
                              : ": the step that removes it may run at the same time or later, "
                                "and the API refuses to delete a NEG in use"));
    f.related.push_back({use.span, step.sequential
                                       ? "added as a backend of " + describe(bs) + " here"
                                       : describe(bs) + " uses it here"});
    for (const Step* other : racing)
      f.related.push_back({other->name, "removed here, in a step the delete does not wait for"});
    if (!racing.empty()) {
      f.help = "make the step that deletes " + describe(neg) +
               " wait for the step that removes it from " + describe(bs);
      return;
    }
    // An earlier step meant to detach it that named it without its scope.
    for (const Step* earlier : changes.earlierStepsOf(use.resource, step))
      for (const auto& drop : earlier->drops)
        if (!drop.to.scope.known() && drop.to.kind == neg.id.kind && drop.to.name == neg.id.name)
          if (std::string why = dialectOf(bs).missedDrop(bs, drop.path); !why.empty())
            f.related.push_back({drop.span, why});
    if (!deleted) {
      f.help = dialectOf(neg).createBeforeDestroy(neg) +
               ", so the backend service moves to the new NEG before the old one is destroyed";
      return;
    }
    f.help = dialectOf(neg).detachFirst(bs, neg);
    if (f.help.empty())
      f.help = "remove the backend from " + describe(bs) +
               " first (or drop it in the same change), then delete the NEG";
  }
};

LBCHECK_REGISTER_RULE(NegDeletedWhileAttached);

}  // namespace
}  // namespace lbcheck
