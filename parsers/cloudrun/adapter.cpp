// Cloud Run services as exported: v1 (Knative, `gcloud run services describe
// --format=export`) and v2 (`name: projects/P/locations/L/services/S`). The
// API objects' lowering (parsers/api) reads both.
#include "parsers/api/shape_adapter.h"

namespace lbcheck {
namespace {

class CloudRunAdapter : public api::ShapeAdapter {
 public:
  std::string_view name() const override { return "cloud-run"; }
  bool takes(api::Shape shape) const override {
    return shape == api::Shape::KnativeService || shape == api::Shape::RunV2Service;
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(CloudRunAdapter, 31);

}  // namespace lbcheck
