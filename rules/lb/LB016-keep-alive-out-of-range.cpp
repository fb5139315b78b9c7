// LB016: a regional target proxy's HTTP keep-alive timeout must be 5-600 s.
#include <cmath>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class KeepAliveOutOfRange : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB016",
                                "keep-alive-out-of-range",
                                "A regional target HTTP(S) proxy sets an HTTP keep-alive timeout "
                                "outside 5 to 600 seconds.",
                                Severity::Error,
                                "lb",
                                {Kind::TargetHttpProxy, Kind::TargetHttpsProxy}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& p, Reporter& out) const override {
    if (!live(p) || p.id.scope.type != Scope::Type::Region) return;
    const Field& f = TargetProxyView(p).keepAliveSec();
    if (f.state != State::Known) return;
    const bool integer = f.isNumber && std::floor(f.number) == f.number;
    if (integer && f.number >= 5 && f.number <= 600) return;
    std::string message =
        spelled(p, TargetProxyView::kKeepAliveSec) + " of " + describe(p) + " is " + f.text;
    if (!f.isNumber) {
      message += ", not a whole number of seconds";
    } else if (!integer) {
      message += "; it must be a whole number of seconds from 5 to 600";
    } else if (f.number > 600 && f.number <= 1200) {
      message +=
          "; regional proxies accept 5 to 600 seconds (610 and up to 1200 are for "
          "global external load balancers only)";
    } else {
      message += "; regional proxies accept 5 to 600 seconds";
    }
    Finding& finding = out.report(p, TargetProxyView::kKeepAliveSec, message);
    finding.help = "set it between 5 and 600, or leave it unset for the regional default of 600";
  }
};

LBCHECK_REGISTER_RULE(KeepAliveOutOfRange);

}  // namespace
}  // namespace lbcheck
