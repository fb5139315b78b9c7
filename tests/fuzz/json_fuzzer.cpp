// libFuzzer target: the JSON reader (one document, then several).
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lbcheck::SourceFile file(0, "fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  lbcheck::json::Limits limits;
  lbcheck::json::ParseError error;
  if (auto doc = lbcheck::json::parse(file, limits, &error)) {
    // Walk the tree: every span must lie inside the file.
    const auto n = doc->nodeCount();
    for (uint32_t i = 0; i < n; ++i) {
      const auto& node = doc->node(i);
      if (node.begin > node.end || node.end > size) __builtin_trap();
    }
  } else if (error.offset > size) {
    __builtin_trap();
  }
  std::vector<std::unique_ptr<lbcheck::json::Document>> docs;
  lbcheck::json::parseMany(file, limits, &docs, &error);
  return 0;
}
