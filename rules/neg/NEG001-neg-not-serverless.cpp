// NEG001: serverless target blocks only work in a NEG of type SERVERLESS.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

constexpr std::string_view kBlocks[] = {"cloudRun", "appEngine", "cloudFunction",
                                        "serverlessDeployment"};

class NegNotServerless : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG001", "neg-not-serverless",
                                "A network endpoint group with a Cloud Run, App Engine, Cloud "
                                "Functions or serverless-deployment target is not of type "
                                "SERVERLESS.",
                                Severity::Error, "neg"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& neg : g.resources()) {
      if (neg.id.kind != Kind::NetworkEndpointGroup || !live(neg)) continue;
      const Field& type = neg.field("networkEndpointType");
      if (neg.format == "gcloud-script" && notRegional(neg, type, out)) continue;
      // Absent: the regional NEG's default (SERVERLESS); unknown: never guess.
      if (!type.known() || type.text == "SERVERLESS") continue;
      std::string_view block;
      for (std::string_view b : kBlocks) {
        if (present(neg, b)) {
          block = b;
          break;
        }
      }
      if (block.empty()) continue;
      const std::string blockName = spelled(neg, block, block);
      Finding& f =
          out.report(neg, "networkEndpointType",
                     spelled(neg, "networkEndpointType", "networkEndpointType") + " of " +
                         describe(neg) + " is " + q(type.text) +
                         (type.state == State::Defaulted
                              ? " (not given, so " + type.defaultedBy + " uses its default)"
                              : std::string()) +
                         ", but it has a serverless target (" + blockName +
                         "); serverless targets are only valid in a SERVERLESS NEG");
      if (fromTerraform(neg)) {
        f.help =
            "set network_endpoint_type = \"SERVERLESS\" (the default of "
            "google_compute_region_network_endpoint_group) or remove the " +
            blockName + " block";
      } else {
        f.help =
            "create the NEG as a regional serverless NEG: gcloud compute network-endpoint-groups "
            "create NAME --region=REGION --network-endpoint-type=serverless (gcloud's default type "
            "is gce-vm-ip-port)";
      }
      const Field& b = blockField(neg, block);
      if (b.span.valid()) f.related.push_back({b.span, "the serverless target"});
    }
  }

 private:
  /// gcloud scripts: a serverless NEG must be created with --region; gcloud refuses
  /// `--zone` / `--global` for it, and with no scope flag at all.
  static bool notRegional(const Resource& neg, const Field& type, Reporter& out) {
    if (neg.partial || neg.id.scope.type == Scope::Type::Region) return false;
    std::string_view block;
    for (std::string_view b : kBlocks)
      if (present(neg, b)) block = b;
    if (!type.is("SERVERLESS") && block.empty()) return false;
    const Field& region = neg.field("region");
    if (region.state == State::Unknown) return false;  // --region=$UNSET
    std::string where;
    if (neg.id.scope.type == Scope::Type::Zone)
      where = "is created in a zone (--zone)";
    else if (neg.id.scope.type == Scope::Type::Global)
      where = "is created as a global NEG (--global)";
    else
      where = "is created without --region (gcloud stops: \"Underspecified resource\")";
    Finding& f = out.report(neg, "",
                            describe(neg) + " " + where +
                                ", but serverless NEGs are regional: they must be in the "
                                "region of their Cloud Run service");
    f.help =
        "create it with gcloud compute network-endpoint-groups create NAME --region=REGION "
        "--network-endpoint-type=serverless";
    return true;
  }

  /// The block's own field, or its first known sub-field.
  static const Field& blockField(const Resource& r, std::string_view block) {
    const Field& f = r.field(block);
    if (f.state == State::Known) return f;
    const std::string prefix = std::string(block) + ".";
    for (const auto& [path, field] : r.fields)
      if (path.rfind(prefix, 0) == 0 && field.state == State::Known) return field;
    return f;
  }
  static bool present(const Resource& r, std::string_view block) {
    return blockField(r, block).state == State::Known;
  }
};

LBCHECK_REGISTER_RULE(NegNotServerless);

}  // namespace
}  // namespace lbcheck
