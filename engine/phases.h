// Opt-in timings of a run's phases, for bench/ and for anyone asking where the
// time goes: with LBCHECK_PHASES=1 in the environment, each mark prints the
// seconds since the first mark and the phase that just ended, on stderr.
// Off (the default), a mark is one test of a cached flag.
#pragma once

#include <string_view>

namespace lbcheck::phases {

/// True when LBCHECK_PHASES is set to a non-empty value other than "0".
bool enabled();
/// Prints "lbcheck: phase <seconds> s <heap in use> MB  <what>" on stderr when enabled.
void mark(std::string_view what);

}  // namespace lbcheck::phases
