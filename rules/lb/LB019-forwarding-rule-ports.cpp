// LB019: an INTERNAL_MANAGED forwarding rule in front of a target HTTP(S)
// proxy listens on exactly one TCP port, in Premium Tier.
#include <optional>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

std::optional<long> parsePort(std::string_view s) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

class ForwardingRulePorts : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB019",
                                "forwarding-rule-ports",
                                "An internal managed forwarding rule in front of a target HTTP(S) "
                                "proxy does not use exactly one TCP port in Premium Tier.",
                                Severity::Error,
                                "lb",
                                {Kind::ForwardingRule},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& fr, Reporter& out) const override {
    if (!isRegionalInternalManagedRule(fr)) return;
    const auto target = refIdentity(g, ForwardingRuleView(fr).target());
    if (!target ||
        (target->kind != Kind::TargetHttpProxy && target->kind != Kind::TargetHttpsProxy))
      return;
    checkPorts(fr, target->kind == Kind::TargetHttpsProxy ? "443" : "80", out);
    checkProtocolAndTier(fr, out);
  }

 private:
  /// `port`: the usual port of the target proxy's protocol, for the fix.
  static void checkPorts(const Resource& fr, const std::string& port, Reporter& out) {
    bool listUsed = false;
    forEachField(fr, "ports[*]", [&](const std::string& path, const Field& f) {
      if (!f.known() || !f.authored || listUsed) return;
      listUsed = true;
      Finding& finding = out.report(fr, path,
                                    "INTERNAL_MANAGED " + describe(fr) + " lists its port in " +
                                        spelled(fr, path) +
                                        ", which is for passthrough Network Load Balancers; a "
                                        "forwarding rule in front of a target proxy uses a port "
                                        "range of one port");
      finding.help = "use the port range instead of the list: " +
                     out.fix(finding, fr,
                             {Edit::remove(ForwardingRuleView::kPorts),
                              Edit::set(ForwardingRuleView::kPortRange, f.text)});
    });
    const Field& all = ForwardingRuleView(fr).allPorts();
    if (all.is("true") && all.authored) {
      listUsed = true;
      Finding& finding = out.report(fr, ForwardingRuleView::kAllPorts,
                                    "INTERNAL_MANAGED " + describe(fr) + " sets " +
                                        spelled(fr, ForwardingRuleView::kAllPorts) +
                                        ", which is for passthrough Network Load Balancers");
      finding.help = out.fix(finding, fr, Edit::remove(ForwardingRuleView::kAllPorts)) +
                     " and set " + spelled(fr, ForwardingRuleView::kPortRange) +
                     " to the one port the load balancer serves, e.g. " + port;
    }
    const Field& range = ForwardingRuleView(fr).portRange();
    if (range.state == State::Absent) {
      if (listUsed || ForwardingRuleView(fr).ports()[0].value().state != State::Absent ||
          all.state == State::Unknown)
        return;
      Finding& finding = out.report(fr, "",
                                    "INTERNAL_MANAGED " + describe(fr) + " sets no " +
                                        spelled(fr, ForwardingRuleView::kPortRange) +
                                        "; it must name exactly one port");
      finding.help = out.fix(finding, fr, Edit::set(ForwardingRuleView::kPortRange, port)) +
                     " (or the one port clients connect to)";
      return;
    }
    if (range.state != State::Known) return;
    const std::string_view text = range.text;
    const size_t dash = text.find('-');
    const auto lo = parsePort(text.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : parsePort(text.substr(dash + 1));
    if (!lo || !hi) return;  // not a port range lbcheck can read
    std::string problem;
    if (*lo < 1 || *lo > 65535 || *hi < 1 || *hi > 65535)
      problem = "is outside 1-65535";
    else if (*lo != *hi)
      problem = "is a range of " + std::to_string(*hi - *lo + 1) +
                " ports; an internal Application Load Balancer's forwarding rule serves exactly "
                "one port";
    else
      return;
    Finding& finding =
        out.report(fr, ForwardingRuleView::kPortRange,
                   spelled(fr, ForwardingRuleView::kPortRange) + " " + q(range.text) +
                       " of INTERNAL_MANAGED " + describe(fr) + " " + problem);
    const std::string oneForward =
        "; for more ports create one forwarding rule per port (they may share the address)";
    if (*lo != *hi && *lo >= 1 && *lo <= 65535)
      finding.help =
          "serve one port: " +
          out.fix(finding, fr, Edit::set(ForwardingRuleView::kPortRange, std::to_string(*lo))) +
          oneForward;
    else
      finding.help = "use a single port from 1 to 65535, e.g. 80" + oneForward;
  }

  static void checkProtocolAndTier(const Resource& fr, Reporter& out) {
    const Field& proto = ForwardingRuleView(fr).ipProtocol();
    if (proto.state == State::Known && proto.text != "TCP") {
      Finding& f = out.report(fr, ForwardingRuleView::kIpProtocol,
                              spelled(fr, ForwardingRuleView::kIpProtocol) +
                                  " of INTERNAL_MANAGED " + describe(fr) + " is " + q(proto.text) +
                                  "; an internal Application Load Balancer only accepts TCP");
      f.help = out.fix(f, fr, Edit::set(ForwardingRuleView::kIpProtocol, "TCP")) +
               " (or leave it unset: TCP is the default)";
    }
    const Field& tier = ForwardingRuleView(fr).networkTier();
    if (tier.state == State::Known && tier.text == "STANDARD") {
      Finding& f = out.report(fr, ForwardingRuleView::kNetworkTier,
                              spelled(fr, ForwardingRuleView::kNetworkTier) +
                                  " of INTERNAL_MANAGED " + describe(fr) +
                                  " is `STANDARD`; internal Application Load Balancers are "
                                  "always Premium Tier");
      f.help = out.fix(f, fr, Edit::set(ForwardingRuleView::kNetworkTier, "PREMIUM")) +
               " or leave it unset";
    }
  }
};

LBCHECK_REGISTER_RULE(ForwardingRulePorts);

}  // namespace
}  // namespace lbcheck
