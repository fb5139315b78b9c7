// Terraform plans and state (`terraform show -json`): a JSON document whose
// top-level shape says it is a plan; the JSON reader hands it over whole.
#include "engine/adapter.h"
#include "parsers/tfplan/tfplan.h"

namespace lbcheck {
namespace {

class PlanAdapter : public Adapter {
 public:
  std::string_view name() const override { return "terraform-plan"; }
  int sniffDocument(json::Value value, bool whole) const override {
    return whole && tfplan::looksLikePlan(value) ? confidence::kCertain : confidence::kNone;
  }
  void lowerDocument(const json::Document& doc, json::Value, const SourceFile& file,
                     Lowered& out) const override {
    tfplan::lower(doc, file, out.graph, out.diagnostics);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(PlanAdapter, 10);

}  // namespace lbcheck
