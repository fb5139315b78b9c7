// TLS004: regional load balancers take Google-managed certificates only from
// Certificate Manager; regional compute SSL certificates are self-managed.
#include "engine/chain.h"
#include "engine/rule.h"

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
    static const RuleInfo kInfo{"TLS004", "google-managed-compute-certificate",
                                "A Google-managed compute SSL certificate is regional or is used "
                                "by a regional target HTTPS proxy; regional load balancers take "
                                "Google-managed certificates only from Certificate Manager.",
                                Severity::Error, "tls"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& c : g.resources()) {
      if (c.id.kind != Kind::SslCertificate || !live(c) || !googleManaged(c)) continue;
      const std::string path = managedPath(c);
      if (c.id.scope.type == Scope::Type::Region) {
        Finding& f = out.report(c, path,
                                describe(c) +
                                    " is a regional SSL certificate of type MANAGED; "
                                    "regional compute SSL certificates can only be "
                                    "self-managed");
        f.help = help(c, c.id.scope.name);
        continue;
      }
      for (const auto& ref : g.referrers(g.indexOf(c))) {
        if (ref.prior) continue;
        const Resource& p = g.at(ref.resource);
        if (p.id.kind != Kind::TargetHttpsProxy || !live(p)) continue;
        if (p.id.scope.type != Scope::Type::Region) continue;
        Finding& f = out.report(p, ref.path,
                                "regional " + describe(p) + " uses Google-managed " + describe(c) +
                                    " in " + spelled(p, ref.path, ref.path) +
                                    "; Google-managed compute certificates only serve global load "
                                    "balancers");
        f.help = help(p, p.id.scope.name);
        const Field& m = c.field(path);
        f.related.push_back({m.span.valid() && m.state == State::Known ? m.span : c.header,
                             describe(c) + " is Google-managed"});
      }
    }
  }

 private:
  static std::string help(const Resource& r, const std::string& region) {
    if (fromTerraform(r))
      return "create a google_certificate_manager_certificate with location = \"" + region +
             "\" and a managed { domains, dns_authorizations } block, and list it in the "
             "proxy's certificate_manager_certificates (or upload a self-managed "
             "google_compute_region_ssl_certificate)";
    return "create a regional Google-managed certificate with Certificate Manager "
           "(gcloud certificate-manager certificates create --location=" +
           region +
           " --domains=... --dns-authorizations=...) and reference it from the proxy, or upload "
           "a self-managed regional SSL certificate";
  }
};

LBCHECK_REGISTER_RULE(GoogleManagedComputeCertificate);

}  // namespace
}  // namespace lbcheck
