// Google Cloud API objects as gcloud prints them (`describe`, `list`,
// `url-maps export`) and Cloud Asset Inventory records, in JSON or YAML.
#include "engine/adapter.h"
#include "parsers/api/api.h"

namespace lbcheck {
namespace {

bool exported(api::Shape shape) {
  return shape == api::Shape::ComputeObject || shape == api::Shape::UrlMapExport ||
         shape == api::Shape::AssetRecord;
}

class ApiAdapter : public Adapter {
 public:
  std::string_view name() const override { return "gcloud-export"; }
  int sniffDocument(json::Value value, bool whole) const override {
    return !whole && exported(api::classify(value)) ? confidence::kContent : confidence::kNone;
  }
  void lowerDocument(const json::Document&, json::Value value, const SourceFile& file,
                     Lowered& out) const override {
    api::lower(api::classify(value), value, file, out.graph, out.diagnostics);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(ApiAdapter, 30);

}  // namespace lbcheck
