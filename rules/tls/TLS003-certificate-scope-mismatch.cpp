// TLS003: a regional proxy takes regional certificates and a regional SSL policy.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"

namespace lbcheck {
namespace {

bool isGlobal(const Scope& s) {
  return s.type == Scope::Type::Global || (s.type == Scope::Type::Location && s.name == "global");
}

/// A compute certificate that Google manages (TLS004 reports those).
bool googleManaged(const Resource& c) {
  return c.id.kind == Kind::SslCertificate &&
         (c.field("type").is("MANAGED") || c.listSize("managed.domains") > 0);
}

class CertificateScopeMismatch : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS003",
                                "certificate-scope-mismatch",
                                "A regional target HTTPS proxy references a global certificate or "
                                "SSL policy, or a Certificate Manager certificate of another "
                                "region; a cross-region internal one a Certificate Manager "
                                "certificate that is not global with scope ALL_REGIONS.",
                                Severity::Error,
                                "tls",
                                {Kind::TargetHttpsProxy},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& p, Reporter& out) const override {
    if (!live(p)) return;
    if (p.id.scope.type != Scope::Type::Region) {
      if (typeServing(g, p) != LbType::CrossRegionInternal) return;
      forEachField(
          p, "certificateManagerCertificates[*]",
          [&](const std::string& path, const Field& f) { checkCrossRegion(g, p, path, f, out); });
      return;
    }
    for (const char* pattern :
         {"sslCertificates[*]", "sslPolicy", "certificateManagerCertificates[*]"}) {
      forEachField(p, pattern,
                   [&](const std::string& path, const Field& f) { checkRef(g, p, path, f, out); });
    }
  }

 private:
  /// A cross-region internal load balancer serves from every region: its
  /// Certificate Manager certificates are global with scope ALL_REGIONS.
  static void checkCrossRegion(const Graph& g, const Resource& p, const std::string& path,
                               const Field& f, Reporter& out) {
    if (f.state == State::Unknown && !f.ref->present()) return;
    const Resource* t = g.target(f);
    if (t && !live(*t)) return;
    const auto id = refIdentity(g, f);
    if (!id || id->kind != Kind::CertificateManagerCertificate) return;
    const std::string what =
        t ? describe(*t) : std::string(kindLabel(id->kind)) + " " + q(id->name);
    const std::string name = spelled(p, path);
    const std::string head = describe(p) +
                             " serves a cross-region internal Application Load Balancer but its " +
                             name + " points at " + what;
    if (id->scope.known() && !isGlobal(id->scope)) {
      Finding& finding = out.report(p, path,
                                    head + " in " + id->scope.name +
                                        "; that load balancer takes global certificates with "
                                        "scope ALL_REGIONS");
      finding.help = scopeHelp(finding, t, out);
      if (t) finding.related.push_back({t->header, what + " is in " + id->scope.name});
      return;
    }
    if (!t) return;  // the scope is not in the link text
    const Field& scope = t->field("scope");
    if (scope.state == State::Unknown || scope.is("ALL_REGIONS")) return;
    const std::string value = scope.state == State::Absent ? "DEFAULT" : scope.text;
    Finding& finding = out.report(
        p, path,
        head + " of scope " + value + (scope.state == State::Absent ? " (not set)" : "") +
            "; a cross-region internal Application Load Balancer takes only "
            "certificates of scope ALL_REGIONS (served from all Google Cloud regions; "
            "DEFAULT ones are served from Google's core data centers)");
    finding.help = scopeHelp(finding, t, out);
    finding.related.push_back(
        {scope.span.valid() && scope.state == State::Known ? scope.span : t->header,
         what + " has scope " + value});
  }

  static std::string scopeHelp(Finding& finding, const Resource* cert, const Reporter& out) {
    if (!cert)
      return "create the Certificate Manager certificate in location global with scope "
             "ALL_REGIONS";
    return out.fix(finding, *cert, Edit::set("scope", "ALL_REGIONS")) + " on " + describe(*cert) +
           (isGlobal(cert->id.scope) ? std::string() : " in location global") +
           " (the scope cannot be changed in place: the certificate is re-created)";
  }

  /// Put the Certificate Manager certificate in `region`: an edit of the
  /// certificate when it is in the inputs, else prose.
  static std::string locationHelp(Finding& finding, const Resource* cert, const std::string& region,
                                  std::string_view why, const Reporter& out) {
    if (!cert)
      return "create the Certificate Manager certificate in location " + region + std::string(why);
    return out.fix(finding, *cert, Edit::set("location", region)) + " on " + describe(*cert) +
           std::string(why) +
           " (the location cannot be changed in place: the certificate is "
           "re-created)";
  }

  static void checkRef(const Graph& g, const Resource& p, const std::string& path, const Field& f,
                       Reporter& out) {
    if (f.state == State::Unknown && !f.ref->present()) return;
    const Resource* t = g.target(f);
    if (t && !live(*t)) return;
    const auto id = refIdentity(g, f);
    if (!id || !id->scope.known()) return;
    if (t && googleManaged(*t)) return;  // TLS004 says more
    const std::string what =
        t ? describe(*t) : std::string(kindLabel(id->kind)) + " " + q(id->name);
    const std::string name = spelled(p, path);
    const std::string& region = p.id.scope.name;
    if (isGlobal(id->scope)) {
      std::string message = describe(p) + " is regional (" + p.id.scope.name + ") but its " + name +
                            " points at global " + what;
      Finding& finding = out.report(p, path, message);
      switch (id->kind) {
        case Kind::SslPolicy:
          finding.help = "create a regional SSL policy in " + region + " and reference it in " +
                         name + " instead";
          break;
        case Kind::CertificateManagerCertificate:
          finding.help = locationHelp(finding, t, region, " (regional), not global", out);
          break;
        default:
          finding.help = "upload the certificate as a regional SSL certificate in " + region +
                         " and reference it in " + name + " instead";
      }
      if (t) finding.related.push_back({t->header, what + " is global"});
      return;
    }
    // A regional certificate or policy in another region: LB001 reports compute
    // certificates and SSL policies; Certificate Manager certificates are ours.
    if (id->kind != Kind::CertificateManagerCertificate) return;
    if (!id->scope.regional() || id->scope.name == p.id.scope.name) return;
    Finding& finding = out.report(p, path,
                                  describe(p) + " is in " + p.id.scope.name + " but its " + name +
                                      " points at " + what + " in " + id->scope.name);
    finding.severity = Severity::Warning;  // the exact-region requirement is inferred
    finding.help = locationHelp(finding, t, region, ", the load balancer's region", out);
    if (t) {
      const Field& loc = t->field("location");
      finding.related.push_back(
          {loc.span.valid() && loc.state == State::Known ? loc.span : t->header,
           what + " is in " + id->scope.name});
    }
  }
};

LBCHECK_REGISTER_RULE(CertificateScopeMismatch);

}  // namespace
}  // namespace lbcheck
