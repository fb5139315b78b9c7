// RUN002: a Cloud Run service behind an internal ALB should not accept traffic
// from everyone (the default when ingress is unset).
#include "engine/chain.h"
#include "engine/rule.h"

#include <algorithm>

namespace lbcheck {
namespace {

/// The v2 ingress values accepted: the option `accepted-ingress` (either
/// spelling), else internal and internal-and-cloud-load-balancing.
std::vector<std::string> acceptedIngress(json::Value option) {
  if (!option.exists())
    return {"INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"};
  std::vector<std::string> out;
  auto add = [&](std::string v) {
    if (v == "all") v = "INGRESS_TRAFFIC_ALL";
    if (v == "internal") v = "INGRESS_TRAFFIC_INTERNAL_ONLY";
    if (v == "internal-and-cloud-load-balancing") v = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER";
    out.push_back(std::move(v));
  };
  if (option.isString()) add(option.text());
  option.forEachElement([&](size_t, json::Value v) { add(v.text()); });
  return out;
}

class IngressBypassesInternalLb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN002", "ingress-bypasses-internal-lb",
                                "A Cloud Run service behind an internal Application Load Balancer "
                                "accepts traffic from everyone, so clients can bypass the load "
                                "balancer.",
                                Severity::Warning, "run"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    forEachServiceBehindInternalLb(g, [&](const Resource* run, const Resource& neg,
                                          const Resource* backend) {
      const Field& ingress = run->field("ingress");
      const bool v1 = ingress.spelling.find("annotations") != std::string::npos;
      const std::vector<std::string> accepted =
          acceptedIngress(out.option(*run, "accepted-ingress"));
      auto accepts = [&](std::string_view v) {
        return std::find(accepted.begin(), accepted.end(), v) != accepted.end();
      };
      std::string message;
      if (accepts("INGRESS_TRAFFIC_ALL") &&
          (ingress.state == State::Absent || ingress.is("INGRESS_TRAFFIC_ALL"))) {
        return;  // the configuration accepts all traffic
      } else if (ingress.state == State::Absent) {
        message = describe(*run) + " does not set " + q(v1 ? ingress.spelling : "ingress") +
                  ", so Cloud Run's default (all traffic) applies and clients can bypass the "
                  "internal load balancer through the service's own URL";
      } else if (ingress.is("INGRESS_TRAFFIC_ALL")) {
        message = describe(*run) + " accepts traffic from everyone (" + q(ingress.spelling) +
                  " is " + (v1 ? std::string("`all`") : q(ingress.text)) +
                  "), so clients can bypass the internal load balancer through the service's own "
                  "URL";
      } else if ((ingress.is("INGRESS_TRAFFIC_INTERNAL_ONLY") ||
                  ingress.is("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")) &&
                 !accepts(ingress.text)) {
        std::string list;
        for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
        message = describe(*run) + " has " + q(ingress.spelling) + " " + q(ingress.text) +
                  ", which the configuration (.lbcheck.yaml, RUN002 accepted-ingress) does not "
                  "accept behind an internal load balancer (accepted: " +
                  list + ")";
      } else {
        return;  // internal, internal + LB, none (RUN003), unknown: nothing to say here
      }
      Finding& f = out.report(*run, ingress.state == State::Absent ? "" : "ingress", message);
      if (!fromTerraform(*run)) {
        f.help = "deploy with --ingress=internal (or internal-and-cloud-load-balancing)";
      } else if (v1) {
        f.help =
            "set the annotation \"run.googleapis.com/ingress\" = \"internal\" in "
            "metadata { annotations } (traffic from the internal load balancer counts as "
            "internal)";
      } else {
        f.help =
            "set ingress = \"INGRESS_TRAFFIC_INTERNAL_ONLY\" (traffic from the internal "
            "load balancer counts as internal) or \"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER\"";
      }
      f.related.push_back({neg.header, "reached through serverless NEG " + q(neg.id.name) +
                                           " of INTERNAL_MANAGED " + describe(*backend)});
    });
  }
};

LBCHECK_REGISTER_RULE(IngressBypassesInternalLb);

}  // namespace
}  // namespace lbcheck
