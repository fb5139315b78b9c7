// The canonical resource model: every input format lowers into these types.
//
// Field names are the Compute API's and Cloud Run v2 API's (camelCase); nested
// paths use dots and list indexes, e.g. "backends[0].group", "cloudRun.urlMask".
//
// Labels: every format lowers a resource's labels to fields `labels.<key>`
// (the key verbatim, so it may hold dots and slashes:
// `labels.cloud.googleapis.com/location`), State::Known, text = the value,
// span at the value, spelling as the source writes the path (`labels.team`,
// `metadata.labels.team`, `labels["a/b"]`, `--labels`), authored like the
// format's other fields. Where the labels come from:
//   Terraform plan                       `labels` (never the computed
//                                        `effective_labels`); a key that only
//                                        the google provider's `default_labels`
//                                        add (it is in `terraform_labels`, not
//                                        in `labels`) is State::Defaulted
//   Terraform .tf / .tf.json             `labels = {...}` as evaluated; provider
//                                        `default_labels` are not applied (which
//                                        types take them is the provider schema's
//                                        business): check the plan for those
//   Config Connector, Knative v1         `metadata.labels`
//   gcloud/API JSON or YAML, Run v2      `labels`
//   Cloud Asset Inventory                `resource.data.labels` (or metadata.labels)
//   gcloud scripts                       `--labels=k=v,...` on create commands
// A field `labels` (no key) with State::Unknown says the set of labels is not
// known (a plan's "known after apply", an unresolved Terraform expression, a
// gcloud `--labels=$VAR`): a missing `labels.<key>` then proves nothing, and a
// single key may also be Unknown. Without that marker, a missing
// `labels.<key>` (field() gives Absent) means the resource does not carry the
// label: its labels are known, or not written at all.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/atom.h"
#include "engine/source.h"

namespace lbcheck {

enum class Kind : uint8_t {
  Unknown,
  Network,
  Subnetwork,
  NetworkEndpointGroup,
  BackendService,
  UrlMap,
  TargetHttpProxy,
  TargetHttpsProxy,
  SslCertificate,
  SslPolicy,
  ForwardingRule,
  Firewall,
  Instance,
  InstanceGroup,
  HealthCheck,
  Address,
  BackendBucket,
  CertificateManagerCertificate,
  IamMember,  // an IAM grant on a Cloud Run service (role + members)
  RunService,
  SecurityPolicy,  // a Cloud Armor security policy
};

/// One past the largest Kind: the size of tables indexed by kind.
inline constexpr size_t kKindCount = static_cast<size_t>(Kind::SecurityPolicy) + 1;

/// The Compute collection name ("backendServices") or "services" for Cloud Run.
std::string_view collectionName(Kind kind);
/// Human name for messages: "backend service", "serverless NEG"...
std::string_view kindLabel(Kind kind);
/// Inverse of collectionName for Compute collections; Kind::Unknown if unknown.
Kind kindFromCollection(std::string_view collection);

/// Where a resource lives. Regional and global objects share collection names:
/// the scope tells them apart.
struct Scope {
  enum class Type : uint8_t { Unknown, Global, Region, Zone, Location };
  Type type = Type::Unknown;
  Atom name;  // region / zone / Cloud Run location; empty for global (a few per run: interned)
  bool known() const { return type != Type::Unknown; }
  bool regional() const { return type == Type::Region || type == Type::Location; }
  std::string str() const;  // "global", "regions/us-central1", ...
  friend bool operator==(const Scope&, const Scope&) = default;
};

/// Identity: (kind, project, scope, name). Empty project means "not known".
struct Identity {
  Identity() = default;
  Identity(Kind k, Atom p, Scope s, Atom n, uint32_t in = 0)
      : project(p), scope(s), name(n), addressIn(in), kind(k) {}

