// TLS009: an external Application Load Balancer that serves plain HTTP on a
// forwarding rule whose URL map does not redirect to HTTPS, and no HTTPS
// forwarding rule shares its address.
#include <optional>
#include <string>
#include <string_view>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

constexpr const char* kHttpsRedirect = "defaultUrlRedirect.httpsRedirect";

/// What a forwarding rule's address is, as a key two rules can share.
struct AddressKey {
  bool unknown = false;  // cannot tell (known after apply, a variable)
  std::string key;       // "" when the rule takes an ephemeral address
};

AddressKey addressOf(const Graph& g, const Resource& fr) {
  const Field& ip = ForwardingRuleView(fr).ipAddress();
  if (const Resource* a = g.target(ip)) return {false, "address " + objectIdentity(*a).str()};
  if (ip.ref->identity) return {false, "address " + ip.ref->identity->str()};
  if (ip.state == State::Unknown) return {true, ""};
  if (ip.known()) return {false, "ip " + ip.text};
  return {false, ""};
}

class HttpFrontendWithoutRedirect : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS009", "http-frontend-without-redirect",
                                "An external Application Load Balancer serves plain HTTP on a "
                                "forwarding rule whose URL map does not redirect to HTTPS, and no "
                                "HTTPS forwarding rule shares its address.",
                                Severity::Note, "tls"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const std::vector<LbChain> chains = allChains(g);
    // The addresses that an external HTTPS frontend answers on.
    std::vector<std::string> httpsAddresses;
    bool httpsUnknown = false;
    for (const LbChain& c : chains) {
      if (!isExternal(c.type) || !c.rule) continue;
      const auto target = refIdentity(g, ForwardingRuleView(*c.rule).target());
      if (!target || target->kind != Kind::TargetHttpsProxy) continue;
      const AddressKey a = addressOf(g, *c.rule);
      if (a.unknown) httpsUnknown = true;
      if (!a.key.empty()) httpsAddresses.push_back(a.key);
    }
    for (const LbChain& c : chains) {
      if (!isExternal(c.type) || !c.rule || !c.proxy || !c.urlMap) continue;
      if (c.proxy->id.kind != Kind::TargetHttpProxy || !live(*c.proxy) || !live(*c.urlMap))
        continue;
      const Field& redirect = c.urlMap->field(kHttpsRedirect);
      if (redirect.state == State::Unknown || redirect.is("true")) continue;
      const AddressKey a = addressOf(g, *c.rule);
      if (a.unknown || httpsUnknown) continue;  // cannot tell whether an HTTPS frontend pairs it
      bool paired = false;
      for (const std::string& k : httpsAddresses) paired = paired || (!a.key.empty() && k == a.key);
      if (paired) continue;
      const Resource& fr = *c.rule;
      Finding& f = out.report(
          fr, ForwardingRuleView::kTarget,
          describe(fr) + " of a " + std::string(lbTypeName(c.type)) +
              " serves plain HTTP through " + describe(*c.proxy) + ", and " + describe(*c.urlMap) +
              " does not redirect to HTTPS; no HTTPS forwarding rule shares its address, so "
              "clients on the internet talk to the load balancer unencrypted");
      f.help =
          "serve HTTPS on the same address (a target HTTPS proxy with a certificate, port "
          "443) and give this HTTP frontend a URL map whose default redirect sets " +
          spelled(*c.urlMap, kHttpsRedirect) + " to true, or drop the HTTP frontend";
      f.related.push_back({c.proxy->header, "the target HTTP proxy"});
      f.related.push_back({c.urlMap->header, "the URL map, without an HTTPS redirect"});
    }
  }
};

LBCHECK_REGISTER_RULE(HttpFrontendWithoutRedirect);

}  // namespace
}  // namespace lbcheck
