// RUN006: a Cloud Run service behind an external Application Load Balancer that
// still accepts traffic from everyone can be called around the load balancer,
// and so around its Cloud Armor policy, IAP and Cloud CDN. This is also what the
// catalogue calls ARM004 (Cloud Armor on the load balancer, service reachable
// directly): one finding, RUN006, that names the policy when there is one.
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"
#include "rules/run/invoker.h"

namespace lbcheck {
namespace {

class IngressBypassesExternalLb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN006", "ingress-bypasses-external-lb",
                                "A Cloud Run service behind an external Application Load Balancer "
                                "accepts traffic from everyone, so clients can reach it around "
                                "the load balancer and its Cloud Armor policy, IAP and CDN.",
                                Severity::Warning, "run"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    // The services behind an internal ALB: RUN002 speaks for those.
    std::set<const Resource*> internal;
    forEachServiceBehindLb(
        g, [&](const Resource& run, const Resource&, const Resource&, LbType type, const LbChain*) {
          if (isInternal(type)) internal.insert(&run);
        });
    std::set<const Resource*> done;
    forEachServiceBehindLb(g, [&](const Resource& run, const Resource& neg, const Resource& bs,
                                  LbType type, const LbChain* chain) {
      if (!isExternal(type) || internal.count(&run) || done.count(&run)) return;
      const RunServiceView view(run);
      const Field& ingress = view.ingress();
      if (ingress.state == State::Unknown) return;
      if (ingress.state != State::Absent && !ingress.is("INGRESS_TRAFFIC_ALL")) return;
      done.insert(&run);
      const Field& written =
          view.ingressAnnotation().state == State::Known ? view.ingressAnnotation() : ingress;
      const std::string lb = describeLb(type, chain, bs);
      const invoker::Invokers who = invoker::of(g, run);
      std::string message = describe(run) + " sits behind " + lb + " but ";
      const bool unset = ingress.state == State::Absent || ingress.state == State::Defaulted;
      if (unset)
        message += "does not set " + spelled(run, RunServiceView::kIngress) +
                   ", so Cloud Run's default (all traffic) applies";
      else
        message += "accepts traffic from everyone (" + q(ingress.spelling) + " is " +
                   q(written.text) + ")";
      // What the load balancer adds that a direct call skips.
      std::string skipped;
      const Field& policy = bs.field("securityPolicy");
      const bool armor = policy.known() && !policy.text.empty();
      if (armor) skipped = "Cloud Armor policy " + q(lastSegment(policy.text));
      if (BackendServiceView(bs).iapEnabled().is("true"))
        skipped += std::string(skipped.empty() ? "" : " and ") + "IAP";
      if (skipped.empty()) skipped = "whatever the load balancer adds (Cloud Armor, IAP, CDN)";
      if (who.pub || who.iamCheckOff)
        message += ": anyone can call its own run.app URL and skip " + skipped;
      else
        message +=
            ": callers with roles/run.invoker can call its own run.app URL and skip " + skipped;
      Finding& f = out.report(run, unset ? "" : RunServiceView::kIngress, message);
      f.help =
          out.fix(f, run,
                  Edit::set(RunServiceView::kIngress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")) +
          " (internal and Cloud Load Balancing traffic only: the external load balancer "
          "still reaches the service); disabling the default run.app URL also closes it";
      f.related.push_back(
          {neg.header, "reached through serverless NEG " + q(neg.id.name) + " of " + describe(bs)});
      if (armor)
        f.related.push_back({policy.span.valid() ? policy.span : bs.header,
                             "the Cloud Armor policy that direct calls skip"});
    });
  }

 private:
  static std::string lastSegment(const std::string& s) {
    const size_t slash = s.rfind('/');
    return slash == std::string::npos ? s : s.substr(slash + 1);
  }
};

LBCHECK_REGISTER_RULE(IngressBypassesExternalLb);

}  // namespace
}  // namespace lbcheck
