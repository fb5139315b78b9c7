// OPS006: `gcloud compute backend-services edit` does not work for a backend
// service with a serverless NEG backend.
#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class BackendServiceEditOnServerless : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS006", "backend-service-edit-on-serverless",
                                "A gcloud script runs `backend-services edit` on a backend "
                                "service with a serverless NEG backend.",
                                Severity::Warning, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const Changes& changes = g.changes();
    for (const Step& step : changes.steps()) {
      if (!step.interactive) continue;
      const Resource& bs = g.at(step.resource);
      if (bs.id.kind != Kind::BackendService) continue;
      std::string neg;
      Span where;
      // What the steps before the edit attached.
      for (const HeldRef& held : changes.heldBefore(step)) {
        if (held.ref->to.kind != Kind::NetworkEndpointGroup || held.target < 0) continue;
        const Resource& r = g.at(held.target);
        if (r.field("networkEndpointType").is("SERVERLESS") || !backends::platformOf(r).empty()) {
          neg = r.id.name;
          where = held.ref->span;
          break;
        }
      }
      if (neg.empty()) {
        // Otherwise what the other inputs say about the backend service.
        const Resource& merged = bs.mergedInto >= 0 ? g.at(bs.mergedInto) : bs;
        for (const auto& b : backends::of(g, merged)) {
          if (b.what != backends::What::Serverless) continue;
          neg = b.target ? b.target->id.name.str() : b.label;
          where = b.group->span;
          break;
        }
      }
      if (neg.empty()) continue;
      Finding& f = out.reportAt(bs, "", step.statement,
                                std::string(step.command) + " does not work for " + describe(bs) +
                                    ", which has serverless NEG " + q(neg) + " as a backend");
      if (where.valid()) f.related.push_back({where, "the serverless NEG backend"});
      f.help = dialectOf(bs).updateUnattended(bs);
    }
  }
};

LBCHECK_REGISTER_RULE(BackendServiceEditOnServerless);

}  // namespace
}  // namespace lbcheck
