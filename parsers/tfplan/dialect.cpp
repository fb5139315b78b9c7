// How Terraform spells fields, values and fixes: the google provider's
// attribute names (from the schema in types.cpp), HCL literals.
#include "engine/fix.h"
#include "engine/vocabulary.h"
#include "parsers/tfplan/types.h"

namespace lbcheck::tfplan {

namespace {

constexpr std::string_view kRunV1 = "google_cloud_run_service";
constexpr std::string_view kIngressAnnotation =
    R"(metadata.annotations["run.googleapis.com/ingress"])";

class TerraformDialect : public Dialect {
 public:
  std::string name(const Resource& r, std::string_view field) const override {
    if (r.sourceType == kRunV1 && field == "ingress") return std::string(kIngressAnnotation);
    if (const TypeMap* t = findType(r.sourceType)) {
      for (const AttrMap& a : t->attrs)
        if (std::string n = mapPath(field, a.api, a.tf); !n.empty()) return n;
    }
    return snakeCase(field);
  }

  std::string value(const Resource& r, std::string_view field,
                    std::string_view canonical) const override {
    if (r.sourceType == kRunV1 && field == "ingress")
      return std::string(vocab::shortIngress(canonical));
    return std::string(canonical);
  }

  std::string describe(const Resource& r, const Edit& e) const override {
    const std::string n = fieldName(r, e.field);
    if (e.op == Edit::Op::Remove) return "remove " + n;
    return "set " + n + " = " + literalOf(r, e);
  }

 protected:
  std::string literalOf(const Resource& r, const Edit& e) const {
    const std::string v = value(r, e.field, e.value);
    return bareValue(v) ? v : "\"" + v + "\"";
  }
};

/// A plan is generated: its fixes are said, never applied to the plan.
class PlanDialect : public TerraformDialect {};

/// A .tf file is written by hand: a written value can be replaced in place.
class SourceDialect : public TerraformDialect {
 public:
  std::string literal(const Resource& r, const Edit& e) const override { return literalOf(r, e); }
};

}  // namespace

LBCHECK_REGISTER_DIALECT(PlanDialect, "terraform-plan");
LBCHECK_REGISTER_DIALECT(SourceDialect, "terraform");

}  // namespace lbcheck::tfplan
