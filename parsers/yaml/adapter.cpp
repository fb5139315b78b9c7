// YAML files: gcloud exports, KRM manifests, Cloud Run services (a stream of
// documents; each document's shape picks the adapter that lowers it).
#include "engine/adapter.h"
#include "parsers/json/documents.h"

namespace lbcheck {
namespace {

class YamlAdapter : public Adapter {
 public:
  std::string_view name() const override { return "yaml"; }
  std::vector<std::string_view> extensions() const override { return {".yaml", ".yml"}; }
  bool notesBrokenLinks() const override { return true; }
  int sniff(std::string_view, std::string_view fileName) const override {
    const std::string ext = fileExtension(fileName);
    return ext == ".yaml" || ext == ".yml" ? confidence::kName : confidence::kNone;
  }
  /// The documents of the file.
  std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext& context) const override {
    return documents::parse(context.settings(), input.file, true, nullptr, input.explicitlyNamed);
  }
  /// Each document by the adapter of its shape.
  void lower(SyntaxTree& tree, const Input& input, ReadContext&, Lowered& out) const override {
    documents::lower(static_cast<const documents::Documents&>(tree), input.file, nullptr, out);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(YamlAdapter, 61);

}  // namespace lbcheck
