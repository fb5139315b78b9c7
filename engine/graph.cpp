#include "engine/graph.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <string>

#include "engine/diagnostics.h"
#include "engine/parallel.h"
#include "engine/phases.h"
#include "engine/probe.h"
#include "engine/rule.h"

namespace lbcheck {

namespace {

uint32_t nameHash(Kind kind, std::string_view name) {
  const size_t h = std::hash<std::string_view>{}(name) ^
                   ((static_cast<size_t>(kind) + 1) * 0x9E3779B97F4A7C15ull);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

/// "module.a[0].google_x.y["k"]" -> "module.a[0].google_x.y" and the index text.
std::string_view stripIndex(std::string_view address, std::string_view* index) {
  if (!address.empty() && address.back() == ']') {
    const size_t open = address.rfind('[');
    if (open != std::string_view::npos) {
      // Make sure the bracket belongs to the last segment.
      if (address.find('.', open) == std::string_view::npos ||
          address.substr(open).find("\"") != std::string_view::npos) {
        *index = address.substr(open);
        return address.substr(0, open);
      }
    }
  }
  *index = {};
  return address;
}

}  // namespace

/// findByAddress() by hashing instead of scanning every resource (resolve()
/// asks once per reference: a scan would make it quadratic).
struct Graph::AddressIndex {
  struct Key {
    uint32_t document;
    std::string_view address;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    size_t operator()(const Key& k) const {
      return std::hash<std::string_view>{}(k.address) ^ (k.document * 0x9E3779B97F4A7C15ull);
    }
  };
  // A KRM key's two parts are interned (Resource::krmPrefix and krmName;
  // Ref::address and the field's text): the first resource with each key,
  // by the parts' one copies, open-addressed.
  struct KrmSlot {
    const std::string* prefix = nullptr;
    const std::string* name = nullptr;
    int32_t index = -1;
  };
  std::vector<KrmSlot> krm;
  size_t krmSlot(const std::string* prefix, const std::string* name) const {
    const auto bits = reinterpret_cast<uintptr_t>(prefix) * 0x9E3779B97F4A7C15ull ^
                      reinterpret_cast<uintptr_t>(name) * 0xC2B2AE3D27D4EB4Full;
    const auto hash = static_cast<size_t>(bits >> 20);
    return probe::find(
        krm, hash, [](const KrmSlot& s) { return s.prefix == nullptr; },
        [&](const KrmSlot& s) { return s.prefix == prefix && s.name == name; });
  }
  int32_t krmTarget(Atom prefix, Atom name) const {
    if (krm.empty() || prefix.empty()) return -1;
    return krm[krmSlot(&prefix.str(), &name.str())].index;
  }
  std::unordered_map<Key, int32_t, Hash> exact;  // the first one with the address
  // Address without its index -> the instances that have one, in graph order.
  std::unordered_map<Key, std::vector<int32_t>, Hash> instances;

