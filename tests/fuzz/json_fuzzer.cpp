// libFuzzer target: the JSON reader (one document, then several). lbcheck's
// own reader is compared with simdjson's on every input: when both read it,
// the documents are the same; when only one does, it is simdjson accepting a
// number JSON does not allow (`01`, `1.`), which the precise checker names.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/json.h"
#include "tests/fuzz/documents.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  lbcheck::SourceFile file(0, "fuzz.json", text);
  lbcheck::json::Limits limits;
  lbcheck::json::ParseError error;
  auto doc = lbcheck::json::parse(file, limits, &error);
  if (doc) {
    // Walk the tree: every span must lie inside the file.
    const auto n = doc->nodeCount();
    for (uint32_t i = 0; i < n; ++i) {
      const auto& node = doc->node(i);
      if (node.begin > node.end || node.end > size) __builtin_trap();
    }
  } else if (error.offset > size) {
    __builtin_trap();
  }
  lbcheck::json::ParseError oracleError;
  auto oracle = lbcheck::json::parseWithSimdjson(file, limits, &oracleError);
  if (doc && oracle && !fuzz::sameDocument(*doc, *oracle)) __builtin_trap();
  if (doc && !oracle) __builtin_trap();  // the own reader takes what simdjson refuses
  if (!doc && oracle) {
    lbcheck::json::ParseError why;
    if (!lbcheck::json::findSyntaxError(text, limits.maxDepth, &why)) __builtin_trap();
  }
  std::vector<std::unique_ptr<lbcheck::json::Document>> docs;
  lbcheck::json::parseMany(file, limits, &docs, &error);
  return 0;
}
