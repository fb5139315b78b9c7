// The google provider's resource types that lbcheck reads, with the plan
// attribute -> canonical field map and the provider's non-computed defaults.
#pragma once

#include <span>
#include <string_view>

#include "engine/model.h"

namespace lbcheck::tfplan {

/// One attribute. Patterns use `name[0]` for a nested block with at most one
/// element and `name[*]` for every element of a list, set or block list.
struct AttrMap {
  std::string_view tf;                    // "backend[*].group"
  std::string_view api;                   // "backends[*].group"
  Kind ref = Kind::Unknown;               // the kind a reference-valued attribute points at
  std::string_view providerDefault = {};  // filled by the provider when unset
};

struct TypeMap {
  std::string_view type;
  Kind kind;
  Scope::Type scope;
  std::span<const AttrMap> attrs;
};

/// nullptr when lbcheck does not model the type.
const TypeMap* findType(std::string_view type);

/// The canonical (API) field patterns known for `kind`, with their reference
/// kinds: the union of the `api` column over every Terraform type of that kind,
/// so API exports and plans lower to the same fields.
std::span<const AttrMap> apiFields(Kind kind);

}  // namespace lbcheck::tfplan
