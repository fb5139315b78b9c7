// OPS006: `gcloud compute backend-services edit` does not work for a backend
// service with a serverless NEG backend.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/timeline.h"
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
    replay(g.timeline(), [&](const Operation& op, const ScriptState& before) {
      if (op.verb != Operation::Verb::Edit || op.target.kind != Kind::BackendService) return;
      const Resource& bs = g.at(op.resource);
      std::string neg;
      Span where;
      if (const ScriptState::Object* o = before.find(op.target)) {
        // What the script attached before the edit.
        for (const auto& ref : o->refs) {
          if (ref.to.kind != Kind::NetworkEndpointGroup) continue;
          const ScriptState::Object* n = before.find(ref.to);
          if (!n || n->resource < 0) continue;
          const Resource& r = g.at(n->resource);
          if (r.field("networkEndpointType").is("SERVERLESS") || !backends::platformOf(r).empty()) {
            neg = r.id.name;
            where = ref.span;
            break;
          }
        }
      }
      if (neg.empty()) {
        // Otherwise what the other inputs say about the backend service.
        const Resource& merged = bs.mergedInto >= 0 ? g.at(bs.mergedInto) : bs;
        for (const auto& b : backends::of(g, merged)) {
          if (b.what != backends::What::Serverless) continue;
          neg = b.target ? b.target->id.name : b.label;
          where = b.group->span;
          break;
        }
      }
      if (neg.empty()) return;
      Finding& f = out.report(bs, "",
                              op.command + " does not work for " + describe(bs) +
                                  ", which has serverless NEG " + q(neg) + " as a backend");
      f.span = op.span;
      if (where.valid()) f.related.push_back({where, "the serverless NEG backend"});
      f.help =
          "change it with gcloud compute backend-services update (or add-backend / "
          "remove-backend) instead of the interactive editor";
    });
  }
};

LBCHECK_REGISTER_RULE(BackendServiceEditOnServerless);

}  // namespace
}  // namespace lbcheck
