#include "engine/rule.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace lbcheck {

std::string_view severityName(Severity s) {
  switch (s) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "error";
}

namespace {
// Never destroyed: the rules live as long as the process, and destroying them at
// exit touched a page of each rule's code for nothing (bench/RESULTS.md, issue 16).
std::vector<std::unique_ptr<Rule>>& storage() {
  static auto* rules = new std::vector<std::unique_ptr<Rule>>;
  return *rules;
}
}  // namespace

void detail::registerRule(std::unique_ptr<Rule> rule) { storage().push_back(std::move(rule)); }

void Rule::check(const Graph& graph, Reporter& out) const {
  forEachOfKinds(graph, info().kinds, [&](const Resource& r) { check(graph, r, out); });
}

void Rule::check(const Graph&, const Resource&, Reporter&) const {}

const std::vector<const Rule*>& allRules() {
  static const std::vector<const Rule*> sorted = [] {
    std::vector<const Rule*> v;
    for (auto& r : storage()) v.push_back(r.get());
    std::sort(v.begin(), v.end(),
              [](const Rule* a, const Rule* b) { return a->info().id < b->info().id; });
    return v;
  }();
  return sorted;
}

const Rule* findRule(std::string_view id) {
  for (const Rule* r : allRules()) {
    std::string_view rid = r->info().id;
    if (rid.size() == id.size() &&
        std::equal(rid.begin(), rid.end(), id.begin(),
                   [](char a, char b) { return std::toupper(a) == std::toupper(b); }))
      return r;
  }
  return nullptr;
}

Finding makeDiagnostic(std::string_view id, Severity severity, Span span, std::string message,
                       std::string help) {
  Finding f;
  f.ruleId = std::string(id);
  f.severity = severity;
  f.span = span;
  f.message = std::move(message);
  f.help = std::move(help);
  return f;
}

std::string describe(const Resource& r) {
  std::string out(kindLabel(r.id.kind));
  if (!r.id.name.empty()) out += " " + q(r.id.name);
  if (!r.displayName.empty() && r.displayName != r.id.name) out += " (" + r.displayName + ")";
  return out;
}

namespace {
/// Where a finding about `f` of `r` points: the field when it is written, else
/// the resource's header.
Span spanOf(const Resource& r, const Field& f) {
  return f.span.valid() && f.state != State::Absent && f.state != State::Defaulted ? f.span
                                                                                   : r.header;
}

Finding& emit(const RuleInfo& info, std::vector<Finding>* out, const Resource& r, Span at,
              std::string_view fieldPath, std::string message) {
  Finding finding;
  finding.ruleId = std::string(info.id);
  finding.severity = info.severity;
  finding.message = std::move(message);
  finding.span = at;
  if (r.locator) {  // the source r was generated from: the finding points there
    const Resource& source = r.locator->source;
    finding.related.push_back(Related{at, r.locator->note});
    finding.span = fieldPath.empty() ? source.header : spanOf(source, source.field(fieldPath));
  }
  if (r.calledFrom().valid())
    finding.related.push_back(
        Related{r.calledFrom(),
                "the module call that brings it in (the module's files are installed by "
                "`terraform init`: change the call's arguments, not the installed copy)"});
  finding.resource = r.displayName.empty() ? r.id.name.str() : r.displayName;
  finding.fieldPath = Atom(fieldPath);
  finding.identity = r.id.complete() ? r.id.str() : finding.resource;
  out->push_back(std::move(finding));
  return out->back();
}
}  // namespace

Finding& Reporter::report(const Resource& r, std::string_view fieldPath, std::string message) {
  static const Field kNone;  // (a temporary here would copy the field, reference and all)
  const Field& f = fieldPath.empty() ? kNone : r.field(fieldPath);
  return emit(info_, out_, r, spanOf(r, f), fieldPath, std::move(message));
}

Finding& Reporter::reportPrior(const Resource& r, std::string_view fieldPath, std::string message) {
  static const Field kNone;
  const Field& f = fieldPath.empty() ? kNone : r.priorField(fieldPath);
  return emit(info_, out_, r, spanOf(r, f), fieldPath, std::move(message));
}

Finding& Reporter::reportAt(const Resource& r, std::string_view fieldPath, Span at,
                            std::string message) {
  return emit(info_, out_, r, at, fieldPath, std::move(message));
}

std::string Reporter::fix(Finding& f, const Resource& r, std::vector<Edit> edits) const {
  // A generated resource (a plan's) is fixed where it was written: the .tf
  // resource its locator names; the plan itself is never edited.
  f.fixes.push_back(makeFix(r.locator ? r.locator->source : r, std::move(edits)));
  f.fixes.back().safe = info_.fix == FixSafety::Safe;
  return f.fixes.back().description;
}

std::string_view fixSafetyName(FixSafety s) {
  switch (s) {
    case FixSafety::Safe:
      return "safe";
    case FixSafety::Unsafe:
      return "unsafe";
    case FixSafety::None:
      break;
  }
  return "none";
}

void settleFixes(const SourceManager& sources, std::vector<Finding>& findings) {
  for (Finding& finding : findings) {
    for (Fix& fix : finding.fixes) {
      std::erase_if(fix.replacements, [&](Replacement& rep) {
        if (!rep.dialect) return false;
        const SourceFile* file = sources.find(rep.span.file);
        const Dialect* dialect = rep.dialect;
        rep.dialect = nullptr;
        return !file || !dialect->settle(file->text(), rep);
      });
    }
  }
}

}  // namespace lbcheck
