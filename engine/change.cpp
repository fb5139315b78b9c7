#include "engine/change.h"

#include <algorithm>
#include <deque>
#include <unordered_set>

#include "engine/fix.h"
#include "engine/graph.h"

namespace lbcheck {

namespace {

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

  // Sequential documents: the timeline in document and written order (the
  // order replay() visits it in).
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
    s.sequential = true;
    s.dependenciesKnown = true;
    s.resource = op->resource;
    s.document = op->document;
    s.sequence = op->sequence;
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
    s.dependenciesKnown = r.dependsOn.has_value();
    s.resource = static_cast<int32_t>(i);
    s.document = r.document;
    s.at = r.lifecycleSpan.valid() ? r.lifecycleSpan : r.header;
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

void Changes::replaySequential() {
  seqHolders_.resize(ops_.size());
  seqHeld_.resize(ops_.size());
  size_t k = 0;
  replay(g_.timeline(), [&](const Operation& op, const ScriptState& before) {
    const size_t at = k++;
    if (op.verb == Operation::Verb::Delete) {
      // The state keeps copies of the references; name the operation's own
      // (they live as long as the graph).
      for (const auto& [object, ref] : before.referrersOf(op.target)) {
        if (object->resource < 0 || !object->last) continue;
        const Operation::Ref& own =
            object->last->refs[static_cast<size_t>(ref - object->refs.data())];
        seqHolders_[at].push_back({object->resource, own.path, own.spelling, own.span, false});
      }
    }
    if (const ScriptState::Object* o = before.find(op.target); o && o->last) {
      for (const Operation::Ref& ref : o->last->refs) {
        const ScriptState::Object* named = before.find(ref.to);
        seqHeld_[at].push_back({&ref, named ? named->resource : -1});
      }
    }
  });
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
    if (!r.dependsOn) continue;
    for (const std::string& dep : *r.dependsOn) {
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
  if (a.sequential) return a.sequence < b.sequence;
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
    if (m.sequential && m.sequence < s.sequence) lastBefore = &m;
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

std::vector<const Step*> Changes::earlierStepsOf(int32_t holder, const Step& s) const {
  std::vector<const Step*> out;
  if (!s.sequential) return out;
  for (int32_t k = first(holder); k >= 0; k = next_[static_cast<size_t>(k)]) {
    const Step& m = steps_[static_cast<size_t>(k)];
    if (m.sequential && m.document == s.document && m.sequence < s.sequence) out.push_back(&m);
  }
  return out;
}

const Field& fieldBefore(const Step& s, const Resource& r, std::string_view path) {
  return s.sequential ? r.field(path) : r.priorField(path);
}

}  // namespace lbcheck
