#include "engine/phases.h"

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
  std::fprintf(stderr, "lbcheck: phase %9.3f s  %.*s\n", seconds, static_cast<int>(what.size()),
               what.data());
}

}  // namespace lbcheck::phases
