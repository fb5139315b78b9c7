// Helpers for the backend-service rules (LB002-LB011): what each backend of a
// backend service is, and in particular whether it is a serverless NEG.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/chain.h"
#include "engine/views.h"

namespace lbcheck::backends {

/// The serverless block a NEG carries ("cloudRun", "appEngine", "cloudFunction",
/// "serverlessDeployment"), or "" when it has none.
inline std::string_view platformOf(const Resource& neg) {
  for (std::string_view p : {"cloudRun", "appEngine", "cloudFunction", "serverlessDeployment"}) {
    for (auto it = neg.fields.lower_bound(p); it != neg.fields.end(); ++it) {
      const std::string& path = it->first;
      if (path.compare(0, p.size(), p) != 0) break;
      if (path.size() != p.size() && path[p.size()] != '.') continue;
      if (it->second.state != State::Absent) return p;
    }
  }
  return {};
}

/// A label for messages: "Cloud Run", "App Engine"...
inline std::string_view platformLabel(std::string_view p) {
  if (p == "cloudRun") return "Cloud Run";
  if (p == "appEngine") return "App Engine";
  if (p == "cloudFunction") return "Cloud Functions";
  if (p == "serverlessDeployment") return "API Gateway (serverless deployment)";
  return "unknown platform";
}

enum class What : uint8_t {
  Serverless,  // a serverless NEG
  Other,       // known not to be one: an instance group, a zonal, global or non-serverless NEG
  Unknown,     // not in the inputs, or its type is only known after apply
};

struct Backend {
  std::string path;  // "backends[0].group"
  const Field* group = nullptr;
  const Resource* target = nullptr;  // the resolved group, when it is in the inputs
  What what = What::Unknown;
  std::string_view platform;  // for serverless NEGs
  std::string label;          // "serverless NEG `hello-neg`", "instance group `web`"...
};

inline Backend classify(const Graph& g, const std::string& path, const Field& f) {
  Backend b;
  b.path = path;
  b.group = &f;
  b.target = g.target(f);
  const auto id = refIdentity(g, f);
  if (!id) return b;
  b.label = std::string(kindLabel(id->kind)) + " " + q(id->name);
  if (id->kind == Kind::InstanceGroup) {
    b.what = What::Other;
    return b;
  }
  if (id->kind != Kind::NetworkEndpointGroup) return b;
  if (id->scope.type == Scope::Type::Zone || id->scope.type == Scope::Type::Global) {
    b.what = What::Other;  // zonal (VM) and global (internet) NEGs are never serverless
    b.label = (id->scope.type == Scope::Type::Zone ? "zonal NEG " : "global NEG ") + q(id->name);
    return b;
  }
  if (!b.target) return b;
  const Field& type = ServerlessNegView(*b.target).networkEndpointType();
  if (type.state == State::Unknown) return b;
  if (type.known()) {
    b.what = type.text == "SERVERLESS" ? What::Serverless : What::Other;
  } else {
    // Not written: a serverless block says what the author meant (NEG001 checks the type).
    b.what = platformOf(*b.target).empty() ? What::Unknown : What::Serverless;
  }
  if (b.what == What::Serverless) {
    b.platform = platformOf(*b.target);
    b.label = "serverless NEG " + q(id->name);
  } else if (b.what == What::Other) {
    b.label = type.text + " NEG " + q(id->name);
  }
  return b;
}

/// Every backends[*].group of a backend service, classified.
inline std::vector<Backend> of(const Graph& g, const Resource& bs) {
  std::vector<Backend> out;
  forEachField(bs, "backends[*].group", [&](const std::string& path, const Field& f) {
    out.push_back(classify(g, path, f));
  });
  return out;
}

/// The first serverless NEG backend of `bs`, or null.
inline const Backend* firstServerless(const std::vector<Backend>& list) {
  for (const Backend& b : list)
    if (b.what == What::Serverless) return &b;
  return nullptr;
}

/// Calls fn(bs, list, neg) when `bs` is a live backend service that has a
/// serverless NEG backend: `list` is every backend of it, `neg` the first
/// serverless one. For the per-resource check of a rule of kind BackendService.
template <typename Fn>
void withServerlessNeg(const Graph& g, const Resource& bs, Fn fn) {
  if (bs.id.kind != Kind::BackendService || !live(bs)) return;
  const std::vector<Backend> list = of(g, bs);
  if (const Backend* neg = firstServerless(list)) fn(bs, list, *neg);
}

/// The backends[i] entry that `b` is the group of, as a view.
inline BackendView entryView(const Resource& bs, const Backend& b) {
  const size_t open = b.path.find('[');
  return BackendView(bs, BackendServiceView::kBackends, std::stoul(b.path.substr(open + 1)));
}

/// Where to point for the group: its value, else the NEG's definition, else the
/// backend service.
inline Span groupSpan(const Resource& bs, const Backend& b) {
  if (b.group->span.valid() && b.group->state == State::Known) return b.group->span;
  return b.target ? b.target->header : bs.header;
}

}  // namespace lbcheck::backends
