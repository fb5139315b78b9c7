// libFuzzer target: the YAML reader (multi-document streams, aliases).
#include <cstddef>
#include <cstdint>
#include <string>

#include "parsers/yaml/yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lbcheck::SourceFile file(0, "fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  lbcheck::yaml::Limits limits;
  limits.maxNodes = 200000;
  std::vector<std::unique_ptr<lbcheck::json::Document>> docs;
  lbcheck::json::ParseError error;
  lbcheck::yaml::parse(file, limits, &docs, &error);
  for (const auto& doc : docs) {
    for (uint32_t i = 0; i < doc->nodeCount(); ++i) {
      const auto& node = doc->node(i);
      if (node.begin > node.end || node.end > size) __builtin_trap();
    }
  }
  return 0;
}
