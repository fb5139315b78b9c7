#include "engine/atom.h"

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/probe.h"

namespace lbcheck {
namespace {

/// One interned text and its hash (a slot of the tables below; empty when
/// `text` is null).
struct Slot {
  size_t hash = 0;
  const std::string* text = nullptr;
};

bool holds(const Slot& slot, std::string_view text, size_t hash) {
  return slot.text != nullptr && slot.hash == hash && *slot.text == text;
}

/// A shard of the process's table: open addressing with linear probing over
/// (hash, text) slots, at most half full. A node-based map cost a 48-byte
/// node, a bucket and a cache miss or two per lookup on top of each text;
/// a large input interns hundreds of thousands of texts (every KRM
/// reference's key), and its lookups missed the caches once the map outgrew
/// them (8% of a 1,000,008-resource run).
struct Shard {
  std::mutex mutex;
  std::deque<std::string> texts;  // a deque never moves what it holds
  std::vector<Slot> slots = std::vector<Slot>(64);
  size_t used = 0;

  // The shard was picked by hash % kShards: probe with the other bits.
  static size_t start(size_t hash) { return hash >> 6; }
  static bool empty(const Slot& s) { return s.text == nullptr; }

  const std::string* intern(std::string_view text, size_t hash) {
    Slot& slot = slots[probe::find(slots, start(hash), empty,
                                   [&](const Slot& s) { return holds(s, text, hash); })];
    if (!empty(slot)) return slot.text;
    const std::string* stored = &texts.emplace_back(text);
    slot = Slot{hash, stored};
    if (++used * 2 > slots.size())
      probe::resize(slots, slots.size() * 2, empty, [](const Slot& s) { return start(s.hash); });
    return stored;
  }
};

constexpr size_t kShards = 64;

std::array<Shard, kShards>& shards() {
  static auto* table = new std::array<Shard, kShards>();  // never destroyed: atoms outlive statics
  return *table;
}

/// What each thread has interned lately: a direct-mapped cache in front of the
/// shards' locks. Bounded, so a run that interns many distinct texts does not
/// keep a second copy of the whole table per thread.
constexpr size_t kCacheSlots = 4096;

}  // namespace

Atom::Atom(std::string_view text) {
  if (text.empty()) return;
  thread_local std::unique_ptr<std::array<Slot, kCacheSlots>> cache;
  if (!cache) cache = std::make_unique<std::array<Slot, kCacheSlots>>();
  const size_t hash = std::hash<std::string_view>()(text);
  Slot& seen = (*cache)[(hash >> 20) % kCacheSlots];
  if (holds(seen, text, hash)) {
    text_ = seen.text;
    return;
  }
  Shard& shard = shards()[hash % kShards];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    text_ = shard.intern(text, hash);
  }
  seen = Slot{hash, text_};
}

const std::string& Atom::none() {
  static const std::string* none = new std::string();
  return *none;
}

}  // namespace lbcheck
