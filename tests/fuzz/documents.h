// What the fuzzers that compare two readers call the same: the same
// documents, node for node (type, span, count, value) and member for member
// (key, key span, value).
#pragma once

#include <memory>
#include <vector>

#include "engine/json.h"

namespace fuzz {

using Documents = std::vector<std::unique_ptr<lbcheck::json::Document>>;

inline bool sameDocument(const lbcheck::json::Document& x, const lbcheck::json::Document& y) {
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
        const lbcheck::Span a = x.keySpan(p), b = y.keySpan(q);
        if (p.value != q.value || a.begin != b.begin || a.end != b.end || x.key(p) != y.key(q))
          return false;
      }
    } else if (u.text() != v.text() || u.number() != v.number()) {
      return false;
    }
  }
  return true;
}

inline bool sameDocuments(const Documents& a, const Documents& b) {
  if (a.size() != b.size()) return false;
  for (size_t d = 0; d < a.size(); ++d)
    if (!sameDocument(*a[d], *b[d])) return false;
  return true;
}

}  // namespace fuzz
