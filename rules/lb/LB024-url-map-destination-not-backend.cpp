// LB024: a URL map routes to backend services and backend buckets only; a Cloud
// Run URL, a Cloud Run service or a NEG in their place is rejected by the API.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

constexpr std::string_view kRefs[] = {
    "defaultService",
    "defaultRouteAction.weightedBackendServices[*].backendService",
    "defaultRouteAction.requestMirrorPolicy.backendService",
    "pathMatchers[*].defaultService",
    "pathMatchers[*].defaultRouteAction.weightedBackendServices[*].backendService",
    "pathMatchers[*].pathRules[*].service",
    "pathMatchers[*].pathRules[*].routeAction.weightedBackendServices[*].backendService",
    "pathMatchers[*].routeRules[*].service",
    "pathMatchers[*].routeRules[*].routeAction.weightedBackendServices[*].backendService",
};

class UrlMapDestinationNotBackend : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB024",
                                "url-map-destination-not-backend",
                                "A URL map routes to something other than a backend service or "
                                "backend bucket: a Cloud Run URL or service, or a network "
                                "endpoint group.",
                                Severity::Error,
                                "lb",
                                {Kind::UrlMap}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& map, Reporter& out) const override {
    if (!live(map)) return;
    for (std::string_view pattern : kRefs)
      forEachField(map, pattern, [&](const std::string& path, const Field& f) {
        checkRef(g, map, path, f, out);
      });
  }

 private:
  static void checkRef(const Graph& g, const Resource& map, const std::string& path, const Field& f,
                       Reporter& out) {
    std::string what;
    const Resource* t = g.target(f);
    const auto id = refIdentity(g, f);
    if (id && (id->kind == Kind::RunService || id->kind == Kind::NetworkEndpointGroup)) {
      what = t ? describe(*t) : std::string(kindLabel(id->kind)) + " " + q(id->name);
    } else if (f.state == State::Known && !f.ref->present() &&
               f.text.find(".run.app") != std::string::npos) {
      what = "the Cloud Run URL " + q(f.text);
    } else {
      return;
    }
    Finding& finding = out.report(
        map, path,
        spelled(map, path) + " of " + describe(map) + " names " + what +
            "; a URL map routes to backend services and backend buckets only, so the API "
            "rejects it");
    finding.help =
        "put the Cloud Run service behind a serverless NEG, the NEG into a backend service, and "
        "name the backend service here";
    if (t) finding.related.push_back({t->header, describe(*t) + " is defined here"});
  }
};

LBCHECK_REGISTER_RULE(UrlMapDestinationNotBackend);

}  // namespace
}  // namespace lbcheck
