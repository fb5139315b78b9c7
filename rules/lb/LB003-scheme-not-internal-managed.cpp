// LB003: the backend service and the forwarding rule of the regional internal
// ALB use the INTERNAL_MANAGED scheme, including when a tool fills the default.
#include <set>
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class SchemeNotInternalManaged : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB003",
                                "scheme-not-internal-managed",
                                "The backend service or forwarding rule of a regional internal "
                                "Application Load Balancer has a load-balancing scheme other than "
                                "INTERNAL_MANAGED, possibly one a tool filled in.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService, Kind::ForwardingRule}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    if (!live(r) || r.id.scope.type != Scope::Type::Region) return;
    std::string why;
    if (r.id.kind == Kind::BackendService) {
      why = backendRole(g, r);
    } else if (r.id.kind == Kind::ForwardingRule) {
      why = ruleRole(g, r);
    }
    if (why.empty()) return;
    const Field& f = r.field("loadBalancingScheme");
    if (f.state == State::Unknown || f.is("INTERNAL_MANAGED")) return;
    const std::string name = spelled(r, "loadBalancingScheme");
    const Resource* internal = f.is("EXTERNAL_MANAGED") ? internalPeer(g, r) : nullptr;
    // EXTERNAL_MANAGED without an INTERNAL_MANAGED piece: the regional external
    // Application Load Balancer (engine/topology.h), whose schemes LB023 checks.
    if (f.is("EXTERNAL_MANAGED") && !internal) return;
    std::string message;
    if (f.state == State::Defaulted) {
      message = name + " of " + describe(r) + " is not set, so " + f.defaultedBy + " fills in " +
                q(f.text) + "; ";
    } else if (f.state == State::Absent) {
      message = describe(r) + " does not set " + name +
                ", so a default applies, and no tool or API defaults to INTERNAL_MANAGED; ";
    } else {
      message = name + " of " + describe(r) + " is " + q(f.text) + "; ";
    }
    if (internal) {
      message += "it is linked to INTERNAL_MANAGED " + describe(*internal) +
                 ", and one load balancer cannot mix the internal and external schemes";
    } else {
      message += why;
    }
    Finding& finding = out.report(r, "loadBalancingScheme", message);
    if (internal)
      finding.related.push_back({internal->field("loadBalancingScheme").span.valid()
                                     ? internal->field("loadBalancingScheme").span
                                     : internal->header,
                                 describe(*internal) + " is INTERNAL_MANAGED"});
    finding.help = out.fix(finding, r, Edit::set("loadBalancingScheme", "INTERNAL_MANAGED")) +
                   " (the scheme cannot be changed in place: the resource is re-created)";
  }

 private:
  /// Why a regional backend service belongs to this load balancer; "" if it does not.
  static std::string backendRole(const Graph& g, const Resource& bs) {
    const auto list = backends::of(g, bs);
    if (const backends::Backend* b = backends::firstServerless(list))
      return "a regional backend service with " + b->label +
             " must be INTERNAL_MANAGED to serve the regional internal Application Load "
             "Balancer, and the API rejects it under another scheme";
    for (const auto& ref : g.referrers(g.indexOf(bs))) {
      const Resource& u = g.at(ref.resource);
      if (!ref.prior && live(u) && u.id.kind == Kind::UrlMap && u.id.scope.regional())
        return "regional URL map " + q(u.id.name) +
               " uses it, and the regional internal Application Load Balancer only serves "
               "INTERNAL_MANAGED backend services";
    }
    return {};
  }

  /// Why a regional forwarding rule belongs to an Application Load Balancer; "" if not.
  static std::string ruleRole(const Graph& g, const Resource& fr) {
    const auto id = refIdentity(g, fr.field("target"));
    if (!id || (id->kind != Kind::TargetHttpProxy && id->kind != Kind::TargetHttpsProxy)) return {};
    // A regional rule in front of a global proxy is the classic ALB in Standard Tier
    // or a mix (LB023), not this load balancer.
    if (id->scope.type == Scope::Type::Global) return {};
    // A regional rule of a regional external chain: LB023 checks its schemes.
    if (const Resource* p = g.target(fr.field("target")))
      if (internalManagedPeer(g, *p) == nullptr && hasExternalManagedPeer(g, *p)) return {};
    return "it forwards to " + std::string(kindLabel(id->kind)) + " " + q(id->name) +
           ", and the forwarding rule of a regional internal Application Load Balancer must be "
           "INTERNAL_MANAGED";
  }

  /// A backend service or URL map behind proxy p that is EXTERNAL_MANAGED.
  static bool hasExternalManagedPeer(const Graph& g, const Resource& p) {
    const Resource* map = g.target(p.field("urlMap"));
    if (!map) return false;
    bool found = false;
    forEachServiceRef(*map, [&](const std::string&, const Field& f) {
      if (const Resource* bs = g.target(f))
        found = found || bs->field("loadBalancingScheme").is("EXTERNAL_MANAGED");
    });
    return found;
  }

  /// A linked piece of the chain (forwarding rule, proxy, URL map, backend service) that
  /// is INTERNAL_MANAGED, or null: with one, EXTERNAL_MANAGED is a mix-up, not a product
  /// choice.
  static const Resource* internalPeer(const Graph& g, const Resource& start) {
    return internalManagedPeer(g, start);
  }
};

LBCHECK_REGISTER_RULE(SchemeNotInternalManaged);

}  // namespace
}  // namespace lbcheck
