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

const ScriptState::Object* ScriptState::find(const Identity& id) const {
  for (const auto& o : live)
    if (sameScriptObject(o.id, id)) return &o;
  return nullptr;
}

const Operation* ScriptState::deletedBy(const Identity& id) const {
  for (const auto& [gone, op] : deleted)
    if (sameScriptObject(gone, id)) return op;
  return nullptr;
}

std::vector<std::pair<const ScriptState::Object*, const Operation::Ref*>> ScriptState::referrersOf(
    const Identity& id) const {
  std::vector<std::pair<const Object*, const Operation::Ref*>> out;
  for (const auto& o : live)
    for (const auto& r : o.refs)
      if (sameScriptObject(r.to, id)) out.emplace_back(&o, &r);
  return out;
}

void replay(const std::vector<Operation>& ops,
            const std::function<void(const Operation&, const ScriptState&)>& visit) {
  std::vector<const Operation*> order;
  for (const auto& op : ops) order.push_back(&op);
  std::stable_sort(order.begin(), order.end(), [](const Operation* a, const Operation* b) {
    return a->document != b->document ? a->document < b->document : a->sequence < b->sequence;
  });
  ScriptState state;
  uint32_t document = UINT32_MAX;
  for (const Operation* op : order) {
    if (op->document != document) {
      state = ScriptState{};
      document = op->document;
    }
    visit(*op, state);
    auto same = [&](const Identity& id) { return sameScriptObject(id, op->target); };
    if (op->verb == Operation::Verb::Delete) {
      std::erase_if(state.live, [&](const ScriptState::Object& o) { return same(o.id); });
      state.deleted.emplace_back(op->target, op);
      continue;
    }
    std::erase_if(state.deleted, [&](const auto& d) { return same(d.first); });
    auto it = std::find_if(state.live.begin(), state.live.end(),
                           [&](const ScriptState::Object& o) { return same(o.id); });
    if (it == state.live.end()) {
      state.live.push_back({});
      it = std::prev(state.live.end());
      it->id = op->target;
    }
    it->last = op;
    it->resource = op->resource;
    it->refs = op->refs;
  }
}

}  // namespace lbcheck
