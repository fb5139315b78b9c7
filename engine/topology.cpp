#include "engine/topology.h"

#include <algorithm>
#include <set>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {

std::string_view lbTypeName(LbType t) {
  switch (t) {
    case LbType::RegionalInternal:
      return "regional internal Application Load Balancer";
    case LbType::CrossRegionInternal:
      return "cross-region internal Application Load Balancer";
    case LbType::GlobalExternal:
      return "global external Application Load Balancer";
    case LbType::Classic:
      return "classic Application Load Balancer";
    case LbType::RegionalExternal:
      return "regional external Application Load Balancer";
    case LbType::Mixed:
      return "load balancer that mixes types";
    case LbType::Unknown:
      break;
  }
  return "";
}

std::string_view lbTypeId(LbType t) {
  switch (t) {
    case LbType::RegionalInternal:
      return "regional-internal";
    case LbType::CrossRegionInternal:
      return "cross-region-internal";
    case LbType::GlobalExternal:
      return "global-external";
    case LbType::Classic:
      return "classic";
    case LbType::RegionalExternal:
      return "regional-external";
    case LbType::Mixed:
      return "invalid-mix";
    case LbType::Unknown:
      break;
  }
  return "unknown";
}

bool isExternal(LbType t) {
  return t == LbType::GlobalExternal || t == LbType::Classic || t == LbType::RegionalExternal;
}

bool isInternal(LbType t) {
  return t == LbType::RegionalInternal || t == LbType::CrossRegionInternal;
}

bool isGlobalType(LbType t) {
  return t == LbType::CrossRegionInternal || t == LbType::GlobalExternal || t == LbType::Classic;
}

std::string_view proxySubnetPurpose(LbType t) {
  switch (t) {
    case LbType::RegionalInternal:
    case LbType::RegionalExternal:
      return "REGIONAL_MANAGED_PROXY";
    case LbType::CrossRegionInternal:
      return "GLOBAL_MANAGED_PROXY";
    default:
      return "";
  }
}

LbType lbTypeFor(std::string_view scheme, bool global) {
  if (scheme == "INTERNAL_MANAGED")
    return global ? LbType::CrossRegionInternal : LbType::RegionalInternal;
  if (scheme == "EXTERNAL_MANAGED")
    return global ? LbType::GlobalExternal : LbType::RegionalExternal;
  if (scheme == "EXTERNAL") return global ? LbType::Classic : LbType::Mixed;
  return LbType::Unknown;
}

std::string effectiveScheme(const Resource& r) {
  const Field& f = r.field("loadBalancingScheme");
  if (f.known()) return f.text;
  if (f.state == State::Absent) return "EXTERNAL";
  return "";
}

