// Open addressing with linear probing over a power-of-two vector of slots: the
// one probe loop of the interned strings' shards and the graph's indexes.
#pragma once

#include <cstddef>
#include <vector>

namespace lbcheck::probe {

/// From `start` on (wrapping), the first slot that `matches`, or the first
/// empty one where it would go. The table must have an empty slot.
template <typename Slot, typename Empty, typename Matches>
size_t find(const std::vector<Slot>& slots, size_t start, Empty empty, Matches matches) {
  const size_t mask = slots.size() - 1;
  size_t i = start & mask;
  while (!empty(slots[i]) && !matches(slots[i])) i = (i + 1) & mask;
  return i;
}

/// Resizes the table to `size` (a power of two), putting each full slot where
/// probing from `start(slot)` finds room.
template <typename Slot, typename Empty, typename Start>
void resize(std::vector<Slot>& slots, size_t size, Empty empty, Start start) {
  std::vector<Slot> old(size);
  old.swap(slots);
  for (const Slot& s : old)
    if (!empty(s)) slots[find(slots, start(s), empty, [](const Slot&) { return false; })] = s;
}

}  // namespace lbcheck::probe
