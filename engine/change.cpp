#include "engine/change.h"

#include <algorithm>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "engine/fix.h"
#include "engine/graph.h"

namespace lbcheck {

namespace {

/// The most operations of one document whose lanes are replayed step by step.
constexpr size_t kMaxLaneReplay = 2000;

Step::Action actionOf(Operation::Verb v) {
  switch (v) {
    case Operation::Verb::Create:
      return Step::Action::Create;
    case Operation::Verb::Delete:
      return Step::Action::Delete;
    default:
      return Step::Action::Update;
  }
}

/// `address` is `dep` or lies under it (an instance of it, or inside the module).
bool covers(std::string_view dep, std::string_view address) {
  if (address.substr(0, dep.size()) != dep) return false;
  return address.size() == dep.size() || address[dep.size()] == '[' || address[dep.size()] == '.';
}

}  // namespace

Changes::Changes(const Graph& g) : g_(g) {
  first_.assign(g.size(), -1);
  std::vector<bool> stepped(g.size(), false);

  // Sequential documents: the timeline in document and written order.
  std::vector<const Operation*> order;
  order.reserve(g.timeline().size());
  for (const Operation& op : g.timeline()) order.push_back(&op);
  std::stable_sort(order.begin(), order.end(), [](const Operation* a, const Operation* b) {
    return a->document != b->document ? a->document < b->document : a->sequence < b->sequence;
  });
  for (const Operation* op : order) {
    Step s;
    s.action = actionOf(op->verb);
    s.interactive = op->verb == Operation::Verb::Edit;
    s.attaches = op->verb == Operation::Verb::AddBackend;
    s.detaches = op->verb == Operation::Verb::RemoveBackend;
    s.sequential = true;
    s.dependenciesKnown = true;
    s.resource = op->resource;
    s.document = op->document;
    s.sequence = op->sequence;
    s.lane = op->lane;
    s.at = op->nameSpan;
    s.name = op->nameSpan;
    s.statement = op->span;
    s.command = op->command;
    s.drops = op->removed;
    steps_.push_back(std::move(s));
    ops_.push_back(op);
    if (op->resource >= 0 && static_cast<size_t>(op->resource) < stepped.size())
      stepped[static_cast<size_t>(op->resource)] = true;
  }

  // Scheduled documents: one step per resource a plan changes.
  std::vector<std::pair<uint32_t, std::pair<std::string_view, int32_t>>> planned;
  for (size_t i = 0; i < g.size(); ++i) {
    const Resource& r = g.at(static_cast<int32_t>(i));
    if (stepped[i] || r.lifecycle == Lifecycle::Static) continue;
    planned.push_back({r.document, {r.displayName, static_cast<int32_t>(i)}});
    if (r.lifecycle == Lifecycle::NoOp || r.mergedInto >= 0) continue;
    Step s;
    switch (r.lifecycle) {
      case Lifecycle::Create:
        s.action = Step::Action::Create;
        break;
      case Lifecycle::Read:
        s.action = Step::Action::Read;
        break;
      case Lifecycle::Delete:
        s.action = Step::Action::Delete;
        break;
      case Lifecycle::ReplaceDeleteFirst:
        s.action = Step::Action::Replace;
        break;
      case Lifecycle::ReplaceCreateFirst:
        s.action = Step::Action::Replace;
        s.createFirst = true;
        break;
      default:
        s.action = Step::Action::Update;
        break;
    }
    s.dependenciesKnown = r.dependsOn().has_value();
    s.resource = static_cast<int32_t>(i);
    s.document = r.document;
    s.at = r.lifecycleSpan().valid() ? r.lifecycleSpan() : r.header;
    s.name = r.header;
    s.statement = s.at;
    steps_.push_back(std::move(s));
  }
  // The addresses a dependency covers are one range of the sorted list.
  std::sort(planned.begin(), planned.end());
  for (const auto& [document, entry] : planned) {
    if (addresses_.empty() || addresses_.back().first != document)
      addresses_.push_back({document, {}});
    addresses_.back().second.push_back(entry);
  }

  next_.assign(steps_.size(), -1);
  std::vector<int32_t> last(g.size(), -1);
  for (size_t k = 0; k < steps_.size(); ++k) {
    const int32_t r = steps_[k].resource;
    if (r < 0 || static_cast<size_t>(r) >= g.size()) continue;
    int32_t& tail = last[static_cast<size_t>(r)];
    if (tail < 0)
      first_[static_cast<size_t>(r)] = static_cast<int32_t>(k);
    else
      next_[static_cast<size_t>(tail)] = static_cast<int32_t>(k);
    tail = static_cast<int32_t>(k);
  }
  replaySequential();
}

namespace {

std::string nameKey(const Identity& id) {
  std::string key = std::to_string(static_cast<int>(id.kind));
  key += '|';
  key += id.name;
  return key;
}

/// The objects of one sequential document as its steps leave them, indexed by
/// name and by what they reference, so each step costs about its own size
/// rather than the number of live objects. Objects match as sameScriptObject()
/// says; ties go to the oldest.
class SequentialState {
 public:
  struct Object {
    Identity id;
    int32_t resource = -1;
    const Operation* last = nullptr;
    uint32_t version = 0;
    bool alive = true;
  };

