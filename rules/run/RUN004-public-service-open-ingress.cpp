// RUN004: a publicly invokable Cloud Run service should not also accept traffic
// from everywhere.
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"
#include "engine/vocabulary.h"

namespace lbcheck {
namespace {

class PublicServiceOpenIngress : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN004",
                                "public-service-open-ingress",
                                "A Cloud Run service that anyone may invoke also accepts traffic "
                                "from everywhere, so anyone on the internet can call it directly.",
                                Severity::Warning,
                                "run",
                                {},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    // IAM grants of roles/run.invoker to everyone: on a service, or on its
    // project (a project grant holds on every service of the project).
    for (const Resource& grant : g.resources()) {
      if (grant.id.kind != Kind::IamMember || !live(grant)) continue;
      if (!grant.field("role").is("roles/run.invoker")) continue;
      const bool onProject = grant.field("grantedOn").is("project");
      std::vector<const Resource*> services;
      if (onProject) {
        for (const Resource& run : g.resources())
          if (run.id.kind == Kind::RunService && live(run) && sameProject(grant, run))
            services.push_back(&run);
      } else if (const Resource* run = g.target(grant.field("resource"));
                 run && run->id.kind == Kind::RunService && live(*run)) {
        services.push_back(run);
      }
      for (const Resource* run : services) {
        forEachField(grant, "members[*]", [&](const std::string& path, const Field& m) {
          if (m.state != State::Known) return;
          if (m.text != "allUsers" && m.text != "allAuthenticatedUsers") return;
          const std::string who = m.text == "allUsers"
                                      ? "anyone"
                                      : "anyone with a Google account (allAuthenticatedUsers)";
          const std::string on = onProject
                                     ? "project " +
                                           q(grant.id.project.empty() ? std::string("(current)")
                                                                      : grant.id.project.str()) +
                                           ", which covers every Cloud Run service in it, " +
                                           describe(*run) + " included,"
                                     : describe(*run);
          report(g, *run, grant, path,
                 describe(grant) + " grants roles/run.invoker on " + on + " to " + q(m.text) +
                     ", so " + who + " may invoke it",
                 out, onProject);
        });
      }
    }
    // The invoker IAM check switched off.
    for (const Resource& run : g.resources()) {
      if (run.id.kind != Kind::RunService || !live(run)) continue;
      const Field& off = RunServiceView(run).invokerIamDisabled();
      if (!off.is("true")) continue;
      report(g, run, run, RunServiceView::kInvokerIamDisabled,
             describe(run) + " disables the invoker IAM check (" +
                 spelled(run, RunServiceView::kInvokerIamDisabled) +
                 " is true), so anyone may invoke it",
             out, false);
    }
  }

 private:
  /// The grant's project holds `run`: the same project id, or both unnamed in
  /// one input (a script's current project).
  static bool sameProject(const Resource& grant, const Resource& run) {
    if (!grant.id.project.empty() || !run.id.project.empty())
      return grant.id.project == run.id.project;
    return grant.document == run.document;
  }

  /// A live serverless NEG that points at `run`, or null.
  static const Resource* negOf(const Graph& g, const Resource& run) {
    for (const int32_t i : g.ofKind(Kind::NetworkEndpointGroup)) {
      const Resource& neg = g.at(i);
      if (live(neg) && g.target(ServerlessNegView(neg).cloudRunService()) == &run) return &neg;
    }
    return nullptr;
  }

