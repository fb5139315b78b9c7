// NEG003: a Cloud Run block needs a service or a URL mask; a tag alone is not enough.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

class CloudRunTargetMissing : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG003", "cloud-run-target-missing",
                                "A serverless NEG's Cloud Run block names neither a service nor a "
                                "URL mask.",
                                Severity::Error, "neg"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& neg : g.resources()) {
      if (neg.id.kind != Kind::NetworkEndpointGroup || !live(neg)) continue;
      const Field& block = neg.field("cloudRun");
      const Field& tag = neg.field("cloudRun.tag");
      if (block.state != State::Known && tag.state != State::Known) continue;
      const Field& service = neg.field("cloudRun.service");
      const Field& mask = neg.field("cloudRun.urlMask");
      if (service.state != State::Absent || mask.state != State::Absent) continue;
      // Fields that are not written have no spelling of their own in every format.
      const bool krm = neg.format == "krm";
      const std::string serviceName = krm ? "spec.cloudRun.serviceRef" : "cloudRun.service";
      const std::string maskName = krm ? "spec.cloudRun.urlMask" : "cloudRun.urlMask";
      // Point at the tag when there is one: it is all the block names.
      const std::string at = tag.state == State::Known ? "cloudRun.tag" : "cloudRun";
      std::string message = spelled(neg, "cloudRun", "cloudRun") + " of " + describe(neg) +
                            " names neither " + spelled(neg, "cloudRun.service", serviceName) +
                            " nor " + spelled(neg, "cloudRun.urlMask", maskName);
      if (tag.state == State::Known)
        message += " (only the tag " + q(tag.text) + "), so no Cloud Run service can be chosen";
      else
        message += ", so no Cloud Run service can be chosen";
      Finding& f = out.report(neg, at, message);
      f.help = fromTerraform(neg)
                   ? "set cloud_run { service = \"SERVICE\" } or a url_mask with <service>, "
                     "e.g. \"example.com/<service>\"; the tag is optional"
                   : "set the service (--cloud-run-service) or a URL mask with <service> "
                     "(--cloud-run-url-mask); the tag is optional";
    }
  }
};

LBCHECK_REGISTER_RULE(CloudRunTargetMissing);

}  // namespace
}  // namespace lbcheck
