// TLS005: an uploaded certificate chain holds at most five certificates.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

constexpr size_t kMaxChain = 5;

size_t countCertificates(std::string_view pem) {
  static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  size_t n = 0;
  for (size_t at = pem.find(kBegin); at != std::string_view::npos;
       at = pem.find(kBegin, at + kBegin.size()))
    ++n;
  return n;
}

class CertificateChainTooLong : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS005",
                                "certificate-chain-too-long",
                                "An uploaded certificate holds more than five PEM certificates.",
                                Severity::Error,
                                "tls",
                                {Kind::SslCertificate, Kind::CertificateManagerCertificate}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& c, Reporter& out) const override {
    if (!live(c)) return;
    const char* path = c.id.kind == Kind::SslCertificate ? "certificate"
                       : c.id.kind == Kind::CertificateManagerCertificate
                           ? "selfManaged.pemCertificate"
                           : nullptr;
    if (!path) return;
    const Field& pem = c.field(path);
    if (pem.state != State::Known || pem.sensitive) return;  // redacted: cannot count
    const size_t n = countCertificates(pem.text);
    if (n <= kMaxChain) return;
    Finding& f =
        out.report(c, path,
                   spelled(c, path) + " of " + describe(c) + " holds " + std::to_string(n) +
                       " PEM certificates; an uploaded certificate chain may hold at "
                       "most five");
    f.help =
        "upload the leaf certificate followed by its intermediates only (at most five in "
        "all); leave the root CA out";
  }
};

LBCHECK_REGISTER_RULE(CertificateChainTooLong);

}  // namespace
}  // namespace lbcheck
