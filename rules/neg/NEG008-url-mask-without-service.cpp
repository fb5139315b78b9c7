// NEG008: without an explicit service, the URL mask must supply <service>.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/urlmask.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class UrlMaskWithoutService : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG008",
                                "url-mask-without-service",
                                "A serverless NEG's Cloud Run URL mask has no <service> "
                                "placeholder and no service is set, so no service can be chosen.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    const ServerlessNegView view(neg);
    const Field& mask = view.cloudRunUrlMask();
    if (mask.state != State::Known || mask.text.empty()) return;  // empty: NEG007
    if (view.cloudRunService().state != State::Absent) return;
    const UrlMask parsed = UrlMask::parse(mask.text);
    if (parsed.hasService()) return;
    const std::string serviceName = spelled(neg, ServerlessNegView::kCloudRunService);
    std::string message = spelled(neg, ServerlessNegView::kCloudRunUrlMask) + " of " +
                          describe(neg) + " (\"" + mask.text +
                          "\") has no <service> placeholder and " + serviceName +
                          " is not set, so the NEG cannot tell which Cloud Run service a "
                          "request is for";
    if (parsed.hasTag()) message += " (the mask only supplies the tag)";
    Finding& f = out.report(neg, ServerlessNegView::kCloudRunUrlMask, message);
    if (mask.text.back() == '/') {
      // A mask that ends at a path separator: the service is the next segment.
      f.help =
          "put <service> in the mask: " +
          out.fix(f, neg, Edit::set(ServerlessNegView::kCloudRunUrlMask, mask.text + "<service>")) +
          ", or set " + serviceName;
    } else {
      f.help =
          "put <service> in the mask, e.g. \"example.com/<service>\" or "
          "\"<tag>.example.com/<service>\", or set " +
          serviceName;
    }
  }
};

LBCHECK_REGISTER_RULE(UrlMaskWithoutService);

}  // namespace
}  // namespace lbcheck