  // Ordered so that none pads another (40 bytes): every resource has one, and
  // so has every reference parsed from a link.
  Atom project;  // a few per run: interned
  Scope scope;
  /// Interned: the name is also the text of the fields that refer to it.
  Atom name;
  /// Nonzero for an identity named by an address because the real name is not
  /// known (objectIdentity): 1 + the input document whose address it is. Two
  /// root modules may both hold `module.example.google_compute_network.default`;
  /// only within one document is that one object.
  uint32_t addressIn = 0;
  Kind kind = Kind::Unknown;
  bool complete() const { return kind != Kind::Unknown && scope.known() && !name.empty(); }
  std::string str() const;  // projects/P/regions/R/backendServices/N
  friend bool operator==(const Identity&, const Identity&) = default;
};

/// The state of one field in the source.
enum class State : uint8_t {
  Absent,     // not written; the API default applies
  Known,      // a concrete value
  Unknown,    // known only at apply time, or an unresolved variable
  Defaulted,  // not written, and the tool filled a concrete value in
};

/// An optional value kept on the heap: one pointer where std::optional<T> would
/// keep a whole T inline. Most fields are not references, so Field stays small
/// (memory grows with every field of every resource). Reads like std::optional.
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}                                       // NOLINT: as std::optional
  Boxed(T value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT
  Boxed(const std::optional<T>& o) : p_(o ? std::make_unique<T>(*o) : nullptr) {}  // NOLINT
  Boxed(std::optional<T>&& o)                                                      // NOLINT
      : p_(o ? std::make_unique<T>(std::move(*o)) : nullptr) {}
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  void reset() { p_.reset(); }
  operator std::optional<T>() const {  // NOLINT: as std::optional
    return p_ ? std::optional<T>(*p_) : std::nullopt;
  }

 private:
  std::unique_ptr<T> p_;
};

/// A reference from one field to another resource.
struct Ref {
  /// Identity parsed from a link spelling; may be partial (unknown project).
  Boxed<Identity> identity;
  /// Terraform address of the target (from the plan's configuration
  /// references); for a Config Connector `name:` reference, the start of the
  /// object's key, "krm:namespace/collection/", which the field's text
  /// completes (Field::refAddress).
  Atom address;
  /// Index of the resolved target in the Graph, or -1 when unresolved.
  int32_t target = -1;
  /// The author declared the target to live elsewhere (a KRM `external:`
  /// reference): not finding it in the inputs is expected.
  bool external = false;
  /// `address` is an expression of the input's own configuration (a Terraform
  /// reference to a resource, data source or module output), which its tool
  /// resolves: when no resource in the inputs has it, nothing is missing.
  bool configured = false;
  bool present() const { return identity.has_value() || !address.empty(); }
};

/// A Config Connector key ("krm:namespace/collection/name", or a reference's
/// "krm:namespace/collection/"), not a Terraform address.
inline bool isKrmKey(std::string_view address) { return address.starts_with("krm:"); }

/// A field's reference, kept on the heap: most fields are not references, and
/// a large input holds millions of fields. Reading one that is not a
/// reference gives an empty Ref (target -1); edit() makes it one.
class RefBox {
 public:
  const Ref& get() const { return p_ ? *p_ : none(); }
  const Ref* operator->() const { return &get(); }
  const Ref& operator*() const { return get(); }
  Ref& edit() {
    if (!p_) p_ = Ref{};
    return *p_;
  }

 private:
  static const Ref& none();
  Boxed<Ref> p_;  // copied with the field
};

struct Field {
  // 40 bytes: a large input holds millions of fields. The flags and the
  // defaulting tool share one word with the span; the value is interned text
  // (its number is read from the text); the reference is boxed.
  State state = State::Absent;
  bool isNumber : 1 = false;
  /// Written by the author (HCL, KRM, gcloud flags, a plan value with a
  /// configuration expression), as opposed to echoed back by the API in an
  /// export or filled in by a tool. Rules that forbid a setting check this.
  bool authored : 1 = false;
  bool sensitive : 1 = false;
  SmallAtom defaultedBy;  // "Terraform (google provider)" for State::Defaulted
  Span span;              // the value (or the resource header for defaulted/absent)
  /// The scalar value as text ("80", "true", "INTERNAL_MANAGED"), interned: a
  /// large input repeats the same few values (kinds, regions, projects, enum
  /// names, the names that references share) on field after field.
  Atom text;
  Atom spelling;  // field name in the source: "load_balancing_scheme"
  RefBox ref;

  bool known() const { return state == State::Known || state == State::Defaulted; }
  bool is(std::string_view v) const { return known() && text == v; }
  /// The value as a number when isNumber (0 otherwise), read from its text.
  double number() const;
  /// The reference's address in full: a Config Connector key with its name
  /// ("krm:namespace/collection/name"), a Terraform address; "" for none.
  std::string refAddress() const;
};
static_assert(sizeof(void*) != 8 || sizeof(Field) == 40, "a Field is 40 bytes on 64-bit targets");

