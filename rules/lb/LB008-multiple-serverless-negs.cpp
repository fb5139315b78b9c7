// LB008: a regional backend service accepts exactly one serverless NEG; a global
// one (global external, classic, cross-region internal) one per region.
#include <string>
#include <utility>
#include <vector>

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
                                "backend, or a global one has two in the same region.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    if (bs.id.scope.type == Scope::Type::Global) {
      checkGlobal(g, bs, out);
      return;
    }
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

 private:
  /// A global backend service takes one serverless NEG per region: the load balancer
  /// sends each client to the nearest region, and two NEGs there are ambiguous.
  static void checkGlobal(const Graph& g, const Resource& bs, Reporter& out) {
    std::vector<std::pair<std::string, const backends::Backend*>> seen;  // region, first NEG
    const auto list = backends::of(g, bs);
    for (const backends::Backend& b : list) {
      if (b.what != backends::What::Serverless) continue;
      const auto id = refIdentity(g, *b.group);
      if (!id || id->scope.type != Scope::Type::Region || id->scope.name.empty()) continue;
      const std::string region(id->scope.name);
      const backends::Backend* first = nullptr;
      for (const auto& [r, f] : seen)
        if (r == region) first = f;
      if (!first) {
        seen.emplace_back(region, &b);
        continue;
      }
      Finding& f =
          out.report(bs, b.path,
                     describe(bs) + " has a second serverless NEG in " + region + " (" + b.label +
                         " in " + spelled(bs, b.path) + ", after " + first->label +
                         "); a global backend service accepts one serverless NEG per "
                         "region");
      f.help =
          "keep one serverless NEG per region in this backend service; to serve a second "
          "service in the same region, give it its own backend service and route to it with "
          "the URL map, or use one NEG with a URL mask";
      f.related.push_back(
          {backends::groupSpan(bs, *first), "the first serverless NEG in " + region});
    }
  }
};

LBCHECK_REGISTER_RULE(MultipleServerlessNegs);

}  // namespace
}  // namespace lbcheck
