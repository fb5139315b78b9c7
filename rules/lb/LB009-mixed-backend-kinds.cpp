// LB009: a backend service with a serverless NEG holds nothing else, and all its
// serverless NEGs target one platform.
#include "engine/chain.h"
#include "engine/rule.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class MixedBackendKinds : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB009",
                                "mixed-backend-kinds",
                                "A backend service mixes a serverless NEG with other kinds of "
                                "backends, or with serverless NEGs of another platform.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    backends::withServerlessNeg(
        g, r,
        [&](const Resource& bs, const std::vector<backends::Backend>& list,
            const backends::Backend& neg) {
          for (const backends::Backend& b : list) {
            std::string problem;
            if (b.what == backends::What::Other) {
              problem =
                  "a serverless NEG cannot share a backend service with other kinds of "
                  "backends";
            } else if (b.what == backends::What::Serverless && !b.platform.empty() &&
                       !neg.platform.empty() && b.platform != neg.platform) {
              problem = "all serverless NEGs of a backend service must target the same platform (" +
                        std::string(backends::platformLabel(b.platform)) + " here, " +
                        std::string(backends::platformLabel(neg.platform)) + " there)";
            } else {
              continue;
            }
            Finding& f = out.report(bs, b.path,
                                    describe(bs) + " has " + neg.label + " and also " + b.label +
                                        " in " + spelled(bs, b.path) + "; " + problem);
            f.help =
                "put the serverless NEG in a backend service of its own and route between the "
                "backend services with the URL map";
            f.related.push_back({backends::groupSpan(bs, neg), "the serverless NEG backend"});
            if (b.target)
              f.related.push_back({b.target->header, describe(*b.target) + " is defined here"});
          }
        });
  }
};

LBCHECK_REGISTER_RULE(MixedBackendKinds);

}  // namespace
}  // namespace lbcheck