  explicit AddressIndex(const std::vector<Resource>& resources) {
    // Which lookups will come: a graph whose references name no Terraform
    // address (KRM manifests, exports) needs no table of addresses, which
    // was half of this index's time and memory on a million KRM resources.
    bool krmKeys = false, addresses = false;
    for (const Resource& r : resources) {
      krmKeys = krmKeys || !r.krmPrefix.empty();
      if (addresses) continue;
      for (const auto* fields : {&r.fields, r.prior ? &*r.prior : nullptr})
        if (fields)
          for (const auto& [path, f] : *fields)
            addresses = addresses || (!f.ref->address.empty() && !isKrmKey(f.ref->address));
    }
    if (krmKeys) krm.resize(std::bit_ceil(resources.size() * 2));
    if (addresses) exact.reserve(resources.size());
    for (size_t i = 0; i < resources.size(); ++i) {
      const Resource& r = resources[i];
      const auto index = static_cast<int32_t>(i);
      if (!r.krmPrefix.empty()) {
        KrmSlot& slot = krm[krmSlot(&r.krmPrefix.str(), &r.krmName.str())];
        if (slot.prefix == nullptr) slot = KrmSlot{&r.krmPrefix.str(), &r.krmName.str(), index};
      }
      if (!addresses) continue;
      exact.emplace(Key{r.document, r.displayName}, index);
      std::string_view idx;
      const std::string_view base = stripIndex(r.displayName, &idx);
      if (!idx.empty()) instances[Key{r.document, base}].push_back(index);
    }
  }
};

const std::vector<int32_t>& Graph::ofKind(Kind kind) const {
  if (byKind_.empty()) {
    byKind_.resize(kKindCount);
    for (size_t i = 0; i < resources_.size(); ++i)
      byKind_[static_cast<size_t>(resources_[i].id.kind)].push_back(static_cast<int32_t>(i));
  }
  return byKind_[static_cast<size_t>(kind)];
}

size_t Graph::nameSlot(uint32_t hash, Kind kind, std::string_view name) const {
  return probe::find(
      nameSlots_, hash, [](const NameSlot& s) { return s.last < 0; },
      [&](const NameSlot& s) {
        if (s.hash != hash) return false;
        const Identity& id = resources_[static_cast<size_t>(s.last)].id;
        return id.kind == kind && id.name == name;
      });
}

void Graph::indexNames() const {
  if (named_ == resources_.size()) return;
  // Room for every name at once when nothing is indexed yet (no rehashing).
  if (nameSlots_.empty())
    nameSlots_.resize(std::bit_ceil(std::max<size_t>(32, resources_.size()) * 2));
  nextNamed_.resize(resources_.size(), -1);
  for (; named_ < resources_.size(); ++named_) {
    const Identity& id = resources_[named_].id;
    if (id.name.empty()) continue;
    if ((nameGroups_ + 1) * 2 > nameSlots_.size())  // twice the slots
      probe::resize(
          nameSlots_, std::max<size_t>(64, nameSlots_.size() * 2),
          [](const NameSlot& s) { return s.last < 0; }, [](const NameSlot& s) { return s.hash; });
    const uint32_t hash = nameHash(id.kind, id.name);
    NameSlot& slot = nameSlots_[nameSlot(hash, id.kind, id.name)];
    const auto i = static_cast<int32_t>(named_);
    if (slot.last < 0) {
      slot = NameSlot{hash, i};
      nextNamed_[named_] = i;  // a ring of one
      ++nameGroups_;
    } else {  // i joins the ring after the last member, before the first
      nextNamed_[named_] = nextNamed_[static_cast<size_t>(slot.last)];
      nextNamed_[static_cast<size_t>(slot.last)] = i;
      slot.last = i;
    }
  }
}

Graph::Named Graph::named(Kind kind, std::string_view name) const {
  indexNames();
  if (nameSlots_.empty() || name.empty()) return Named(nextNamed_.data(), -1);
  return Named(nextNamed_.data(), nameSlots_[nameSlot(nameHash(kind, name), kind, name)].last);
}

int32_t Graph::add(Resource resource) {
  byKind_.clear();
  forgetChanges();
  const auto index = static_cast<int32_t>(resources_.size());
  resource.shrinkFields();
  resources_.push_back(std::move(resource));
  return index;
}

int32_t Graph::find(const Identity& id) const {
  int32_t best = -1;
  for (int32_t i : named(id.kind, id.name)) {
    const Resource& r = at(i);
    if (id.scope.known() && r.id.scope.known() && !(id.scope == r.id.scope)) continue;
    if (!id.project.empty() && !r.id.project.empty() && id.project != r.id.project) continue;
    if (best < 0 || (at(best).goingAway() && !r.goingAway())) best = i;
  }
  return best;
}

int32_t Graph::findAnyScope(const Identity& id) const {
  const int32_t exact = find(id);
  if (exact >= 0) return exact;
  int32_t found = -1;
  for (int32_t i : named(id.kind, id.name)) {
    const Resource& r = at(i);
    if (!id.project.empty() && !r.id.project.empty() && id.project != r.id.project) continue;
    if (r.goingAway()) continue;
    if (found >= 0) return -1;  // ambiguous: never guess
    found = i;
  }
  return found;
}

int32_t Graph::findByAddress(uint32_t document, std::string_view address,
                             std::string_view referrerAddress) const {
  if (isKrmKey(address)) {
    // Config Connector names resolve across files (namespace-aware keys).
    const size_t slash = address.rfind('/') + 1;
    const Atom prefix(address.substr(0, slash)), name(address.substr(slash));
    if (addresses_) return addresses_->krmTarget(prefix, name);
    for (size_t i = 0; i < resources_.size(); ++i)
      if (resources_[i].krmPrefix == prefix && resources_[i].krmName == name)
        return static_cast<int32_t>(i);
    return -1;
  }
  if (addresses_) {
    if (const auto it = addresses_->exact.find({document, address}); it != addresses_->exact.end())
      return it->second;
    std::string_view wantIndex;
    const std::string_view wantBase = stripIndex(address, &wantIndex);
    if (!wantIndex.empty()) return -1;
    const auto it = addresses_->instances.find({document, wantBase});
    if (it == addresses_->instances.end()) return -1;
    return pickInstance(it->second, referrerAddress);
  }
  // Exact instance address first.
  std::vector<int32_t> instances;
  std::string_view wantIndex;
  const std::string_view wantBase = stripIndex(address, &wantIndex);
  for (size_t i = 0; i < resources_.size(); ++i) {
    const Resource& r = resources_[i];
    if (r.document != document) continue;
    if (r.displayName == address) return static_cast<int32_t>(i);
    std::string_view idx;
    if (wantIndex.empty() && stripIndex(r.displayName, &idx) == wantBase && !idx.empty())
      instances.push_back(static_cast<int32_t>(i));
  }
  return pickInstance(instances, referrerAddress);
}

int32_t Graph::pickInstance(const std::vector<int32_t>& instances,
                            std::string_view referrerAddress) const {
  if (instances.size() == 1) return instances.front();
  if (instances.size() > 1) {
    // count/for_each: the instance with the referrer's own key, if any.
    std::string_view referrerIndex;
    stripIndex(referrerAddress, &referrerIndex);
    if (!referrerIndex.empty()) {
      for (int32_t i : instances) {
        std::string_view idx;
        stripIndex(at(i).displayName, &idx);
        if (idx == referrerIndex) return i;
      }
    }
  }
  return -1;
}

void Graph::resolve(size_t jobs) {
  // Fields edited since add() are sorted now: the threads below, and the
  // rules after them, read fields of resources they do not own.
  for (Resource& r : resources_) r.shrinkFields();
  indexNames();  // complete before the rules read it side by side
  phases::mark("resolve: names indexed");
  const AddressIndex index(resources_);
  addresses_ = &index;
  phases::mark("resolve: addresses indexed");
  // Each resource's references are resolved on their own (lookups only read the
  // indexes; a resource writes only its own fields), on `jobs` threads.
  auto resolveOne = [this, &index](Resource& r) {
    // A prior that is `fields` itself (Resource::priorIsFields) is resolved with it.
    for (auto* fields : {&r.fields, r.prior ? &*r.prior : nullptr}) {
      if (!fields) continue;
      for (auto& [path, f] : *fields) {
        if (!f.ref->present()) continue;
        int32_t target = -1;
        if (isKrmKey(f.ref->address))
          target = index.krmTarget(f.ref->address, f.text);  // by the key's interned parts
        else if (!f.ref->address.empty())
          target = findByAddress(r.document, f.ref->address, r.displayName);
        if (target < 0 && f.ref->identity) {
          target = f.ref->identity->kind == Kind::RunService ? findAnyScope(*f.ref->identity)
                                                             : find(*f.ref->identity);
        }
        while (target >= 0 && at(target).mergedInto >= 0) target = at(target).mergedInto;
        f.ref.edit().target = target;
      }
    }
  };
  // In blocks of 1,024; a thread costs more than resolving a pre-commit-sized graph.
  constexpr size_t kBlock = 1024;
  forEachOnThreads(resources_.size(), resources_.size() < 4 * kBlock ? 1 : jobs, kBlock,
                   [&](size_t i, bool) { resolveOne(resources_[i]); });
  phases::mark("resolve: references resolved");
  addresses_ = nullptr;
  byKind_.clear();
  ofKind(Kind::Unknown);  // built now: rules only read it
  // The reverse index, in the same order referrers() used to produce: one walk
  // over the fields (they are most of the graph's memory), then a stable
  // counting sort by target.
  std::vector<std::pair<int32_t, Referrer>> found;
  for (size_t i = 0; i < resources_.size(); ++i) {
    const Resource& r = resources_[i];
    if (r.mergedInto >= 0) continue;
    for (const auto& [path, f] : r.fields)
      if (f.ref->target >= 0)
        found.push_back({f.ref->target, Referrer{static_cast<int32_t>(i), false, path}});
    for (const auto& [path, f] : r.priorFields())
      if (f.ref->target >= 0)
        found.push_back({f.ref->target, Referrer{static_cast<int32_t>(i), true, path}});
  }
  referrerStart_.assign(resources_.size() + 1, 0);
  for (const auto& [target, referrer] : found) ++referrerStart_[static_cast<size_t>(target) + 1];
  for (size_t i = 1; i < referrerStart_.size(); ++i) referrerStart_[i] += referrerStart_[i - 1];
  referrerList_.resize(found.size());
  std::vector<uint32_t> filled(referrerStart_.begin(), referrerStart_.end() - 1);
  for (const auto& [target, referrer] : found)
    referrerList_[filled[static_cast<size_t>(target)]++] = referrer;
}

void Graph::merge(std::vector<Finding>& notes) {
  indexNames();
  std::vector<int32_t> members;
  for (const NameSlot& slot : nameSlots_) {
    // A name only one resource has (most) merges nothing.
    if (slot.last < 0 || nextNamed_[static_cast<size_t>(slot.last)] == slot.last) continue;
    members.clear();
    for (int32_t i : Named(nextNamed_.data(), slot.last)) members.push_back(i);
    for (size_t a = 0; a < members.size(); ++a) {
      Resource& primary = at(members[a]);
      if (primary.mergedInto >= 0 || !primary.id.complete()) continue;
      for (size_t b = a + 1; b < members.size(); ++b) {
        Resource& other = at(members[b]);
        if (other.mergedInto >= 0 || !other.id.complete()) continue;
        if (other.document == primary.document) continue;  // one input never repeats itself
        if (!(other.id.scope == primary.id.scope)) continue;
        if (!primary.id.project.empty() && !other.id.project.empty() &&
            primary.id.project != other.id.project)
          continue;
        other.mergedInto = members[a];
        if (primary.id.project.empty()) primary.id.project = other.id.project;
        // Exports print whole objects (the API leaves out false and empty values):
        // a field one export has and the other lacks is a difference too.
        auto wholeObject = [](const Resource& r) {
          return r.format == "gcloud" || r.format.rfind("cloud-run", 0) == 0;
        };
        if (wholeObject(primary) && wholeObject(other)) {
          for (const auto* pair : {&primary, &other}) {
            const Resource& has = *pair;
            const Resource& lacks = pair == &primary ? other : primary;
            for (const auto& [path, f] : has.fields) {
              if (!f.known() || f.sensitive || lacks.fields.count(path)) continue;
              if (path == "region" || path == "zone" || path == "location") continue;
              Finding n = makeDiagnostic(
                  diag::kConflict, Severity::Note, f.span,
                  std::string(kindLabel(primary.id.kind)) + " " + q(primary.id.name) + ": " +
                      q(f.spelling.empty() ? path : f.spelling) + " is " + q(f.text) +
                      " here but not set in another input",
                  "refresh the stale copy or remove one of the two from the inputs");
              n.related.push_back({lacks.header, "the same resource without it"});
              notes.push_back(std::move(n));
            }
          }
        }
        // The object before primary's change stays as it was read.
        if (primary.priorIsFields() && !other.fields.empty()) primary.prior = primary.fields;
        for (const auto& [path, theirs] : other.fields) {
          auto it = primary.fields.find(path);
          if (it == primary.fields.end() || it->second.state == State::Absent ||
              it->second.state == State::Unknown) {
            primary.fields[path] = theirs;
            continue;
          }
          const Field& ours = it->second;
          if (!ours.known() || !theirs.known() || ours.sensitive || theirs.sensitive) continue;
          bool same = ours.text == theirs.text;
          if (!same && ours.ref->identity && theirs.ref->identity)
            same = *ours.ref->identity == *theirs.ref->identity;
          if (!same && ours.isNumber && theirs.isNumber) same = ours.number() == theirs.number();
          if (same) continue;
          Finding n =
              makeDiagnostic(diag::kConflict, Severity::Note, theirs.span,
                             std::string(kindLabel(primary.id.kind)) + " " + q(primary.id.name) +
                                 ": " + q(theirs.spelling.empty() ? path : theirs.spelling) +
                                 " is " + q(theirs.text) + " here but " + q(ours.text) +
                                 " in another input; lbcheck checks the other "
                                 "value",
                             "refresh the stale copy or remove one of the two from the inputs");
          n.related.push_back({ours.span, "the value lbcheck checks"});
          notes.push_back(std::move(n));
        }
      }
    }
  }
}

const Resource* Graph::target(const Field& field) const {
  if (field.ref->target < 0) return nullptr;
  return &at(field.ref->target);
}

std::span<const Graph::Referrer> Graph::referrers(int32_t target) const {
  // After resolve() the answer is precomputed (rules ask for it per resource).
  if (!referrerStart_.empty()) {
    if (target < 0 || static_cast<size_t>(target) + 1 >= referrerStart_.size()) return {};
    const auto t = static_cast<size_t>(target);
    return std::span<const Referrer>(referrerList_.data() + referrerStart_[t],
                                     referrerStart_[t + 1] - referrerStart_[t]);
  }
  thread_local std::vector<Referrer> out;
  out.clear();
  for (size_t i = 0; i < resources_.size(); ++i) {
    const Resource& r = resources_[i];
    if (r.mergedInto >= 0) continue;  // its fields live on in the resource it was merged into
    for (const auto& [path, f] : r.fields)
      if (f.ref->target == target) out.push_back({static_cast<int32_t>(i), false, path});
    for (const auto& [path, f] : r.priorFields())
      if (f.ref->target == target) out.push_back({static_cast<int32_t>(i), true, path});
  }
  return out;
}

void Graph::absorb(Graph& other) {
  const auto offset = static_cast<int32_t>(size());
  std::vector<Resource> moved = other.release();
  if (resources_.empty() && resources_.capacity() <= moved.size()) {
    // Nothing here and no room reserved for more: take the list as it is
    // instead of moving 216-byte resources one by one into a second list that
    // grows by doubling (a 100 MB plan's graph is read into one and joined
    // into another: 40 MB more at the peak).
    byKind_.clear();
    forgetChanges();
    for (Resource& r : moved) r.shrinkFields();
    resources_ = std::move(moved);
  } else {
    for (Resource& r : moved) add(std::move(r));
  }
  for (Operation& op : other.timeline_) {
    if (op.resource >= 0) op.resource += offset;
    addOperation(std::move(op));
  }
  other.timeline_.clear();
  for (LaneOrder& order : other.laneOrders_) addLaneOrder(std::move(order));
  other.laneOrders_.clear();
}

const LaneOrder* Graph::laneOrder(uint32_t document) const {
  for (const LaneOrder& order : laneOrders_)
    if (order.document == document) return &order;
  return nullptr;
}

const Changes& Graph::changes() const {
  std::call_once(*changesOnce_, [this] { changes_ = std::make_unique<const Changes>(*this); });
  return *changes_;
}

void Graph::attachLocators(std::vector<Locator> locators) {
  locators_ = std::move(locators);
  if (locators_.empty()) return;
  std::unordered_map<std::string_view, const Locator*> byAddress;
  for (const Locator& l : locators_) byAddress.emplace(l.source.displayName, &l);
  auto withoutIndex = [](std::string_view address) {
    if (address.empty() || address.back() != ']') return address;
    const size_t open = address.rfind('[');
    return open == std::string_view::npos ? address : address.substr(0, open);
  };
  for (Resource& r : resources_) {
    const std::string_view address = r.displayName.empty() ? r.id.name.str() : r.displayName;
    if (address.empty()) continue;
    auto it = byAddress.find(address);
    if (it == byAddress.end()) it = byAddress.find(std::string(withoutIndex(address)) + "[*]");
    if (it != byAddress.end()) r.locator = it->second;
  }
}

}  // namespace lbcheck
