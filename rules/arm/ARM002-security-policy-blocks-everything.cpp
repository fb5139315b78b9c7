// ARM002: a security policy whose default rule denies and that has no allow
// rule blocks every request of the backends it protects.
#include <string>

#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

constexpr std::string_view kDefaultPriority = "2147483647";

class SecurityPolicyBlocksEverything : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"ARM002",
                                "security-policy-blocks-everything",
                                "A Cloud Armor security policy's default rule denies and no rule "
                                "allows anything, so every request is blocked.",
                                Severity::Warning,
                                "arm",
                                {Kind::SecurityPolicy}};
    return kInfo;
  }

  void check(const Graph&, const Resource& policy, Reporter& out) const override {
    if (!live(policy) || policy.partial) return;
    std::string defaultPath;
    bool allow = false, unknown = false;
    forEachField(policy, "rules[*].priority", [&](const std::string& path, const Field& p) {
      const std::string rule = path.substr(0, path.size() - std::string(".priority").size());
      const Field& action = policy.field(rule + ".action");
      if (p.state == State::Unknown || action.state == State::Unknown) {
        unknown = true;
        return;
      }
      if (!action.known()) return;
      if (action.text == "allow") allow = true;
      if (p.known() && p.text == kDefaultPriority && action.text.rfind("deny", 0) == 0)
        defaultPath = rule + ".action";
    });
    if (unknown || allow || defaultPath.empty()) return;
    Finding& f = out.report(
        policy, defaultPath,
        describe(policy) + " denies by default (" + spelled(policy, defaultPath) +
            " of the rule at priority 2147483647 is " + q(policy.field(defaultPath).text) +
            ") and no rule allows anything: every request is blocked");
    f.help =
        "add allow rules for the traffic to serve (at a priority number below 2147483647), or "
        "make the default rule allow and deny what should be blocked";
  }
};

LBCHECK_REGISTER_RULE(SecurityPolicyBlocksEverything);

}  // namespace
}  // namespace lbcheck
