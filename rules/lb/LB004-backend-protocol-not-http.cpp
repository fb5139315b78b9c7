// LB004: an internal managed backend service used by a URL map speaks HTTP,
// HTTPS or HTTP/2 to its backends.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

bool httpFamily(std::string_view p) {
  return p == "HTTP" || p == "HTTPS" || p == "HTTP2" || p == "H2C";
}

class BackendProtocolNotHttp : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB004",
                                "backend-protocol-not-http",
                                "An INTERNAL_MANAGED backend service behind a URL map uses a "
                                "protocol other than HTTP, HTTPS or HTTP/2.",
                                Severity::Error,
                                "lb",
                                {Kind::BackendService},
                                false,
                                FixSafety::Safe};
    return kInfo;
  }

  void check(const Graph& g, const Resource& bs, Reporter& out) const override {
    if (!live(bs)) return;
    const BackendServiceView view(bs);
    if (!view.loadBalancingScheme().is("INTERNAL_MANAGED")) return;
    const Field& p = view.protocol();
    if (p.state != State::Known && p.state != State::Defaulted) return;
    if (httpFamily(p.text)) return;
    const Resource* urlMap = usingUrlMap(g, bs);
    const backends::Backend* neg = nullptr;
    const auto list = backends::of(g, bs);
    if (!urlMap) neg = backends::firstServerless(list);
    if (!urlMap && !neg) return;  // an internal proxy Network LB may use TCP

    const std::string name = spelled(bs, BackendServiceView::kProtocol);
    std::string message = name + " of " + describe(bs) + " is " + q(p.text);
    if (p.state == State::Defaulted) message += " (filled in by " + p.defaultedBy + ")";
    if (urlMap) {
      message += ", but " + describe(*urlMap) +
                 " routes to it: with INTERNAL_MANAGED, only HTTP, HTTPS and HTTP/2 backend "
                 "services serve an Application Load Balancer (" +
                 q(p.text) + " makes it a proxy Network Load Balancer backend)";
    } else {
      message += ", but its backend " + neg->label +
                 " only works with Application Load Balancers, whose backend services use "
                 "HTTP, HTTPS or HTTP/2";
    }
    Finding& f = out.report(bs, BackendServiceView::kProtocol, message);
    if (!urlMap) f.severity = Severity::Warning;  // inferred: no URL map in the inputs
    f.help =
        out.fix(f, bs, Edit::set(BackendServiceView::kProtocol, "HTTP")) + " (or HTTPS, HTTP2)";
    if (urlMap) {
      f.related.push_back({urlMap->header, describe(*urlMap) + " uses the backend service"});
    } else {
      f.related.push_back({backends::groupSpan(bs, *neg), "the serverless NEG backend"});
    }
  }

 private:
  static const Resource* usingUrlMap(const Graph& g, const Resource& bs) {
    for (const auto& ref : g.referrers(g.indexOf(bs))) {
      const Resource& u = g.at(ref.resource);
      if (!ref.prior && live(u) && u.id.kind == Kind::UrlMap) return &u;
    }
    return nullptr;
  }
};

LBCHECK_REGISTER_RULE(BackendProtocolNotHttp);

}  // namespace
}  // namespace lbcheck
