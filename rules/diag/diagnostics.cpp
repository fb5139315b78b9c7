// Tool diagnostics: ids for problems with the inputs themselves. Their docs
// live beside this file; the readers emit them.
#include "engine/diagnostics.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

const detail::Registrar kSyntax(std::make_unique<DiagnosticRule>(RuleInfo{
    diag::kSyntax, "syntax-error", "An input file does not parse.", Severity::Error, "diag",
    true}));
const detail::Registrar kUnreadable(std::make_unique<DiagnosticRule>(RuleInfo{
    diag::kUnreadable, "unreadable-input", "An input file or directory cannot be read.",
    Severity::Error, "diag", true}));
const detail::Registrar kEncoding(std::make_unique<DiagnosticRule>(RuleInfo{
    diag::kEncoding, "unsupported-encoding", "An input file is not UTF-8 text.", Severity::Error,
    "diag", true}));
const detail::Registrar kSkipped(std::make_unique<DiagnosticRule>(RuleInfo{
    diag::kSkipped, "unrecognised-document",
    "An input file is not a configuration format that lbcheck reads, so it was "
    "skipped.",
    Severity::Note, "diag", true}));
const detail::Registrar kConflict(std::make_unique<DiagnosticRule>(RuleInfo{
    diag::kConflict, "conflicting-sources",
    "Two inputs describe the same resource or setting differently.", Severity::Note, "diag",
    true}));
const detail::Registrar kLimit(std::make_unique<DiagnosticRule>(RuleInfo{
    diag::kLimit, "limit-reached", "A configured limit stopped lbcheck before it read every input.",
    Severity::Error, "diag", true}));
const detail::Registrar kPlanShape(std::make_unique<DiagnosticRule>(RuleInfo{
    diag::kPlanShape, "unusable-plan",
    "A Terraform plan has a version or shape that lbcheck cannot read.", Severity::Error, "diag",
    true}));

const detail::Registrar kConfig(std::make_unique<DiagnosticRule>(RuleInfo{
    "LBC008", "configuration-error",
    "The configuration file (.lbcheck.yaml) has an unknown key, an invalid value or pattern.",
    Severity::Error, "diag", true}));
const detail::Registrar kSuppression(std::make_unique<DiagnosticRule>(RuleInfo{
    "LBC009", "suppression-problem",
    "A suppression is malformed (no rule id, no reason, a bad date) or has expired.",
    Severity::Warning, "diag", true}));
const detail::Registrar kUnused(std::make_unique<DiagnosticRule>(RuleInfo{
    "LBC010", "unused-suppression", "A suppression matches no finding.", Severity::Note, "diag",
    true}));

}  // namespace
}  // namespace lbcheck
