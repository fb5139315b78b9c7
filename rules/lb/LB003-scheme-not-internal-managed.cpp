// LB003: the backend service and the forwarding rule of the regional internal
// ALB use the INTERNAL_MANAGED scheme, including when a tool fills the default.
#include <set>
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
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
                                {Kind::BackendService, Kind::ForwardingRule},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    if (!live(r) || r.id.scope.type != Scope::Type::Region) return;
    const Field& f = r.field("loadBalancingScheme");
    if (f.state == State::Unknown || f.is("INTERNAL_MANAGED")) return;
    // A linked INTERNAL_MANAGED piece (forwarding rule, proxy, URL map, backend
    // service) is what makes the chain the regional *internal* one; without one,
    // lbcheck does not know which regional Application Load Balancer is meant.
    const Resource* internal = internalManagedPeer(g, r);
    // EXTERNAL_MANAGED without an INTERNAL_MANAGED piece: the regional external
    // Application Load Balancer (engine/topology.h), whose schemes LB023 checks.
    if (f.is("EXTERNAL_MANAGED") && !internal) return;
    std::string why;
    if (r.id.kind == Kind::BackendService) {
      why = backendRole(g, r, internal != nullptr);
    } else if (r.id.kind == Kind::ForwardingRule) {
      why = ruleRole(g, r, internal != nullptr);
    }
    if (why.empty()) return;
    const std::string name = spelled(r, "loadBalancingScheme");
    std::string message;
    if (f.state == State::Defaulted) {
      message = name + " of " + describe(r) + " is not set, so " + f.defaultedBy + " fills in " +
                q(f.text) + "; ";
    } else if (f.state == State::Absent) {
      message = describe(r) + " does not set " + name + ", so a default applies, and no tool " +
                "or API defaults to " +
                (internal ? "INTERNAL_MANAGED" : "INTERNAL_MANAGED or EXTERNAL_MANAGED") + "; ";
    } else {
      message = name + " of " + describe(r) + " is " + q(f.text) + "; ";
    }
    if (internal && f.is("EXTERNAL_MANAGED")) {
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
    constexpr std::string_view kRecreated =
        " (the scheme cannot be changed in place: the resource is re-created)";
    if (internal) {
      finding.help = out.fix(finding, r, Edit::set("loadBalancingScheme", "INTERNAL_MANAGED")) +
                     std::string(kRecreated);
    } else {
      // Nothing says which regional load balancer is meant: both schemes fit.
      finding.help = out.fix(finding, r, Edit::set("loadBalancingScheme", "INTERNAL_MANAGED")) +
                     " for a regional internal Application Load Balancer, or " +
                     out.fix(finding, r, Edit::set("loadBalancingScheme", "EXTERNAL_MANAGED")) +
                     " for a regional external one" + std::string(kRecreated);
    }
  }

 private:
  /// Why a regional backend service belongs to a regional Application Load
  /// Balancer; "" if it does not, or if the scheme is LB014's to report.
  static std::string backendRole(const Graph& g, const Resource& bs, bool internal) {
    // A regional backend service used by a regional URL map, without a serverless
    // NEG, is reported once per backend service by LB014 at the URL map's reference.
    const auto list = backends::of(g, bs);
    const backends::Backend* b = backends::firstServerless(list);
    if (!b) return {};
    if (internal)
      return "a regional backend service with " + b->label +
             " must be INTERNAL_MANAGED to serve the regional internal Application Load "
             "Balancer, and the API rejects it under another scheme";
    return "a regional backend service with " + b->label +
           " serves a regional Application Load Balancer, internal (INTERNAL_MANAGED) or "
           "external (EXTERNAL_MANAGED), and the API rejects it under another scheme";
  }

  /// Why a regional forwarding rule belongs to the regional internal Application
  /// Load Balancer; "" if not, or if the chain is LB023's.
  static std::string ruleRole(const Graph& g, const Resource& fr, bool internal) {
    const auto id = refIdentity(g, fr.field("target"));
    if (!id || (id->kind != Kind::TargetHttpProxy && id->kind != Kind::TargetHttpsProxy)) return {};
    // A regional rule in front of a global proxy is the classic ALB in Standard Tier
    // or a mix (LB023), not this load balancer.
    if (id->scope.type == Scope::Type::Global) return {};
    // A regional rule of a regional external chain: LB023 checks its schemes.
    if (const Resource* p = g.target(fr.field("target")))
      if (!internal && hasExternalManagedPeer(g, *p)) return {};
    const std::string target = std::string(kindLabel(id->kind)) + " " + q(id->name);
    if (internal)
      return "it forwards to " + target +
             ", and the forwarding rule of a regional internal Application Load Balancer must "
             "be INTERNAL_MANAGED";
    // No piece is INTERNAL_MANAGED: an EXTERNAL rule (written or by default) in
    // front of a regional proxy fits no type, which LB023 reports, naming both ends.
    if (effectiveScheme(fr) == "EXTERNAL") return {};
    return "it forwards to " + std::string(id->scope.regional() ? "regional " : "") + target +
           ", which only a regional Application Load Balancer uses, and its forwarding rule is "
           "INTERNAL_MANAGED (internal) or EXTERNAL_MANAGED (external)";
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
};

LBCHECK_REGISTER_RULE(SchemeNotInternalManaged);

}  // namespace
}  // namespace lbcheck
