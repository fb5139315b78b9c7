// The rule interface, findings and the self-registering rule registry.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/fix.h"
#include "engine/graph.h"
#include "engine/json.h"
#include "engine/source.h"

namespace lbcheck {

enum class Severity : uint8_t { Note = 0, Warning = 1, Error = 2 };
std::string_view severityName(Severity s);

struct Related {
  Span span;
  std::string message;
};

/// Why a finding does not count against the run: an inline `lbcheck:ignore`
/// comment (in source) or an entry of the configuration file (external).
struct Suppression {
  enum class Kind : uint8_t { InSource, External };
  Kind kind = Kind::InSource;
  std::string justification;  // the reason the user wrote
  Span where;                 // the comment or configuration entry
};

struct Finding {
  // The texts that repeat from finding to finding (the rule, its help, the
  // field) are interned: a large input can give tens of thousands of findings.
  Atom ruleId;
  std::string message;
  Atom help;
  /// What the finding proposes, as structured edits (SARIF `fixes`, JSON
  /// `fixes`); alternatives in order of preference.
  std::vector<Fix> fixes;
  Span span;
  Severity severity = Severity::Error;  // (beside the span: they share a word)
  /// Present in the --baseline file: reported as `unchanged`, never fails the run.
  bool baseline = false;
  std::vector<Related> related;
  std::string resource;  // display name of the resource ("" for file diagnostics)
  Atom fieldPath;        // canonical field path ("" for the resource as a whole)
  std::string identity;  // stable identity used for fingerprints
  /// Set when a suppression covers the finding: it is still reported (SARIF
  /// `suppressions`, JSON `suppressed`) but is not shown as text and never fails the run.
  /// Boxed: most findings have none, and a large run holds many findings.
  Boxed<Suppression> suppression;
  /// A finding that counts: shown in text, annotations and JUnit, and for --fail-on.
  bool active() const { return !suppression && !baseline; }
};

/// Settles every fix's replacements against the bytes of their files
/// (Dialect::settle): exact spans, and none that the bytes do not bear out.
void settleFixes(const SourceManager& sources, std::vector<Finding>& findings);

/// A tool diagnostic (an LBC... id) about an input rather than a resource.
Finding makeDiagnostic(std::string_view id, Severity severity, Span span, std::string message,
                       std::string help = {});

/// A set of resource kinds: `{Kind::BackendService, Kind::UrlMap}`.
class KindSet {
 public:
  constexpr KindSet() = default;
  constexpr KindSet(std::initializer_list<Kind> kinds) {
    for (Kind k : kinds) bits_ |= bit(k);
  }
  constexpr KindSet& add(Kind k) {
    bits_ |= bit(k);
    return *this;
  }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool contains(Kind k) const { return (bits_ & bit(k)) != 0; }
  friend constexpr bool operator==(KindSet, KindSet) = default;

 private:
  static_assert(kKindCount <= 32, "KindSet holds 32 kinds");
  static constexpr uint32_t bit(Kind k) { return uint32_t{1} << static_cast<unsigned>(k); }
  uint32_t bits_ = 0;
};

/// What `--fix` may do with a rule's fixes: none proposed that can be
/// applied; safe (the value the rule's doc says is right, nothing else changes
/// meaning: `--fix` applies them); unsafe (they change what the configuration
/// does beyond the finding, or pick one of several ways: `--unsafe-fixes`).
enum class FixSafety : uint8_t { None, Safe, Unsafe };
std::string_view fixSafetyName(FixSafety s);

/// Static description of a rule. `summary` is the first sentence of its doc.
struct RuleInfo {
  std::string_view id;
  std::string_view slug;
  std::string_view summary;
  Severity severity;
  std::string_view area;  // net, lb, neg, run, tls, ops, diag
  /// The kinds the rule looks at, one resource at a time: the runner calls
  /// Rule::check(graph, r, out) for each resource of these kinds, in graph
  /// order. Empty: the rule checks the whole graph (Rule::check(graph, out)).
  KindSet kinds = {};
  bool diagnostic = false;  // a tool diagnostic (LBC...), not a configuration check
  FixSafety fix = FixSafety::None;
};

/// Per-rule options from the configuration file that governs a resource.
class RuleOptions {
 public:
  virtual ~RuleOptions() = default;
  /// The value of `key` in `rules: {ID: {key: ...}}`; a missing Value when unset.
  virtual json::Value get(std::string_view ruleId, const Resource& r,
                          std::string_view key) const = 0;
};

/// Collects one rule's findings; the engine locates, sorts and prints them.
class Reporter {
 public:
  Reporter(const RuleInfo& info, std::vector<Finding>* out, const RuleOptions* options = nullptr)
      : info_(info), out_(out), options_(options) {}
  /// This rule's option `key` for resource `r` (missing when not configured).
  json::Value option(const Resource& r, std::string_view key) const {
    return options_ ? options_->get(info_.id, r, key) : json::Value();
  }
  /// A finding about `field` of `r` ("" means the resource as a whole). When the
  /// field has no span of its own, the finding points at the resource header.
  Finding& report(const Resource& r, std::string_view fieldPath, std::string message);
  /// The same, for a field of the object before the change.
  Finding& reportPrior(const Resource& r, std::string_view fieldPath, std::string message);
  /// A finding about `field` of `r` that points at `at` (where a change to r is
  /// written, say) rather than at the field.
  Finding& reportAt(const Resource& r, std::string_view fieldPath, Span at, std::string message);
  /// Proposes `edits` on `r` as a fix of `f` and returns how they read in r's
  /// input ("set protocol = \"HTTP\"", "pass --protocol=HTTP"), for the help text.
  std::string fix(Finding& f, const Resource& r, std::vector<Edit> edits) const;
  std::string fix(Finding& f, const Resource& r, Edit edit) const {
    return fix(f, r, std::vector<Edit>{std::move(edit)});
  }

