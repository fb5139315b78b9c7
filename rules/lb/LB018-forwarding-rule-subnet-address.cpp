// LB018: an INTERNAL_MANAGED forwarding rule takes its address from a subnet:
// it needs one, and a fixed address must lie in that subnet's primary range.
#include <cstdint>
#include <optional>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

/// A literal IP address (which a plan's address field may hold) is not a link.
bool ipLiteral(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789.:abcdefABCDEF") == std::string_view::npos &&
         s.find_first_of(".:") != std::string_view::npos;
}

std::optional<uint32_t> parseIpv4(std::string_view s) {
  uint32_t value = 0;
  int parts = 0;
  while (parts < 4) {
    size_t i = 0;
    uint32_t octet = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 3) octet = octet * 10 + (s[i++] - '0');
    if (i == 0 || octet > 255) return std::nullopt;
    value = (value << 8) | octet;
    s.remove_prefix(i);
    ++parts;
    if (parts < 4) {
      if (s.empty() || s.front() != '.') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  return value;
}

struct Cidr {
  uint32_t base;
  uint32_t mask;
};

std::optional<Cidr> parseCidr(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto ip = parseIpv4(s.substr(0, slash));
  const std::string_view len = s.substr(slash + 1);
  if (!ip || len.empty() || len.size() > 2) return std::nullopt;
  int bits = 0;
  for (char c : len) {
    if (c < '0' || c > '9') return std::nullopt;
    bits = bits * 10 + (c - '0');
  }
  if (bits > 32) return std::nullopt;
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return Cidr{*ip & mask, mask};
}

class ForwardingRuleSubnetAddress : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB018",
                                "forwarding-rule-subnet-address",
                                "An internal managed forwarding rule has no subnet to take its "
                                "address from, or its address lies outside that subnet's primary "
                                "range.",
                                Severity::Error,
                                "lb",
                                {Kind::ForwardingRule}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& fr, Reporter& out) const override {
    if (!isRegionalInternalManagedRule(fr)) return;
    const Field& sub = ForwardingRuleView(fr).subnetwork();
    if (sub.state == State::Absent && !sub.ref->present()) {
      checkNoSubnet(g, fr, out);
    } else {
      checkAddress(g, fr, out);
    }
  }

 private:
  static void checkNoSubnet(const Graph& g, const Resource& fr, Reporter& out) {
    const Field& net = ForwardingRuleView(fr).network();
    if (net.state == State::Absent && !net.ref->present()) {
      Finding& f = out.report(fr, "",
                              "INTERNAL_MANAGED " + describe(fr) + " names neither " +
                                  spelled(fr, ForwardingRuleView::kNetwork) + " nor " +
                                  spelled(fr, ForwardingRuleView::kSubnetwork) +
                                  ", so the project's `default` network is assumed");
      f.severity = Severity::Warning;
      f.help = "set " + spelled(fr, ForwardingRuleView::kNetwork) + " and " +
               spelled(fr, ForwardingRuleView::kSubnetwork) +
               " to the VPC network and the subnet the load balancer's address comes from";
      return;
    }
    const Resource* network = g.target(net);
    if (!network || !live(*network)) return;
    const Field& autoMode = network->field("autoCreateSubnetworks");
    if (!autoMode.is("false")) return;  // auto mode has a subnet in every region; unknown: silent
    Finding& f = out.report(fr, ForwardingRuleView::kNetwork,
                            "INTERNAL_MANAGED " + describe(fr) + " sets no " +
                                spelled(fr, ForwardingRuleView::kSubnetwork) + " in custom-mode " +
                                describe(*network) +
                                ", which has no automatic subnet to take the address from");
    f.help = "set " + spelled(fr, ForwardingRuleView::kSubnetwork) + " to the subnet in " +
             fr.id.scope.name +
             " (not the proxy-only subnet) the address comes from (the forwarding rule is "
             "re-created)";
    f.related.push_back(
        {autoMode.span.valid() && autoMode.state == State::Known ? autoMode.span : network->header,
         describe(*network) + " is a custom-mode network"});
  }

  static void checkAddress(const Graph& g, const Resource& fr, Reporter& out) {
    const Resource* sub = g.target(ForwardingRuleView(fr).subnetwork());
    if (!sub || !live(*sub)) return;
    const Field& range = SubnetworkView(*sub).ipCidrRange();
    if (range.state != State::Known) return;
    const auto cidr = parseCidr(range.text);
    if (!cidr) return;
    // The address: a literal IP, or a reserved address resource's `address`.
    const Field& ipField = ForwardingRuleView(fr).ipAddress();
    std::string ipText;
    const Resource* address = g.target(ipField);
    if (address) {
      const Field& a = address->field("address");
      if (a.state != State::Known) return;
      ipText = a.text;
    } else if (ipField.state == State::Known &&
               (!ipField.ref->identity || ipLiteral(ipField.text))) {
      ipText = ipField.text;
    } else {
      return;
    }
    const auto ip = parseIpv4(ipText);
    if (!ip || (*ip & cidr->mask) == cidr->base) return;
    Finding& f = out.report(fr, ForwardingRuleView::kIpAddress,
                            "the address " + q(ipText) + " of INTERNAL_MANAGED " + describe(fr) +
                                " is outside the primary range " + q(range.text) + " of its " +
                                describe(*sub));
    f.help = "use an address from " + range.text +
             " (or leave the address out and let Google Cloud pick one from the subnet)";
    f.related.push_back({range.span, describe(*sub) + " has primary range " + range.text});
    if (address)
      f.related.push_back(
          {address->field("address").span, describe(*address) + " reserves " + ipText});
  }
};

LBCHECK_REGISTER_RULE(ForwardingRuleSubnetAddress);

}  // namespace
}  // namespace lbcheck
