// RUN009: a Cloud Run service is deployed to a region where no serverless NEG
// reaches it, while a serverless NEG in another region names a service of the
// same name: the load balancer serves the other copy, never this deployment.
#include <string>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

bool sameProject(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

class DeployedOutsideLoadBalancerRegion : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN009",
                                "deployed-outside-load-balancer-region",
                                "A Cloud Run service is deployed to a region where no serverless "
                                "NEG reaches it, while the load balancer's NEG serves a service "
                                "of the same name in another region.",
                                Severity::Warning,
                                "run",
                                {Kind::RunService}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& run, Reporter& out) const override {
    if (!live(run) || !run.id.scope.known() || run.id.scope.name.empty()) return;
    const int32_t self = g.indexOf(run);
    for (const Graph::Referrer& r : g.referrers(self))
      if (!r.prior && g.at(r.resource).id.kind == Kind::NetworkEndpointGroup) return;
    for (const int32_t n : g.ofKind(Kind::NetworkEndpointGroup)) {
      const Resource& neg = g.at(n);
      if (!live(neg) || !neg.id.scope.known()) continue;
      const Field& service = ServerlessNegView(neg).cloudRunService();
      if (service.state != State::Known || service.text != run.id.name) continue;
      if (neg.id.scope.name == run.id.scope.name || !sameProject(neg.id.project, run.id.project))
        continue;
      // The NEG must reach a live copy in its own region (otherwise NEG005 speaks).
      const Resource* served = g.target(service);
      if (!served || served == &run || served->id.kind != Kind::RunService || !live(*served) ||
          served->id.scope.name != neg.id.scope.name)
        continue;
      const Field& location = run.regionField();
      Finding& f = out.reportAt(
          run, "location",
          location.span.valid() && location.state == State::Known ? location.span : run.header,
          describe(run) + " is deployed to " + std::string(run.id.scope.name) +
              ", where no serverless NEG reaches it; the load balancer's " + describe(neg) +
              " serves " + q(service.text) + " in " + std::string(neg.id.scope.name) +
              ", so this deployment never receives the load balancer's traffic");
      f.help = "deploy the service to " + std::string(neg.id.scope.name) +
               " (the region of the NEG), or create a serverless NEG next to this deployment";
      f.related.push_back(
          {service.span.valid() ? service.span : neg.header,
           describe(neg) + " names " + q(service.text) + " in " + std::string(neg.id.scope.name)});
      const Field& there = served->regionField();
      f.related.push_back(
          {there.span.valid() && there.state == State::Known ? there.span : served->header,
           "the service the load balancer serves, in " + std::string(neg.id.scope.name)});
      return;
    }
  }
};

LBCHECK_REGISTER_RULE(DeployedOutsideLoadBalancerRegion);

}  // namespace
}  // namespace lbcheck
