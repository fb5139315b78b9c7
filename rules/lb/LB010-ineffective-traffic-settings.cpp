// LB010: session affinity, locality policy, outlier detection and named ports do
// nothing on a regional backend service whose backend is a serverless NEG.
#include "engine/chain.h"
#include "engine/rule.h"
#include "rules/lb/backends.h"

namespace lbcheck {
namespace {

struct Setting {
  std::string_view path;
  std::string_view why;
  Severity severity;
};

constexpr Setting kSettings[] = {
    {"sessionAffinity",
     "session affinity is not supported with serverless NEGs (use Cloud Run's own session "
     "affinity)",
     Severity::Warning},
    {"affinityCookieTtlSec", "session affinity is not supported with serverless NEGs",
     Severity::Warning},
    {"consistentHash", "consistent-hash session affinity is not supported with serverless NEGs",
     Severity::Warning},
    {"strongSessionAffinityCookie", "session affinity is not supported with serverless NEGs",
     Severity::Warning},
    {"localityLbPolicy", "locality load-balancing policies are not supported with serverless NEGs",
     Severity::Warning},
    {"outlierDetection",
     "outlier detection for serverless NEGs exists only on global backend services",
     Severity::Warning},
    {"portName", "a named port has no meaning when the backends are NEGs", Severity::Note},
};

class IneffectiveTrafficSettings : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB010",
                                "ineffective-traffic-settings",
                                "A backend service with a serverless NEG backend sets session "
                                "affinity, a locality policy, outlier detection or a named port, "
                                "which have no effect there.",
                                Severity::Warning,
                                "lb",
                                {Kind::BackendService}};
    return kInfo;
  }

  void check(const Graph& g, const Resource& r, Reporter& out) const override {
    backends::withServerlessNeg(
        g, r,
        [&](const Resource& bs, const std::vector<backends::Backend>& /*list*/,
            const backends::Backend& neg) {
          for (const Setting& s : kSettings) {
            // Outlier detection does work for serverless NEGs on global backend services.
            if (s.path == "outlierDetection" && bs.id.scope.type == Scope::Type::Global) continue;
            const Field& f = bs.field(s.path);
            // Only what the author wrote: exports echo NONE, 0 and "http".
            if (f.state != State::Known || !f.authored) continue;
            if (s.path == "sessionAffinity" && f.is("NONE")) continue;
            if (s.path == "affinityCookieTtlSec" && f.isNumber && f.number() == 0) continue;
            const std::string value =
                f.text == "(set)" ? std::string("set") : "set to " + q(f.text);
            Finding& finding =
                out.report(bs, s.path,
                           spelled(bs, s.path) + " of " + describe(bs) + " is " + value +
                               ", but its backend is " + neg.label + ": " + std::string(s.why));
            finding.severity = s.severity;
            finding.help = "remove the setting; it has no effect on this backend service";
            finding.related.push_back({backends::groupSpan(bs, neg), "the serverless NEG backend"});
          }
        });
  }
};

LBCHECK_REGISTER_RULE(IneffectiveTrafficSettings);

}  // namespace
}  // namespace lbcheck
