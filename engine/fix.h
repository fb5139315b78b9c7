// Structured fixes. A rule proposes edits in the canonical vocabulary (set
// `protocol` to HTTP, remove `timeoutSec`); the dialect of the input the
// resource was read from says them in that input's own syntax
// (`protocol = "HTTP"`, `spec.protocol: HTTP`, `--protocol=HTTP`) and, where it
// can, names the exact bytes to change. Rules never see which input that was.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.h"
#include "engine/source.h"

namespace lbcheck {

/// One change to one field, in canonical terms.
struct Edit {
  enum class Op : uint8_t { Set, Remove };
  Op op = Op::Set;
  std::string field;  // canonical path: "protocol", "backends[0].balancingMode"
  std::string value;  // canonical value for Set: "HTTP", "true", "600"

  static Edit set(std::string field, std::string value) {
    return {Op::Set, std::move(field), std::move(value)};
  }
  static Edit remove(std::string field) { return {Op::Remove, std::move(field), {}}; }
};

class Dialect;

/// Replace the bytes of `span` with `text` (SARIF `replacements`).
///
/// A rule's fix names a field; the bytes to change are found in two steps.
/// makeFix() asks the dialect for a replacement of the field's written value
/// (`Value`) or of the whole entry that writes it (`Entry`: `timeout_sec = 30`
/// with its line, `--timeout=30`, `timeoutSec: 60`). Once the rules ran,
/// settleFixes() lets the same dialect look at the file's bytes: it widens an
/// entry to what must go, and drops a replacement the bytes do not bear out (a
/// value written as an expression, an entry on a line it shares).
struct Replacement {
  enum class Kind : uint8_t { Value, Entry };
  Span span;
  std::string text;
  Kind kind = Kind::Value;
  /// The name the entry is written under ("timeout_sec", "timeoutSec",
  /// "--timeout"): what settle() expects to find before the value.
  std::string key;
  /// The dialect that settles it; null once settled.
  const Dialect* dialect = nullptr;
};

/// What a finding proposes: the edits, how they read in the input's syntax,
/// and the byte changes where the dialect can make them (a hand-written file
/// whose value is written; never a generated plan).
struct Fix {
  std::string description;
  std::vector<Edit> edits;
  std::vector<Replacement> replacements;
  /// `--fix` may apply it: the value the rule's doc says is right, with no
  /// change of meaning beyond what the finding is about (RuleInfo::fix).
  bool safe = false;
  /// Every edit has its replacement: applying them makes the whole fix.
  bool complete() const { return !replacements.empty() && replacements.size() == edits.size(); }
};

/// How one input format spells fields, values and edits. Each adapter
/// registers one for the format names it gives its resources (Resource::format).
class Dialect {
 public:
  virtual ~Dialect() = default;
  /// The field's name as this input spells it when the resource does not
  /// write it ("load_balancing_scheme", "spec.loadBalancingScheme", "--load-balancing-scheme").
  virtual std::string name(const Resource& r, std::string_view field) const = 0;
  /// A canonical value as this input writes it (gcloud's `--ingress=internal`).
  virtual std::string value(const Resource& r, std::string_view field,
                            std::string_view canonical) const;
  /// How the edit reads in this input: "set protocol = \"HTTP\"", "remove timeout_sec".
  virtual std::string describe(const Resource& r, const Edit& e) const = 0;
  /// False when this input has no way to write the field at all (Config
  /// Connector's RunService has no defaultUriDisabled): no edit can say it.
  virtual bool writes(const Resource& r, std::string_view field) const;
  /// The text that replaces the written value of `e.field` for a Set; "" when
  /// this input is not edited by hand (a plan, an export) or the edit cannot
  /// be said as one replacement.
  virtual std::string literal(const Resource& r, const Edit& e) const;
  /// The replacement that makes edit `e` on field `f` of r (written at
  /// f.span), before settle(); none when this input is not edited by hand.
  /// By default a Set replaces the value with literal(), and a Remove takes
  /// the entry out when removes() says this input can.
  virtual std::optional<Replacement> replacement(const Resource& r, const Edit& e,
                                                 const Field& f) const;
  /// A fix may edit where `f` is written: by default only a value the author
  /// wrote (not one a tool echoed back).
  virtual bool editable(const Field& f) const { return f.authored; }
  /// This input can take a written entry out (a hand-written file).
  virtual bool removes() const { return false; }
  /// Checks `rep` against the bytes of the file it is in (`text`) and makes
  /// its span exact; false when the bytes do not bear it out. The default
  /// keeps a Value as it is and drops an Entry.
  virtual bool settle(std::string_view text, Replacement& rep) const;
  /// How to make this input create `later` only after `first` exists
  /// ("add depends_on = [...]", "move the command that creates ...").
  virtual std::string createAfter(const Resource& later, const Resource& first) const;
  /// What the input that holds r is called in messages: "file", "manifest".
  virtual std::string_view document() const { return "file"; }
  /// How to make this input create r's replacement before it deletes r.
  virtual std::string createBeforeDestroy(const Resource& r) const;
  /// The command that detaches backend `target` from `user` in this input
  /// ("gcloud compute backend-services remove-backend ..."); "" when the input
  /// has no command of its own for it.
  virtual std::string detachFirst(const Resource& user, const Resource& target) const;
  /// Why an earlier step that drops `field` from `holder` did not drop the
  /// reference it names without a scope ("this remove-backend has no
  /// --network-endpoint-group-region, ..."); "" when the input cannot say that.
  virtual std::string missedDrop(const Resource& holder, std::string_view field) const;
  /// How to make a change to r that runs unattended, instead of an interactive editor.
  virtual std::string updateUnattended(const Resource& r) const;
};

/// The dialect registered for r.format; a canonical one (API names and values)
/// when none is.
const Dialect& dialectOf(const Resource& r);

/// The name of `field` as r's input spells it: the spelling the resource
/// wrote, else the dialect's name for it. Not quoted.
std::string fieldName(const Resource& r, std::string_view field);

/// The fix for `edits` on `r`, described and located by r's dialect.
Fix makeFix(const Resource& r, std::vector<Edit> edits);

/// Translates a canonical path through one row of a name table: `from` is the
/// canonical pattern ("backends[*].balancingMode"), `to` the input's pattern
/// ("backend[*].balancing_mode"); `[*]` takes the path's index, and a `[0]`
/// in `to` (a block written once) is dropped. A path that names the start of
/// `from` ("backends") maps to the start of `to` that leaves as many segments
/// off ("spec.backend" of "spec.backend[*].balancingMode"). "" when no match.
std::string mapPath(std::string_view path, std::string_view from, std::string_view to);

/// True for "true", "false" and decimal numbers: written without quotes.
bool bareValue(std::string_view v);
/// snake_case of a camelCase name ("timeoutSec" -> "timeout_sec").
std::string snakeCase(std::string_view camel);
/// kebab-case of a camelCase name ("timeoutSec" -> "timeout-sec").
std::string kebabCase(std::string_view camel);

namespace detail {
void registerDialect(std::string_view format, const Dialect* dialect);
struct DialectRegistrar {
  DialectRegistrar(std::initializer_list<std::string_view> formats, const Dialect* d) {
    for (std::string_view f : formats) registerDialect(f, d);
  }
};
}  // namespace detail

/// In an adapter's dialect file: LBCHECK_REGISTER_DIALECT(KrmDialect, "krm");
#define LBCHECK_REGISTER_DIALECT(Class, ...)                                               \
  static const Class kDialect##Class;                                                      \
  static const ::lbcheck::detail::DialectRegistrar kDialectRegistrar##Class({__VA_ARGS__}, \
                                                                            &kDialect##Class)

}  // namespace lbcheck
