// TLS001: a regional target HTTPS proxy needs one kind of certificate, within limits.
#include "engine/chain.h"
#include "engine/rule.h"

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

class HttpsProxyCertificates : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "TLS001",
        "https-proxy-certificates",
        "A regional target HTTPS proxy has no certificate, mixes compute SSL "
        "certificates with Certificate Manager certificates, or lists more "
        "certificates than allowed.",
        Severity::Error,
        "tls",
        {Kind::TargetHttpsProxy}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& p, Reporter& out) const override {
    if (!live(p)) return;
    if (p.id.scope.type != Scope::Type::Region) return;
    if (p.field("sslCertificates").state == State::Unknown ||
        p.field("certificateManagerCertificates").state == State::Unknown)
      return;  // a whole list known only after apply
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
};

LBCHECK_REGISTER_RULE(HttpsProxyCertificates);

}  // namespace
}  // namespace lbcheck
