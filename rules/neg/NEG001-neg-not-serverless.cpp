// NEG001: serverless target blocks only work in a NEG of type SERVERLESS.
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

constexpr std::string_view kBlocks[] = {"cloudRun", "appEngine", "cloudFunction",
                                        "serverlessDeployment"};

class NegNotServerless : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG001",
                                "neg-not-serverless",
                                "A network endpoint group with a Cloud Run, App Engine, Cloud "
                                "Functions or serverless-deployment target is not of type "
                                "SERVERLESS.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    const Field& type = ServerlessNegView(neg).networkEndpointType();
    if (notRegional(g, neg, type, out)) return;
    // Absent: the regional NEG's default (SERVERLESS); unknown: never guess.
    if (!type.known() || type.text == "SERVERLESS") return;
    std::string_view block;
    for (std::string_view b : kBlocks) {
      if (present(neg, b)) {
        block = b;
        break;
      }
    }
    if (block.empty()) return;
    // The target as written: the block, or its first written field.
    const std::string blockName = spelled(neg, blockPath(neg, block));
    Finding& f = out.report(neg, ServerlessNegView::kNetworkEndpointType,
                            spelled(neg, ServerlessNegView::kNetworkEndpointType) + " of " +
                                describe(neg) + " is " + q(type.text) +
                                (type.state == State::Defaulted
                                     ? " (not given, so " + type.defaultedBy + " uses its default)"
                                     : std::string()) +
                                ", but it has a serverless target (" + blockName +
                                "); serverless targets are only valid in a SERVERLESS NEG");
    f.help = "make it a regional serverless NEG: " +
             out.fix(f, neg, Edit::set(ServerlessNegView::kNetworkEndpointType, "SERVERLESS")) +
             ", or remove the serverless target (" + blockName + ") if the NEG is not meant " +
             "to be serverless";
    const Field& b = blockField(neg, block);
    if (b.span.valid()) f.related.push_back({b.span, "the serverless target"});
  }

 private:
  /// A serverless NEG must be regional: in the region of its Cloud Run service.
  /// Reports one that is created zonal or global, or whose creation names no
  /// scope where nothing supplies one (an Absent scope field that is authored:
  /// the omission is the author's and final).
  static bool notRegional(const Graph& g, const Resource& neg, const Field& type, Reporter& out) {
    if (neg.partial || neg.id.scope.type == Scope::Type::Region) return false;
    std::string_view block;
    for (std::string_view b : kBlocks)
      if (present(neg, b)) block = b;
    if (!type.is("SERVERLESS") && block.empty()) return false;
    const Field& region = ServerlessNegView(neg).region();
    if (region.state == State::Unknown) return false;  // a region known only later
    const Field& zone = ServerlessNegView(neg).zone();
    std::string where;
    if (neg.id.scope.type == Scope::Type::Zone)
      where = "is created in a zone (" + fieldName(neg, zone.known() ? "zone" : "region") + ")";
    else if (neg.id.scope.type == Scope::Type::Global)
      where = "is created as a global NEG";
    else if (region.state == State::Absent && region.authored)
      where = "is created without " + fieldName(neg, "region") +
              " (gcloud stops: \"Underspecified resource\")";
    else
      return false;
    Finding& f = out.report(neg, "",
                            describe(neg) + " " + where +
                                ", but serverless NEGs are regional: they must be in the "
                                "region of their Cloud Run service");
    // The region to propose: the Cloud Run service's, when the inputs have it.
    std::string runRegion;
    if (const Resource* run = g.target(ServerlessNegView(neg).cloudRunService()))
      if (run->id.scope.known() && !run->id.scope.name.empty()) runRegion = run->id.scope.name;
    std::vector<Edit> edits;
    if (zone.state == State::Known) edits.push_back(Edit::remove("zone"));
    if (!runRegion.empty()) edits.push_back(Edit::set("region", runRegion));
    if (!type.is("SERVERLESS")) edits.push_back(Edit::set("networkEndpointType", "SERVERLESS"));
    f.help = "create it as a regional serverless NEG in the region of its Cloud Run service";
    if (runRegion.empty()) f.help += " (" + spelled(neg, ServerlessNegView::kRegion) + ")";
    if (!edits.empty()) f.help += ": " + out.fix(f, neg, std::move(edits));
    return true;
  }

  /// The path of the block's own field, or of its first known sub-field.
  static std::string blockPath(const Resource& r, std::string_view block) {
    if (r.field(block).state == State::Known) return std::string(block);
    const std::string prefix = std::string(block) + ".";
    for (const auto& [path, field] : r.fields)
      if (path.rfind(prefix, 0) == 0 && field.state == State::Known) return path;
    return std::string(block);
  }
  /// The block's own field, or its first known sub-field.
  static const Field& blockField(const Resource& r, std::string_view block) {
    return r.field(blockPath(r, block));
  }
  static bool present(const Resource& r, std::string_view block) {
    return blockField(r, block).state == State::Known;
  }
};

LBCHECK_REGISTER_RULE(NegNotServerless);

}  // namespace
}  // namespace lbcheck
