// TLS010: the SSL policy of an external Application Load Balancer's HTTPS
// frontend lets clients negotiate TLS 1.0 or 1.1 (or no SSL policy is attached,
// and the default one does).
#include <set>
#include <string>
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

constexpr const char* kMinTlsVersion = "minTlsVersion";
constexpr const char* kProfile = "profile";

bool servedExternally(const Graph& g, const Resource& proxy) {
  const LbTypes types = typesServing(g, proxy);
  for (LbType t : {LbType::GlobalExternal, LbType::Classic, LbType::RegionalExternal})
    if (types.has(t)) return true;
  return false;
}

class WeakTlsOnExternalFrontend : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS010",
                                "weak-tls-on-external-frontend",
                                "The HTTPS frontend of an external Application Load Balancer lets "
                                "clients negotiate TLS 1.0 or 1.1, through its SSL policy or the "
                                "default one.",
                                Severity::Warning,
                                "tls",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    std::set<const Resource*> reported;  // one finding per SSL policy
    for (int32_t i : g.ofKind(Kind::TargetHttpsProxy)) {
      const Resource& proxy = g.at(i);
      if (!live(proxy) || !servedExternally(g, proxy)) continue;
      const Field& link = TargetProxyView(proxy).sslPolicy();
      // A reference to a policy being created is unknown until apply, but resolved.
      const Resource* policy = g.target(link);
      if (!policy) {
        // Unknown, or a policy that is not in the inputs: cannot tell.
        if (link.state != State::Absent || link.ref->identity) continue;
        Finding& f = out.report(
            proxy, TargetProxyView::kSslPolicy,
            describe(proxy) + " of an external Application Load Balancer has no " +
                spelled(proxy, TargetProxyView::kSslPolicy) +
                ", so the default SSL policy applies: profile COMPATIBLE with minimum TLS 1.0, "
                "and internet clients may negotiate TLS 1.0 and 1.1");
        f.severity = Severity::Note;
        f.help =
            "attach an SSL policy with a minimum TLS version of TLS_1_2 (profile MODERN or "
            "RESTRICTED) when no client needs TLS 1.0 or 1.1";
        continue;
      }
      if (!live(*policy) || reported.count(policy)) continue;
      const Field& profile = policy->field(kProfile);
      const Field& min = policy->field(kMinTlsVersion);
      if (profile.state == State::Unknown || min.state == State::Unknown) continue;
      // RESTRICTED enables only TLS 1.2 ciphers: TLS 1.0/1.1 cannot be negotiated
      // whatever the minimum version says.
      if (profile.is("RESTRICTED")) continue;
      const bool unset = !min.known();
      const std::string version = unset ? "TLS_1_0" : min.text;
      if (version != "TLS_1_0" && version != "TLS_1_1") continue;
      reported.insert(policy);
      std::string message =
          describe(*policy) + ", the SSL policy of external " + describe(proxy) + ", ";
      if (unset)
        message +=
            "does not set " + spelled(*policy, kMinTlsVersion) + ", so the minimum is TLS 1.0";
      else
        message += "sets " + spelled(*policy, kMinTlsVersion) + " to " + q(version);
      message +=
          ": internet clients may negotiate " +
          std::string(version == "TLS_1_0" ? "TLS 1.0 and 1.1, which are" : "TLS 1.1, which is") +
          " deprecated (RFC 8996)";
      Finding& f = out.report(*policy, unset ? "" : kMinTlsVersion, message);
      f.help = out.fix(f, *policy, Edit::set(kMinTlsVersion, "TLS_1_2")) +
               " unless some client still needs the older versions";
      f.related.push_back({proxy.header, "the external target HTTPS proxy that uses it"});
    }
  }
};

LBCHECK_REGISTER_RULE(WeakTlsOnExternalFrontend);

}  // namespace
}  // namespace lbcheck
