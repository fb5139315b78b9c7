// RUN007: ingress `internal` admits internal Application Load Balancers only;
// behind external ones every request the load balancer forwards is rejected.
#include <map>
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class InternalIngressBehindExternalLb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN007",
                                "internal-ingress-behind-external-lb",
                                "A Cloud Run service whose only load balancers are external "
                                "Application Load Balancers has ingress `internal`, so it rejects "
                                "every request they forward.",
                                Severity::Error,
                                "run",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    struct Use {
      const Resource* neg = nullptr;
      const Resource* bs = nullptr;
      LbType type = LbType::Unknown;
      const LbChain* chain = nullptr;
      std::string lb;
    };
    std::set<const Resource*> internal;
    std::map<const Resource*, Use> external;  // first external use per service
    std::vector<const Resource*> order;
    forEachServiceBehindLb(g, [&](const Resource& run, const Resource& neg, const Resource& bs,
                                  LbType type, const LbChain* chain) {
      if (isInternal(type)) internal.insert(&run);
      if (!isExternal(type) || external.count(&run)) return;
      external[&run] = Use{&neg, &bs, type, chain, describeLb(type, chain, bs)};
      order.push_back(&run);
    });
    for (const Resource* run : order) {
      if (internal.count(run)) continue;
      const RunServiceView view(*run);
      const Field& ingress = view.ingress();
      if (!ingress.is("INGRESS_TRAFFIC_INTERNAL_ONLY")) continue;
      const Use& use = external[run];
      const Field& written =
          view.ingressAnnotation().state == State::Known ? view.ingressAnnotation() : ingress;
      Finding& f = out.report(
          *run, RunServiceView::kIngress,
          describe(*run) + " has " + q(ingress.spelling) + " " + q(written.text) +
              ", which admits internal Application Load Balancers only, but it sits behind " +
              use.lb + ": Cloud Run rejects every request that load balancer forwards");
      f.help =
          out.fix(f, *run,
                  Edit::set(RunServiceView::kIngress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")) +
          " (internal traffic and Cloud Load Balancing, external load balancers included)";
      f.related.push_back({use.neg->header, "reached through serverless NEG " +
                                                q(use.neg->id.name) + " of " + describe(*use.bs)});
    }
  }
};

LBCHECK_REGISTER_RULE(InternalIngressBehindExternalLb);

}  // namespace
}  // namespace lbcheck
