// NEG005: the Cloud Run service (and tag) a serverless NEG names must exist in
// the NEG's own project and region.
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class CloudRunTargetNotFound : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG005",
                                "cloud-run-target-not-found",
                                "The Cloud Run service or tag that a serverless NEG names does "
                                "not exist in the NEG's project and region.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    const Field& service = ServerlessNegView(neg).cloudRunService();
    if (service.state != State::Known) return;
    const std::string svcName = spelled(neg, ServerlessNegView::kCloudRunService);
    const Resource* run = g.target(service);
    if (!run || run->id.kind != Kind::RunService || !live(*run)) {
      if (run) return;  // deleted or merged: other rules speak about that
      Finding& f =
          out.report(neg, ServerlessNegView::kCloudRunService,
                     "cannot verify that Cloud Run service " + q(service.text) + " named by " +
                         svcName + " of " + describe(neg) + " exists: it is not in the inputs");
      f.severity = Severity::Note;
      f.help = "add the Cloud Run service's configuration to the inputs so lbcheck can check it";
      return;
    }
    const bool otherRegion =
        neg.id.scope.known() && run->id.scope.known() && neg.id.scope.name != run->id.scope.name;
    // A project number (Cloud Run names may carry one) cannot be compared with an id.
    const bool otherProject = comparableProject(neg.id.project) &&
                              comparableProject(run->id.project) &&
                              neg.id.project != run->id.project;
    if (otherRegion || otherProject) {
      std::string where = otherRegion ? "region " + neg.id.scope.name : "";
      if (otherProject)
        where += (where.empty() ? "" : ", ") + std::string("project ") + neg.id.project;
      std::string there = otherRegion ? run->id.scope.name : "";
      if (otherProject) there += (there.empty() ? "" : ", project ") + run->id.project;
      Finding& f = out.report(neg, ServerlessNegView::kCloudRunService,
                              svcName + " of " + describe(neg) + " names " + q(service.text) +
                                  ", but there is no such Cloud Run service in the NEG's " + where +
                                  "; the one in the inputs is in " + there);
      f.help =
          "a serverless NEG only reaches Cloud Run services in its own project and region: "
          "create the NEG next to the service (or deploy the service in the NEG's region)";
      const Field& loc = run->regionField();
      f.related.push_back({loc.span.valid() && loc.state == State::Known ? loc.span : run->header,
                           describe(*run) + " is in " + run->id.scope.name});
      return;
    }
    checkTag(neg, *run, out);
  }

 private:
  static bool comparableProject(const std::string& p) {
    return !p.empty() && p.find_first_not_of("0123456789") != std::string::npos;
  }
  static void checkTag(const Resource& neg, const Resource& run, Reporter& out) {
    const Field& tag = ServerlessNegView(neg).cloudRunTag();
    if (tag.state != State::Known) return;
    std::set<std::string> tags;
    bool unknown = RunServiceView(run).traffic().field().state == State::Unknown;
    forEachField(run, "traffic[*].tag", [&](const std::string&, const Field& f) {
      if (f.state == State::Unknown) unknown = true;
      if (f.state == State::Known) tags.insert(f.text);
    });
    if (unknown || tags.count(tag.text)) return;
    Finding& f = out.report(neg, ServerlessNegView::kCloudRunTag,
                            spelled(neg, ServerlessNegView::kCloudRunTag) + " of " + describe(neg) +
                                " is " + q(tag.text) + ", but no traffic entry of " +
                                describe(run) + " carries that tag");
    f.severity = Severity::Warning;  // [inferred]: tags name traffic-tagged revisions
    f.help = "tag a revision of the service with " + q(tag.text) +
             " (a traffic entry with that tag), or fix the NEG's tag";
    f.related.push_back({run.header, "the service's traffic has no tag " + q(tag.text)});
  }
};

LBCHECK_REGISTER_RULE(CloudRunTargetNotFound);

}  // namespace
}  // namespace lbcheck
