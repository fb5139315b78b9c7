// How Terraform spells fields, values and fixes: the google provider's
// attribute names (from the schema in parsers/schema/google.cpp), HCL literals.
#include "engine/fix.h"
#include "engine/vocabulary.h"
#include "parsers/common/entries.h"
#include "parsers/schema/google.h"

namespace lbcheck::tfplan {

using schema::AttrMap;
using schema::findType;
using schema::TypeMap;

namespace {

constexpr std::string_view kRunV1 = "google_cloud_run_service";

/// The annotation that google_cloud_run_service (Cloud Run v1) writes for a
/// field the v2 API has; "" for the others.
std::string_view runV1Annotation(std::string_view field) {
  if (field == "ingress") return R"(metadata.annotations["run.googleapis.com/ingress"])";
  if (field == "defaultUriDisabled")
    return R"(metadata.annotations["run.googleapis.com/default-url-disabled"])";
  if (field == "invokerIamDisabled")
    return R"(metadata.annotations["run.googleapis.com/invoker-iam-disabled"])";
  return {};
}

bool isAnnotation(const Resource& r, std::string_view field) {
  return r.sourceType == kRunV1 && !runV1Annotation(field).empty();
}

class TerraformDialect : public Dialect {
 public:
  std::string name(const Resource& r, std::string_view field) const override {
    if (isAnnotation(r, field)) return std::string(runV1Annotation(field));
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

  /// Terraform orders creations by the references and depends_on of the configuration.
  std::string createAfter(const Resource& later, const Resource& first) const override {
    return "add depends_on = [" + first.displayName + "] to " + later.displayName +
           " (or to the module that creates it)";
  }

  std::string createBeforeDestroy(const Resource& r) const override {
    return "add lifecycle { create_before_destroy = true } to " + r.displayName +
           " and give the new copy another name (or name_prefix)";
  }

 protected:
  std::string literalOf(const Resource& r, const Edit& e) const {
    const std::string v = value(r, e.field, e.value);
    return bareValue(v) && !isAnnotation(r, e.field) ? v
                                                     : "\"" + v + "\"";  // annotations are strings
  }
};

/// A .tf file is written by hand: a written value can be replaced in place,
/// a written attribute or block taken out.
class SourceDialect : public TerraformDialect {
 public:
  std::string literal(const Resource& r, const Edit& e) const override { return literalOf(r, e); }
  bool removes() const override { return true; }
  bool settle(std::string_view text, Replacement& rep) const override {
    return entries::settleHcl(text, rep);
  }
};

/// A plan is generated: its fixes are never applied to it (a resource a .tf
/// file writes is fixed there: Reporter::fix).
class PlanDialect : public TerraformDialect {};

}  // namespace

LBCHECK_REGISTER_DIALECT(PlanDialect, "terraform-plan");
LBCHECK_REGISTER_DIALECT(SourceDialect, "terraform");

}  // namespace lbcheck::tfplan
