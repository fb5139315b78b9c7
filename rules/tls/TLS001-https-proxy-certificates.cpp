// TLS001: a regional target HTTPS proxy needs one kind of certificate, within limits.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"

namespace lbcheck {
namespace {

constexpr size_t kMaxSslCertificates = 15;
constexpr size_t kMaxCertManagerCertificates = 100;

/// How the source spells a list: its first element's spelling without "[0]",
/// else the input's name for it.
std::string listName(const Resource& r, std::string_view path) {
  std::string s = r.field(std::string(path) + "[0]").spelling;
  if (s.size() > 3 && s.substr(s.size() - 3) == "[0]") return q(s.substr(0, s.size() - 3));
  return spelled(r, path);
}

/// A compute certificate that Google manages (TLS004 reports those).
bool googleManaged(const Resource& c) {
  return c.id.kind == Kind::SslCertificate &&
         (c.field("type").is("MANAGED") || c.listSize("managed.domains") > 0);
}

/// Every compute certificate the proxy lists is in the inputs and Google-managed.
bool allGoogleManaged(const Graph& g, const Resource& p) {
  bool all = true;
  forEachField(p, "sslCertificates[*]", [&](const std::string& /*path*/, const Field& f) {
    const Resource* c = g.target(f);
    if (!c || !googleManaged(*c)) all = false;
  });
  return all;
}

class HttpsProxyCertificates : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "TLS001",
        "https-proxy-certificates",
        "A regional or cross-region internal target HTTPS proxy has no certificate, "
        "a target HTTPS proxy mixes compute SSL certificates with Certificate Manager "
        "certificates, lists more certificates than allowed, or lists a kind of "
        "certificate its load balancer type does not take.",
        Severity::Error,
        "tls",
        {Kind::TargetHttpsProxy}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& p, Reporter& out) const override {
    if (!live(p)) return;
    if (p.field("sslCertificates").state == State::Unknown ||
        p.field("certificateManagerCertificates").state == State::Unknown)
      return;  // a whole list known only after apply
    if (p.id.scope.type != Scope::Type::Region) {
      checkGlobal(g, p, out);
      return;
    }
    const size_t ssl = p.listSize("sslCertificates");
    const size_t cm = p.listSize("certificateManagerCertificates");
    const std::string sslName = listName(p, "sslCertificates");
    const std::string cmName = listName(p, "certificateManagerCertificates");
    if (ssl == 0 && cm == 0) {
      if (p.field("certificateMap").state != State::Absent) return;  // TLS002
      Finding& f = out.report(
          p, "",
          describe(p) + " has no certificate: neither " + sslName + " nor " + cmName + " is set");
      f.help =
          "reference at least one regional SSL certificate (or regional Certificate "
          "Manager certificate) in " +
          sslName + " (or " + cmName + ")";
      return;
    }
    if (ssl > 0 && cm > 0) {
      // Point at whichever list has a value of its own (plans often know only one).
      const bool cmKnown = p.field("certificateManagerCertificates[0]").state == State::Known;
      const bool sslKnown = p.field("sslCertificates[0]").state == State::Known;
      const bool atSsl = sslKnown && !cmKnown;
      Finding& f = out.report(
          p, atSsl ? "sslCertificates[0]" : "certificateManagerCertificates[0]",
          describe(p) + " sets both " + sslName + " and " + cmName +
              "; a target HTTPS proxy takes compute SSL certificates or Certificate Manager "
              "certificates, not both");
      f.help =
          "keep one kind: move every certificate to Certificate Manager, or list only "
          "compute SSL certificates";
      const Field& other =
          p.field(atSsl ? "certificateManagerCertificates[0]" : "sslCertificates[0]");
      f.related.push_back({other.span.valid() ? other.span : p.header,
                           atSsl ? "Certificate Manager certificates are listed here"
                                 : "compute SSL certificates are listed here"});
    }
    if (ssl > kMaxSslCertificates) {
      Finding& f = out.report(p, "sslCertificates[" + std::to_string(kMaxSslCertificates) + "]",
                              describe(p) + " lists " + std::to_string(ssl) +
                                  " compute SSL certificates in " + sslName +
                                  "; a target HTTPS proxy accepts at most " +
                                  std::to_string(kMaxSslCertificates));
      f.help =
          "serve more host names with fewer certificates (several SANs per certificate), "
          "or move to Certificate Manager certificates";
    }
    if (cm > kMaxCertManagerCertificates) {
      Finding& f = out.report(
          p, "certificateManagerCertificates[" + std::to_string(kMaxCertManagerCertificates) + "]",
          describe(p) + " lists " + std::to_string(cm) + " Certificate Manager certificates in " +
              cmName + "; a target HTTPS proxy accepts at most " +
              std::to_string(kMaxCertManagerCertificates));
      f.help = "serve more host names with fewer certificates (several SANs per certificate)";
    }
  }