  static void report(const Graph& g, const Resource& run, const Resource& where,
                     const std::string& path, std::string message, Reporter& out, bool onProject) {
    const Field& ingress = RunServiceView(run).ingress();
    if (ingress.state == State::Unknown) return;
    const bool open = ingress.state == State::Absent || ingress.is("INGRESS_TRAFFIC_ALL");
    // Cloud Run v1 spells ingress as an annotation (the field is there even
    // when the annotation is not written), whose default reads `all`.
    const bool v1 = run.fields.contains(RunServiceView::kIngressAnnotation);
    const std::string openDefault =
        v1 ? q(vocab::shortIngress("INGRESS_TRAFFIC_ALL")) : std::string("INGRESS_TRAFFIC_ALL");
    const bool internal = ingress.is("INGRESS_TRAFFIC_INTERNAL_ONLY") ||
                          ingress.is("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    if (!open && !internal) return;  // NONE, or a value RUN001 reports
    const std::string ingressName = spelled(run, RunServiceView::kIngress);
    if (open && ingress.state == State::Absent) {
      message += std::string(v1 ? "; its ingress annotation (run.googleapis.com/ingress)"
                                : "; its ingress") +
                 " is not set, so it defaults to " + openDefault +
                 " and anyone on the internet can call it directly";
    } else if (open && ingress.state == State::Defaulted) {
      message +=
          "; its ingress is not set, so " +
          (ingress.defaultedBy.empty() ? std::string("the tool") : ingress.defaultedBy.str()) +
          " defaults it to all traffic and anyone on the internet can call it directly";
    } else if (open) {
      message += "; its ingress admits all traffic, so anyone on the internet can call it directly";
    } else {
      message += "; only its ingress (" + ingress.text +
                 ") keeps internet clients out, so the network boundary is the only control";
    }
    Finding& f = out.report(where, path, std::move(message));
    if (open) {
      // `internal` admits only internal load balancers: suggest it only when every
      // load balancer known to serve the service is internal. Behind an external one
      // it would shut that one out (RUN007); when the type is not known (a serverless
      // NEG that no backend service in the inputs uses, a scheme known only after
      // apply), "internal and Cloud Load Balancing" is the setting that keeps any
      // Application Load Balancer working.
      bool internalLb = false, externalLb = false, otherLb = false;
      forEachServiceBehindLb(
          g, [&](const Resource& r, const Resource&, const Resource&, LbType type, const LbChain*) {
            if (&r != &run) return;
            if (isInternal(type))
              internalLb = true;
            else if (isExternal(type))
              externalLb = true;
            else
              otherLb = true;
          });
      const Resource* neg = negOf(g, run);
      if (internalLb && !externalLb && !otherLb) {
        f.help =
            out.fix(f, run, Edit::set(RunServiceView::kIngress, "INGRESS_TRAFFIC_INTERNAL_ONLY")) +
            " (the internal load balancer still reaches it), or grant roles/run.invoker only "
            "to the principals that call the service";
      } else {
        std::string why;
        if (externalLb && internalLb)
          why = " (the internal and the external load balancers still reach it)";
        else if (externalLb)
          why = " (the external load balancer still reaches it)";
        else if (neg)
          why =
              " (internal traffic and Cloud Load Balancing: whichever load balancer uses "
              "serverless NEG " +
              q(neg->id.name) + ", internal or external, still reaches it)";
        f.help =
            out.fix(f, run,
                    Edit::set(RunServiceView::kIngress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")) +
            why + ", or grant roles/run.invoker only to the principals that call the service";
      }
      if (onProject)
        f.help +=
            ". Note that Resource Manager rejects allUsers and allAuthenticatedUsers in a "
            "project's IAM policy, so this grant also fails when applied: grant the role "
            "on the service instead";
    } else {
      f.severity = Severity::Note;
      f.help =
          "this is how the guide sets it up; if the callers can authenticate, grant "
          "roles/run.invoker to them instead of making the service public";
    }
    if (&where != &run)
      f.related.push_back(
          {ingress.state == State::Known && ingress.span.valid() ? ingress.span : run.header,
           ingress.state == State::Known
               ? "the service's " + ingressName + " is " + q(ingress.text)
               : "the service does not set " + ingressName + " (default: " + openDefault + ")"});
  }
};

LBCHECK_REGISTER_RULE(PublicServiceOpenIngress);

}  // namespace
}  // namespace lbcheck
