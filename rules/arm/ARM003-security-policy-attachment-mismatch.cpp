// ARM003: a backend security policy (CLOUD_ARMOR) goes in a backend service's
// securityPolicy, an edge policy (CLOUD_ARMOR_EDGE) in its edgeSecurityPolicy; a
// global policy protects global backend services, a regional one those of its
// region.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"

namespace lbcheck {
namespace {

class SecurityPolicyAttachmentMismatch : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"ARM003",
                                "security-policy-attachment-mismatch",
                                "A backend service attaches a Cloud Armor policy of the wrong type "
                                "(an edge policy as backend policy or the reverse) or scope (a "
                                "global policy on a regional backend service or the reverse), or "
                                "one on a load-balancer type without Cloud Armor.",
                                Severity::Error,
                                "arm",
                                {Kind::BackendService}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    checkSlot(g, bs, "securityPolicy", false, out);
    checkSlot(g, bs, "edgeSecurityPolicy", true, out);
  }

 private:
  static void checkSlot(const Graph& g, const Resource& bs, const char* path, bool edge,
                        Reporter& out) {
    const Field& f = bs.field(path);
    const Resource* policy = g.target(f);
    if (!policy || !live(*policy) || policy->id.kind != Kind::SecurityPolicy) return;
    const Field& type = policy->field("type");
    // Not set: CLOUD_ARMOR, the API default.
    const std::string t = type.known()                  ? type.text
                          : type.state == State::Absent ? "CLOUD_ARMOR"
                                                        : "";
    std::string why;
    if (!t.empty() && edge && t != "CLOUD_ARMOR_EDGE") {
      why = "an edge security policy slot takes a CLOUD_ARMOR_EDGE policy, and " +
            describe(*policy) + " is " + t;
    } else if (!t.empty() && !edge && t == "CLOUD_ARMOR_EDGE") {
      why = "a backend security policy slot takes a CLOUD_ARMOR policy, and " + describe(*policy) +
            " is CLOUD_ARMOR_EDGE (attach it as the edge security policy)";
    } else if (bs.id.scope.known() && policy->id.scope.known() &&
               (bs.id.scope.type == Scope::Type::Global) !=
                   (policy->id.scope.type == Scope::Type::Global)) {
      why = std::string(bs.id.scope.type == Scope::Type::Global ? "a global" : "a regional") +
            " backend service takes a " +
            (bs.id.scope.type == Scope::Type::Global ? "global" : "regional") +
            " security policy, and " + describe(*policy) + " is " +
            (policy->id.scope.type == Scope::Type::Global ? "global" : "regional");
    } else if (bs.id.scope.regional() && policy->id.scope.regional() &&
               bs.id.scope.name != policy->id.scope.name) {
      why = describe(*policy) + " is in " + std::string(policy->id.scope.name) +
            ", not in the backend service's region " + std::string(bs.id.scope.name);
    } else if (typeServing(g, bs) == LbType::CrossRegionInternal) {
      why =
          "Cloud Armor security policies are not available on the cross-region internal "
          "Application Load Balancer";
    } else {
      return;
    }
    Finding& finding =
        out.report(bs, path,
                   spelled(bs, path) + " of " + describe(bs) + " names " + describe(*policy) +
                       ", which does not fit: " + why + "; the API rejects the attachment");
    finding.help = "attach a policy of the right type and scope, or change the policy's type";
    finding.related.push_back({policy->header, describe(*policy) + " is defined here"});
  }
};

LBCHECK_REGISTER_RULE(SecurityPolicyAttachmentMismatch);

}  // namespace
}  // namespace lbcheck