 private:
  /// A global proxy: the cross-region internal load balancer takes Certificate
  /// Manager certificates only; the global external and classic ones take
  /// Certificate Manager certificates only through a certificate map.
  static void checkGlobal(const Graph& g, const Resource& p, Reporter& out) {
    const LbType type = typeServing(g, p);
    const size_t ssl = p.listSize("sslCertificates");
    const size_t cm = p.listSize("certificateManagerCertificates");
    const std::string sslName = listName(p, "sslCertificates");
    const std::string cmName = listName(p, "certificateManagerCertificates");
    if (type == LbType::CrossRegionInternal) {
      if (ssl > 0) {
        if (allGoogleManaged(g, p)) return;  // TLS004
        Finding& f = out.report(
            p, "sslCertificates[0]",
            describe(p) + " serves a " + std::string(lbTypeName(type)) +
                " but lists compute SSL certificates in " + sslName +
                "; a cross-region internal Application Load Balancer takes only Certificate "
                "Manager certificates (location global, scope ALL_REGIONS)");
        f.help =
            "create a Certificate Manager certificate with location global and scope "
            "ALL_REGIONS and list it in " +
            cmName + " instead of the compute SSL certificates";
        return;
      }
      if (cm == 0 && p.field("certificateMap").state == State::Absent) {
        Finding& f = out.report(p, "",
                                describe(p) + " serves a " + std::string(lbTypeName(type)) +
                                    " but has no certificate: " + cmName + " is not set");
        f.help =
            "list at least one Certificate Manager certificate (location global, scope "
            "ALL_REGIONS) in " +
            cmName;
      }
      return;
    }
    if (type != LbType::GlobalExternal && type != LbType::Classic) return;
    if (cm == 0) return;
    std::string message = describe(p) + " serves a " + std::string(lbTypeName(type)) +
                          " but lists Certificate Manager certificates directly in " + cmName +
                          "; this load balancer takes Certificate Manager certificates only "
                          "through a certificate map (direct references are for internal "
                          "load balancers)";
    const Field& first = p.field("certificateManagerCertificates[0]");
    const Resource* cert = g.target(first);
    if (cert && cert->field("scope").is("ALL_REGIONS"))
      message += ", and " + describe(*cert) +
                 " has scope ALL_REGIONS, which serves cross-region internal load balancers";
    Finding& f = out.report(p, "certificateManagerCertificates[0]", message);
    f.help =
        "put certificates of scope DEFAULT in a certificate map (map entries for the host "
        "names) and reference it in " +
        spelled(p, "certificateMap") + " instead of " + cmName;
    if (cert) {
      const Field& scope = cert->field("scope");
      f.related.push_back(
          {scope.span.valid() && scope.state == State::Known ? scope.span : cert->header,
           describe(*cert) + (cert->field("scope").is("ALL_REGIONS") ? " has scope ALL_REGIONS"
                                                                     : " is defined here")});
    }
  }
};

LBCHECK_REGISTER_RULE(HttpsProxyCertificates);

}  // namespace
}  // namespace lbcheck
