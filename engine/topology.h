// Which member of the Application Load Balancer family a chain is: from the
// scheme of its forwarding rule and backend services, the scope (global or a
// region) of forwarding rule, target proxy, URL map and backend services, and the
// proxy kind. Rules ask this instead of testing schemes and scopes themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph.h"

namespace lbcheck {

/// The Application Load Balancer types lbcheck checks.
enum class LbType : uint8_t {
  Unknown,              // a scheme or scope is not known
  RegionalInternal,     // INTERNAL_MANAGED, regional
  CrossRegionInternal,  // INTERNAL_MANAGED, global
  GlobalExternal,       // EXTERNAL_MANAGED, global
  Classic,              // EXTERNAL, global (regional forwarding rule in Standard Tier)
  RegionalExternal,     // EXTERNAL_MANAGED, regional
  Mixed,                // no row of the table: LB023 (schemes) or LB002 (scopes)
};

/// A set of types, for rules that declare where they apply.
class LbTypes {
 public:
  constexpr LbTypes() = default;
  constexpr LbTypes(std::initializer_list<LbType> types) {
    for (LbType t : types) bits_ |= bit(t);
  }
  constexpr bool has(LbType t) const { return (bits_ & bit(t)) != 0; }
  constexpr void add(LbType t) { bits_ |= bit(t); }
  constexpr bool empty() const { return bits_ == 0; }

 private:
  static constexpr uint32_t bit(LbType t) { return 1u << static_cast<unsigned>(t); }
  uint32_t bits_ = 0;
};

/// "global external Application Load Balancer"; "" for Unknown.
std::string_view lbTypeName(LbType t);
/// "global-external" (for --print-graph and machine output).
std::string_view lbTypeId(LbType t);
bool isExternal(LbType t);
bool isInternal(LbType t);
/// Global types (the URL map and backend services are global).
bool isGlobalType(LbType t);
/// The purpose its proxy-only subnet has, or "" when the type needs none.
std::string_view proxySubnetPurpose(LbType t);

/// The type a scheme names at a scope; Unknown for an unknown or other scheme.
LbType lbTypeFor(std::string_view scheme, bool global);

/// The scheme a chain resource has after defaults: the written or tool-filled
/// value, "EXTERNAL" when absent (the Compute API default for forwarding rules
/// and backend services), "" when unknown.
std::string effectiveScheme(const Resource& r);

/// One load balancer: a forwarding rule and what it reaches.
struct LbChain {
  const Resource* rule = nullptr;  // the forwarding rule
  const Resource* proxy = nullptr;
  const Resource* urlMap = nullptr;
  std::vector<const Resource*> backends;  // backend services the URL map reaches, in order
  LbType type = LbType::Unknown;
  /// For Mixed: the two ends that disagree and what about.
  const Resource* mixFrom = nullptr;
  const Resource* mixTo = nullptr;
  std::string mixWhy;
  bool mixScope = false;  // global and regional pieces (else: schemes)
};

/// The chain of a live forwarding rule that targets a target HTTP(S) proxy (the
/// proxy may be missing from the inputs); false otherwise.
bool chainOf(const Graph& g, const Resource& forwardingRule, LbChain& out);

/// Every chain of the graph, in the order of the forwarding rules.
std::vector<LbChain> allChains(const Graph& g);

/// The types of the load balancers that serve a live resource of the chain
/// (forwarding rule, proxy, URL map, backend service): those of the chains that
/// reach it, or, when no forwarding rule reaches it, the type its own scheme and
/// scope (and those of what reaches it) name. Empty when unknown.
LbTypes typesServing(const Graph& g, const Resource& r);

/// The chains that reach a live backend service, URL map or proxy (or start at
/// a forwarding rule), in graph order.
std::vector<LbChain> chainsServing(const Graph& g, const Resource& r);

/// The single type serving r, Unknown when none is known or several are.
LbType typeServing(const Graph& g, const Resource& r);

/// "global external Application Load Balancer `web-fr`" (its forwarding rule's
/// name), or the type alone when the chain has no forwarding rule.
std::string describeLb(const LbChain& c);

/// Calls f(run, neg, backend, type, chain) once per live Cloud Run service, live
/// serverless NEG of it, live backend service using that NEG and type of load
/// balancer serving that backend service, in graph order; `chain` is the first
/// chain of that type reaching the backend service, or null when no forwarding
/// rule does (the type then comes from the backend service's own scheme and scope).
void forEachServiceBehindLb(
    const Graph& g,
    const std::function<void(const Resource& run, const Resource& neg, const Resource& backend,
                             LbType type, const LbChain* chain)>& f);

/// "global external Application Load Balancer `web-fr`", or without a chain
/// "global external Application Load Balancer (backend service `web-bs`)".
std::string describeLb(LbType type, const LbChain* chain, const Resource& backend);

/// The chains as text, one line per chain (`lbcheck --print-graph`).
std::string renderChains(const Graph& g);

}  // namespace lbcheck