namespace {

bool isProxyKind(Kind k) { return k == Kind::TargetHttpProxy || k == Kind::TargetHttpsProxy; }

// The URL map fields that name a backend service (routes and weighted backends too).
constexpr std::string_view kServicePatterns[] = {
    "defaultService",
    "defaultRouteAction.weightedBackendServices[*].backendService",
    "pathMatchers[*].defaultService",
    "pathMatchers[*].defaultRouteAction.weightedBackendServices[*].backendService",
    "pathMatchers[*].pathRules[*].service",
    "pathMatchers[*].pathRules[*].routeAction.weightedBackendServices[*].backendService",
    "pathMatchers[*].routeRules[*].service",
    "pathMatchers[*].routeRules[*].routeAction.weightedBackendServices[*].backendService",
};

/// A backend service in the middle of the documented classic → global external
/// migration: its scheme and its forwarding rule's may differ.
bool migrating(const Resource& bs) {
  const Field& f = bs.field("externalManagedMigrationState");
  return f.known() || f.state == State::Unknown;
}

void classify(LbChain& c, const Scope& proxyScope) {
  const Resource& fr = *c.rule;
  const std::string scheme = effectiveScheme(fr);
  if (scheme.empty() || !fr.id.scope.known()) return;
  const bool frGlobal = fr.id.scope.type == Scope::Type::Global;
  // Where the rest of the chain lives: the proxy's scope, else the URL map's.
  bool restKnown = proxyScope.known();
  bool restGlobal = proxyScope.type == Scope::Type::Global;
  if (!restKnown && c.urlMap && c.urlMap->id.scope.known()) {
    restKnown = true;
    restGlobal = c.urlMap->id.scope.type == Scope::Type::Global;
  }
  if (!restKnown) restGlobal = frGlobal;

  LbType type = lbTypeFor(scheme, frGlobal);
  if (type == LbType::Unknown) return;
  if (!frGlobal && scheme == "EXTERNAL") {
    // The classic ALB in Standard Tier: a regional rule in front of a global proxy.
    if (restGlobal && ForwardingRuleView(fr).networkTier().is("STANDARD")) {
      type = LbType::Classic;
    } else {
      c.type = LbType::Mixed;
      c.mixFrom = &fr;
      c.mixTo = c.proxy;
      c.mixScope = restGlobal;
      c.mixWhy = restGlobal ? "a regional forwarding rule in Premium Tier cannot target the global "
                              "proxy of an Application Load Balancer (only the classic one in "
                              "Standard Tier has a regional forwarding rule)"
                            : "a regional target proxy belongs to a regional Application Load "
                              "Balancer, whose forwarding rule is INTERNAL_MANAGED or "
                              "EXTERNAL_MANAGED, not EXTERNAL";
      return;
    }
  } else if (restGlobal != frGlobal) {
    c.type = LbType::Mixed;
    c.mixFrom = &fr;
    c.mixTo = c.proxy;
    c.mixScope = true;
    c.mixWhy = std::string(frGlobal ? "a global" : "a regional") +
               " forwarding rule cannot target " + (restGlobal ? "a global" : "a regional") +
               " proxy";
    return;
  }
  // Every backend service has the scheme of the forwarding rule.
  for (const Resource* bs : c.backends) {
    const std::string s = effectiveScheme(*bs);
    if (s.empty() || s == scheme) continue;
    if (((s == "EXTERNAL" && scheme == "EXTERNAL_MANAGED") ||
         (s == "EXTERNAL_MANAGED" && scheme == "EXTERNAL")) &&
        migrating(*bs))
      continue;
    c.type = LbType::Mixed;
    c.mixFrom = &fr;
    c.mixTo = bs;
    c.mixWhy = "the forwarding rule is " + scheme + " and the backend service is " + s +
               "; every backend service of an Application Load Balancer has its forwarding "
               "rule's scheme";
    return;
  }
  c.type = type;
}

}  // namespace

bool chainOf(const Graph& g, const Resource& fr, LbChain& out) {
  if (fr.id.kind != Kind::ForwardingRule || !live(fr)) return false;
  const Field& target = ForwardingRuleView(fr).target();
  const auto id = refIdentity(g, target);
  if (!id || !isProxyKind(id->kind)) return false;
  out = LbChain{};
  out.rule = &fr;
  const Resource* proxy = g.target(target);
  if (proxy && live(*proxy)) out.proxy = proxy;
  if (out.proxy) {
    const Resource* map = g.target(TargetProxyView(*out.proxy).urlMap());
    if (map && live(*map) && map->id.kind == Kind::UrlMap) out.urlMap = map;
  }
  if (out.urlMap) {
    std::set<const Resource*> seen;
    for (std::string_view p : kServicePatterns)
      forEachField(*out.urlMap, p, [&](const std::string&, const Field& f) {
        const Resource* bs = g.target(f);
        if (bs && live(*bs) && bs->id.kind == Kind::BackendService && seen.insert(bs).second)
          out.backends.push_back(bs);
      });
  }
  classify(out, out.proxy ? out.proxy->id.scope : id->scope);
  return true;
}

std::vector<LbChain> allChains(const Graph& g) {
  std::vector<LbChain> out;
  for (int32_t i : g.ofKind(Kind::ForwardingRule)) {
    LbChain c;
    if (chainOf(g, g.at(i), c)) out.push_back(std::move(c));
  }
  return out;
}

