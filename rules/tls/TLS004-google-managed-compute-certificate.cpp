// TLS004: regional load balancers take Google-managed certificates only from
// Certificate Manager; regional compute SSL certificates are self-managed.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"

namespace lbcheck {
namespace {

bool googleManaged(const Resource& c) {
  return c.field("type").is("MANAGED") || c.listSize("managed.domains") > 0;
}

/// Where to point for "this certificate is Google-managed".
std::string managedPath(const Resource& c) {
  if (c.field("type").is("MANAGED") && c.field("type").state == State::Known) return "type";
  return "managed.domains[0]";
}

class GoogleManagedComputeCertificate : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS004",
                                "google-managed-compute-certificate",
                                "A Google-managed compute SSL certificate is regional or is used "
                                "by a regional or cross-region internal target HTTPS proxy; "
                                "those load balancers take Google-managed certificates only "
                                "from Certificate Manager.",
                                Severity::Error,
                                "tls",
                                {Kind::SslCertificate}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& c, Reporter& out) const override {
    if (!live(c) || !googleManaged(c)) return;
    const std::string path = managedPath(c);
    if (c.id.scope.type == Scope::Type::Region) {
      Finding& f = out.report(c, path,
                              describe(c) +
                                  " is a regional SSL certificate of type MANAGED; "
                                  "regional compute SSL certificates can only be "
                                  "self-managed");
      f.help = help(c.id.scope.name, spelled(c, "certificateManagerCertificates"));
      return;
    }
    for (const auto& ref : g.referrers(g.indexOf(c))) {
      if (ref.prior) continue;
      const Resource& p = g.at(ref.resource);
      if (p.id.kind != Kind::TargetHttpsProxy || !live(p)) continue;
      const bool regional = p.id.scope.type == Scope::Type::Region;
      if (!regional && typeServing(g, p) != LbType::CrossRegionInternal) continue;
      Finding& f = out.report(
          p, ref.path,
          (regional ? "regional " + describe(p)
                    : describe(p) + " of a cross-region internal Application Load Balancer") +
              " uses Google-managed " + describe(c) + " in " + spelled(p, ref.path) +
              "; Google-managed compute certificates only serve global external and classic "
              "Application Load Balancers");
      f.help = regional ? help(p.id.scope.name, spelled(p, "certificateManagerCertificates"))
                        : "create a Google-managed Certificate Manager certificate in location "
                          "global with scope ALL_REGIONS (its managed domains with DNS "
                          "authorizations) and list it in the proxy's " +
                              spelled(p, "certificateManagerCertificates") +
                              " instead of the compute certificate";
      const Field& m = c.field(path);
      f.related.push_back({m.span.valid() && m.state == State::Known ? m.span : c.header,
                           describe(c) + " is Google-managed"});
    }
  }

 private:
  /// `list`: how the input names the proxy's list of Certificate Manager certificates.
  static std::string help(const std::string& region, const std::string& list) {
    return "create a Google-managed Certificate Manager certificate in location " + region +
           " (its managed domains with DNS authorizations) and list it in the proxy's " + list +
           ", or upload a self-managed regional SSL certificate";
  }
};

LBCHECK_REGISTER_RULE(GoogleManagedComputeCertificate);

}  // namespace
}  // namespace lbcheck
