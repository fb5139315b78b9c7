// RUN003: ingress NONE admits no traffic at all, the load balancer's included.
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class IngressNoneBehindLb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN003",
                                "ingress-none-behind-lb",
                                "A Cloud Run service that a serverless NEG targets has ingress "
                                "INGRESS_TRAFFIC_NONE, so the load balancer cannot reach it.",
                                Severity::Warning,
                                "run",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    std::set<int32_t> done;
    for (const Resource& neg : g.resources()) {
      if (neg.id.kind != Kind::NetworkEndpointGroup || !live(neg)) continue;
      const Field& ref = ServerlessNegView(neg).cloudRunService();
      const Resource* run = g.target(ref);
      if (!run || run->id.kind != Kind::RunService || !live(*run)) continue;
      const Field& ingress = RunServiceView(*run).ingress();
      if (ingress.state != State::Known || ingress.text != "INGRESS_TRAFFIC_NONE") continue;
      if (!done.insert(g.indexOf(*run)).second) continue;
      Finding& f = out.report(*run, RunServiceView::kIngress,
                              describe(*run) + " admits no traffic at all (" +
                                  spelled(*run, RunServiceView::kIngress) +
                                  " is INGRESS_TRAFFIC_NONE), yet " + describe(neg) +
                                  " sends the load balancer's requests to it");
      f.help =
          out.fix(f, *run, Edit::set(RunServiceView::kIngress, "INGRESS_TRAFFIC_INTERNAL_ONLY")) +
          ": traffic from an internal load balancer counts as internal";
      f.related.push_back({ref.span.valid() ? ref.span : neg.header,
                           "serverless NEG " + q(neg.id.name) + " targets the service here"});
    }
  }
};

LBCHECK_REGISTER_RULE(IngressNoneBehindLb);

}  // namespace
}  // namespace lbcheck
