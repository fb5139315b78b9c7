// NET003: the proxy-only purpose INTERNAL_HTTPS_LOAD_BALANCER is the legacy
// spelling; migrate it to REGIONAL_MANAGED_PROXY.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class LegacyProxyOnlyPurpose : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET003",
                                "legacy-proxy-only-purpose",
                                "A proxy-only subnet uses the legacy purpose "
                                "INTERNAL_HTTPS_LOAD_BALANCER instead of REGIONAL_MANAGED_PROXY.",
                                Severity::Warning,
                                "net",
                                {Kind::Subnetwork},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& s, Reporter& out) const override {
    if (!live(s)) return;
    const Field& purpose = SubnetworkView(s).purpose();
    if (purpose.state != State::Known || !purpose.is("INTERNAL_HTTPS_LOAD_BALANCER")) return;
    // A REGIONAL_MANAGED_PROXY subnet in the same network and region cannot coexist.
    const Resource* clash = nullptr;
    const auto network = refIdentity(g, SubnetworkView(s).network());
    if (network && s.id.scope.known()) {
      for (int32_t i : g.ofKind(Kind::Subnetwork)) {
        const Resource& o = g.at(i);
        if (o.id.kind != Kind::Subnetwork || !live(o) || &o == &s) continue;
        if (!SubnetworkView(o).purpose().is("REGIONAL_MANAGED_PROXY")) continue;
        if (!(o.id.scope == s.id.scope)) continue;
        const auto oNet = refIdentity(g, SubnetworkView(o).network());
        if (oNet && sameObject(*oNet, *network)) {
          clash = &o;
          break;
        }
      }
    }
    const std::string p = spelled(s, SubnetworkView::kPurpose);
    std::string message = describe(s) + " has " + p +
                          " INTERNAL_HTTPS_LOAD_BALANCER, the legacy "
                          "proxy-only purpose";
    if (clash) {
      message += "; a REGIONAL_MANAGED_PROXY subnet (" + q(clash->id.name) +
                 ") already exists in the same network and region, and the two purposes "
                 "cannot coexist there";
    } else {
      message +=
          "; other Envoy-based regional load balancers cannot be created in this region until "
          "it is migrated to REGIONAL_MANAGED_PROXY";
    }
    Finding& f = out.report(s, SubnetworkView::kPurpose, message);
    if (clash) {
      f.severity = Severity::Error;
      f.related.push_back({SubnetworkView(*clash).purpose().span,
                           "the REGIONAL_MANAGED_PROXY subnet " + q(clash->id.name) + " is here"});
      f.help =
          "keep one proxy-only subnet per network and region: migrate this one to "
          "REGIONAL_MANAGED_PROXY and drop the other, or delete this one";
    } else {
      f.help = "migrate it in place: " +
               out.fix(f, s, Edit::set(SubnetworkView::kPurpose, "REGIONAL_MANAGED_PROXY")) +
               " (the purpose can be updated without downtime; if applying the change would "
               "re-create the subnet instead, update the existing subnet's purpose first)";
    }
  }
};

LBCHECK_REGISTER_RULE(LegacyProxyOnlyPurpose);

}  // namespace
}  // namespace lbcheck
