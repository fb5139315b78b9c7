// ARM001: a Cloud Armor security policy that no backend service or backend
// bucket uses protects nothing.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

class SecurityPolicyUnused : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"ARM001",
                                "security-policy-unused",
                                "A Cloud Armor security policy is attached to no backend service "
                                "or backend bucket, so it protects nothing.",
                                Severity::Note,
                                "arm",
                                {Kind::SecurityPolicy}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& policy, Reporter& out) const override {
    if (!live(policy) || policy.partial) return;
    for (const auto& ref : g.referrers(g.indexOf(policy))) {
      if (ref.prior) continue;
      const Resource& u = g.at(ref.resource);
      if (live(u)) return;  // a backend service or bucket (or anything else) names it
    }
    // Only when the inputs hold the backends it would protect: a file of policies alone
    // may be attached elsewhere.
    bool backendsHere = false;
    for (int32_t i : g.ofKind(Kind::BackendService))
      backendsHere = backendsHere || (live(g.at(i)) && g.at(i).document == policy.document);
    if (!backendsHere) return;
    Finding& f = out.report(policy, "",
                            describe(policy) +
                                " is attached to no backend service or backend bucket in the "
                                "inputs: it filters no request");
    f.help =
        "attach it to the backend service it should protect (security_policy, "
        "--security-policy, securityPolicyRef), or delete it";
  }
};

LBCHECK_REGISTER_RULE(SecurityPolicyUnused);

}  // namespace
}  // namespace lbcheck