/// A resource's fields by path ("backends[0].group"), in path order: a flat
/// vector of (path, field) pairs, sorted by path, read like a std::map. The paths
/// are interned: a large input repeats the same few hundred paths on every resource.
///
/// A map node cost 48 bytes beside each field (three pointers, a colour and
/// malloc's header); the vector costs nothing beyond the pairs once shrink()
/// has run (Graph::add does). Insertion appends to an unsorted tail, merged
/// into the sorted part when it grows past a fraction of it, so building a
/// resource of n fields in any order costs O(n log n), not O(n^2).
///
/// Lookups (find, count, contains, operator[]) see the tail; what needs the
/// order (iteration, lower_bound, erase) merges it first, which writes. A graph's
/// resources are merged before rules read them from several threads (Graph::add),
/// so const reads of a shared graph never write.
class Fields {
 public:
  using value_type = std::pair<Atom, Field>;
  using Items = std::vector<value_type>;
  using iterator = Items::iterator;
  using const_iterator = Items::const_iterator;

  Fields() = default;

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  void clear() {
    items_.clear();
    tail_ = 0;
  }

  iterator begin() { return sorted().begin(); }
  iterator end() { return sorted().end(); }
  const_iterator begin() const { return sorted().begin(); }
  const_iterator end() const { return sorted().end(); }

  iterator find(std::string_view path);
  const_iterator find(std::string_view path) const;
  size_t count(std::string_view path) const { return contains(path) ? 1 : 0; }
  bool contains(std::string_view path) const { return locate(path) != kNotFound; }
  /// The first field whose path is not less than `path`, in path order.
  iterator lower_bound(std::string_view path);
  const_iterator lower_bound(std::string_view path) const;
  /// The field at `path`, inserted Absent if missing.
  Field& operator[](std::string_view path);

  iterator erase(const_iterator it);
  size_t erase(std::string_view path);
  template <typename Pred>
  size_t erase_if(Pred pred) {
    return std::erase_if(sorted(), [&](const value_type& p) { return pred(p); });
  }

  /// Merges the tail and gives back unused capacity (once a resource is built).
  void shrink();

 private:
  static constexpr size_t kNotFound = SIZE_MAX;
  size_t locate(std::string_view path) const;
  Items& sorted() const;
  void mergeTail() const;

  mutable Items items_;
  mutable uint32_t tail_ = 0;  // items_[size - tail_, size) are not yet sorted
};

enum class Lifecycle : uint8_t {
  Static,  // configuration with no plan (exports, manifests)
  NoOp,
  Create,
  Read,
  Update,
  Delete,
  ReplaceDeleteFirst,  // ["delete","create"]
  ReplaceCreateFirst,  // ["create","delete"] (create_before_destroy)
};

std::string_view lifecycleName(Lifecycle l);

struct Locator;