namespace {

/// The chains reaching `start` (walking backend service <- URL map <- proxy <-
/// forwarding rule), and the type start's own scheme and scope name.
LbType walk(const Graph& g, const Resource& start, std::vector<LbChain>& chains) {
  if (!live(start)) return LbType::Unknown;
  std::set<int32_t> seen{g.indexOf(start)};
  std::vector<int32_t> todo{g.indexOf(start)};
  std::vector<int32_t> rules;
  LbType fallback = LbType::Unknown;
  while (!todo.empty()) {
    const int32_t i = todo.back();
    todo.pop_back();
    const Resource& r = g.at(i);
    if (r.id.kind == Kind::ForwardingRule) {
      rules.push_back(i);
      continue;
    }
    if (fallback == LbType::Unknown && r.id.scope.known() && r.id.kind == Kind::BackendService) {
      const std::string s = effectiveScheme(r);
      if (!s.empty()) fallback = lbTypeFor(s, r.id.scope.type == Scope::Type::Global);
    }
    for (const auto& ref : g.referrers(i)) {
      if (ref.prior) continue;
      const Resource& u = g.at(ref.resource);
      if (!live(u)) continue;
      const Kind k = u.id.kind;
      const bool up = (r.id.kind == Kind::BackendService && k == Kind::UrlMap) ||
                      (r.id.kind == Kind::UrlMap && isProxyKind(k)) ||
                      (isProxyKind(r.id.kind) && k == Kind::ForwardingRule);
      if (up && seen.insert(ref.resource).second) todo.push_back(ref.resource);
    }
  }
  std::sort(rules.begin(), rules.end());
  for (int32_t i : rules) {
    LbChain c;
    if (chainOf(g, g.at(i), c)) chains.push_back(std::move(c));
  }
  return fallback == LbType::Mixed ? LbType::Unknown : fallback;
}

}  // namespace

std::vector<LbChain> chainsServing(const Graph& g, const Resource& r) {
  std::vector<LbChain> chains;
  walk(g, r, chains);
  return chains;
}

LbTypes typesServing(const Graph& g, const Resource& start) {
  LbTypes types;
  std::vector<LbChain> chains;
  const LbType fallback = walk(g, start, chains);
  for (const LbChain& c : chains) types.add(c.type);
  if (chains.empty() && fallback != LbType::Unknown) types.add(fallback);
  return types;
}

LbType typeServing(const Graph& g, const Resource& r) {
  const LbTypes types = typesServing(g, r);
  LbType one = LbType::Unknown;
  for (LbType t : {LbType::RegionalInternal, LbType::CrossRegionInternal, LbType::GlobalExternal,
                   LbType::Classic, LbType::RegionalExternal, LbType::Mixed}) {
    if (!types.has(t)) continue;
    if (one != LbType::Unknown) return LbType::Unknown;
    one = t;
  }
  return one;
}

std::string describeLb(const LbChain& c) {
  std::string s(lbTypeName(c.type));
  if (c.rule) s += " " + q(c.rule->id.name.empty() ? c.rule->displayName : c.rule->id.name.str());
  return s;
}

std::string describeLb(LbType type, const LbChain* chain, const Resource& backend) {
  if (chain) return describeLb(*chain);
  return std::string(lbTypeName(type)) + " (" + describe(backend) + ")";
}

void forEachServiceBehindLb(
    const Graph& g,
    const std::function<void(const Resource& run, const Resource& neg, const Resource& backend,
                             LbType type, const LbChain* chain)>& f) {
  for (int32_t i : g.ofKind(Kind::NetworkEndpointGroup)) {
    const Resource& neg = g.at(i);
    if (!live(neg)) continue;
    const Resource* run = g.target(ServerlessNegView(neg).cloudRunService());
    if (!run || run->id.kind != Kind::RunService || !live(*run)) continue;
    for (const auto& ref : g.referrers(i)) {
      if (ref.prior) continue;
      const Resource& bs = g.at(ref.resource);
      if (bs.id.kind != Kind::BackendService || !live(bs)) continue;
      std::vector<LbChain> chains;
      const LbType fallback = walk(g, bs, chains);
      if (chains.empty()) {
        if (fallback != LbType::Unknown) f(*run, neg, bs, fallback, nullptr);
        continue;
      }
      for (LbType t : {LbType::RegionalInternal, LbType::CrossRegionInternal,
                       LbType::GlobalExternal, LbType::Classic, LbType::RegionalExternal})
        for (const LbChain& c : chains)
          if (c.type == t) {
            f(*run, neg, bs, t, &c);
            break;
          }
    }
  }
}

std::string renderChains(const Graph& g) {
  std::string out;
  for (const LbChain& c : allChains(g)) {
    if (out.empty()) out = "\nload balancers:\n";
    out += "  " + std::string(lbTypeId(c.type)) + "  forwarding rule " + c.rule->id.name;
    if (c.proxy) out += " -> " + std::string(kindLabel(c.proxy->id.kind)) + " " + c.proxy->id.name;
    if (c.urlMap) out += " -> URL map " + c.urlMap->id.name;
    for (size_t i = 0; i < c.backends.size(); ++i)
      out += std::string(i == 0 ? " -> " : ", ") + "backend service " + c.backends[i]->id.name;
    if (c.type == LbType::Mixed) out += "  (" + c.mixWhy + ")";
    out += "\n";
  }
  return out;
}

}  // namespace lbcheck
