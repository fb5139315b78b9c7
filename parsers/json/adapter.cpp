// JSON files: gcloud and API exports, plans, KRM objects, Cloud Asset
// Inventory records (one document, or newline-delimited / concatenated ones).
// The documents' shapes pick the adapter that lowers each (documents.h).
#include "engine/adapter.h"
#include "parsers/json/documents.h"

namespace lbcheck {
namespace {

class JsonAdapter : public Adapter {
 public:
  std::string_view name() const override { return "json"; }
  /// `.tfstate`: Terraform's raw state file (a JSON document).
  std::vector<std::string_view> extensions() const override { return {".json", ".tfstate"}; }
  bool notesBrokenLinks() const override { return true; }
  int sniff(std::string_view bytes, std::string_view fileName) const override {
    const std::string ext = fileExtension(fileName);
    if (ext == ".json" || ext == ".tfstate") return confidence::kName;
    return looksLikeJson(bytes) ? confidence::kGuess : confidence::kNone;
  }
  /// The documents of the file.
  std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext& context) const override {
    return documents::parse(context.settings(), input.file, false, nullptr, input.explicitlyNamed);
  }
  /// Each document by the adapter of its shape.
  void lower(SyntaxTree& tree, const Input& input, ReadContext&, Lowered& out) const override {
    documents::lower(static_cast<const documents::Documents&>(tree), input.file, nullptr, out);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(JsonAdapter, 60);

}  // namespace lbcheck
