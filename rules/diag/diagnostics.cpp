// Tool diagnostics: ids for problems with the inputs themselves. Their ids,
// names, summaries and severities are the table diag::kAll (engine/diagnostics.h);
// their docs live beside this file; the readers emit them.
#include <memory>

#include "engine/diagnostics.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

[[maybe_unused]] const bool kRegistered = [] {
  for (const diag::Info& d : diag::kAll)
    detail::registerRule(std::make_unique<DiagnosticRule>(
        RuleInfo{d.id, d.slug, d.summary, d.severity, "diag", {}, true}));
  return true;
}();

}  // namespace
}  // namespace lbcheck
