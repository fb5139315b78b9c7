// Cloud Run services behind an external Application Load Balancer that still
// accept traffic from everyone (RUN006, ARM004): one finding per service, under
// ARM004 when a backend service in front of it has a Cloud Armor policy (the
// policy is what a direct call skips), else under RUN006.
#pragma once

#include <set>
#include <string>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/topology.h"
#include "engine/views.h"
#include "rules/run/invoker.h"

namespace lbcheck::bypass {

struct Armor {
  const Field* field = nullptr;  // the policy link of the backend service
  std::string name;              // the policy's name
};

/// The Cloud Armor policy a backend service attaches (backend policy first,
/// then edge policy): a resolved link (a policy being created is unknown until
/// apply, but resolved), a link text, or nothing (field null).
inline Armor armorOf(const Graph& g, const Resource& bs) {
  for (const char* path : {"securityPolicy", "edgeSecurityPolicy"}) {
    const Field& f = bs.field(path);
    if (const Resource* p = g.target(f)) return {&f, p->id.name};
    if (f.ref->identity && !f.ref->identity->name.empty()) return {&f, f.ref->identity->name};
    if (f.known() && !f.text.empty()) {
      const size_t slash = f.text.rfind('/');
      return {&f, slash == std::string::npos ? f.text.str() : f.text.substr(slash + 1)};
    }
  }
  return {};
}

/// Reports each open Cloud Run service behind an external ALB once: the ones
/// with a Cloud Armor policy in front when `armored`, the others when not.
inline void report(const Graph& g, Reporter& out, bool armored) {
  // The services behind an internal ALB: RUN002 speaks for those.
  std::set<const Resource*> internal;
  // The services with a Cloud Armor policy on an external backend service in front.
  std::set<const Resource*> withArmor;
  forEachServiceBehindLb(g, [&](const Resource& run, const Resource&, const Resource& bs,
                                LbType type, const LbChain*) {
    if (isInternal(type)) internal.insert(&run);
    if (isExternal(type) && armorOf(g, bs).field) withArmor.insert(&run);
  });
  std::set<const Resource*> done;
  forEachServiceBehindLb(g, [&](const Resource& run, const Resource& neg, const Resource& bs,
                                LbType type, const LbChain* chain) {
    if (!isExternal(type) || internal.count(&run) || done.count(&run)) return;
    if (withArmor.count(&run) != static_cast<size_t>(armored)) return;
    // With several backend services in front, name one that has the policy.
    const Armor armor = armorOf(g, bs);
    const Field* policy = armor.field;
    if (armored && !policy) return;
    const RunServiceView view(run);
    const Field& ingress = view.ingress();
    if (ingress.state == State::Unknown) return;
    if (ingress.state != State::Absent && !ingress.is("INGRESS_TRAFFIC_ALL")) return;
    done.insert(&run);
    const Field& written =
        view.ingressAnnotation().state == State::Known ? view.ingressAnnotation() : ingress;
    const std::string lb = describeLb(type, chain, bs);
    const invoker::Invokers who = invoker::of(g, run);
    std::string message = describe(run) + " sits behind " + lb + " but ";
    const bool unset = ingress.state == State::Absent || ingress.state == State::Defaulted;
    if (unset)
      message += "does not set " + spelled(run, RunServiceView::kIngress) +
                 ", so Cloud Run's default (all traffic) applies";
    else
      message +=
          "accepts traffic from everyone (" + q(ingress.spelling) + " is " + q(written.text) + ")";
    // What the load balancer adds that a direct call skips.
    std::string skipped;
    if (policy) skipped = "Cloud Armor policy " + q(armor.name);
    if (BackendServiceView(bs).iapEnabled().is("true"))
      skipped += std::string(skipped.empty() ? "" : " and ") + "IAP";
    if (skipped.empty()) skipped = "whatever the load balancer adds (Cloud Armor, IAP, CDN)";
    if (who.pub || who.iamCheckOff)
      message += ": anyone can call its own run.app URL and skip " + skipped;
    else
      message +=
          ": callers with roles/run.invoker can call its own run.app URL and skip " + skipped;
    Finding& f = out.report(run, unset ? "" : RunServiceView::kIngress, message);
    f.help =
        out.fix(f, run,
                Edit::set(RunServiceView::kIngress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")) +
        " (internal and Cloud Load Balancing traffic only: the external load balancer "
        "still reaches the service); disabling the default run.app URL also closes it";
    f.related.push_back(
        {neg.header, "reached through serverless NEG " + q(neg.id.name) + " of " + describe(bs)});
    if (policy)
      f.related.push_back({policy->span.valid() ? policy->span : bs.header,
                           "the Cloud Armor policy that direct calls skip"});
  });
}

}  // namespace lbcheck::bypass
