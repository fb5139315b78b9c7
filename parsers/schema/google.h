// The google provider schema, in one place for every adapter: the resource
// types lbcheck reads (their kind and scope), each attribute's Terraform name
// and canonical (API) field, which attributes are references, and the values
// the provider or the server fills in when an attribute is left unset. The
// plan and .tf adapters read Terraform names through it; the API, KRM and
// gcloud adapters read the canonical field list (apiFields).
#pragma once

#include <span>
#include <string_view>

#include "engine/model.h"

namespace lbcheck::schema {

/// One attribute. Patterns use `name[0]` for a nested block with at most one
/// element and `name[*]` for every element of a list, set or block list.
struct AttrMap {
  std::string_view tf;                    // "backend[*].group"
  std::string_view api;                   // "backends[*].group"
  Kind ref = Kind::Unknown;               // the kind a reference-valued attribute points at
  std::string_view providerDefault = {};  // filled by the provider/server when unset
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

}  // namespace lbcheck::schema
