// LB011: IAP on both the backend service and Cloud Run, IAP with Cloud CDN, and
// Cloud CDN on an internal backend service cannot work.
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class IncompatibleFeatures : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB011",
                                "incompatible-features",
                                "A backend service combines features that cannot work together: "
                                "IAP on both the backend service and its Cloud Run service, IAP "
                                "with Cloud CDN, or Cloud CDN on an internal load balancer.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    const BackendServiceView view(bs);
    const Field& iap = view.iapEnabled();
    const Field& cdn = view.enableCdn();
    const Field& cdnPolicy = view.cdnPolicy();
    const bool iapOn = iap.state == State::Known && iap.text == "true";
    const bool cdnOn = cdn.state == State::Known && cdn.text == "true";
    const std::string iapName = spelled(bs, BackendServiceView::kIapEnabled);
    const std::string cdnName = spelled(bs, BackendServiceView::kEnableCdn);

    // (a) IAP on the backend service and on the Cloud Run service behind it.
    if (iapOn) {
      for (const backends::Backend& b : backends::of(g, bs)) {
        if (b.what != backends::What::Serverless || !b.target) continue;
        const Resource* run = g.target(ServerlessNegView(*b.target).cloudRunService());
        if (!run || run->id.kind != Kind::RunService || !live(*run)) continue;
        const Field& runIap = RunServiceView(*run).iapEnabled();
        if (runIap.state != State::Known || runIap.text != "true") continue;
        Finding& f = out.report(
            bs, BackendServiceView::kIapEnabled,
            describe(bs) + " enables IAP (" + iapName + ") and so does " + describe(*run) +
                " behind it (" + spelled(*run, RunServiceView::kIapEnabled) +
                "); IAP can be enabled on the load balancer or on Cloud Run, not "
                "both");
        // Alternatives: IAP on the load balancer path (turned off on Cloud Run), or on
        // Cloud Run.
        const std::string offRun =
            out.fix(f, *run, Edit::set(RunServiceView::kIapEnabled, "false"));
        const std::string offLb =
            out.fix(f, bs, Edit::set(BackendServiceView::kIapEnabled, "false"));
        f.help = "keep IAP in one place: on the backend service for the load balancer path (" +
                 offRun + " on the Cloud Run service), or on the Cloud Run service (" + offLb +
                 " on the backend service)";
        f.related.push_back({runIap.span.valid() ? runIap.span : run->header,
                             "IAP is also enabled on " + describe(*run)});
      }
    }
    // (b) IAP and Cloud CDN exclude each other.
    if (iapOn && cdnOn) {
      Finding& f = out.report(bs, BackendServiceView::kEnableCdn,
                              describe(bs) + " enables both Cloud CDN (" + cdnName + ") and IAP (" +
                                  iapName + "); IAP and Cloud CDN cannot be used together");
      // Alternatives, in this order: Cloud CDN off, or IAP off.
      const std::string cdnOff = out.fix(f, bs, Edit::set(BackendServiceView::kEnableCdn, "false"));
      const std::string iapOff =
          out.fix(f, bs, Edit::set(BackendServiceView::kIapEnabled, "false"));
      f.help = "turn one of them off: " + cdnOff + ", or " + iapOff;
      f.related.push_back({iap.span, "IAP is enabled here"});
    }
    // (c) Cloud CDN is a feature of the global external load balancers only [inferred].
    if (!view.loadBalancingScheme().is("INTERNAL_MANAGED")) return;
    const bool policyWritten = cdnPolicy.state == State::Known && cdnPolicy.authored;
    if (!cdnOn && !policyWritten) return;
    const std::string path =
        cdnOn ? BackendServiceView::kEnableCdn : BackendServiceView::kCdnPolicy;
    Finding& f = out.report(
        bs, path,
        describe(bs) + " is INTERNAL_MANAGED but " +
            (cdnOn ? "enables Cloud CDN (" + cdnName + ")"
                   : "configures Cloud CDN (" + spelled(bs, BackendServiceView::kCdnPolicy) + ")") +
            "; Cloud CDN is documented only for the global external "
            "Application Load Balancers, so it is not expected to work here");
    f.severity = Severity::Warning;
    std::vector<Edit> off;
    if (cdnOn) off.push_back(Edit::set(BackendServiceView::kEnableCdn, "false"));
    if (policyWritten) off.push_back(Edit::remove(BackendServiceView::kCdnPolicy));
    f.help = "turn Cloud CDN off on the backend service: " + out.fix(f, bs, std::move(off));
  }
};

LBCHECK_REGISTER_RULE(IncompatibleFeatures);

}  // namespace
}  // namespace lbcheck
