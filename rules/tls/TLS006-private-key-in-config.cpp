// TLS006: private keys written into the configuration (or carried by a plan file).
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

class PrivateKeyInConfig : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS006",
                                "private-key-in-config",
                                "A certificate's private key is written into the configuration or "
                                "carried by the plan file.",
                                Severity::Warning,
                                "tls",
                                {Kind::SslCertificate, Kind::CertificateManagerCertificate},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& c, Reporter& out) const override {
    if (!live(c)) return;
    const char* path = c.id.kind == Kind::SslCertificate ? "privateKey"
                       : c.id.kind == Kind::CertificateManagerCertificate
                           ? "selfManaged.pemPrivateKey"
                           : nullptr;
    if (!path) return;
    const Field& key = c.field(path);
    // Known only: a key produced at apply time (Unknown) is not in this file.
    if (key.state != State::Known || key.text.empty()) return;
    const std::string name = spelled(c, path);
    std::string message;
    if (c.lifecycle != Lifecycle::Static) {
      // A planned change: the plan file itself carries the value.
      message = "this plan carries the private key of " + describe(c) + " (" + name +
                ") in clear text: terraform show -json prints sensitive values, and the "
                "state stores the key too";
    } else if (dialectOf(c).document() == "manifest") {
      // A Kubernetes object: the value is in its manifest.
      message = name + " of " + describe(c) + " writes the private key into the manifest";
    } else {
      message = "this file holds the private key of " + describe(c) + " (" + name + ")";
    }
    Finding& f = out.report(c, path, message);
    if (c.lifecycle != Lifecycle::Static) {
      f.help =
          "keep plan files and state out of the repository and treat them as secrets; "
          "better, use a Google-managed Certificate Manager certificate so no key passes "
          "through the deployment at all";
    } else {
      f.help = out.fix(f, c, Edit::remove(path)) +
               ": have the deployment read the key from a secret store (a secret reference "
               "instead of the value) and keep it out of the repository, or use a "
               "Google-managed Certificate Manager certificate";
    }
  }
};

LBCHECK_REGISTER_RULE(PrivateKeyInConfig);

}  // namespace
}  // namespace lbcheck
