// LB008: a regional backend service accepts exactly one serverless NEG.
#include "engine/chain.h"
#include "engine/rule.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class MultipleServerlessNegs : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB008",
                                "multiple-serverless-negs",
                                "A regional backend service has more than one serverless NEG "
                                "backend.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    if (bs.id.scope.type != Scope::Type::Region) return;
    const backends::Backend* first = nullptr;
    for (const backends::Backend& b : backends::of(g, bs)) {
      if (b.what != backends::What::Serverless) continue;
      if (!first) {
        first = &b;
        continue;
      }
      Finding& f = out.report(bs, b.path,
                              describe(bs) + " has a second serverless NEG backend (" + b.label +
                                  " in " + spelled(bs, b.path) + ", after " + first->label +
                                  "); a regional backend service accepts exactly one "
                                  "serverless NEG");
      f.help =
          "keep one serverless NEG per regional backend service; to reach several Cloud Run "
          "services, give each its own backend service and route with the URL map, or use one "
          "NEG with a URL mask";
      f.related.push_back({backends::groupSpan(bs, *first), "the first serverless NEG backend"});
    }
  }
};

LBCHECK_REGISTER_RULE(MultipleServerlessNegs);

}  // namespace
}  // namespace lbcheck
