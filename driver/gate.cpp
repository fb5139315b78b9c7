#include "driver/gate.h"

#include <filesystem>

namespace lbcheck {

std::optional<FailOn> parseFailOn(std::string_view text) {
  if (text == "error") return FailOn::Error;
  if (text == "warning") return FailOn::Warning;
  if (text == "note") return FailOn::Note;
  if (text == "never") return FailOn::Never;
  return std::nullopt;
}

bool failsGate(const std::vector<Finding>& findings, FailOn threshold) {
  if (threshold == FailOn::Never) return false;
  Severity lowest = Severity::Warning;
  switch (threshold) {
    case FailOn::Note:
      lowest = Severity::Note;
      break;
    case FailOn::Warning:
      lowest = Severity::Warning;
      break;
    case FailOn::Error:
    case FailOn::Never:
      lowest = Severity::Error;
      break;
  }
  for (const Finding& f : findings)
    if (f.active() && f.severity >= lowest) return true;
  return false;
}

namespace {
/// Two spellings of one file ("a.sarif", "./a.sarif") are the same output.
std::string samePathKey(const std::string& path) {
  std::error_code ec;
  const auto abs = std::filesystem::absolute(path, ec);
  return (ec ? std::filesystem::path(path) : abs).lexically_normal().string();
}
}  // namespace

bool planOutputs(const std::vector<OutputArg>& args, std::vector<OutputTarget>* targets,
                 std::string* error) {
  std::vector<OutputTarget> plan;
  size_t formats = 0, outputs = 0;
  for (const OutputArg& a : args) {
    if (a.kind == OutputArg::Kind::Format) {
      ++formats;
    } else if (a.value.empty()) {
      *error = "-o/--output needs a file name";
      return false;
    } else {
      ++outputs;
    }
  }

  if (formats <= 1) {
    // The single-format forms: `--format F -o FILE`, `-o FILE --format F`, `-o FILE`.
    if (outputs > 1) {
      *error =
          "-o/--output is given " + std::to_string(outputs) +
          " times for one format; to write several formats, put each -o right after its --format";
      return false;
    }
    OutputTarget t{"text", ""};
    for (const OutputArg& a : args)
      (a.kind == OutputArg::Kind::Format ? t.format : t.path) = a.value;
    *targets = {t};
    return true;
  }

  std::vector<bool> hasFile;
  for (const OutputArg& a : args) {
    if (a.kind == OutputArg::Kind::Format) {
      plan.push_back({a.value, ""});
      hasFile.push_back(false);
      continue;
    }
    if (plan.empty()) {
      *error = "-o " + a.value +
               " comes before any --format, and several formats are given: put each -o right "
               "after the --format it is for";
      return false;
    }
    if (hasFile.back()) {
      *error = "--format " + plan.back().format + " has two -o/--output files (" +
               plan.back().path + " and " + a.value + ")";
      return false;
    }
    plan.back().path = a.value;
    hasFile.back() = true;
  }
  const OutputTarget* toStdout = nullptr;
  for (const OutputTarget& t : plan) {
    if (!t.path.empty()) continue;
    if (toStdout) {
      *error = "only one report can go to standard output, but --format " + toStdout->format +
               " and --format " + t.format + " have no -o/--output FILE";
      return false;
    }
    toStdout = &t;
  }
  for (size_t i = 0; i < plan.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (!plan[i].path.empty() && !plan[k].path.empty() &&
          samePathKey(plan[i].path) == samePathKey(plan[k].path)) {
        *error = "--format " + plan[k].format + " and --format " + plan[i].format +
                 " both write to " + plan[i].path;
        return false;
      }
    }
  }
  *targets = std::move(plan);
  return true;
}

}  // namespace lbcheck
