// Who may invoke a Cloud Run service, as far as the inputs say (RUN006, RUN008).
#pragma once

#include <string>

#include "engine/chain.h"
#include "engine/graph.h"
#include "engine/views.h"

namespace lbcheck::invoker {

/// What the inputs hold about the invokers of one service.
struct Invokers {
  bool anyGrant = false;          // some roles/run.invoker grant names the service (or its project)
  const Resource* pub = nullptr;  // a grant to allUsers / allAuthenticatedUsers
  std::string publicMember;       // "allUsers" or "allAuthenticatedUsers"
  bool allUsers = false;          // some grant names allUsers (no credentials needed)
  const Resource* iapAgent = nullptr;  // a grant to the IAP service agent (service-N@gcp-sa-iap)
  bool iamCheckOff = false;            // invoker IAM check disabled on the service
  bool unknown = false;                // some grant's members or role are unknown
};

inline bool sameProject(const Resource& a, const Resource& b) {
  if (!a.id.project.empty() || !b.id.project.empty()) return a.id.project == b.id.project;
  return a.document == b.document;
}

inline Invokers of(const Graph& g, const Resource& run) {
  Invokers out;
  out.iamCheckOff = RunServiceView(run).invokerIamDisabled().is("true");
  for (int32_t i : g.ofKind(Kind::IamMember)) {
    const Resource& grant = g.at(i);
    if (!live(grant)) continue;
    const Field& role = grant.field("role");
    if (role.state == State::Unknown) {
      out.unknown = true;
      continue;
    }
    if (!role.is("roles/run.invoker")) continue;
    const bool onProject = grant.field("grantedOn").is("project");
    if (onProject ? !sameProject(grant, run) : g.target(grant.field("resource")) != &run) continue;
    out.anyGrant = true;
    forEachField(grant, "members[*]", [&](const std::string&, const Field& m) {
      if (m.state != State::Known) {
        out.unknown = true;
        return;
      }
      if (m.text == "allUsers") out.allUsers = true;
      if (m.text.find("@gcp-sa-iap.iam.gserviceaccount.com") != std::string::npos && !out.iapAgent)
        out.iapAgent = &grant;
      if ((m.text == "allUsers" || m.text == "allAuthenticatedUsers") && !out.pub) {
        out.pub = &grant;
        out.publicMember = m.text;
      }
    });
  }
  return out;
}

}  // namespace lbcheck::invoker
