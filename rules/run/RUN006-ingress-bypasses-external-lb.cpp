// RUN006: a Cloud Run service behind an external Application Load Balancer that
// still accepts traffic from everyone can be called around the load balancer,
// and so around its IAP and Cloud CDN. When a backend service in front of it has
// a Cloud Armor policy, the same finding is ARM004's (rules/run/bypass.h): one
// finding per service, never both.
#include "engine/rule.h"
#include "rules/run/bypass.h"

namespace lbcheck {
namespace {

class IngressBypassesExternalLb : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN006",
                                "ingress-bypasses-external-lb",
                                "A Cloud Run service behind an external Application Load Balancer "
                                "accepts traffic from everyone, so clients can reach it around "
                                "the load balancer and its Cloud Armor policy, IAP and CDN.",
                                Severity::Warning,
                                "run",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override { bypass::report(g, out, false); }
};

LBCHECK_REGISTER_RULE(IngressBypassesExternalLb);

}  // namespace
}  // namespace lbcheck
