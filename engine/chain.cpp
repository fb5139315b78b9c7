#include "engine/chain.h"

#include <algorithm>
#include <set>
#include <vector>

#include "engine/fix.h"
#include "engine/rule.h"

namespace lbcheck {

Identity objectIdentity(const Resource& r) {
  Identity id = r.id;
  if (id.name.empty()) {
    id.name = r.displayName;
    id.addressIn = r.document + 1;
  }
  return id;
}

std::optional<Identity> refIdentity(const Graph& g, const Field& f) {
  if (const Resource* t = g.target(f)) return objectIdentity(*t);
  if (f.ref->identity) return f.ref->identity;
  return std::nullopt;
}

const Resource* internalManagedUserOf(const Graph& g, const Resource& neg) {
  for (const auto& ref : g.referrers(g.indexOf(neg))) {
    if (ref.prior) continue;
    const Resource& r = g.at(ref.resource);
    if (r.id.kind == Kind::BackendService && live(r) &&
        r.field("loadBalancingScheme").is("INTERNAL_MANAGED"))
      return &r;
  }
  return nullptr;
}

const Resource* internalManagedPeer(const Graph& g, const Resource& start) {
  auto chainKind = [](Kind k) {
    return k == Kind::ForwardingRule || k == Kind::TargetHttpProxy || k == Kind::TargetHttpsProxy ||
           k == Kind::UrlMap || k == Kind::BackendService;
  };
  std::set<int32_t> seen{g.indexOf(start)};
  std::vector<int32_t> todo{g.indexOf(start)};
  while (!todo.empty()) {
    const int32_t i = todo.back();
    todo.pop_back();
    const Resource& r = g.at(i);
    if (r.field("loadBalancingScheme").is("INTERNAL_MANAGED")) return &r;
    auto visit = [&](int32_t j) {
      if (j < 0 || !live(g.at(j)) || !chainKind(g.at(j).id.kind)) return;
      if (seen.insert(j).second) todo.push_back(j);
    };
    for (const auto& [path, f] : r.fields) visit(f.ref->target);
    for (const auto& ref : g.referrers(i))
      if (!ref.prior) visit(ref.resource);
  }
  return nullptr;
}

void forEachServiceBehindInternalLb(
    const Graph& g,
    const std::function<void(const Resource* run, const Resource& neg, const Resource* backend)>&
        f) {
  std::set<int32_t> done;
  for (const Resource& neg : g.resources()) {
    if (neg.id.kind != Kind::NetworkEndpointGroup || !live(neg)) continue;
    const Resource* run = g.target(neg.field("cloudRun.service"));
    if (!run || run->id.kind != Kind::RunService || !live(*run)) continue;
    const Resource* backend = internalManagedUserOf(g, neg);
    if (!backend || !done.insert(g.indexOf(*run)).second) continue;
    f(run, neg, backend);
  }
}

SubnetsByNetwork::SubnetsByNetwork(const Graph& g) : g_(g) {
  for (int32_t i : g.ofKind(Kind::Subnetwork)) {
    const Resource& s = g.at(i);
    if (!live(s)) continue;
    if (const auto net = refIdentity(g, s.field("network")))
      byName_[net->name].push_back(i);
    else
      unknown_.push_back(i);
  }
}

std::vector<const Resource*> SubnetsByNetwork::candidates(const Identity& network,
                                                          bool withUnknown) const {
  static const std::vector<int32_t> kNone;
  const auto it = byName_.find(network.name);
  const std::vector<int32_t>& named = it == byName_.end() ? kNone : it->second;
  std::vector<int32_t> merged;
  if (withUnknown) {
    merged.reserve(named.size() + unknown_.size());
    std::merge(named.begin(), named.end(), unknown_.begin(), unknown_.end(),
               std::back_inserter(merged));
  } else {
    merged = named;
  }
  std::vector<const Resource*> out;
  out.reserve(merged.size());
  for (int32_t i : merged) out.push_back(&g_.at(i));
  return out;
}

bool sameObject(const Identity& a, const Identity& b) {
  if (a.kind != b.kind || a.name.empty() || a.name != b.name || a.addressIn != b.addressIn)
    return false;
  return a.project.empty() || b.project.empty() || a.project == b.project;
}

namespace {
bool matches(std::string_view pattern, std::string_view path) {
  size_t i = 0, j = 0;
  while (i < pattern.size() && j < path.size()) {
    if (pattern.substr(i, 3) == "[*]") {
      if (path[j] != '[') return false;
      const size_t close = path.find(']', j);
      if (close == std::string_view::npos) return false;
      i += 3;
      j = close + 1;
      continue;
    }
    if (pattern[i] != path[j]) return false;
    ++i;
    ++j;
  }
  return i == pattern.size() && j == path.size();
}
}  // namespace

void forEachField(const Resource& r, std::string_view pattern,
                  const std::function<void(const std::string&, const Field&)>& f) {
  // Every match starts with the pattern's text before its first "[*]": in the
  // sorted map they are one run, from the first path not less than that prefix.
  const std::string_view prefix = pattern.substr(0, pattern.find("[*]"));
  for (auto it = r.fields.lower_bound(prefix);
       it != r.fields.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix; ++it)
    if (matches(pattern, it->first)) f(it->first, it->second);
}

void forEachServiceRef(const Resource& urlMap,
                       const std::function<void(const std::string&, const Field&)>& f) {
  for (std::string_view p :
       {"defaultService", "pathMatchers[*].defaultService", "pathMatchers[*].pathRules[*].service",
        "pathMatchers[*].routeRules[*].service"})
    forEachField(urlMap, p, f);
}

std::string spelled(const Resource& r, std::string_view path) { return q(fieldName(r, path)); }

const Resource* createdElsewhere(const Graph& g, const Resource& from, const Field& f) {
  if (!f.ref->present() || f.ref->target >= 0 || f.state != State::Known || !f.ref->identity)
    return nullptr;
  const Identity& id = *f.ref->identity;
  if (!id.scope.known() || id.name.empty()) return nullptr;
  const int32_t i = g.findAnyScope(id);
  if (i < 0) return nullptr;
  const Resource& t = g.at(i);
  if (!live(t) || t.partial || t.document != from.document || t.lifecycle != Lifecycle::Create)
    return nullptr;
  if (!t.id.scope.known() || t.id.scope == id.scope) return nullptr;
  return &t;
}

}  // namespace lbcheck
