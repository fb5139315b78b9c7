// Shared pieces of the adapters that lower documents into canonical resources.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/json.h"
#include "engine/link.h"
#include "engine/model.h"

namespace lbcheck::lower {

/// One path segment of a field pattern: `name`, `name[0]` (first element
/// only) or `name[*]` (every element).
struct Segment {
  std::string_view name;
  enum class Index { None, First, All } index = Index::None;
};

std::vector<Segment> parsePattern(std::string_view pattern);
/// Replaces each "[*]" of `pattern` with the next index.
std::string instantiate(std::string_view pattern, const std::vector<size_t>& indexes);
/// A scalar as text; whole numbers without a fraction ("80", not "80.0").
std::string scalarText(json::Value v);

/// How a reference is written in the source.
enum class RefStyle : uint8_t {
  Link,  // a link string (URL, relative path or bare name)
  Krm,   // a Config Connector reference object {name, namespace} | {external}
};

/// A source path and the canonical field it lowers to.
struct PathMap {
  std::string_view source;   // "spec.backend[*].group.networkEndpointGroupRef"
  std::string_view api;      // "backends[*].group"
  Kind ref = Kind::Unknown;  // what a reference points at
  RefStyle style = RefStyle::Link;
};

/// The start of the key under which a Config Connector object is found by
/// `name:` references, "krm:namespace/collection/": the name completes it.
std::string krmPrefix(std::string_view ns, Kind kind);

/// Lowers every path of `maps` found under `root` into known fields of `r`
/// (scope and project of `r` must be set: bare names take them). `krmNamespace`
/// is the namespace that `name:` references default to.
/// `authored` says whether the values are the author's (KRM, an edited export)
/// or echoed back by the API (gcloud describe/list, Asset Inventory).
void lowerPaths(Resource& r, json::Value root, std::span<const PathMap> maps, bool authored,
                std::string_view krmNamespace = {});

/// Reads the Cloud Run v1 annotations lbcheck checks (Knative exports,
/// Terraform's google_cloud_run_service): `run.googleapis.com/ingress` as
/// `ingress` (mapped to the v2 enum; the raw text in `ingressAnnotation`,
/// which every adapter of a v1 service also stores, Absent or Unknown, when
/// the annotation is not written: its presence says ingress is an annotation),
/// `invoker-iam-disabled` and `default-url-disabled`. `prefix` is how the
/// source spells the annotations map ("metadata.annotations").
void lowerRunAnnotations(Resource& r, json::Value annotations, std::string_view prefix,
                         bool authored);

/// How a source spells the path of one label: `prefix.key` when the key is
/// a plain identifier, else `prefix["key"]`.
std::string labelSpelling(std::string_view prefix, std::string_view key);

/// Lowers a labels map into `labels.<key>` fields (the convention is in
/// engine/model.h); `prefix` is how the source spells the map ("labels",
/// "metadata.labels"). Values that are not scalars are skipped; a missing
/// or null map lowers to nothing.
void lowerLabels(Resource& r, json::Value labels, std::string_view prefix, bool authored);
/// As above, into `fields`: a resource's fields, or the prior object of a plan.
void lowerLabels(Fields& fields, json::Value labels, std::string_view prefix, bool authored);

/// Treats a resource's private-key values (`privateKey`,
/// `selfManaged.pemPrivateKey`) as sensitive whether or not the source marks
/// them so: the field's text becomes "(sensitive)" and reports mask its bytes.
void redactKeyMaterial(Resource& r, const SourceFile& file);

/// Marks an IAM grant as made on the whole project (`grantedOn` = "project"): it
/// covers every Cloud Run service of that project. `at` and `spelling` say where
/// the source makes it project-wide.
void markProjectWide(Resource& grant, Span at, std::string spelling);

/// The link context for a reference from `r` to a resource of `kind`.
LinkContext linkContext(const Resource& r, Kind kind);

/// One binding of an IAM policy: its role and members as canonical fields
/// (`role`, `members[i]`), each pointing at where it is written.
struct IamBinding {
  Field role;
  std::vector<Field> members;
};

/// Reads the bindings of an IAM policy document: `list` is an array of
/// `{role, members}` where a member is a string, or an object `{member: ...}`
/// (Config Connector's IAMPartialPolicy; `memberFrom` is Unknown). `prefix`
/// spells the list in the source ("bindings", "spec.bindings", "binding");
/// `at` maps spans of the parsed text to the spans to report (policy JSON
/// held in a string) and may be empty.
std::vector<IamBinding> readIamBindings(json::Value list, std::string_view prefix, bool authored,
                                        const std::function<Span(Span)>& at = {});

/// The text of the JSON string token `v` with its escapes decoded, and for
/// each decoded byte (plus one past the end) its offset in the source file.
bool decodeJsonString(json::Value v, std::string* out, std::vector<uint32_t>* offsets);

/// An IAM policy as canonical IamMember resources: `base` (identity, `resource`
/// reference) once per binding with the binding's `role` and `members[*]`; the
/// second and later copies get `#bindings[i]` appended to their identity name so
/// they stay apart. No binding at all: `base` itself.
void iamGrants(const Resource& base, const std::vector<IamBinding>& bindings,
               std::vector<Resource>& out);

}  // namespace lbcheck::lower
