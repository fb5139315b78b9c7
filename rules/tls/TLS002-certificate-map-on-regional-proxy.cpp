// TLS002: certificate maps are for global external load balancers only.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

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
                                {Kind::TargetHttpsProxy},
                                false,
                                FixSafety::Safe};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& p, Reporter& out) const override {
    if (!live(p)) return;
    if (p.id.scope.type != Scope::Type::Region) return;
    const Field& map = TargetProxyView(p).certificateMap();
    if (map.state == State::Absent || map.state == State::Unknown) return;
    if (map.state == State::Known && map.text.empty()) return;
    Finding& f = out.report(p, TargetProxyView::kCertificateMap,
                            describe(p) + " sets " + spelled(p, TargetProxyView::kCertificateMap) +
                                ", but certificate maps only serve global external Application "
                                "Load Balancers; a regional proxy references certificates "
                                "directly");
    f.help = out.fix(f, p, Edit::remove(TargetProxyView::kCertificateMap)) +
             " and list regional Certificate Manager certificates in " +
             spelled(p, TargetProxyView::kCertificateManagerCertificates) +
             " (or regional SSL certificates in " + spelled(p, TargetProxyView::kSslCertificates) +
             ")";
  }
};

LBCHECK_REGISTER_RULE(CertificateMapOnRegionalProxy);

}  // namespace
}  // namespace lbcheck
