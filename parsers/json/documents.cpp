#include "parsers/json/documents.h"

#include <memory>
#include <vector>

#include "engine/diagnostics.h"
#include "parsers/yaml/yaml.h"

namespace lbcheck::documents {

std::unique_ptr<Documents> parse(const ReadSettings& settings, const SourceFile& file, bool yaml,
                                 const FenceContext* fence) {
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
    out.diagnostics.push_back(makeDiagnostic(
        diag::kSkipped, Severity::Note, firstSkipped,
        "not a configuration lbcheck reads (a Terraform plan or state, a gcloud export, a Cloud "
        "Run service, a Config Connector object or Cloud Asset Inventory records); skipped",
        "name only the files you want checked, or see the README for the formats lbcheck reads"));
  }
  if (out.graph.size() > before) ++out.documentsUsed;
}

void read(const ReadSettings& settings, const SourceFile& file, bool yaml,
          const FenceContext* fence, Lowered& out) {
  std::unique_ptr<Documents> tree = parse(settings, file, yaml, fence);
  for (Finding& f : tree->diagnostics) out.diagnostics.push_back(std::move(f));
  lower(*tree, file, fence, out);
}

}  // namespace lbcheck::documents
