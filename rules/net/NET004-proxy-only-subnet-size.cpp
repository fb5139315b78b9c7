// NET004: a proxy-only subnet needs at least 64 addresses (/26); /23 is the
// recommended size.
#include "engine/chain.h"
#include "engine/rule.h"
#include "rules/net/ipv4.h"

namespace lbcheck {
namespace {

class ProxyOnlySubnetSize : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET004", "proxy-only-subnet-size",
                                "A proxy-only subnet's primary range is smaller than the "
                                "documented minimum of 64 addresses (/26).",
                                Severity::Error, "net"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& s : g.resources()) {
      if (s.id.kind != Kind::Subnetwork || !live(s)) continue;
      const Field& purpose = s.field("purpose");
      if (!purpose.known() || !net::proxyOnlyPurpose(purpose.text)) continue;
      const Field& range = s.field("ipCidrRange");
      if (range.state != State::Known) continue;
      const auto cidr = net::parseCidr(range.text);
      if (!cidr || cidr->prefix <= 23) continue;
      const std::string what = describe(s) + " is a proxy-only subnet with " +
                               spelled(s, "ipCidrRange", "ipCidrRange") + " " + range.text + " (" +
                               std::to_string(cidr->size()) + " addresses)";
      const std::string bigger = net::formatIpv4(cidr->first()) + "/23";
      if (cidr->prefix > 26) {
        Finding& f = out.report(s, "ipCidrRange",
                                what + "; a proxy-only subnet needs at least 64 addresses (/26)");
        f.help =
            "use a /26 or larger range, /23 recommended (e.g. " + bigger +
            " if that range is free); every Envoy proxy takes one address. An existing proxy-only "
            "subnet cannot be expanded: create the larger one with role BACKUP, then promote "
            "it";
      } else {
        Finding& f = out.report(s, "ipCidrRange",
                                what +
                                    "; the recommended size is /23 (512 addresses), because "
                                    "every proxy takes an address and Google Cloud gives no "
                                    "warning when the pool runs out");
        f.severity = Severity::Note;
        f.help =
            "start with a /23 unless you are sure the load is small; to grow it later, "
            "create a larger BACKUP subnet and promote it";
      }
    }
  }
};

LBCHECK_REGISTER_RULE(ProxyOnlySubnetSize);

}  // namespace
}  // namespace lbcheck