// The members are ordered so that none pads another: a large input holds a
// million resources, and the list of them is copied once when files are joined.
struct Resource {
  Identity id;
  Atom sourceType;          // "google_compute_region_backend_service"
  std::string displayName;  // as the user wrote it: the Terraform address, KRM Kind/name
  /// A Config Connector object's key: "krm:namespace/collection/" (as the
  /// references to it hold it, Ref::address) and its name (as they write it,
  /// their field's text). Both interned: the first is shared by every object
  /// of a kind in a namespace, the second by the fields that name the object.
  Atom krmPrefix;
  Atom krmName;
  /// Where findings about this resource point instead of its own spans: the
  /// source it was generated from (Graph::attachLocators); null for most.
  const Locator* locator = nullptr;
  Atom format;              // "terraform-plan"
  int32_t mergedInto = -1;  // the same resource read from another input (see Graph::merge)
  uint32_t document = 0;    // which input document it came from (for address lookups)
  Span header;              // where to point when the resource as a whole is meant
  Lifecycle lifecycle = Lifecycle::Static;
  /// Only some fields are known: a gcloud script updates, attaches to or deletes
  /// a resource it never creates. field() returns Unknown, not Absent, for the rest.
  bool partial = false;
  Fields fields;  // the effective (planned) object
  /// The object before this change, kept (out of line) only where it can differ
  /// from `fields`: a plan's updates and replacements (and whatever a parser or
  /// test writes with editPrior()). Unset otherwise, and then:
  ///  - NoOp, Read and Delete: the object before the change is `fields` (it is
  ///    unchanged, or goes away as it is), so priorFields() is `fields` and
  ///    priorField() is field();
  ///  - Static and Create: there is no object before; priorFields() is empty and
  ///    priorField() is Absent.
  /// A stored prior always wins over these fallbacks. Graph::referrers() reports
  /// the references in priorFields() with prior=true, so a no-op or deleted
  /// resource's references are reported twice, as they were when prior was a copy.
  Boxed<Fields> prior;
  /// What few resources have, kept out of line (one pointer where the members
  /// would take 72 bytes on every resource); read through the accessors below.
  struct Rare {
    Span calledFrom;
    Span lifecycleSpan;
    std::optional<std::vector<std::string>> dependsOn;
    std::vector<std::pair<Atom, Span>> writtenAt;
  };
  Boxed<Rare> rare;
  /// A resource of a module that a tool installed (Terraform's registry and
  /// git modules under .terraform/modules): the call in the user's own
  /// configuration that brings it in, where findings about it also point.
  Span calledFrom() const { return rare ? rare->calledFrom : Span{}; }
  /// The plan's "actions" value (a script's: the command that deletes it).
  Span lifecycleSpan() const { return rare ? rare->lifecycleSpan : Span{}; }
  /// Terraform plans: what this resource waits for when Terraform creates it,
  /// as absolute addresses: its own and its module calls' `depends_on`, and every
  /// resource its configuration references. A module address ("module.net")
  /// stands for every resource in it, an address without index for every
  /// instance. Unset when the plan has no configuration for the resource.
  const std::optional<std::vector<std::string>>& dependsOn() const;
  /// Values written elsewhere than at their field's span (Terraform: a .tfvars
  /// value or a variable's default that `protocol = var.protocol` takes): the
  /// field's path and where the value itself is written, where a fix edits it.
  const std::vector<std::pair<Atom, Span>>& writtenAt() const;
  void setCalledFrom(Span s) {
    if (s.valid() || rare) editRare().calledFrom = s;
  }
  void setLifecycleSpan(Span s) {
    if (s.valid() || rare) editRare().lifecycleSpan = s;
  }
  Rare& editRare() {
    if (!rare) rare = Rare{};
    return *rare;
  }
  /// Where the value of `path` itself is written; its field's span when not elsewhere.
  Span valueWrittenAt(std::string_view path) const;

  /// The field at `path`; a static Absent field when missing.
  const Field& field(std::string_view path) const;
  /// The object before this change: the stored prior, else as described at `prior`.
  const Field& priorField(std::string_view path) const;
  /// A prior object is stored (not one of the fallbacks).
  bool hasPrior() const { return prior.has_value(); }
  /// The object before the change is `fields` itself (no stored prior, and the
  /// lifecycle leaves the object as it is: NoOp, Read, Delete).
  bool priorIsFields() const {
    return !prior && (lifecycle == Lifecycle::NoOp || lifecycle == Lifecycle::Read ||
                      lifecycle == Lifecycle::Delete);
  }
  /// The stored prior; `fields` when priorIsFields(); else a static empty map.
  const Fields& priorFields() const;
  /// The stored prior, created empty if there is none (for parsers and tests).
  Fields& editPrior() {
    if (!prior) prior = Fields{};
    return *prior;
  }
  /// Sorts `fields` and `prior` and gives back their unused capacity (Fields::shrink).
  void shrinkFields() {
    fields.shrink();
    if (prior) prior->shrink();
  }
  /// Number of list elements under `path` ("backends" -> backends[0..n)).
  size_t listSize(std::string_view path) const;
  size_t priorListSize(std::string_view path) const;
  /// True when the resource will not exist after this change.
  bool goingAway() const { return lifecycle == Lifecycle::Delete; }
  /// The region or location value field ("region" or "location").
  const Field& regionField() const;
};

/// The source of a resource read from generated input: a `.tf` resource that a
/// plan's resource was planned from. A finding about the generated resource is
/// reported at the source's spans, with the generated input's span as a related
/// location named `note` ("the value in the plan").
struct Locator {
  Resource source;
  std::string note;
};

}  // namespace lbcheck
