// The exit-status gate (--fail-on) and how --format and -o/--output pair up.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"

namespace lbcheck {

/// The lowest severity of an active finding that fails the run, or never.
enum class FailOn : uint8_t { Note, Warning, Error, Never };

/// "error", "warning", "note" or "never"; nullopt for anything else.
std::optional<FailOn> parseFailOn(std::string_view text);

/// True when at least one active finding (not suppressed, not in the baseline)
/// has a severity at or above `threshold`. Never true for FailOn::Never.
bool failsGate(const std::vector<Finding>& findings, FailOn threshold);

/// One --format or -o/--output on the command line, in the order given.
struct OutputArg {
  enum class Kind : uint8_t { Format, Output };
  Kind kind;
  std::string value;
};

/// A report to write: `format` to `path`, or to standard output when `path` is empty.
struct OutputTarget {
  std::string format;
  std::string path;
  bool operator==(const OutputTarget&) const = default;
};

/// Pairs formats and output files. Several formats: each -o FILE belongs to the
/// --format just before it and at most one format (the one without -o) goes to
/// standard output. One format (or none: text) takes at most one -o, before or
/// after it. Anything else is ambiguous: false with the reason in `error`.
bool planOutputs(const std::vector<OutputArg>& args, std::vector<OutputTarget>* targets,
                 std::string* error);

}  // namespace lbcheck
