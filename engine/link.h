// Normalises every spelling of a resource link (FORMATS.md §0) to an Identity.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/model.h"

namespace lbcheck {

/// What a bare name means: its kind, and the referrer's project and scope.
struct LinkContext {
  Kind expected = Kind::Unknown;
  std::string project;
  Scope scope;
};

/// Parses full URLs (v1/beta/alpha, www.googleapis.com or compute.googleapis.com),
/// `//compute.googleapis.com/...` names, relative paths (`projects/...`,
/// `regions/R/...`, `global/...`), Cloud Run names, and bare names (scope from
/// `context`). Returns nullopt for text that is not a link (empty, garbage).
std::optional<Identity> parseLink(std::string_view text, const LinkContext& context);

/// True for an IPv4 or IPv6 literal (with an optional /prefix): an address
/// field holding one is a value, not a reference to an address resource.
bool isIpLiteral(std::string_view text);

/// "us-central1" from "us-central1" or ".../regions/us-central1"; "" if empty.
std::string regionName(std::string_view text);

}  // namespace lbcheck
