// One way to spread independent work over the -j threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace lbcheck {

/// Calls `work(i, callingThread)` for every i in [0, count) on up to `threads`
/// threads, the calling one included. Indexes are handed out in blocks of
/// `block` from one counter, so which thread does what varies: each call must
/// write only what belongs to its index. Returns when every call has.
template <typename Work>
void forEachOnThreads(size_t count, size_t threads, size_t block, Work&& work) {
  block = std::max<size_t>(block, 1);
  std::atomic<size_t> next{0};
  auto run = [&](bool callingThread) {
    for (size_t from = next.fetch_add(block); from < count; from = next.fetch_add(block))
      for (size_t i = from; i < std::min(count, from + block); ++i) work(i, callingThread);
  };
  const size_t blocks = (count + block - 1) / block;
  std::vector<std::thread> started;
  for (size_t t = 1; t < std::min(threads, blocks); ++t) started.emplace_back(run, false);
  run(true);
  for (auto& t : started) t.join();
}

}  // namespace lbcheck
