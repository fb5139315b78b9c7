// RUN004: a publicly invokable Cloud Run service should not also accept traffic
// from everywhere.
#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

class PublicServiceOpenIngress : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN004", "public-service-open-ingress",
                                "A Cloud Run service that anyone may invoke also accepts traffic "
                                "from everywhere, so anyone on the internet can call it directly.",
                                Severity::Warning, "run"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    // IAM grants of roles/run.invoker to everyone.
    for (const Resource& grant : g.resources()) {
      if (grant.id.kind != Kind::IamMember || !live(grant)) continue;
      if (!grant.field("role").is("roles/run.invoker")) continue;
      const Resource* run = g.target(grant.field("resource"));
      if (!run || run->id.kind != Kind::RunService || !live(*run)) continue;
      forEachField(grant, "members[*]", [&](const std::string& path, const Field& m) {
        if (m.state != State::Known) return;
        if (m.text != "allUsers" && m.text != "allAuthenticatedUsers") return;
        const std::string who = m.text == "allUsers"
                                    ? "anyone"
                                    : "anyone with a Google account (allAuthenticatedUsers)";
        report(g, *run, grant, path,
               describe(grant) + " grants roles/run.invoker on " + describe(*run) + " to " +
                   q(m.text) + ", so " + who + " may invoke it",
               out);
      });
    }
    // The invoker IAM check switched off.
    for (const Resource& run : g.resources()) {
      if (run.id.kind != Kind::RunService || !live(run)) continue;
      const Field& off = run.field("invokerIamDisabled");
      if (!off.is("true")) continue;
      report(g, run, run, "invokerIamDisabled",
             describe(run) + " disables the invoker IAM check (" +
                 spelled(run, "invokerIamDisabled", "invokerIamDisabled") +
                 " is true), so anyone may invoke it",
             out);
    }
  }

 private:
  static void report(const Graph&, const Resource& run, const Resource& where,
                     const std::string& path, std::string message, Reporter& out) {
    const Field& ingress = run.field("ingress");
    if (ingress.state == State::Unknown) return;
    const bool open = ingress.state == State::Absent || ingress.is("INGRESS_TRAFFIC_ALL");
    const bool internal = ingress.is("INGRESS_TRAFFIC_INTERNAL_ONLY") ||
                          ingress.is("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    if (!open && !internal) return;  // NONE, or a value RUN001 reports
    const std::string ingressName = spelled(run, "ingress", "ingress");
    if (open) {
      message += ingress.state == State::Absent
                     ? "; its ingress is not set, so Cloud Run's default (all traffic) lets "
                       "anyone on the internet call it directly"
                     : "; its ingress admits all traffic, so anyone on the internet can call it "
                       "directly";
    } else {
      message += "; only its ingress (" + ingress.text +
                 ") keeps internet clients out, so the network boundary is the only control";
    }
    Finding& f = out.report(where, path, std::move(message));
    if (open) {
      const bool v1 = run.field("ingressAnnotation").state != State::Absent ||
                      run.format == "cloud-run-v1" || run.sourceType == "google_cloud_run_service";
      std::string how;
      if (v1)
        how = "set the annotation \"run.googleapis.com/ingress\" to \"internal\"";
      else if (fromTerraform(run))
        how = "set ingress = \"INGRESS_TRAFFIC_INTERNAL_ONLY\"";
      else if (run.format == "krm")
        how = "set spec.ingress: INGRESS_TRAFFIC_INTERNAL_ONLY";
      else
        how = "deploy with --ingress=internal";
      f.help = how +
               " (the internal load balancer still reaches it), or grant roles/run.invoker only "
               "to the principals that call the service";
    } else {
      f.severity = Severity::Note;
      f.help =
          "this is how the guide sets it up; if the callers can authenticate, grant "
          "roles/run.invoker to them instead of making the service public";
    }
    if (&where != &run)
      f.related.push_back(
          {ingress.state == State::Known && ingress.span.valid() ? ingress.span : run.header,
           ingress.state == State::Known ? "the service's " + ingressName + " is " + q(ingress.text)
                                         : "the service does not set " + ingressName});
  }
};

LBCHECK_REGISTER_RULE(PublicServiceOpenIngress);

}  // namespace
}  // namespace lbcheck
