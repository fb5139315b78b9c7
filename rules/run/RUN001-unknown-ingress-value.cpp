// RUN001: Cloud Run ingress takes one of a few values, spelled per interface.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

struct Spelling {
  std::string_view v1;  // gcloud --ingress and the v1 annotation
  std::string_view v2;  // Cloud Run v2 API, Terraform v2, Config Connector
};

constexpr Spelling kIngress[] = {
    {"all", "INGRESS_TRAFFIC_ALL"},
    {"internal", "INGRESS_TRAFFIC_INTERNAL_ONLY"},
    {"internal-and-cloud-load-balancing", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

class UnknownIngressValue : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN001", "unknown-ingress-value",
                                "A Cloud Run service's ingress is not one of the values its "
                                "interface accepts.",
                                Severity::Error, "run"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& run : g.resources()) {
      if (run.id.kind != Kind::RunService || !live(run)) continue;
      const Field& annotation = run.field("ingressAnnotation");
      if (annotation.state == State::Known) {
        checkV1(run, annotation, out);
        continue;
      }
      const Field& ingress = run.field("ingress");
      if (ingress.state != State::Known) continue;
      checkV2(run, ingress, out);
    }
  }

 private:
  static void checkV1(const Resource& run, const Field& f, Reporter& out) {
    for (const Spelling& s : kIngress)
      if (f.text == s.v1) return;
    Finding& finding = out.report(run, "ingressAnnotation",
                                  spelled(run, "ingressAnnotation", "run.googleapis.com/ingress") +
                                      " of " + describe(run) + " is " + q(f.text) +
                                      ", which is not an ingress setting: the annotation takes "
                                      "`all`, `internal` or `internal-and-cloud-load-balancing`");
    finding.help = "use \"internal\" behind an internal load balancer";
    for (const Spelling& s : kIngress)
      if (f.text == s.v2 || lower(f.text) == s.v1)
        finding.help = "write \"" + std::string(s.v1) + "\" (the annotation's spelling of " +
                       std::string(s.v2) + ")";
  }

  static void checkV2(const Resource& run, const Field& f, Reporter& out) {
    for (const Spelling& s : kIngress)
      if (f.text == s.v2) return;
    if (f.text == "INGRESS_TRAFFIC_NONE") return;  // valid; RUN003 looks at it behind an LB
    // The API reports UNSPECIFIED when no revision is active; only an author's value is wrong.
    if (f.text == "INGRESS_TRAFFIC_UNSPECIFIED" && !f.authored) return;
    Finding& finding = out.report(
        run, "ingress",
        spelled(run, "ingress", "ingress") + " of " + describe(run) + " is " + q(f.text) +
            ", which is not an ingress setting: it takes INGRESS_TRAFFIC_ALL, "
            "INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    finding.help = "use \"INGRESS_TRAFFIC_INTERNAL_ONLY\" behind an internal load balancer";
    for (const Spelling& s : kIngress)
      if (lower(f.text) == s.v1 || lower(f.text) == lower(s.v2))
        finding.help =
            "write \"" + std::string(s.v2) + "\" (the v2 spelling of `" + std::string(s.v1) + "`)";
  }
};

LBCHECK_REGISTER_RULE(UnknownIngressValue);

}  // namespace
}  // namespace lbcheck
