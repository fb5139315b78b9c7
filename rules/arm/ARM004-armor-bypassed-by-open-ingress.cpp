// ARM004: Cloud Armor on the load balancer, but the Cloud Run service behind it
// accepts traffic from everyone, so direct calls to its run.app URL skip the
// policy. The finding RUN006 would make, under this id when a Cloud Armor
// policy is attached (rules/run/bypass.h): one finding per service, never both.
#include "engine/rule.h"
#include "rules/run/bypass.h"

namespace lbcheck {
namespace {

class ArmorBypassedByOpenIngress : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"ARM004",
                                "armor-bypassed-by-open-ingress",
                                "A backend service of an external Application Load Balancer has a "
                                "Cloud Armor policy, but the Cloud Run service behind it accepts "
                                "traffic from everyone, so direct calls skip the policy.",
                                Severity::Warning,
                                "arm",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override { bypass::report(g, out, true); }
};

LBCHECK_REGISTER_RULE(ArmorBypassedByOpenIngress);

}  // namespace
}  // namespace lbcheck
