// LB027: a backend service of an Application Load Balancer that no URL map
// routes to: paid for, serving nothing. Typically the second region's backend
// service of a module whose generated URL map only names the first.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

class UnroutedBackendService : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB027",
                                "unrouted-backend-service",
                                "A backend service with a serverless NEG is used by no URL map, "
                                "although the inputs hold URL maps of its scope.",
                                Severity::Warning,
                                "lb",
                                {Kind::BackendService}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs) || bs.partial || !bs.id.scope.known()) return;
    // Application Load Balancer backend services only (their own scheme and scope).
    const std::string scheme = effectiveScheme(bs);
    if (scheme != "EXTERNAL_MANAGED" && scheme != "INTERNAL_MANAGED" && scheme != "EXTERNAL")
      return;
    if (scheme == "EXTERNAL") {
      // Classic backend services also serve proxy Network Load Balancers (TCP, SSL).
      const Field& protocol = BackendServiceView(bs).protocol();
      if (protocol.known() && protocol.text != "HTTP" && protocol.text != "HTTPS" &&
          protocol.text != "HTTP2")
        return;
    }
    // Serverless backends only: other backend services also serve as callouts of
    // service extensions, which no URL map names.
    if (!backends::firstServerless(backends::of(g, bs))) return;
    // Anything that names it (a URL map, a proxy, a forwarding rule, a plan's
    // prior): it is used, or not ours to judge.
    if (!g.referrers(g.indexOf(bs)).empty()) return;
    // A URL map of its scope and project, from the same input document, that
    // could have named it; without one the map may live elsewhere.
    const Resource* sibling = nullptr;
    for (int32_t i : g.ofKind(Kind::UrlMap)) {
      const Resource& m = g.at(i);
      if (!live(m) || m.document != bs.document || !(m.id.scope == bs.id.scope)) continue;
      if (!m.id.project.empty() && !bs.id.project.empty() && m.id.project != bs.id.project)
        continue;
      bool routesToOurType = false;
      forEachServiceRef(m, [&](const std::string&, const Field& f) {
        const Resource* t = g.target(f);
        routesToOurType = routesToOurType || (t && effectiveScheme(*t) == scheme);
      });
      if (routesToOurType) {
        sibling = &m;
        break;
      }
    }
    if (!sibling) return;
    const LbType type = lbTypeFor(scheme, bs.id.scope.type == Scope::Type::Global);
    Finding& f =
        out.report(bs, "",
                   describe(bs) + " is a backend service of a " + std::string(lbTypeName(type)) +
                       ", but no URL map routes to it (" + describe(*sibling) +
                       " of the same scope does not name it): it serves no request");
    f.help =
        "route a host or path to it in the URL map (default service, path rule, route "
        "rule or weighted backend), or delete it";
    f.related.push_back({sibling->header, describe(*sibling) + " routes elsewhere"});
  }
};

LBCHECK_REGISTER_RULE(UnroutedBackendService);

}  // namespace
}  // namespace lbcheck
