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

/// Which reader turns the text into events. Auto: the block reader when the
/// whole stream is in its subset, else yaml-cpp. Both feed the same handler,
/// so the documents are the same either way (tests/yaml_test.cpp compares them
/// on every fixture, the yaml fuzzer on every input the block reader takes).
enum class Reader { Auto, YamlCpp };

/// Parses every document of the stream. Documents before a syntax error are
/// kept; `error` is set (and true returned) when the stream has one.
bool parse(const SourceFile& file, const Limits& limits,
           std::vector<std::unique_ptr<json::Document>>* documents, json::ParseError* error,
           Reader reader = Reader::Auto);

/// True when the block reader takes the whole text: block mappings and
/// sequences of one-line scalars (plain, or quoted without escapes), comments,
/// `---` between documents, ASCII without tabs or carriage returns. This is
/// how Config Connector manifests and gcloud exports are written; yaml-cpp
/// (whose scanner is most of the time of reading them) reads everything else.
bool blockSubset(std::string_view text);

}  // namespace lbcheck::yaml
