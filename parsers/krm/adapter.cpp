// Config Connector (KRM) objects, in YAML manifests or JSON: any object whose
// apiVersion is a `*.cnrm.cloud.google.com` group.
#include "engine/adapter.h"
#include "parsers/krm/krm.h"

namespace lbcheck {
namespace {

class KrmAdapter : public Adapter {
 public:
  std::string_view name() const override { return "krm"; }
  int sniffDocument(json::Value value, bool whole) const override {
    return !whole && krm::isKrm(value) ? confidence::kCertain : confidence::kNone;
  }
  void lowerDocument(const json::Document&, json::Value value, const SourceFile& file,
                     Lowered& out) const override {
    krm::lower(value, file, out.graph, out.diagnostics);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(KrmAdapter, 20);

}  // namespace lbcheck
