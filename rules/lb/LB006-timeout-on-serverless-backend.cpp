// LB006: the backend service timeout does not apply to serverless NEG backends;
// setting it is an API error.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class TimeoutOnServerlessBackend : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB006",
                                "timeout-on-serverless-backend",
                                "A backend service with a serverless NEG backend sets a timeout.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService},
                                false,
                                FixSafety::Safe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    const Field& t = BackendServiceView(bs).timeoutSec();
    // Only what the author wrote: exports echo the server's 30 s default.
    if (t.state != State::Known || !t.authored) return;
    // 30 is the default some clients send themselves; the API accepts it.
    if (t.isNumber && t.number() == 30) return;
    const auto list = backends::of(g, bs);
    const backends::Backend* neg = backends::firstServerless(list);
    if (!neg) return;
    Finding& f = out.report(bs, BackendServiceView::kTimeoutSec,
                            spelled(bs, BackendServiceView::kTimeoutSec) + " of " + describe(bs) +
                                " is set to " + t.text + ", but its backend is " + neg->label +
                                ": the timeout does not apply to serverless backends (it is "
                                "fixed at 60 minutes) and the API rejects the change");
    f.help = out.fix(f, bs, Edit::remove(BackendServiceView::kTimeoutSec)) +
             "; set the request timeout on the Cloud Run service instead";
    f.related.push_back({backends::groupSpan(bs, *neg), "the serverless NEG backend"});
  }
};

LBCHECK_REGISTER_RULE(TimeoutOnServerlessBackend);

}  // namespace
}  // namespace lbcheck
