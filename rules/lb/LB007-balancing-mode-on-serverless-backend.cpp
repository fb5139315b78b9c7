// LB007: balancing modes and capacity limits have no meaning for a serverless
// NEG backend, and the API rejects most of them.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

constexpr const char* kCapacityFields[] = {
    BackendView::kMaxRate,
    BackendView::kMaxRatePerEndpoint,
    BackendView::kMaxRatePerInstance,
    BackendView::kMaxConnections,
    BackendView::kMaxConnectionsPerEndpoint,
    BackendView::kMaxConnectionsPerInstance,
    BackendView::kMaxUtilization,
};

class BalancingModeOnServerlessBackend : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB007",
                                "balancing-mode-on-serverless-backend",
                                "A serverless NEG backend sets a balancing mode other than "
                                "UTILIZATION or a rate, connection or utilization limit.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService},
                                false,
                                FixSafety::Safe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    for (const backends::Backend& b : backends::of(g, bs)) {
      if (b.what != backends::What::Serverless) continue;
      const BackendView entry = backends::entryView(bs, b);
      const Field& mode = entry.balancingMode();
      // Only what the author wrote: exports and some tools echo UTILIZATION.
      if (mode.state == State::Known && mode.authored && !mode.is("UTILIZATION")) {
        report(bs, b, entry.path(BackendView::kBalancingMode), q(mode.text), out);
      }
      for (const char* name : kCapacityFields) {
        const std::string path = entry.path(name);
        const Field& f = entry.field(name);
        if (f.state != State::Known || !f.authored) continue;
        report(bs, b, path, f.text, out);
      }
    }
  }

 private:
  static void report(const Resource& bs, const backends::Backend& b, const std::string& path,
                     const std::string& value, Reporter& out) {
    Finding& f =
        out.report(bs, path,
                   spelled(bs, path) + " of " + describe(bs) + " is " + value + " for " + b.label +
                       "; balancing modes and capacity limits do not apply to "
                       "serverless NEGs, and the API rejects them");
    f.help = out.fix(f, bs, Edit::remove(path)) +
             " (a balancing mode of UTILIZATION, the default some tools fill in, is accepted)";
    f.related.push_back({backends::groupSpan(bs, b), "the serverless NEG backend"});
  }
};

LBCHECK_REGISTER_RULE(BalancingModeOnServerlessBackend);

}  // namespace
}  // namespace lbcheck
