#include "engine/timeline.h"

#include <algorithm>

namespace lbcheck {

std::string_view verbName(Operation::Verb v) {
  switch (v) {
    case Operation::Verb::Create:
      return "create";
    case Operation::Verb::Update:
      return "update";
    case Operation::Verb::Delete:
      return "delete";
    case Operation::Verb::AddBackend:
      return "add-backend";
    case Operation::Verb::RemoveBackend:
      return "remove-backend";
    case Operation::Verb::Edit:
      return "edit";
    case Operation::Verb::Import:
      return "import";
  }
  return "?";
}

bool sameScriptObject(const Identity& a, const Identity& b) {
  if (a.kind != b.kind || a.name != b.name) return false;
  return !a.scope.known() || !b.scope.known() || a.scope == b.scope;
}

bool LaneOrder::ordered(uint32_t a, uint32_t b) const {
  if (b >= after.size()) return false;
  return std::binary_search(after[b].begin(), after[b].end(), a);
}

}  // namespace lbcheck