 private:
  const RuleInfo& info_;
  std::vector<Finding>* out_;
  const RuleOptions* options_;
};

/// A rule implements one of the two checks (both are pure functions of the
/// graph: no I/O, no printing, no suppressions):
/// - declares `RuleInfo::kinds` and overrides check(graph, r, out), which is
///   called once for every resource of those kinds (merged-away and deleted
///   ones included: the rule asks live(r) as it needs);
/// - or overrides check(graph, out) and looks at the graph as a whole
///   (cross-resource checks, g.changes()).
class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  /// The whole-graph check. By default: check(graph, r, out) for every resource
  /// of info().kinds, in graph order (forEachOfKinds).
  virtual void check(const Graph& graph, Reporter& out) const;
  /// The per-resource check of a rule that declares its kinds.
  virtual void check(const Graph& graph, const Resource& r, Reporter& out) const;
};

/// Calls `fn(const Resource&)` for every resource of `kinds`, in graph order
/// (the lists of Graph::ofKind merged by index).
template <typename Fn>
void forEachOfKinds(const Graph& graph, KindSet kinds, Fn&& fn) {
  if (kinds.empty()) return;
  // The kinds' lists are each in graph order; merge them by index.
  std::vector<const std::vector<int32_t>*> lists;
  for (uint8_t k = 0; k < kKindCount; ++k)
    if (kinds.contains(static_cast<Kind>(k)) && !graph.ofKind(static_cast<Kind>(k)).empty())
      lists.push_back(&graph.ofKind(static_cast<Kind>(k)));
  if (lists.size() == 1) {
    for (int32_t i : *lists[0]) fn(graph.at(i));
    return;
  }
  std::vector<size_t> pos(lists.size(), 0);
  for (;;) {
    size_t best = lists.size();
    for (size_t l = 0; l < lists.size(); ++l)
      if (pos[l] < lists[l]->size() &&
          (best == lists.size() || (*lists[l])[pos[l]] < (*lists[best])[pos[best]]))
        best = l;
    if (best == lists.size()) return;
    fn(graph.at((*lists[best])[pos[best]++]));
  }
}

/// Every registered rule and diagnostic, sorted by id.
const std::vector<const Rule*>& allRules();
const Rule* findRule(std::string_view id);
/// The Markdown doc of a rule (embedded at build time); "" if none.
std::string_view ruleDoc(std::string_view id);

namespace detail {
void registerRule(std::unique_ptr<Rule> rule);
struct Registrar {
  explicit Registrar(std::unique_ptr<Rule> rule) { registerRule(std::move(rule)); }
};
}  // namespace detail

/// Declare in a rule's .cpp: LBCHECK_REGISTER_RULE(MyRule);
#define LBCHECK_REGISTER_RULE(Class) \
  static const ::lbcheck::detail::Registrar kRegistrar##Class(std::make_unique<Class>())

/// A tool diagnostic has an id and a doc but no check of its own.
class DiagnosticRule : public Rule {
 public:
  explicit DiagnosticRule(RuleInfo info) : info_(info) {}
  const RuleInfo& info() const override { return info_; }
  void check(const Graph&, Reporter&) const override {}

 private:
  RuleInfo info_;
};

// Quoting helper for messages: wraps in backticks.
inline std::string q(std::string_view s) { return "`" + std::string(s) + "`"; }

/// How to name a resource in a message: "backend service `name` (address)".
std::string describe(const Resource& r);

}  // namespace lbcheck
