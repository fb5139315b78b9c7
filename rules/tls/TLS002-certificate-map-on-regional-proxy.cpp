// TLS002: certificate maps are for global external load balancers only.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

class CertificateMapOnRegionalProxy : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS002",
                                "certificate-map-on-regional-proxy",
                                "A regional target HTTPS proxy references a Certificate Manager "
                                "certificate map, which only global external load balancers "
                                "accept.",
                                Severity::Error,
                                "tls",
                                {Kind::TargetHttpsProxy}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& p, Reporter& out) const override {
    if (!live(p)) return;
    if (p.id.scope.type != Scope::Type::Region) return;
    const Field& map = p.field("certificateMap");
    if (map.state == State::Absent || map.state == State::Unknown) return;
    if (map.state == State::Known && map.text.empty()) return;
    Finding& f = out.report(p, "certificateMap",
                            describe(p) + " sets " + spelled(p, "certificateMap") +
                                ", but certificate maps only serve global external Application "
                                "Load Balancers; a regional proxy references certificates "
                                "directly");
    f.help = out.fix(f, p, Edit::remove("certificateMap")) +
             " and list regional Certificate Manager certificates in " +
             spelled(p, "certificateManagerCertificates") + " (or regional SSL certificates in " +
             spelled(p, "sslCertificates") + ")";
  }
};

LBCHECK_REGISTER_RULE(CertificateMapOnRegionalProxy);

}  // namespace
}  // namespace lbcheck
