// LB016: a target proxy's HTTP keep-alive timeout must be in its type's range:
// regional proxies 5-600 s, global ones 5-1200 s; the classic ALB has none.
#include <cmath>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class KeepAliveOutOfRange : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB016",
                                "keep-alive-out-of-range",
                                "A target HTTP(S) proxy sets an HTTP keep-alive timeout outside "
                                "its type's range (regional 5 to 600 seconds, global 5 to 1200) or "
                                "on a classic Application Load Balancer, which has none.",
                                Severity::Error,
                                "lb",
                                {Kind::TargetHttpProxy, Kind::TargetHttpsProxy}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& p, Reporter& out) const override {
    if (!live(p)) return;
    if (p.id.scope.type == Scope::Type::Global) {
      checkGlobal(g, p, out);
      return;
    }
    if (p.id.scope.type != Scope::Type::Region) return;
    const Field& f = TargetProxyView(p).keepAliveSec();
    if (f.state != State::Known) return;
    const bool integer = f.isNumber && std::floor(f.number()) == f.number();
    if (integer && f.number() >= 5 && f.number() <= 600) return;
    std::string message =
        spelled(p, TargetProxyView::kKeepAliveSec) + " of " + describe(p) + " is " + f.text;
    if (!f.isNumber) {
      message += ", not a whole number of seconds";
    } else if (!integer) {
      message += "; it must be a whole number of seconds from 5 to 600";
    } else if (f.number() > 600 && f.number() <= 1200) {
      message +=
          "; regional proxies accept 5 to 600 seconds (610 and up to 1200 are for "
          "global external load balancers only)";
    } else {
      message += "; regional proxies accept 5 to 600 seconds";
    }
    Finding& finding = out.report(p, TargetProxyView::kKeepAliveSec, message);
    finding.help = "set it between 5 and 600, or leave it unset for the regional default of 600";
  }

 private:
  /// Global proxies: 5 to 1200 seconds (global external, cross-region internal); the
  /// classic Application Load Balancer does not support the setting.
  static void checkGlobal(const Graph& g, const Resource& p, Reporter& out) {
    const Field& f = TargetProxyView(p).keepAliveSec();
    if (f.state != State::Known || !f.authored) return;
    const LbType type = typeServing(g, p);
    if (type == LbType::Unknown || type == LbType::Mixed) return;
    const std::string name = spelled(p, TargetProxyView::kKeepAliveSec);
    if (type == LbType::Classic) {
      Finding& finding =
          out.report(p, TargetProxyView::kKeepAliveSec,
                     name + " of " + describe(p) + " is " + f.text + ", but it serves a " +
                         std::string(lbTypeName(type)) + ", which does not support the setting");
      finding.help =
          "remove it (the classic load balancer keeps its fixed 610 s), or move to "
          "the global external Application Load Balancer (EXTERNAL_MANAGED)";
      return;
    }
    const bool integer = f.isNumber && std::floor(f.number()) == f.number();
    if (integer && f.number() >= 5 && f.number() <= 1200) return;
    Finding& finding = out.report(p, TargetProxyView::kKeepAliveSec,
                                  name + " of " + describe(p) + " is " + f.text +
                                      "; the proxy of a " + std::string(lbTypeName(type)) +
                                      " accepts a whole number of seconds from 5 to 1200");
    finding.help = "set it between 5 and 1200, or leave it unset for the default of 610";
  }
};

LBCHECK_REGISTER_RULE(KeepAliveOutOfRange);

}  // namespace
}  // namespace lbcheck
