#include "parsers/json/documents.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "engine/diagnostics.h"
#include "parsers/yaml/yaml.h"

namespace lbcheck::documents {

namespace {

/// Whether some adapter reads a document, or an object of it (the root, or an
/// element of a top-level array).
bool recognised(const AdapterRegistry& registry, json::Value root) {
  if (!root) return false;
  if (registry.pickDocument(root, true)) return true;
  bool any = false;
  if (root.isArray())
    root.forEachElement(
        [&](size_t, json::Value o) { any = any || registry.pickDocument(o, false); });
  else
    any = registry.pickDocument(root, false) != nullptr;
  return any;
}

}  // namespace

bool looksLikeLbcheckInput(std::string_view bytes) {
  auto has = [&](std::string_view what) { return bytes.find(what) != std::string_view::npos; };
  return has("cnrm.cloud.google.com/") || has("serving.knative.dev/") || has("compute#") ||
         has("\"format_version\"") || (has("\"terraform_version\"") && has("\"lineage\""));
}

std::unique_ptr<Documents> parse(const ReadSettings& settings, const SourceFile& file, bool yaml,
                                 const FenceContext* fence, bool explicitlyNamed) {
  auto tree = std::make_unique<Documents>();
  std::vector<std::unique_ptr<json::Document>>& docs = tree->docs;
  json::ParseError perr;
  bool failed = false;
  const std::string what = yaml ? "YAML" : "JSON";
  if (yaml) {
    yaml::Limits limits;
    limits.maxDepth = settings.maxDepth;
    failed = yaml::parse(file, limits, &docs, &perr);
  } else {
    json::Limits limits;
    limits.maxDepth = settings.maxDepth;
    if (auto doc = json::parse(file, limits, &perr)) {
      docs.push_back(std::move(doc));
    } else {
      // Newline-delimited JSON or concatenated objects (Cloud Asset Inventory).
      json::ParseError many;
      std::vector<std::unique_ptr<json::Document>> values;
      const bool manyFailed = json::parseMany(file, limits, &values, &many);
      if (values.size() > 1) {
        docs = std::move(values);
        failed = manyFailed;
        perr = many;
      } else {
        failed = true;
      }
    }
  }
  if (failed && fence) {
    // A fragment (`"ingress": "internal"`, a block with `...`) is how docs show
    // one setting: not an error in the runbook.
    if (fence->relevant)
      tree->diagnostics.push_back(makeDiagnostic(
          diag::kSkipped, Severity::Note, fence->opening,
          "this ```" + fence->label + " block is not a whole " + what + " document (" +
              perr.message + " at line " +
              std::to_string(fence->markdown.locate(perr.offset).line) + "); skipped",
          "lbcheck reads a fenced block that holds a complete document; a fragment is not "
          "checked"));
    docs.clear();
    tree->failed = true;
    return tree;
  }
  if (failed && !explicitlyNamed && !looksLikeLbcheckInput(file.text())) {
    // Found in a walk and nothing says it is lbcheck's (a JSON-with-comments
    // settings file, a YAML template with `${...}`): skipped, not an error.
    const AdapterRegistry& registry = AdapterRegistry::instance();
    const bool ours = std::any_of(docs.begin(), docs.end(), [&](const auto& doc) {
      return recognised(registry, doc->root());
    });
    if (!ours) {
      const Location at = file.locate(perr.offset);
      tree->skipped =
          Skip{SkipReason::DoesNotParse, "invalid " + what + " at line " + std::to_string(at.line) +
                                             ":" + std::to_string(at.column) + ": " + perr.message};
      docs.clear();
      tree->failed = true;
      return tree;
    }
  }
  if (failed) {
    tree->diagnostics.push_back(makeDiagnostic(diag::kSyntax, Severity::Error,
                                               Span{file.id(), perr.offset, perr.offset + 1},
                                               "invalid " + what + ": " + perr.message));
  }
  tree->failed = failed;
  return tree;
}

void lower(const Documents& tree, const SourceFile& file, const FenceContext* fence, Lowered& out) {
  // A fence that does not parse is a fragment: noted by parse, nothing to lower.
  if (tree.failed && fence) return;
  const AdapterRegistry& registry = AdapterRegistry::instance();
  size_t understood = 0;
  Span firstSkipped;
  const size_t before = out.graph.size();
  for (const auto& doc : tree.docs) {
    const json::Value root = doc->root();
    if (!root) continue;
    if (const Adapter* whole = registry.pickDocument(root, true)) {
      whole->lowerDocument(*doc, root, file, out);
      ++understood;
      continue;
    }
    bool any = false;
    auto one = [&](json::Value o) {
      // A recognised format whose kind lbcheck does not model (a
      // ComputeInstanceGroup, a compute#instanceTemplate) is understood: silence.
      if (const Adapter* adapter = registry.pickDocument(o, false)) {
        adapter->lowerDocument(*doc, o, file, out);
        any = true;
      }
    };
    if (root.isArray()) {
      root.forEachElement([&](size_t, json::Value o) { one(o); });
      if (root.size() == 0) any = true;  // an empty `list` output: nothing to check
    } else {
      one(root);
    }
    if (any) {
      ++understood;
    } else if (!firstSkipped.valid() && !root.isNull()) {
      firstSkipped = Span{file.id(), root.span().begin, root.span().begin + 1};
    }
  }
  if (understood == 0 && firstSkipped.valid() && !tree.failed && !fence) {
    out.skipped = Skip{SkipReason::NotAFormat,
                       "no document is a Terraform plan or state, a gcloud export, a Cloud Run "
                       "service, a Config Connector object or Cloud Asset Inventory records"};
  }
  if (out.graph.size() > before) ++out.documentsUsed;
}

void read(const ReadSettings& settings, const SourceFile& file, bool yaml,
          const FenceContext* fence, Lowered& out) {
  std::unique_ptr<Documents> tree = parse(settings, file, yaml, fence, true);
  for (Finding& f : tree->diagnostics) out.diagnostics.push_back(std::move(f));
  lower(*tree, file, fence, out);
}

}  // namespace lbcheck::documents
