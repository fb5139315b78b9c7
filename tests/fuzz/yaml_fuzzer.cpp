// libFuzzer target: the YAML reader (multi-document streams, aliases). When
// the block reader takes the input, its documents must be yaml-cpp's, node for
// node and member for member.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parsers/yaml/yaml.h"
#include "tests/fuzz/documents.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  lbcheck::SourceFile file(0, "fuzz.yaml", text);
  lbcheck::yaml::Limits limits;
  limits.maxNodes = 200000;
  fuzz::Documents docs;
  lbcheck::json::ParseError error;
  const bool failed = lbcheck::yaml::parse(file, limits, &docs, &error);
  for (const auto& doc : docs) {
    for (uint32_t i = 0; i < doc->nodeCount(); ++i) {
      const auto& node = doc->node(i);
      if (node.begin > node.end || node.end > size) __builtin_trap();
    }
  }
  if (lbcheck::yaml::blockSubset(text)) {
    fuzz::Documents oracle;
    lbcheck::json::ParseError oracleError;
    const bool oracleFailed =
        lbcheck::yaml::parse(file, limits, &oracle, &oracleError, lbcheck::yaml::Reader::YamlCpp);
    if (failed != oracleFailed || !fuzz::sameDocuments(docs, oracle)) __builtin_trap();
    if (failed && (error.offset != oracleError.offset || error.message != oracleError.message))
      __builtin_trap();
  }
  return 0;
}
