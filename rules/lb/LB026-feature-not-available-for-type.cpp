// LB026: a backend service with serverless NEG backends uses a feature that its
// load balancer's type does not offer: Cloud CDN on a regional external
// Application Load Balancer, or IAP with more than one serverless NEG on a
// cross-region internal one. (Cloud CDN on internal types is LB011's; outlier
// detection on regional backend services is LB010's.)
#include <string>
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class FeatureNotAvailableForType : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB026",
                                "feature-not-available-for-type",
                                "A backend service with serverless NEG backends uses a feature "
                                "that its load balancer's type does not offer: Cloud CDN on a "
                                "regional external Application Load Balancer, or IAP with more "
                                "than one serverless NEG on a cross-region internal one.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    std::vector<const backends::Backend*> serverless;
    const std::vector<backends::Backend> all = backends::of(g, bs);
    for (const backends::Backend& b : all)
      if (b.what == backends::What::Serverless) serverless.push_back(&b);
    if (serverless.empty()) return;
    const LbTypes types = typesServing(g, bs);
    const BackendServiceView view(bs);

    // Cloud CDN works with the global external and the classic ALB only.
    if (types.has(LbType::RegionalExternal)) {
      const Field& cdn = view.enableCdn();
      const Field& policy = view.cdnPolicy();
      const bool cdnOn = cdn.is("true");
      const bool policyWritten = policy.state == State::Known && policy.authored;
      if (cdnOn || policyWritten) {
        const std::string path =
            cdnOn ? BackendServiceView::kEnableCdn : BackendServiceView::kCdnPolicy;
        Finding& f = out.report(
            bs, path,
            describe(bs) + " serves a regional external Application Load Balancer but " +
                (cdnOn ? "enables Cloud CDN (" + spelled(bs, BackendServiceView::kEnableCdn) + ")"
                       : "configures Cloud CDN (" + spelled(bs, BackendServiceView::kCdnPolicy) +
                             ")") +
                "; Cloud CDN works only with the global external and the classic Application "
                "Load Balancer");
        std::vector<Edit> off;
        if (cdnOn) off.push_back(Edit::set(BackendServiceView::kEnableCdn, "false"));
        if (policyWritten) off.push_back(Edit::remove(BackendServiceView::kCdnPolicy));
        f.help = out.fix(f, bs, std::move(off)) +
                 ", or serve the content through a global external Application Load Balancer "
                 "to cache it";
      }
    }

    // Cross-region internal ALB with IAP: a single serverless NEG.
    if (types.has(LbType::CrossRegionInternal) && view.iapEnabled().is("true") &&
        serverless.size() > 1) {
      Finding& f = out.report(
          bs, BackendServiceView::kIapEnabled,
          describe(bs) + " of a cross-region internal Application Load Balancer enables IAP (" +
              spelled(bs, BackendServiceView::kIapEnabled) + ") and has " +
              std::to_string(serverless.size()) +
              " serverless NEG backends; with IAP this load balancer supports only one");
      f.help =
          "keep one serverless NEG on this backend service, or enable IAP on the Cloud Run "
          "services instead of the load balancer";
      for (const backends::Backend* b : serverless)
        f.related.push_back({b->group->span.valid() ? b->group->span : bs.header,
                             "serverless NEG backend " + b->label});
    }
  }
};

LBCHECK_REGISTER_RULE(FeatureNotAvailableForType);

}  // namespace
}  // namespace lbcheck
