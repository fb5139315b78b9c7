// NET004: a proxy-only subnet needs at least 64 addresses (/26); /23 is the
// recommended size.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/net/ipv4.h"

#include <algorithm>

namespace lbcheck {
namespace {

class ProxyOnlySubnetSize : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET004",
                                "proxy-only-subnet-size",
                                "A proxy-only subnet's primary range is smaller than the "
                                "documented minimum of 64 addresses (/26).",
                                Severity::Error,
                                "net",
                                {Kind::Subnetwork}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& s, Reporter& out) const override {
    if (!live(s)) return;
    const Field& purpose = SubnetworkView(s).purpose();
    if (!purpose.known() || !net::proxyOnlyPurpose(purpose.text)) return;
    const Field& range = SubnetworkView(s).ipCidrRange();
    if (range.state != State::Known) return;
    const auto cidr = net::parseCidr(range.text);
    // Thresholds: .lbcheck.yaml `rules: {NET004: {required-prefix, recommended-prefix}}`.
    const json::Value req = out.option(s, "required-prefix");
    const json::Value rec = out.option(s, "recommended-prefix");
    const int required = req.isNumber() ? static_cast<int>(req.number()) : 26;
    const int recommended = rec.isNumber() ? static_cast<int>(rec.number()) : 23;
    if (!cidr || (cidr->prefix <= recommended && cidr->prefix <= required)) return;
    const std::string what = describe(s) + " is a proxy-only subnet with " +
                             spelled(s, SubnetworkView::kIpCidrRange) + " " + range.text + " (" +
                             std::to_string(cidr->size()) + " addresses)";
    const std::string bigger =
        net::formatIpv4(cidr->first()) + "/" + std::to_string(std::min(recommended, required));
    if (cidr->prefix > required) {
      const std::string need = required == 26 ? "a proxy-only subnet needs at least 64 "
                                                "addresses (/26)"
                                              : "the configuration (.lbcheck.yaml) requires at "
                                                "least a /" +
                                                    std::to_string(required);
      Finding& f = out.report(s, SubnetworkView::kIpCidrRange, what + "; " + need);
      f.help =
          "use a /" + std::to_string(required) + " or larger range, /" +
          std::to_string(std::min(recommended, required)) + " recommended (e.g. " + bigger +
          " if that range is free); every Envoy proxy takes one address. An existing proxy-only "
          "subnet cannot be expanded: create the larger one with role BACKUP, then promote "
          "it";
    } else {
      Finding& f = out.report(s, SubnetworkView::kIpCidrRange,
                              what + "; the recommended size is /" + std::to_string(recommended) +
                                  " (" + std::to_string(1ull << (32 - recommended)) +
                                  " addresses), because "
                                  "every proxy takes an address and Google Cloud gives no "
                                  "warning when the pool runs out");
      f.severity = Severity::Note;
      f.help = "start with a /" + std::to_string(recommended) +
               " unless you are sure the load is small; to grow it later, "
               "create a larger BACKUP subnet and promote it";
    }
  }
};

LBCHECK_REGISTER_RULE(ProxyOnlySubnetSize);

}  // namespace
}  // namespace lbcheck
