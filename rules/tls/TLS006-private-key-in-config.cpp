// TLS006: private keys written into the configuration (or carried by a plan file).
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

class PrivateKeyInConfig : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS006", "private-key-in-config",
                                "A certificate's private key is written into the configuration or "
                                "carried by the plan file.",
                                Severity::Warning, "tls"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& c : g.resources()) {
      if (!live(c)) continue;
      const char* path = c.id.kind == Kind::SslCertificate ? "privateKey"
                         : c.id.kind == Kind::CertificateManagerCertificate
                             ? "selfManaged.pemPrivateKey"
                             : nullptr;
      if (!path) continue;
      const Field& key = c.field(path);
      // Known only: a key produced at apply time (Unknown) is not in this file.
      if (key.state != State::Known || key.text.empty()) continue;
      const std::string name = spelled(c, path, path);
      std::string message;
      std::string help;
      if (c.format == "terraform-plan") {
        message = "this plan carries the private key of " + describe(c) + " (" + name +
                  ") in clear text: terraform show -json prints sensitive values, and the "
                  "state stores the key too";
        help =
            "keep plan files and state out of the repository and treat them as secrets; "
            "better, use a Google-managed Certificate Manager certificate so no key passes "
            "through Terraform";
      } else if (c.format == "krm") {
        message = name + " of " + describe(c) + " writes the private key into the manifest";
        help =
            "read the key from a Kubernetes Secret (valueFrom.secretKeyRef) instead of "
            "value, and keep the key out of the repository";
      } else {
        message = "this file holds the private key of " + describe(c) + " (" + name + ")";
        help =
            "remove the key from the file; upload it with gcloud from a path outside the "
            "repository, or use a Google-managed Certificate Manager certificate";
      }
      Finding& f = out.report(c, path, message);
      f.help = help;
    }
  }
};

LBCHECK_REGISTER_RULE(PrivateKeyInConfig);

}  // namespace
}  // namespace lbcheck