  /// The live object `id` names, or -1.
  int32_t find(const Identity& id) const {
    const auto it = byName_.find(nameKey(id));
    if (it == byName_.end()) return -1;
    for (int32_t o : it->second)
      if (objects_[static_cast<size_t>(o)].alive &&
          sameScriptObject(objects_[static_cast<size_t>(o)].id, id))
        return o;
    return -1;
  }
  const Object& at(int32_t o) const { return objects_[static_cast<size_t>(o)]; }

  /// The live objects whose current references name `id`, oldest first.
  std::vector<int32_t> referrersOf(const Identity& id) {
    std::vector<int32_t> out;
    const auto it = byTarget_.find(nameKey(id));
    if (it == byTarget_.end()) return out;
    auto& list = it->second;
    // Entries of older versions of an object are stale: drop them on the way.
    std::erase_if(list, [&](const std::pair<int32_t, uint32_t>& e) {
      const Object& o = objects_[static_cast<size_t>(e.first)];
      return !o.alive || o.version != e.second;
    });
    for (const auto& e : list) out.push_back(e.first);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  /// The step (index) of the earliest delete of `id` that nothing has made again since, or -1.
  int32_t deletedBy(const Identity& id) const {
    const auto it = deleted_.find(nameKey(id));
    if (it == deleted_.end()) return -1;
    for (const auto& [gone, step] : it->second)
      if (sameScriptObject(gone, id)) return step;
    return -1;
  }

  /// Applies `op`, step `step` of the document (after the step has looked at
  /// the state before it).
  void apply(const Operation& op, int32_t step) {
    if (op.verb == Operation::Verb::Delete) {
      deleted_[nameKey(op.target)].push_back({op.target, step});
      const auto it = byName_.find(nameKey(op.target));
      if (it == byName_.end()) return;
      for (int32_t o : it->second)
        if (sameScriptObject(objects_[static_cast<size_t>(o)].id, op.target))
          objects_[static_cast<size_t>(o)].alive = false;
      std::erase_if(it->second, [&](int32_t o) { return !objects_[static_cast<size_t>(o)].alive; });
      return;
    }
    if (const auto gone = deleted_.find(nameKey(op.target)); gone != deleted_.end())
      std::erase_if(gone->second, [&](const std::pair<Identity, int32_t>& d) {
        return sameScriptObject(d.first, op.target);
      });
    int32_t o = find(op.target);
    if (o < 0) {
      o = static_cast<int32_t>(objects_.size());
      objects_.push_back({op.target, -1, nullptr, 0, true});
      byName_[nameKey(op.target)].push_back(o);
    }
    Object& object = objects_[static_cast<size_t>(o)];
    object.last = &op;
    object.resource = op.resource;
    ++object.version;
    for (const Operation::Ref& ref : op.refs)
      byTarget_[nameKey(ref.to)].push_back({o, object.version});
  }

 private:
  std::vector<Object> objects_;  // in the order they appeared
  std::unordered_map<std::string, std::vector<int32_t>> byName_;
  std::unordered_map<std::string, std::vector<std::pair<int32_t, uint32_t>>> byTarget_;
  // Deleted and not made again, by name: what the delete named, and its step.
  std::unordered_map<std::string, std::vector<std::pair<Identity, int32_t>>> deleted_;
};

}  // namespace

void Changes::replaySequential() {
  seqHolders_.resize(ops_.size());
  seqHeld_.resize(ops_.size());
  seqGone_.resize(ops_.size());
  SequentialState state;
  size_t documentStart = 0;
  bool partial = false;
  for (size_t at = 0; at < ops_.size(); ++at) {
    const Operation& op = *ops_[at];
    if (at == 0 || ops_[at - 1]->document != op.document) {
      state = SequentialState{};
      documentStart = at;
      // A document whose lanes may run at the same time: the state a step sees
      // for sure is what the steps it waits for left (the others may not have
      // run yet), rebuilt per step. Past a bound on that work, written order.
      size_t end = at;
      while (end < ops_.size() && ops_[end]->document == op.document) ++end;
      partial = g_.laneOrder(op.document) && end - at <= kMaxLaneReplay;
    }
    if (partial) {
      state = SequentialState{};
      for (size_t k = documentStart; k < at; ++k)
        if (before(steps_[k], steps_[at])) state.apply(*ops_[k], static_cast<int32_t>(k));
    }
    if (op.verb == Operation::Verb::Delete) {
      for (int32_t o : state.referrersOf(op.target)) {
        const SequentialState::Object& holder = state.at(o);
        if (holder.resource < 0) continue;
        for (const Operation::Ref& ref : holder.last->refs)
          if (sameScriptObject(ref.to, op.target))
            seqHolders_[at].push_back({holder.resource, ref.path, ref.spelling, ref.span, false});
      }
    }
    if (const int32_t o = state.find(op.target); o >= 0) {
      for (const Operation::Ref& ref : state.at(o).last->refs) {
        const int32_t named = state.find(ref.to);
        seqHeld_[at].push_back({&ref, named >= 0 ? state.at(named).resource : -1});
      }
    }
    for (const Operation::Ref& ref : op.refs) {
      if (!ref.written || op.verb == Operation::Verb::Delete) continue;  // a delete writes none
      if (const int32_t gone = state.deletedBy(ref.to); gone >= 0)
        seqGone_[at].push_back({&ref, &steps_[static_cast<size_t>(gone)]});
    }
    if (!partial) state.apply(op, static_cast<int32_t>(at));
  }
}

std::vector<const Step*> Changes::stepsOf(int32_t resource) const {
  std::vector<const Step*> out;
  for (int32_t k = first(resource); k >= 0; k = next_[static_cast<size_t>(k)])
    out.push_back(&steps_[static_cast<size_t>(k)]);
  return out;
}

bool Changes::waitsFor(const Step& later, int32_t resource) const {
  const auto doc =
      std::lower_bound(addresses_.begin(), addresses_.end(), later.document,
                       [](const auto& entry, uint32_t document) { return entry.first < document; });
  if (doc == addresses_.end() || doc->first != later.document) return false;
  const auto& list = doc->second;
  std::unordered_set<int32_t> seen;
  std::deque<int32_t> todo{later.resource};
  while (!todo.empty()) {
    const Resource& r = g_.at(todo.front());
    todo.pop_front();
    if (!r.dependsOn()) continue;
    for (const std::string& dep : *r.dependsOn()) {
      for (auto at = std::lower_bound(list.begin(), list.end(),
                                      std::make_pair(std::string_view(dep), INT32_MIN));
           at != list.end() && at->first.substr(0, dep.size()) == dep; ++at) {
        if (!covers(dep, at->first)) continue;
        if (at->second == resource) return true;
        if (seen.insert(at->second).second) todo.push_back(at->second);
      }
    }
  }
  return false;
}

bool Changes::before(const Step& a, const Step& b) const {
  if (a.document != b.document || a.sequential != b.sequential) return false;
  if (a.sequential) {
    if (a.lane != b.lane)
      if (const LaneOrder* lanes = g_.laneOrder(a.document)) return lanes->ordered(a.lane, b.lane);
    return a.sequence < b.sequence;
  }
  // Scheduled: a creation or update runs after the creations and updates it waits for.
  if (a.action == Step::Action::Delete || b.action == Step::Action::Delete) return false;
  return b.dependenciesKnown && waitsFor(b, a.resource);
}

bool Changes::existsAt(int32_t resource, const Step& s) const {
  const Resource& r = g_.at(resource);
  const Step* same = nullptr;  // r's first step in s's document
  const Step* lastElsewhere = nullptr;
  const Step* lastBefore = nullptr;  // sequential: r's last step before s
  for (int32_t k = first(resource); k >= 0; k = next_[static_cast<size_t>(k)]) {
    const Step& m = steps_[static_cast<size_t>(k)];
    if (m.document != s.document || m.sequential != s.sequential) {
      lastElsewhere = &m;
      continue;
    }
    if (!same) same = &m;
    if (m.sequential && before(m, s)) lastBefore = &m;
  }
  if (!same) {
    if (!lastElsewhere) return r.mergedInto < 0 && !r.goingAway();
    return lastElsewhere->sequential ? lastElsewhere->action != Step::Action::Delete
                                     : !lastElsewhere->destroysFirst();
  }
  if (s.sequential) {
    if (lastBefore) return lastBefore->action != Step::Action::Delete;
    return same->action != Step::Action::Create;  // the document found it there
  }
  if (same->destroysFirst()) return false;
  if (s.creates() && same->creates()) return before(*same, s);
  return true;
}

std::vector<Holder> Changes::holders(const Step& s) const {
  if (s.sequential) return seqHolders_[static_cast<size_t>(indexOf(s))];
  std::vector<Holder> out;
  if (!s.destroysFirst()) return out;
  for (const auto& ref : g_.referrers(s.resource)) {
    const Resource& u = g_.at(ref.resource);
    if (u.mergedInto >= 0) continue;
    // A holder that goes away is destroyed first.
    if (u.lifecycle == Lifecycle::Delete || u.lifecycle == Lifecycle::ReplaceDeleteFirst) continue;
    // On a plain delete the holder's own change, which drops the reference, runs
    // first; on a destroy-first replacement the old reference is still there.
    if (ref.prior && s.action == Step::Action::Delete) continue;
    const Field& use = ref.prior ? u.priorField(ref.path) : u.field(ref.path);
    out.push_back({ref.resource, ref.path, fieldName(u, ref.path),
                   use.span.valid() && use.state == State::Known ? use.span : u.header, ref.prior});
  }
  return out;
}

std::vector<HeldRef> Changes::heldBefore(const Step& s) const {
  if (!s.sequential) return {};
  return seqHeld_[static_cast<size_t>(indexOf(s))];
}

std::vector<GoneRef> Changes::goneBefore(const Step& s) const {
  if (!s.sequential) return {};
  return seqGone_[static_cast<size_t>(indexOf(s))];
}

std::vector<const Step*> Changes::earlierStepsOf(int32_t holder, const Step& s) const {
  std::vector<const Step*> out;
  if (!s.sequential) return out;
  for (int32_t k = first(holder); k >= 0; k = next_[static_cast<size_t>(k)]) {
    const Step& m = steps_[static_cast<size_t>(k)];
    if (m.sequential && m.document == s.document && before(m, s)) out.push_back(&m);
  }
  return out;
}

namespace {

const Field& unknownField() {
  static const Field f = [] {
    Field x;
    x.state = State::Unknown;
    return x;
  }();
  return f;
}

const Field& absentField() {
  static const Field f;
  return f;
}

}  // namespace

const Field& Changes::sequentialValue(const Step& s, const Resource& r, std::string_view path,
                                      bool including) const {
  const Field* last = nullptr;
  bool created = false, writtenLater = false;
  for (int32_t k = first(g_.indexOf(r)); k >= 0; k = next_[static_cast<size_t>(k)]) {
    const Step& t = steps_[static_cast<size_t>(k)];
    if (!t.sequential || t.document != s.document) continue;
    const Operation* op = ops_[static_cast<size_t>(k)];
    const bool earlier = before(t, s) || (including && t.sequence == s.sequence);
    const Field* wrote = nullptr;
    if (op)
      for (const auto& [p, f] : op->writes)
        if (p == path) wrote = &f;
    if (!earlier) {
      if (wrote) writtenLater = true;
      continue;
    }
    if (t.creates()) {
      created = true;
      last = nullptr;  // a new object: what came before is gone
    }
    if (t.action == Step::Action::Delete) last = nullptr;
    if (wrote) last = wrote;
  }
  if (last) return *last;
  if (created) return absentField();
  if (writtenLater) return unknownField();
  return r.field(path);
}

const Field& Changes::fieldBefore(const Step& s, const Resource& r, std::string_view path) const {
  if (s.sequential) return sequentialValue(s, r, path, false);
  if (s.resource == g_.indexOf(r)) return r.priorField(path);
  // Another resource of a scheduled change: as its own update found it.
  const Step* update = nullptr;
  for (const Step* t : stepsOf(g_.indexOf(r)))
    if (t->action == Step::Action::Update) update = t;
  return update ? r.priorField(path) : r.field(path);
}

const Field& Changes::fieldAfter(const Step& s, std::string_view path) const {
  const Resource& r = g_.at(s.resource);
  return s.sequential ? sequentialValue(s, r, path, true) : r.field(path);
}

}  // namespace lbcheck
