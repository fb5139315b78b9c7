// RUN005: a service that should only be reached through the internal load
// balancer keeps its default run.app URL.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class DefaultUrlEnabled : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN005",
                                "default-url-enabled",
                                "A Cloud Run service behind an internal Application Load Balancer "
                                "keeps its default run.app URL.",
                                Severity::Note,
                                "run",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    forEachServiceBehindInternalLb(g, [&](const Resource* run, const Resource& neg,
                                          const Resource* backend) {
      const Field& disabled = RunServiceView(*run).defaultUriDisabled();
      if (disabled.state == State::Unknown || disabled.is("true")) return;
      std::string message = describe(*run) + " keeps its default run.app URL";
      message += disabled.state == State::Known
                     ? " (" + spelled(*run, RunServiceView::kDefaultUriDisabled) + " is " +
                           q(disabled.text) + ")"
                     : "";
      const Field& ingress = RunServiceView(*run).ingress();
      const bool internal = ingress.is("INGRESS_TRAFFIC_INTERNAL_ONLY") ||
                            ingress.is("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
      message +=
          " although it is reached through an internal load balancer; disabling the URL removes "
          "one way around the load balancer";
      if (internal) message += " (defence in depth: its ingress setting already restricts it)";
      Finding& f = out.report(
          *run, disabled.state == State::Known ? RunServiceView::kDefaultUriDisabled : "", message);
      if (dialectOf(*run).writes(*run, RunServiceView::kDefaultUriDisabled)) {
        f.help = out.fix(f, *run, Edit::set(RunServiceView::kDefaultUriDisabled, "true"));
      } else {
        f.help =
            "this input has no field for it; disable the default URL on the service itself "
            "(Cloud Run's defaultUriDisabled, set outside this configuration)";
      }
      f.related.push_back({neg.header, "reached through serverless NEG " + q(neg.id.name) +
                                           " of INTERNAL_MANAGED " + describe(*backend)});
    });
  }
};

LBCHECK_REGISTER_RULE(DefaultUrlEnabled);

}  // namespace
}  // namespace lbcheck
