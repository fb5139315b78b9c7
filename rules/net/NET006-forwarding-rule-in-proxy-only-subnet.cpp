// NET006: an internal managed forwarding rule must not take its subnet or its
// address from a proxy-only subnet.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/net/ipv4.h"

namespace lbcheck {
namespace {

class ForwardingRuleInProxyOnlySubnet : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET006", "forwarding-rule-in-proxy-only-subnet",
                                "An internal managed forwarding rule is placed in a proxy-only "
                                "subnet or takes its IP address from a proxy-only range.",
                                Severity::Error, "net"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const SubnetsByNetwork subnets(g);
    for (int32_t i : g.ofKind(Kind::ForwardingRule)) {
      const Resource& fr = g.at(i);
      if (!isRegionalInternalManagedRule(fr)) continue;

      const Field& subField = ForwardingRuleView(fr).subnetwork();
      const Resource* sub = g.target(subField);
      if (sub && live(*sub)) {
        const Field& purpose = SubnetworkView(*sub).purpose();
        if (purpose.known() && net::proxyOnlyPurpose(purpose.text)) {
          Finding& f = out.report(fr, ForwardingRuleView::kSubnetwork,
                                  describe(fr) + " is placed in " + describe(*sub) +
                                      ", a proxy-only subnet (purpose " + purpose.text +
                                      "); that range is reserved for the load balancer's Envoy "
                                      "proxies");
          f.help =
              "put the forwarding rule in an ordinary (PRIVATE) subnet of the same network "
              "and region; the proxy-only subnet only serves the proxies";
          f.related.push_back({purpose.span, "the subnet's purpose is set here"});
          continue;
        }
      }
      checkAddress(g, subnets, fr, sub, out);
    }
  }

 private:
  static void checkAddress(const Graph& g, const SubnetsByNetwork& subnets, const Resource& fr,
                           const Resource* sub, Reporter& out) {
    const Field& ipField = ForwardingRuleView(fr).ipAddress();
    const Resource* address = g.target(ipField);
    const Field* value = nullptr;
    if (address && address->id.kind == Kind::Address) {
      value = &address->field("address");
    } else if (ipField.state == State::Known && net::parseIpv4(ipField.text)) {
      value = &ipField;  // a literal IP (not a reference, whatever the link parser made of it)
    }
    if (!value || value->state != State::Known) return;
    const auto ip = net::parseIpv4(value->text);
    if (!ip) return;

    // The rule's network: written on it, else its subnet's.
    std::optional<Identity> network;
    const Field& netField = ForwardingRuleView(fr).network();
    if (netField.ref->present() || netField.known())
      network = refIdentity(g, netField);
    else if (sub)
      network = refIdentity(g, SubnetworkView(*sub).network());
    if (!network) return;

    for (const Resource* candidate : subnets.candidates(*network, false)) {
      const Resource& s = *candidate;
      if (s.id.kind != Kind::Subnetwork || !live(s)) continue;
      const Field& purpose = SubnetworkView(s).purpose();
      if (!purpose.known() || !net::proxyOnlyPurpose(purpose.text)) continue;
      const auto sNet = refIdentity(g, SubnetworkView(s).network());
      if (!sNet || !sameObject(*sNet, *network)) continue;
      const Field& range = SubnetworkView(s).ipCidrRange();
      const auto cidr = range.state == State::Known ? net::parseCidr(range.text) : std::nullopt;
      if (!cidr || !cidr->contains(*ip)) continue;
      const std::string via = address ? " (from " + describe(*address) + ")" : "";
      Finding& f = out.report(fr, ForwardingRuleView::kIpAddress,
                              describe(fr) + " uses the address " + value->text + via +
                                  ", which lies in the proxy-only range " + range.text + " of " +
                                  describe(s) + "; that range is reserved for the Envoy proxies");
      f.help =
          "take the address from the primary range of an ordinary subnet of the same network "
          "(e.g. the rule's own subnet), or leave it out to get an ephemeral one from there";
      f.related.push_back({range.span, "the proxy-only range is defined here"});
      if (address) f.related.push_back({value->span, "the address is defined here"});
      return;
    }
  }
};

LBCHECK_REGISTER_RULE(ForwardingRuleInProxyOnlySubnet);

}  // namespace
}  // namespace lbcheck
