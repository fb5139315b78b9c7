// How the Cloud Run v1 API (Knative serving YAML, `gcloud run services
// describe` of a v1 service) spells what the v2 API has as fields: annotations
// with the short values.
#include "engine/fix.h"
#include "engine/vocabulary.h"
#include "parsers/common/entries.h"

namespace lbcheck::api {

namespace {

class RunV1Dialect : public Dialect {
 public:
  std::string name(const Resource&, std::string_view field) const override {
    if (field == "ingress") return R"(metadata.annotations["run.googleapis.com/ingress"])";
    if (field == "defaultUriDisabled")
      return R"(metadata.annotations["run.googleapis.com/default-url-disabled"])";
    if (field == "invokerIamDisabled")
      return R"(metadata.annotations["run.googleapis.com/invoker-iam-disabled"])";
    return std::string(field);
  }
  std::string value(const Resource&, std::string_view field,
                    std::string_view canonical) const override {
    if (field == "ingress") return std::string(vocab::shortIngress(canonical));
    return std::string(canonical);
  }
  std::string describe(const Resource& r, const Edit& e) const override {
    const std::string n = fieldName(r, e.field);
    if (e.op == Edit::Op::Remove) return "remove " + n;
    return "set " + n + ": " + value(r, e.field, e.value);
  }
  /// A service YAML kept by hand (`gcloud run services replace`): its
  /// annotations are strings, so a boolean is quoted.
  std::string literal(const Resource& r, const Edit& e) const override {
    const std::string v = value(r, e.field, e.value);
    return v == "true" || v == "false" ? "'" + v + "'" : v;
  }
  bool settle(std::string_view text, Replacement& rep) const override {
    return entries::settleYaml(text, rep);
  }
  /// `gcloud run services replace` reads the file back: even an exported one
  /// is kept and edited by hand, so a value written in it (not the resource
  /// header an absent one points at) can be changed.
  bool editable(const Field& f) const override { return f.state == State::Known; }
};

}  // namespace

LBCHECK_REGISTER_DIALECT(RunV1Dialect, "cloud-run-v1");

}  // namespace lbcheck::api
