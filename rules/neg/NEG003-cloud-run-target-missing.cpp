// NEG003: a Cloud Run block needs a service or a URL mask; a tag alone is not enough.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class CloudRunTargetMissing : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG003",
                                "cloud-run-target-missing",
                                "A serverless NEG's Cloud Run block names neither a service nor a "
                                "URL mask.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    const ServerlessNegView view(neg);
    const Field& block = view.cloudRun();
    const Field& tag = view.cloudRunTag();
    if (block.state != State::Known && tag.state != State::Known) return;
    const Field& service = view.cloudRunService();
    const Field& mask = view.cloudRunUrlMask();
    if (service.state != State::Absent || mask.state != State::Absent) return;
    // Point at the tag when there is one: it is all the block names.
    const std::string at =
        tag.state == State::Known ? ServerlessNegView::kCloudRunTag : ServerlessNegView::kCloudRun;
    const std::string serviceName = spelled(neg, ServerlessNegView::kCloudRunService);
    const std::string maskName = spelled(neg, ServerlessNegView::kCloudRunUrlMask);
    // The block as written; where it is not written as a whole, the tag.
    const std::string blockName =
        spelled(neg, block.state == State::Known ? ServerlessNegView::kCloudRun
                                                 : ServerlessNegView::kCloudRunTag);
    std::string message =
        blockName + " of " + describe(neg) + " names neither " + serviceName + " nor " + maskName;
    if (tag.state == State::Known)
      message += " (only the tag " + q(tag.text) + "), so no Cloud Run service can be chosen";
    else
      message += ", so no Cloud Run service can be chosen";
    Finding& f = out.report(neg, at, message);
    f.help = "set " + serviceName + " to the Cloud Run service, or " + maskName +
             " to a URL mask with <service>, e.g. \"example.com/<service>\"; the tag is optional";
  }
};

LBCHECK_REGISTER_RULE(CloudRunTargetMissing);

}  // namespace
}  // namespace lbcheck
