// NEG010: API Gateway (a serverless NEG's serverlessDeployment) is supported
// behind the global external and the classic Application Load Balancer only.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class ServerlessTargetNotSupportedByType : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG010",
                                "serverless-target-not-supported-by-type",
                                "A serverless NEG targets a serverless platform that the type of "
                                "its load balancer does not support (API Gateway behind anything "
                                "but a global external or classic Application Load Balancer).",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    std::string path;
    for (const char* p :
         {"serverlessDeployment", "serverlessDeployment.platform", "serverlessDeployment.resource"})
      if (path.empty() && neg.field(p).state == State::Known) path = p;
    if (path.empty()) return;
    // Two targets at once are NEG002's.
    if (neg.field(ServerlessNegView::kCloudRun).state == State::Known ||
        neg.field(ServerlessNegView::kCloudRunService).state == State::Known)
      return;
    for (const auto& ref : g.referrers(g.indexOf(neg))) {
      if (ref.prior) continue;
      const Resource& bs = g.at(ref.resource);
      if (bs.id.kind != Kind::BackendService || !live(bs)) continue;
      const std::vector<LbChain> chains = chainsServing(g, bs);
      for (const LbChain& c : chains) {
        if (c.type == LbType::Unknown || c.type == LbType::Mixed ||
            c.type == LbType::GlobalExternal || c.type == LbType::Classic)
          continue;
        // The regional internal ALB takes Cloud Run only: NEG002 says so.
        if (c.type == LbType::RegionalInternal) continue;
        Finding& f = out.report(neg, path,
                                describe(neg) + " targets API Gateway (" + spelled(neg, path) +
                                    ") and backs " + describe(bs) + " of " + describeLb(c) +
                                    "; API Gateway is supported behind the global external and "
                                    "the classic Application Load Balancer only");
        f.help =
            "put the gateway behind a global external Application Load Balancer "
            "(EXTERNAL_MANAGED, global resources), or point this NEG at a Cloud Run service";
        f.related.push_back({bs.header, "used as a backend of " + describe(bs)});
        return;
      }
    }
  }
};

LBCHECK_REGISTER_RULE(ServerlessTargetNotSupportedByType);

}  // namespace
}  // namespace lbcheck
