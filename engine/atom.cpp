#include "engine/atom.h"

#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
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

namespace {
/// SmallAtom's table: filled under the lock, read without it (a slot never
/// changes once written, and an index reaches another thread only through
/// the value that holds it).
struct SmallTable {
  std::mutex mutex;
  std::array<std::atomic<const std::string*>, 256> slots{};
  std::atomic<size_t> used{1};  // slot 0 is the empty string
};
SmallTable& smallTable() {
  static SmallTable* table = new SmallTable();  // never destroyed: values outlive statics
  return *table;
}
}  // namespace

SmallAtom::SmallAtom(std::string_view text) {
  if (text.empty()) return;
  SmallTable& t = smallTable();
  // Found without the lock (the table holds a handful of texts and every
  // defaulted field looks one up); taken only to add one.
  auto find = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
      if (*t.slots[i].load(std::memory_order_acquire) == text) return i;
    return size_t{0};
  };
  const size_t seen = t.used.load(std::memory_order_acquire);
  if (const size_t i = find(1, seen)) {
    index_ = static_cast<uint8_t>(i);
    return;
  }
  std::lock_guard<std::mutex> lock(t.mutex);
  const size_t used = t.used.load(std::memory_order_relaxed);
  if (const size_t i = find(seen, used)) {  // added by another thread meanwhile
    index_ = static_cast<uint8_t>(i);
    return;
  }
  if (used == t.slots.size())
    throw std::length_error("SmallAtom: more than 255 distinct texts: " + std::string(text));
  t.slots[used].store(new std::string(text), std::memory_order_release);
  t.used.store(used + 1, std::memory_order_release);
  index_ = static_cast<uint8_t>(used);
}

const std::string& SmallAtom::str() const {
  if (index_ == 0) return Atom(std::string_view()).str();
  return *smallTable().slots[index_].load(std::memory_order_acquire);
}

const std::string& Atom::none() {
  static const std::string* none = new std::string();
  return *none;
}

}  // namespace lbcheck
