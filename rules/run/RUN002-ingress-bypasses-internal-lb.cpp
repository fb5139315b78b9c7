// RUN002: a Cloud Run service behind an internal ALB should not accept traffic
// from everyone (the default when ingress is unset).
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "engine/vocabulary.h"

#include <algorithm>

namespace lbcheck {
namespace {

/// The v2 ingress values accepted: the option `accepted-ingress` (either
/// spelling), else the two internal settings.
std::vector<std::string> acceptedIngress(json::Value option) {
  if (!option.exists())
    return {"INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"};
  std::vector<std::string> out;
  auto add = [&](std::string v) {
    if (const std::string_view c = vocab::canonicalIngress(v); !c.empty()) v = std::string(c);
    out.push_back(std::move(v));
  };
  if (option.isString()) add(option.text());
  option.forEachElement([&](size_t, json::Value v) { add(v.text()); });
  return out;
}

class IngressBypassesInternalLb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN002",
                                "ingress-bypasses-internal-lb",
                                "A Cloud Run service behind an internal Application Load Balancer "
                                "accepts traffic from everyone, so clients can bypass the load "
                                "balancer.",
                                Severity::Warning,
                                "run",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    forEachServiceBehindInternalLb(g, [&](const Resource* run, const Resource& neg,
                                          const Resource* backend) {
      const RunServiceView view(*run);
      const Field& ingress = view.ingress();
      // The value as the service writes it (the v1 annotation's short form).
      const Field& written =
          view.ingressAnnotation().state == State::Known ? view.ingressAnnotation() : ingress;
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
        message = describe(*run) + " does not set " + spelled(*run, RunServiceView::kIngress) +
                  ", so Cloud Run's default (all traffic) applies and clients can bypass the "
                  "internal load balancer through the service's own URL";
      } else if (ingress.is("INGRESS_TRAFFIC_ALL")) {
        message = describe(*run) + " accepts traffic from everyone (" + q(ingress.spelling) +
                  " is " + q(written.text) +
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
      Finding& f =
          out.report(*run, ingress.state == State::Absent ? "" : RunServiceView::kIngress, message);
      // The accepted settings that keep the load balancer's traffic, best first.
      std::vector<std::string> fixes;
      for (const char* v :
           {"INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"})
        if (accepts(v) && !ingress.is(v)) fixes.emplace_back(v);
      if (fixes.empty()) {
        f.help = "set " + spelled(*run, RunServiceView::kIngress) +
                 " to a value the configuration accepts, or accept this one in .lbcheck.yaml";
      } else {
        f.help = out.fix(f, *run, Edit::set(RunServiceView::kIngress, fixes[0]));
        if (fixes[0] == "INGRESS_TRAFFIC_INTERNAL_ONLY")
          f.help += " (traffic from the internal load balancer counts as internal)";
        for (size_t i = 1; i < fixes.size(); ++i)
          f.help += ", or " + out.fix(f, *run, Edit::set(RunServiceView::kIngress, fixes[i]));
      }
      f.related.push_back({neg.header, "reached through serverless NEG " + q(neg.id.name) +
                                           " of INTERNAL_MANAGED " + describe(*backend)});
    });
  }
};

LBCHECK_REGISTER_RULE(IngressBypassesInternalLb);

}  // namespace
}  // namespace lbcheck
