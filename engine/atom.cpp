#include "engine/atom.h"

#include <array>
#include <deque>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace lbcheck {
namespace {

struct Shard {
  std::mutex mutex;
  std::deque<std::string> texts;  // a deque never moves what it holds
  std::unordered_map<std::string_view, const std::string*> index;
};

constexpr size_t kShards = 64;

std::array<Shard, kShards>& shards() {
  static auto* table = new std::array<Shard, kShards>();  // never destroyed: atoms outlive statics
  return *table;
}

const std::string* intern(std::string_view text, size_t hash) {
  Shard& shard = shards()[hash % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.index.find(text);
  if (it != shard.index.end()) return it->second;
  const std::string* stored = &shard.texts.emplace_back(text);
  shard.index.emplace(std::string_view(*stored), stored);
  return stored;
}

}  // namespace

Atom::Atom(std::string_view text) {
  if (text.empty()) return;
  // Each thread keeps what it has seen; the keys view the interned copies.
  thread_local std::unordered_map<std::string_view, const std::string*> seen;
  auto it = seen.find(text);
  if (it != seen.end()) {
    text_ = it->second;
    return;
  }
  text_ = intern(text, std::hash<std::string_view>()(text));
  seen.emplace(std::string_view(*text_), text_);
}

const std::string& Atom::none() {
  static const std::string* none = new std::string();
  return *none;
}

}  // namespace lbcheck
