// LB012: a backend service, its serverless NEG and the NEG's Cloud Run service
// share one project.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class BackendProjectSplit : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB012",
                                "backend-project-split",
                                "A backend service, its serverless NEG and the NEG's Cloud Run "
                                "service are not all in the same project.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService, Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    if (!live(r) || r.id.project.empty()) return;
    if (r.id.kind == Kind::BackendService) {
      forEachField(r, "backends[*].group", [&](const std::string& path, const Field& f) {
        const Resource* neg = g.target(f);
        if (neg && !serverless(*neg)) return;
        if (!neg && !looksServerless(f)) return;
        checkLink(g, r, path, f, out);
      });
    } else if (r.id.kind == Kind::NetworkEndpointGroup) {
      const Field& f = ServerlessNegView(r).cloudRunService();
      if (f.ref->present()) checkLink(g, r, ServerlessNegView::kCloudRunService, f, out);
    }
  }

 private:
  static bool serverless(const Resource& neg) {
    const ServerlessNegView view(neg);
    return view.networkEndpointType().is("SERVERLESS") || view.cloudRun().known() ||
           view.cloudRunService().state != State::Absent ||
           view.cloudRunUrlMask().state != State::Absent;
  }

  /// An unresolved NEG link: only regional NEGs can be serverless.
  static bool looksServerless(const Field& f) {
    return f.ref->identity && f.ref->identity->kind == Kind::NetworkEndpointGroup &&
           f.ref->identity->scope.type == Scope::Type::Region;
  }

  static void checkLink(const Graph& g, const Resource& r, const std::string& path, const Field& f,
                        Reporter& out) {
    const Resource* t = g.target(f);
    if (t && !live(*t)) return;
    // The project the other end is in: the resolved resource's, or the one the link names.
    std::string theirs;
    if (t) {
      theirs = t->id.project;
    } else if (f.state == State::Known && f.ref->identity) {
      theirs = f.ref->identity->project;
    }
    if (theirs.empty() || theirs == r.id.project) return;
    const std::string other =
        t ? describe(*t)
          : std::string(kindLabel(f.ref->identity->kind)) + " " + q(f.ref->identity->name);
    Finding& finding =
        out.report(r, path,
                   describe(r) + " is in project " + q(r.id.project) + " but its " +
                       spelled(r, path) + " points at " + other + " in project " + q(theirs));
    finding.help =
        r.id.kind == Kind::BackendService
            ? "create the serverless NEG in the backend service's project (and the Cloud Run "
              "service with it); only the forwarding rule, target proxy and URL map may live in "
              "another project (Shared VPC cross-project service referencing)"
            : "create the serverless NEG in the Cloud Run service's project: a serverless NEG "
              "only reaches a service in its own project";
    if (t) finding.related.push_back({t->header, describe(*t) + " is in project " + q(theirs)});
  }
};

LBCHECK_REGISTER_RULE(BackendProjectSplit);

}  // namespace
}  // namespace lbcheck
