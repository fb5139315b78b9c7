// NET005: attributes that do not belong on (or are missing from) proxy-only
// subnets: a role on an ordinary subnet, no role on a REGIONAL_MANAGED_PROXY
// subnet, VPC Flow Logs on a proxy-only subnet.
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/net/ipv4.h"

namespace lbcheck {
namespace {

class ProxyOnlySubnetAttributes : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET005",
                                "proxy-only-subnet-attributes",
                                "A subnet sets a role without a managed-proxy purpose, a "
                                "REGIONAL_MANAGED_PROXY subnet has no role, or a proxy-only "
                                "subnet enables VPC Flow Logs.",
                                Severity::Warning,
                                "net",
                                {Kind::Subnetwork},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& s, Reporter& out) const override {
    if (!live(s)) return;
    const Field& purpose = SubnetworkView(s).purpose();
    if (purpose.state == State::Unknown) return;
    const std::string purposeText = purpose.known() ? purpose.text : "PRIVATE";
    const bool managedProxy =
        purposeText == "REGIONAL_MANAGED_PROXY" || purposeText == "GLOBAL_MANAGED_PROXY";
    const Field& role = SubnetworkView(s).role();

    // (a) a role on a subnet that is not a managed-proxy subnet. The legacy
    // INTERNAL_HTTPS_LOAD_BALANCER purpose took a role too (NET003 reports it).
    if (!net::proxyOnlyPurpose(purposeText) && role.state == State::Known && role.authored) {
      Finding& f =
          out.report(s, SubnetworkView::kRole,
                     describe(s) + " sets " + spelled(s, SubnetworkView::kRole) + " " + role.text +
                         " but its purpose is " + purposeText +
                         "; a role (ACTIVE/BACKUP) only has a meaning on proxy-only subnets "
                         "(REGIONAL_MANAGED_PROXY, GLOBAL_MANAGED_PROXY)");
      f.help = out.fix(f, s, Edit::remove(SubnetworkView::kRole)) +
               ", or give the subnet purpose REGIONAL_MANAGED_PROXY if it is meant to be the "
               "proxy-only subnet";
    }

    // (b) a REGIONAL_MANAGED_PROXY subnet without a role.
    if (purposeText == "REGIONAL_MANAGED_PROXY" && role.state == State::Absent) {
      Finding& f = out.report(s, purpose.state == State::Known ? SubnetworkView::kPurpose : "",
                              describe(s) + " is a REGIONAL_MANAGED_PROXY subnet without " +
                                  spelled(s, SubnetworkView::kRole) +
                                  "; set it explicitly, as the setup guide does (ACTIVE for the "
                                  "subnet the proxies use, BACKUP for a standby)");
      f.help = out.fix(f, s, Edit::set(SubnetworkView::kRole, "ACTIVE"));
    }

    // (c) VPC Flow Logs on a proxy-only subnet, as the author wrote them: a value, or an
    // authored logConfig block (a tool that reads one from its author adds none by
    // itself: the block's presence is what switches flow logs on there).
    if (managedProxy || purposeText == "INTERNAL_HTTPS_LOAD_BALANCER") {
      const std::string path = flowLogsPath(s);
      if (!path.empty()) {
        Finding& f = out.report(s, path,
                                describe(s) + " enables VPC Flow Logs (" + spelled(s, path) +
                                    ") on a proxy-only subnet (" + purposeText +
                                    "); proxy-only subnets do not support flow "
                                    "logs");
        // Remove every flow-log setting the author wrote: the block and the switch.
        const Field& block = SubnetworkView(s).logConfig();
        const Field& enable = SubnetworkView(s).enableFlowLogs();
        std::vector<Edit> edits;
        if (path != SubnetworkView::kEnableFlowLogs || (block.is("(set)") && block.authored))
          edits.push_back(Edit::remove(SubnetworkView::kLogConfig));
        if (enable.is("true") && enable.authored)
          edits.push_back(Edit::remove(SubnetworkView::kEnableFlowLogs));
        f.help = out.fix(f, s, std::move(edits)) + " (flow logs cannot be enabled there)";
      }
    }
  }

 private:
  /// The field that switches flow logs on, or "" when they are off or unknown.
  static std::string flowLogsPath(const Resource& s) {
    const Field& enable = SubnetworkView(s).enableFlowLogs();
    if (enable.is("true") && enable.authored) return SubnetworkView::kEnableFlowLogs;
    const Field& block = SubnetworkView(s).logConfig();
    const Field& blockEnable = SubnetworkView(s).logConfigEnable();
    if (blockEnable.is("true") && blockEnable.authored) return SubnetworkView::kLogConfigEnable;
    if (block.is("(set)") && blockEnable.state == State::Absent && block.authored)
      return SubnetworkView::kLogConfig;
    return {};
  }
};

LBCHECK_REGISTER_RULE(ProxyOnlySubnetAttributes);

}  // namespace
}  // namespace lbcheck
