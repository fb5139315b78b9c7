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
  void read(const Input& input, ReadContext& context, Lowered& out) const override {
    documents::read(context.settings(), input.file, true, nullptr, out);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(YamlAdapter, 61);

}  // namespace lbcheck
