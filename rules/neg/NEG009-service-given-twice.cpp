// NEG009: an explicit service (or tag) and the same placeholder in the URL mask
// both supply one value; which one wins is undocumented.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/urlmask.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

class ServiceGivenTwice : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NEG009",
                                "service-given-twice",
                                "A serverless NEG sets the Cloud Run service or tag explicitly "
                                "and also takes it from a URL-mask placeholder.",
                                Severity::Warning,
                                "neg",
                                {Kind::NetworkEndpointGroup}};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& neg, Reporter& out) const override {
    if (!live(neg)) return;
    const Field& mask = ServerlessNegView(neg).cloudRunUrlMask();
    if (mask.state != State::Known) return;
    const UrlMask parsed = UrlMask::parse(mask.text);
    if (parsed.hasService()) check(neg, ServerlessNegView::kCloudRunService, "<service>", out);
    // An explicit tag with only <service> in the mask is a known, working pattern.
    if (parsed.hasTag()) check(neg, ServerlessNegView::kCloudRunTag, "<tag>", out);
  }

 private:
  static void check(const Resource& neg, std::string_view path, std::string_view placeholder,
                    Reporter& out) {
    const Field& explicitValue = neg.field(path);
    if (explicitValue.state != State::Known) return;
    const std::string name = spelled(neg, path);
    Finding& f =
        out.report(neg, ServerlessNegView::kCloudRunUrlMask,
                   spelled(neg, ServerlessNegView::kCloudRunUrlMask) + " of " + describe(neg) +
                       " takes the " + std::string(path.substr(path.find('.') + 1)) + " from " +
                       std::string(placeholder) + ", but " + name + " also sets it (" +
                       q(explicitValue.text) + "); which of the two wins is not documented");
    f.help = "keep one: remove " + name + " to route by the URL, or drop " +
             std::string(placeholder) + " from the mask to always use " + q(explicitValue.text);
    if (explicitValue.span.valid()) f.related.push_back({explicitValue.span, "the explicit value"});
  }
};

LBCHECK_REGISTER_RULE(ServiceGivenTwice);

}  // namespace
}  // namespace lbcheck
