// Helpers shared by rules that follow the load-balancer chain.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/graph.h"
#include "engine/spelling.h"

namespace lbcheck {

/// A resource that exists after the change (not deleted).
inline bool live(const Resource& r) { return !r.goingAway() && r.mergedInto < 0; }

/// A live regional forwarding rule with scheme INTERNAL_MANAGED: the front of
/// the load balancer this tool checks.
inline bool isRegionalInternalManagedRule(const Resource& r) {
  return r.id.kind == Kind::ForwardingRule && live(r) && r.id.scope.type == Scope::Type::Region &&
         r.field("loadBalancingScheme").is("INTERNAL_MANAGED");
}

/// A live INTERNAL_MANAGED backend service that uses `neg` now, if any: what puts
/// a serverless NEG (and its Cloud Run service) behind this load balancer.
const Resource* internalManagedUserOf(const Graph& g, const Resource& neg);

/// A live piece of the load-balancer chain linked to `start` (forwarding rule,
/// proxy, URL map, backend service; following references both ways) whose
/// scheme is INTERNAL_MANAGED, or null. Without one, an EXTERNAL_MANAGED chain is
/// the regional *external* Application Load Balancer (a product choice), not a
/// mix-up of schemes.
const Resource* internalManagedPeer(const Graph& g, const Resource& start);

/// Calls f(run, neg, backend) once per live Cloud Run service that a live
/// serverless NEG of an INTERNAL_MANAGED backend service points at (the first
/// such NEG and backend service, in graph order).
void forEachServiceBehindInternalLb(
    const Graph& g,
    const std::function<void(const Resource* run, const Resource& neg, const Resource* backend)>&
        f);

/// The identity to compare a resource by: its own, except that a resource whose
/// name is unknown (known only after apply, e.g. built from random_pet) takes its
/// address (the Terraform address, KRM Kind/name) as the name. Real names never
/// contain the dots of an address, so such an identity equals only the identities
/// of the same resource, and messages name the resource instead of ``. Such
/// an identity holds the input document too (Identity::addressIn): two root
/// modules that evaluate the same module have the same addresses, but are two
/// deployments, and facts from them meet only where names are known.
Identity objectIdentity(const Resource& r);

/// The identity a reference field points at: the resolved target's
/// (objectIdentity), else the identity parsed from the link text, else nothing.
std::optional<Identity> refIdentity(const Graph& g, const Field& f);

/// For a reference of `from` that resolved to nothing: the one live resource of
/// that kind and name which `from`'s own input document creates in another
/// scope, or null. A script (or a plan) is a closed world for what it creates:
/// `--default-service=web` from us-central1 when the same script creates `web`
/// in europe-west4 names an object that does not exist, and the command fails.
const Resource* createdElsewhere(const Graph& g, const Resource& from, const Field& f);

/// Same kind and name, and the same project when both are known. An identity
/// without a name is not known to be any object: it equals nothing.
bool sameObject(const Identity& a, const Identity& b);

/// The live subnetworks of a graph by the network they are in, so rules that
/// pair each forwarding rule with the subnets of its network stay linear.
class SubnetsByNetwork {
 public:
  explicit SubnetsByNetwork(const Graph& g);
  /// In graph order: the live subnetworks whose network has the name of
  /// `network` (callers still compare the whole identity), and with
  /// `withUnknown` also those whose network is not known.
  std::vector<const Resource*> candidates(const Identity& network, bool withUnknown) const;

 private:
  const Graph& g_;
  std::unordered_map<std::string, std::vector<int32_t>> byName_;
  std::vector<int32_t> unknown_;
};

/// Calls f(path, field) for each field of `r` whose path matches `pattern`,
/// where "[*]" stands for any list index ("backends[*].group").
void forEachField(const Resource& r, std::string_view pattern,
                  const std::function<void(const std::string&, const Field&)>& f);

/// The URL map fields that name a backend service.
void forEachServiceRef(const Resource& urlMap,
                       const std::function<void(const std::string&, const Field&)>& f);

/// The field's name as r's input spells it (written or not), in backticks.
std::string spelled(const Resource& r, std::string_view path);

}  // namespace lbcheck
