// YAML streams (one or more documents) read into the same span-keeping value
// tree as JSON, with yaml-cpp's event parser.
//
// Plain scalars are typed as YAML 1.2's core schema says (null, bool, int,
// float, else string), so `portRange: 80-80` and `IPAddress: 10.1.2.99` stay
// strings; quoted scalars are always strings. Aliases share the anchored node
// instead of copying it, so alias "bombs" cost nothing.
#pragma once

#include <memory>
#include <vector>

#include "engine/json.h"

namespace lbcheck::yaml {

struct Limits {
  size_t maxDepth = 512;
  size_t maxNodes = 10'000'000;
};

/// Parses every document of the stream. Documents before a syntax error are
/// kept; `error` is set (and true returned) when the stream has one.
bool parse(const SourceFile& file, const Limits& limits,
           std::vector<std::unique_ptr<json::Document>>* documents, json::ParseError* error);

}  // namespace lbcheck::yaml
