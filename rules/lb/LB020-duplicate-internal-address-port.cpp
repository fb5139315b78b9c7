// LB020: two internal forwarding rules in one VPC network may share an address
// only when their ports do not overlap.
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

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

struct PortRange {
  long lo;
  long hi;
};

std::optional<long> parseNumber(std::string_view s) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<PortRange> parseRange(std::string_view s) {
  const size_t dash = s.find('-');
  const auto lo = parseNumber(s.substr(0, dash));
  const auto hi = dash == std::string_view::npos ? lo : parseNumber(s.substr(dash + 1));
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return PortRange{*lo, *hi};
}

/// What one forwarding rule claims; nullopt parts are unknown.
struct Claim {
  const Resource* fr = nullptr;
  std::optional<Identity> network;
  std::string ip;                     // the address as text, when known
  const Resource* address = nullptr;  // the reserved address resource, when referenced
  std::string protocol;
  std::vector<PortRange> ports;
  std::string portText;
};

class DuplicateInternalAddressPort : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB020", "duplicate-internal-address-port",
                                "Two internal forwarding rules in one VPC network claim the same "
                                "IP address, protocol and port.",
                                Severity::Error, "lb"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    std::vector<Claim> claims;
    for (const Resource& fr : g.resources()) {
      if (fr.id.kind != Kind::ForwardingRule || !live(fr)) continue;
      const Field& scheme = ForwardingRuleView(fr).loadBalancingScheme();
      if (!scheme.is("INTERNAL_MANAGED") && !scheme.is("INTERNAL")) continue;
      if (auto c = claimOf(g, fr)) claims.push_back(std::move(*c));
    }
    // Only claims in a network of the same name can clash: compare within those.
    std::unordered_map<std::string_view, std::vector<size_t>> byNetwork;
    for (size_t b = 0; b < claims.size(); ++b) {
      std::vector<size_t>& earlier = byNetwork[claims[b].network->name];
      for (size_t a : earlier) {
        const Claim& first = claims[a];
        const Claim& second = claims[b];
        if (!sameObject(*first.network, *second.network)) continue;
        const bool sameAddress = (first.address && first.address == second.address) ||
                                 (!first.ip.empty() && first.ip == second.ip);
        if (!sameAddress || first.protocol != second.protocol) continue;
        if (!overlap(first.ports, second.ports)) continue;
        report(first, second, out);
        break;  // one finding per rule
      }
      earlier.push_back(b);
    }
  }

 private:
  static std::optional<Claim> claimOf(const Graph& g, const Resource& fr) {
    Claim c;
    c.fr = &fr;
    // Network: written, else the subnet's, else the default network.
    const Field& net = ForwardingRuleView(fr).network();
    const Field& sub = ForwardingRuleView(fr).subnetwork();
    if (net.ref->present()) {
      c.network = refIdentity(g, net);
    } else if (const Resource* s = g.target(sub)) {
      c.network = refIdentity(g, SubnetworkView(*s).network());
    } else if (net.state == State::Absent && sub.state == State::Absent) {
      c.network = Identity{Kind::Network, fr.id.project, Scope{Scope::Type::Global, ""}, "default"};
    }
    if (!c.network) return std::nullopt;
    // Address.
    const Field& ip = ForwardingRuleView(fr).ipAddress();
    c.address = g.target(ip);
    if (c.address) {
      if (!live(*c.address)) return std::nullopt;
      const Field& a = c.address->field("address");
      if (a.state == State::Known) c.ip = a.text;
    } else if (ip.state == State::Known && (!ip.ref->identity || ipLiteral(ip.text))) {
      c.ip = ip.text;
    } else {
      return std::nullopt;  // ephemeral or unknown: Google Cloud picks a free one
    }
    // Protocol (TCP when unset).
    const Field& proto = ForwardingRuleView(fr).ipProtocol();
    if (proto.state == State::Unknown) return std::nullopt;
    c.protocol = proto.known() ? proto.text : "TCP";
    // Ports.
    const Field& all = ForwardingRuleView(fr).allPorts();
    const Field& range = ForwardingRuleView(fr).portRange();
    if (all.state == State::Unknown || range.state == State::Unknown) return std::nullopt;
    if (all.is("true")) {
      c.ports.push_back({1, 65535});
      c.portText = "all ports";
    } else if (range.state == State::Known) {
      const auto r = parseRange(range.text);
      if (!r) return std::nullopt;
      c.ports.push_back(*r);
      c.portText = "port " + range.text;
    } else {
      bool unknown = false;
      forEachField(fr, "ports[*]", [&](const std::string&, const Field& f) {
        const auto r = f.state == State::Known ? parseRange(f.text) : std::nullopt;
        if (!r) {
          unknown = true;
          return;
        }
        c.ports.push_back(*r);
        c.portText += (c.portText.empty() ? "ports " : ", ") + f.text;
      });
      if (unknown || c.ports.empty()) return std::nullopt;
    }
    return c;
  }

  static bool overlap(const std::vector<PortRange>& a, const std::vector<PortRange>& b) {
    for (const PortRange& x : a)
      for (const PortRange& y : b)
        if (x.lo <= y.hi && y.lo <= x.hi) return true;
    return false;
  }

  static void report(const Claim& first, const Claim& second, Reporter& out) {
    const Resource& fr = *second.fr;
    const std::string ip =
        second.ip.empty() ? "the address of " + describe(*second.address) : q(second.ip);
    Finding& f = out.report(fr, ForwardingRuleView::kIpAddress,
                            describe(fr) + " and " + describe(*first.fr) + " both claim " + ip +
                                " " + second.protocol + " " +
                                (second.portText == first.portText
                                     ? second.portText
                                     : "(" + second.portText + " and " + first.portText + ")") +
                                " in network " + q(second.network->name) +
                                "; internal forwarding rules may share an address only on ports "
                                "that do not overlap");
    f.help = "give one of the rules another port or another address";
    const Field& theirs = ForwardingRuleView(*first.fr).ipAddress();
    f.related.push_back(
        {theirs.span.valid() && theirs.state == State::Known ? theirs.span : first.fr->header,
         describe(*first.fr) + " claims the same address and port"});
  }
};

LBCHECK_REGISTER_RULE(DuplicateInternalAddressPort);

}  // namespace
}  // namespace lbcheck
