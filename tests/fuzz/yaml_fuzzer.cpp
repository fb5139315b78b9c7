// libFuzzer target: the YAML reader (multi-document streams, aliases). When
// the block reader takes the input, its documents must be yaml-cpp's, node for
// node and member for member.
#include <cstddef>
#include <cstdint>
#include <string>

#include "parsers/yaml/yaml.h"

namespace {

using Documents = std::vector<std::unique_ptr<lbcheck::json::Document>>;

bool same(const Documents& a, const Documents& b) {
  if (a.size() != b.size()) return false;
  for (size_t d = 0; d < a.size(); ++d) {
    const lbcheck::json::Document& x = *a[d];
    const lbcheck::json::Document& y = *b[d];
    if (x.nodeCount() != y.nodeCount()) return false;
    for (uint32_t i = 0; i < x.nodeCount(); ++i) {
      const auto& n = x.node(i);
      const auto& m = y.node(i);
      if (n.type != m.type || n.begin != m.begin || n.end != m.end || n.count != m.count ||
          n.boolean != m.boolean)
        return false;
      const lbcheck::json::Value u(&x, i), v(&y, i);
      if (n.type == lbcheck::json::Type::Object || n.type == lbcheck::json::Type::Array) {
        for (uint32_t k = 0; k < n.count; ++k) {
          const auto& p = x.member(n.first + k);
          const auto& q = y.member(m.first + k);
          if (p.value != q.value || p.keyBegin != q.keyBegin || p.keyEnd != q.keyEnd ||
              x.arena(p.keyOffset, p.keyLength) != y.arena(q.keyOffset, q.keyLength))
            return false;
        }
      } else if (u.text() != v.text()) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  lbcheck::SourceFile file(0, "fuzz.yaml", text);
  lbcheck::yaml::Limits limits;
  limits.maxNodes = 200000;
  Documents docs;
  lbcheck::json::ParseError error;
  const bool failed = lbcheck::yaml::parse(file, limits, &docs, &error);
  for (const auto& doc : docs) {
    for (uint32_t i = 0; i < doc->nodeCount(); ++i) {
      const auto& node = doc->node(i);
      if (node.begin > node.end || node.end > size) __builtin_trap();
    }
  }
  if (lbcheck::yaml::blockSubset(text)) {
    Documents oracle;
    lbcheck::json::ParseError oracleError;
    const bool oracleFailed =
        lbcheck::yaml::parse(file, limits, &oracle, &oracleError, lbcheck::yaml::Reader::YamlCpp);
    if (failed != oracleFailed || !same(docs, oracle)) __builtin_trap();
    if (failed && (error.offset != oracleError.offset || error.message != oracleError.message))
      __builtin_trap();
  }
  return 0;
}
