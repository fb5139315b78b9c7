// RUN005: a service that should only be reached through the internal load
// balancer keeps its default run.app URL.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

class DefaultUrlEnabled : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN005", "default-url-enabled",
                                "A Cloud Run service behind an internal Application Load Balancer "
                                "keeps its default run.app URL.",
                                Severity::Note, "run"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    forEachServiceBehindInternalLb(g, [&](const Resource* run, const Resource& neg,
                                          const Resource* backend) {
      const Field& disabled = run->field("defaultUriDisabled");
      if (disabled.state == State::Unknown || disabled.is("true")) return;
      const bool v1 =
          run->format == "cloud-run-v1" || run->sourceType == "google_cloud_run_service";
      std::string message = describe(*run) + " keeps its default run.app URL";
      message += disabled.state == State::Known
                     ? " (" + spelled(*run, "defaultUriDisabled", "defaultUriDisabled") + " is " +
                           q(disabled.text) + ")"
                     : "";
      const Field& ingress = run->field("ingress");
      const bool internal = ingress.is("INGRESS_TRAFFIC_INTERNAL_ONLY") ||
                            ingress.is("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
      message +=
          " although it is reached through an internal load balancer; disabling the URL removes "
          "one way around the load balancer";
      if (internal) message += " (defence in depth: its ingress setting already restricts it)";
      Finding& f =
          out.report(*run, disabled.state == State::Known ? "defaultUriDisabled" : "", message);
      if (run->format == "krm") {
        f.help =
            "Config Connector's RunService has no field for it; disable the default URL with "
            "gcloud run services update SERVICE --no-default-url";
      } else if (v1) {
        f.help =
            "set the annotation \"run.googleapis.com/default-url-disabled\" = \"true\" on the "
            "service";
      } else if (fromTerraform(*run)) {
        f.help = "set default_uri_disabled = true";
      } else {
        f.help = "gcloud run services update SERVICE --no-default-url";
      }
      f.related.push_back({neg.header, "reached through serverless NEG " + q(neg.id.name) +
                                           " of INTERNAL_MANAGED " + describe(*backend)});
    });
  }
};

LBCHECK_REGISTER_RULE(DefaultUrlEnabled);

}  // namespace
}  // namespace lbcheck
