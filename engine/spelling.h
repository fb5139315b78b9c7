// Facts about how names are spelled: how far apart two names are ("did you
// mean ...?"), and whether a value is a template placeholder.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace lbcheck {

/// The Levenshtein distance between two names (insertions, deletions and
/// substitutions of one byte each).
inline size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

/// A value that holds a template placeholder (`runservice-${uniqueId}`,
/// `{{.Values.name}}`): filled in before the file is applied, so the real value
/// is not known here. Real resource names never contain `${` or `{{`.
inline bool templatePlaceholder(std::string_view s) {
  return s.find("${") != std::string_view::npos || s.find("{{") != std::string_view::npos;
}

}  // namespace lbcheck
