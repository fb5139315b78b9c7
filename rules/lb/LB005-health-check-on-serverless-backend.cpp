// LB005: serverless NEG backends do not support health checks, so their
// backend service cannot carry one.
#include "engine/chain.h"
#include "engine/rule.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class HealthCheckOnServerlessBackend : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB005",
                                "health-check-on-serverless-backend",
                                "A backend service with a serverless NEG backend has a health "
                                "check.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService},
                                false,
                                FixSafety::Safe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    backends::withServerlessNeg(
        g, r,
        [&](const Resource& bs, const std::vector<backends::Backend>& /*list*/,
            const backends::Backend& neg) {
          std::string path;
          forEachField(bs, "healthChecks[*]", [&](const std::string& p, const Field& f) {
            // The list has an element: known, or only known after apply but naming a
            // health check that is in the inputs.
            if (path.empty() && (f.state == State::Known || g.target(f))) path = p;
          });
          if (path.empty()) return;
          const Field& hc = bs.field(path);
          const Resource* t = g.target(hc);
          const std::string what = t ? describe(*t)
                                     : (hc.state == State::Known ? "health check " + q(hc.text)
                                                                 : std::string("a health check"));
          Finding& f = out.report(bs, path,
                                  describe(bs) + " has " + neg.label + " as a backend and names " +
                                      what + " in " + spelled(bs, path) +
                                      "; serverless backends do not support health checks, so the "
                                      "API rejects the backend service");
          f.help = out.fix(f, bs, Edit::remove("healthChecks")) +
                   " from the backend service, and delete the health check if nothing else uses it "
                   "(older client tools required a health check on every backend service: update "
                   "one that still does)";
          f.related.push_back({backends::groupSpan(bs, neg), "the serverless NEG backend"});
        });
  }
};

LBCHECK_REGISTER_RULE(HealthCheckOnServerlessBackend);

}  // namespace
}  // namespace lbcheck
