// Google Cloud API objects as gcloud prints them (`describe`, `list`,
// `url-maps export`) and Cloud Asset Inventory records, in JSON or YAML.
#include "parsers/api/shape_adapter.h"

namespace lbcheck {
namespace {

class ApiAdapter : public api::ShapeAdapter {
 public:
  std::string_view name() const override { return "gcloud-export"; }
  bool takes(api::Shape shape) const override {
    return shape == api::Shape::ComputeObject || shape == api::Shape::UrlMapExport ||
           shape == api::Shape::AssetRecord;
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(ApiAdapter, 30);

}  // namespace lbcheck
