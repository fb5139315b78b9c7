// RUN008: a Cloud Run service behind an external Application Load Balancer that
// the load balancer's callers may not invoke. The load balancer forwards requests
// without adding credentials, so unless the service lets allUsers invoke it (or
// its invoker check is off), or IAP on the backend service signs the requests
// and its service agent holds the invoker role, plain requests are refused (403).
#include <set>
#include <string>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"
#include "rules/run/invoker.h"

namespace lbcheck {
namespace {

class NoInvokerBehindLb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN008", "no-invoker-behind-lb",
                                "A Cloud Run service behind an external Application Load Balancer "
                                "does not let the load balancer's callers invoke it: no "
                                "roles/run.invoker grant to allUsers, and no IAP whose service "
                                "agent may invoke it, so plain requests are refused with 403.",
                                Severity::Warning, "run"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    std::set<const Resource*> done;
    forEachServiceBehindLb(g, [&](const Resource& run, const Resource& neg, const Resource& bs,
                                  LbType type, const LbChain* chain) {
      if (!isExternal(type) || done.count(&run)) return;
      const RunServiceView view(run);
      // IAP on the Cloud Run service itself authenticates the requests there.
      if (view.iapEnabled().is("true") || view.iapEnabled().state == State::Unknown) return;
      if (view.invokerIamDisabled().state == State::Unknown) return;
      const Field& iap = BackendServiceView(bs).iapEnabled();
      if (iap.state == State::Unknown) return;
      const invoker::Invokers who = invoker::of(g, run);
      if (who.unknown || who.allUsers || who.iamCheckOff) return;
      const bool iapOn = iap.is("true");
      if (iapOn && who.iapAgent) return;
      done.insert(&run);
      const std::string lb = describeLb(type, chain, bs);
      if (!who.anyGrant) {
        Finding& f = out.report(
            run, "",
            "cannot verify who may invoke " + describe(run) + " behind " + lb +
                ": the inputs hold no roles/run.invoker grant for it, and the load "
                "balancer forwards requests without credentials, so unless " +
                (iapOn ? std::string("the IAP service agent") : std::string("allUsers")) +
                " may invoke it elsewhere, plain requests get 403");
        f.severity = Severity::Note;
        f.help = iapOn ? "grant roles/run.invoker on the service to the IAP service agent "
                         "(service-PROJECT_NUMBER@gcp-sa-iap.iam.gserviceaccount.com)"
                       : "grant roles/run.invoker on the service to allUsers (keep ingress at "
                         "internal-and-cloud-load-balancing so the load balancer stays the only "
                         "way in), or enable IAP on the backend service";
        f.related.push_back({bs.header, "the backend service in front of it"});
        return;
      }
      std::string message = describe(run) + " sits behind " + lb + ", which forwards requests ";
      if (iapOn)
        message +=
            "signed by IAP, but no roles/run.invoker grant in the inputs names the IAP "
            "service agent, so IAP-authorised requests are refused with 403";
      else
        message += "without credentials (" + describe(bs) +
                   " has no IAP), but no roles/run.invoker grant in the inputs names allUsers, "
                   "so only callers that send their own Google-signed token get through and "
                   "every other request is refused with 403";
      Finding& f = out.report(run, "", message);
      f.help = iapOn ? "grant roles/run.invoker on the service to "
                       "serviceAccount:service-PROJECT_NUMBER@gcp-sa-iap.iam.gserviceaccount.com"
                     : "grant roles/run.invoker on the service to allUsers (with ingress "
                       "internal-and-cloud-load-balancing the load balancer stays the only way "
                       "in), or enable IAP on the backend service to authenticate users";
      f.related.push_back(
          {neg.header, "reached through serverless NEG " + q(neg.id.name) + " of " + describe(bs)});
    });
  }
};

LBCHECK_REGISTER_RULE(NoInvokerBehindLb);

}  // namespace
}  // namespace lbcheck
