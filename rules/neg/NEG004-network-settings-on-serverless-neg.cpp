// NEG004: serverless NEGs have no IP/port endpoints, so network settings do not belong.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

struct Setting {
  std::string_view path;
  std::string_view why;
};

constexpr Setting kSettings[] = {
    {"network", "a serverless NEG has no network endpoints"},
    {"subnetwork", "a serverless NEG has no network endpoints"},
    {"defaultPort", "a serverless NEG has no ports"},
    {"pscTargetService", "it belongs to a PRIVATE_SERVICE_CONNECT NEG"},
};

constexpr std::string_view kBlocks[] = {"cloudRun", "appEngine", "cloudFunction",
                                        "serverlessDeployment"};

class NetworkSettingsOnServerlessNeg : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG004",
                                "network-settings-on-serverless-neg",
                                "A serverless NEG sets a network, subnetwork, default port or "
                                "Private Service Connect target.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    if (!serverless(neg)) return;
    for (const Setting& s : kSettings) {
      const Field& f = neg.field(s.path);
      // Only what the author wrote: an export that echoes it was accepted by the API.
      if (f.state != State::Known || !f.authored) continue;
      const std::string name = spelled(neg, s.path);
      Finding& finding =
          out.report(neg, s.path,
                     describe(neg) + " is a serverless NEG but sets " + name + " (" + q(f.text) +
                         "); " + std::string(s.why) + ", so the setting is invalid");
      finding.help = "remove " + name +
                     " from the NEG: the load balancer reaches serverless backends without "
                     "any network settings on the NEG";
    }
  }

 private:
  /// Type SERVERLESS, or a regional NEG with no type written and a serverless block.
  static bool serverless(const Resource& neg) {
    const Field& type = ServerlessNegView(neg).networkEndpointType();
    if (type.known()) return type.text == "SERVERLESS";
    if (type.state != State::Absent || neg.id.scope.type != Scope::Type::Region) return false;
    for (std::string_view b : kBlocks) {
      if (neg.field(b).state == State::Known) return true;
      const std::string prefix = std::string(b) + ".";
      for (const auto& [path, f] : neg.fields)
        if (path.rfind(prefix, 0) == 0 && f.state == State::Known) return true;
    }
    return false;
  }
};

LBCHECK_REGISTER_RULE(NetworkSettingsOnServerlessNeg);

}  // namespace
}  // namespace lbcheck
