// NEG006: Cloud Run service and tag names in a serverless NEG are RFC 1035 names.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/spelling.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

/// ^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$
bool rfc1035(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (s.front() < 'a' || s.front() > 'z') return false;
  if (s.back() == '-') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

std::string whyNot(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > 63) return "it is " + std::to_string(s.size()) + " characters long (at most 63)";
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return "it has upper-case letters";
  if (s.front() < 'a' || s.front() > 'z') return "it does not start with a lower-case letter";
  if (s.back() == '-') return "it ends with a hyphen";
  return "it has characters other than lower-case letters, digits and hyphens";
}

class InvalidCloudRunName : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG006",
                                "invalid-cloud-run-name",
                                "A serverless NEG names a Cloud Run service or tag that is not a "
                                "valid RFC 1035 name of 1 to 63 characters.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    checkName(neg, ServerlessNegView::kCloudRunService, "service", out);
    checkName(neg, ServerlessNegView::kCloudRunTag, "tag", out);
  }

 private:
  static void checkName(const Resource& neg, std::string_view path, std::string_view what,
                        Reporter& out) {
    const Field& f = neg.field(path);
    if (f.state != State::Known || f.sensitive) return;
    // A Config Connector `name:` reference names a Kubernetes object, not the service.
    if (f.ref->address.rfind("krm:", 0) == 0) return;
    std::string_view name = f.text;
    // A full service name (projects/P/locations/L/services/S) ends with the short name.
    if (what == "service" && name.find('/') != std::string_view::npos)
      name = name.substr(name.rfind('/') + 1);
    if (rfc1035(name)) return;
    // A template placeholder (`runservice-${uniqueId}`, `{{.Name}}`) is filled in before
    // the file is applied: the name it stands for is not known here.
    if (templatePlaceholder(name)) return;
    Finding& finding = out.report(neg, path,
                                  spelled(neg, path) + " of " + describe(neg) + " is " + q(name) +
                                      ", which is not a valid Cloud Run " + std::string(what) +
                                      " name: " + whyNot(name));
    finding.help =
        "use a name of 1 to 63 lower-case letters, digits and hyphens that starts with a letter "
        "and does not end with a hyphen (RFC 1035)";
  }
};

LBCHECK_REGISTER_RULE(InvalidCloudRunName);

}  // namespace
}  // namespace lbcheck
