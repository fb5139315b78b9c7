// Cloud Run services as exported: v1 (Knative, `gcloud run services describe
// --format=export`) and v2 (`name: projects/P/locations/L/services/S`). The
// API objects' lowering (parsers/api) reads both.
#include "engine/adapter.h"
#include "parsers/api/api.h"

namespace lbcheck {
namespace {

bool runService(api::Shape shape) {
  return shape == api::Shape::KnativeService || shape == api::Shape::RunV2Service;
}

class CloudRunAdapter : public Adapter {
 public:
  std::string_view name() const override { return "cloud-run"; }
  int sniffDocument(json::Value value, bool whole) const override {
    return !whole && runService(api::classify(value)) ? confidence::kContent : confidence::kNone;
  }
  void lowerDocument(const json::Document&, json::Value value, const SourceFile& file,
                     Lowered& out) const override {
    api::lower(api::classify(value), value, file, out.graph, out.diagnostics);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(CloudRunAdapter, 31);

}  // namespace lbcheck
