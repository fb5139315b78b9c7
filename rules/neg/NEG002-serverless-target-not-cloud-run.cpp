// NEG002: a serverless NEG names exactly one target, and behind a regional
// internal Application Load Balancer that target is Cloud Run.
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

struct Block {
  std::string_view path;
  std::string_view product;
};

constexpr Block kBlocks[] = {{"cloudRun", "Cloud Run"},
                             {"appEngine", "App Engine"},
                             {"cloudFunction", "Cloud Functions"},
                             {"serverlessDeployment", "a serverless deployment (API Gateway)"}};

class ServerlessTargetNotCloudRun : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG002",
                                "serverless-target-not-cloud-run",
                                "A serverless NEG does not name exactly one target, or names "
                                "something other than Cloud Run behind a regional internal "
                                "Application Load Balancer.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    std::vector<const Block*> present;
    bool unknown = false;
    for (const Block& b : kBlocks) {
      const Field& f = blockField(neg, b.path);
      if (f.state == State::Unknown) unknown = true;
      if (f.state == State::Known) present.push_back(&b);
    }
    if (unknown) return;
    if (present.size() > 1) {
      Finding& f =
          out.report(neg, fieldOf(neg, present[1]->path),
                     describe(neg) + " sets both " + name(neg, *present[0]) + " and " +
                         name(neg, *present[1]) + "; a serverless NEG takes exactly one target");
      // Behind this load balancer, Cloud Run is the target to keep.
      const Block* drop = present[0]->path == "cloudRun"   ? present[1]
                          : present[1]->path == "cloudRun" ? present[0]
                                                           : nullptr;
      if (drop) {
        f.help = "keep one target: " + out.fix(f, neg, Edit::remove(fieldOf(neg, drop->path))) +
                 " (for this load balancer, keep " + spelled(neg, fieldOf(neg, "cloudRun")) + ")";
      } else {
        f.help = "keep one target; for this load balancer, a Cloud Run service (" +
                 spelled(neg, ServerlessNegView::kCloudRun) + ")";
      }
      f.related.push_back({blockField(neg, present[0]->path).span,
                           "the other target (" + std::string(present[0]->product) + ")"});
      return;
    }
    if (present.empty()) {
      const Field& type = ServerlessNegView(neg).networkEndpointType();
      if (!type.is("SERVERLESS")) return;
      Finding& f = out.report(neg, ServerlessNegView::kNetworkEndpointType,
                              describe(neg) +
                                  " is a serverless NEG but names no target: it needs exactly "
                                  "one of " +
                                  spelled(neg, ServerlessNegView::kCloudRun) +
                                  ", App Engine, Cloud Functions or serverless deployment");
      f.help = "name the Cloud Run service in " +
               spelled(neg, ServerlessNegView::kCloudRunService) + " (or give " +
               spelled(neg, ServerlessNegView::kCloudRunUrlMask) + " a mask with <service>)";
      return;
    }
    const Block& only = *present[0];
    if (only.path == "cloudRun") return;
    const Resource* backend = internalManagedUser(g, neg);
    if (!backend) return;
    Finding& f =
        out.report(neg, fieldOf(neg, only.path),
                   describe(neg) + " targets " + std::string(only.product) + " (" +
                       name(neg, only) + ") but backs INTERNAL_MANAGED " + describe(*backend) +
                       "; behind a regional internal Application Load Balancer a "
                       "serverless NEG can only target Cloud Run");
    f.help = "point the NEG at a Cloud Run service instead: " +
             out.fix(f, neg, Edit::remove(fieldOf(neg, only.path))) + ", and name the service in " +
             spelled(neg, ServerlessNegView::kCloudRunService) +
             " (Cloud Run functions are Cloud Run services too)";
    f.related.push_back({backend->header, "used as a backend of " + describe(*backend)});
  }

 private:
  static std::string name(const Resource& r, const Block& b) { return spelled(r, b.path); }
  /// The block's own field, or its first sub-field that is known (or unknown).
  static const Field& blockField(const Resource& r, std::string_view block) {
    const Field& f = r.field(block);
    if (f.state != State::Absent) return f;
    const std::string prefix = std::string(block) + ".";
    for (const auto& [path, field] : r.fields)
      if (path.rfind(prefix, 0) == 0 && field.state != State::Absent) return field;
    return f;
  }
  static std::string fieldOf(const Resource& r, std::string_view block) {
    if (r.field(block).state == State::Known) return std::string(block);
    const std::string prefix = std::string(block) + ".";
    for (const auto& [path, field] : r.fields)
      if (path.rfind(prefix, 0) == 0 && field.state == State::Known) return path;
    return std::string(block);
  }
  /// A live INTERNAL_MANAGED regional backend service that uses `neg`, if any.
  static const Resource* internalManagedUser(const Graph& g, const Resource& neg) {
    for (const auto& ref : g.referrers(g.indexOf(neg))) {
      if (ref.prior) continue;
      const Resource& r = g.at(ref.resource);
      if (r.id.kind == Kind::BackendService && live(r) && r.id.scope.regional() &&
          r.field("loadBalancingScheme").is("INTERNAL_MANAGED"))
        return &r;
    }
    return nullptr;
  }
};

LBCHECK_REGISTER_RULE(ServerlessTargetNotCloudRun);

}  // namespace
}  // namespace lbcheck
