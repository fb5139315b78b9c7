// NEG007: a serverless NEG's Cloud Run URL mask must be a well-formed template.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/urlmask.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class UrlMaskMalformed : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG007",
                                "url-mask-malformed",
                                "A serverless NEG's Cloud Run URL mask is not a well-formed "
                                "scheme-less template with <service> and <tag> placeholders.",
                                Severity::Error,
                                "neg",
                                {Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    const ServerlessNegView view(neg);
    const Field& mask = view.cloudRunUrlMask();
    if (mask.state != State::Known) return;
    const UrlMask parsed = UrlMask::parse(mask.text);
    const std::string name = spelled(neg, ServerlessNegView::kCloudRunUrlMask);
    for (const UrlMaskProblem& p : parsed.problems()) {
      Finding& f = out.report(neg, ServerlessNegView::kCloudRunUrlMask,
                              name + " of " + describe(neg) + " is malformed: " + p.message);
      f.help = helpFor(p.code);
    }
    if (parsed.valid() && !parsed.hasPlaceholder() &&
        view.cloudRunService().state == State::Absent) {
      Finding& f = out.report(neg, ServerlessNegView::kCloudRunUrlMask,
                              name + " of " + describe(neg) + " (\"" + mask.text +
                                  "\") has no placeholder, so no service can be taken from "
                                  "the request URL");
      f.severity = Severity::Warning;
      f.help =
          "write the placeholders, e.g. \"example.com/<service>\"; masks copied from the "
          "provider docs lose their <service> and <tag> tokens";
    }
  }

 private:
  static std::string helpFor(UrlMaskProblem::Code code) {
    switch (code) {
      case UrlMaskProblem::Code::Scheme:
        return "drop the scheme: write \"example.com/<service>\", not "
               "\"https://example.com/<service>\"";
      case UrlMaskProblem::Code::UnknownPlaceholder:
        return "use only <service> and <tag> in a Cloud Run URL mask";
      case UrlMaskProblem::Code::DuplicatePlaceholder:
        return "use each placeholder once, e.g. \"<tag>.example.com/<service>\"";
      case UrlMaskProblem::Code::Unbalanced:
        return "close every placeholder: <service> or <tag>";
      case UrlMaskProblem::Code::Empty:
        return "remove the empty mask or write one such as \"example.com/<service>\"";
    }
    return {};
  }
};

LBCHECK_REGISTER_RULE(UrlMaskMalformed);

}  // namespace
}  // namespace lbcheck
