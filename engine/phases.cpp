#include "engine/phases.h"

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace lbcheck::phases {

namespace {
using Clock = std::chrono::steady_clock;
}

bool enabled() {
  static const bool on = [] {
    const char* v = std::getenv("LBCHECK_PHASES");
    return v != nullptr && *v != '\0' && std::string_view(v) != "0";
  }();
  return on;
}

void mark(std::string_view what) {
  if (!enabled()) return;
  static const Clock::time_point start = Clock::now();
  static std::mutex mutex;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::lock_guard<std::mutex> lock(mutex);
  const struct mallinfo2 heap = mallinfo2();  // glibc's count of the bytes in use
  std::fprintf(stderr, "lbcheck: phase %9.3f s %8.1f MB  %.*s\n", seconds,
               static_cast<double>(heap.uordblks + heap.hblkhd) / 1e6,
               static_cast<int>(what.size()), what.data());
}

}  // namespace lbcheck::phases
