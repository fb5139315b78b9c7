// OPS007: Terraform replacements that break a running load balancer: an
// in-use NEG, backend service or URL map destroyed first, or a forwarding rule
// re-created because its address, protocol or ports change.
#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

bool replaceable(Kind k) {
  return k == Kind::NetworkEndpointGroup || k == Kind::BackendService || k == Kind::UrlMap;
}

/// "80-80" and "80" are the same port range.
std::string normalPorts(const std::string& s) {
  const size_t dash = s.find('-');
  if (dash != std::string::npos && s.substr(0, dash) == s.substr(dash + 1))
    return s.substr(0, dash);
  return s;
}

class ReplacementOfInUseResource : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"OPS007", "replacement-of-in-use-resource",
                                "A Terraform plan replaces an in-use NEG, backend service or URL "
                                "map without create_before_destroy, or re-creates a forwarding "
                                "rule because its address, protocol or ports change.",
                                Severity::Warning, "ops"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const Changes& changes = g.changes();
    for (const Step& step : changes.steps()) {
      if (step.action != Step::Action::Replace) continue;
      const Resource& r = g.at(step.resource);
      if (replaceable(r.id.kind) && !step.createFirst) checkInUse(g, changes, step, r, out);
      if (r.id.kind == Kind::ForwardingRule) checkForwardingRule(g, step, r, out);
    }
  }

 private:
  static void checkInUse(const Graph& g, const Changes& changes, const Step& step,
                         const Resource& r, Reporter& out) {
    for (const Holder& use : changes.holders(step)) {
      const Resource& u = g.at(use.resource);
      if (u.id.kind == Kind::IamMember) continue;
      Finding& f = out.reportAt(r, "", step.at,
                                describe(r) + " is replaced without create_before_destroy while " +
                                    describe(u) +
                                    " uses it: the old one is destroyed first, and the API "
                                    "refuses that while it is in use");
      f.help = dialectOf(r).createBeforeDestroy(r) + ", so " + std::string(kindLabel(u.id.kind)) +
               " " + q(u.id.name) + " moves to it before the old one is destroyed";
      f.related.push_back({use.span, describe(u) + " uses it here"});
      return;
    }
  }

  static void checkForwardingRule(const Graph& g, const Step& step, const Resource& fr,
                                  Reporter& out) {
    // What forces the replacement: an address, protocol or port that changes.
    for (const char* path : {"IPProtocol", "portRange", "ports[0]", "IPAddress"}) {
      const Field& now = fr.field(path);
      const Field& before = g.changes().fieldBefore(step, fr, path);
      if (!before.known() || now.state != State::Known) continue;
      const bool ports = std::string_view(path).substr(0, 4) == "port";
      if (ports ? normalPorts(now.text) == normalPorts(before.text) : now.text == before.text)
        continue;
      std::string message = describe(fr) + " is deleted and created again because " +
                            spelled(fr, path) + " changes from " + before.text + " to " + now.text +
                            "; forwarding-rule addresses, protocols and ports cannot "
                            "change in place";
      const Field& address = fr.field("IPAddress");
      const Field& oldAddress = g.changes().fieldBefore(step, fr, "IPAddress");
      if (std::string_view(path) != "IPAddress" && oldAddress.known() &&
          address.state == State::Absent)
        message += ", and the new rule may get another address than " + oldAddress.text +
                   " (it is not reserved)";
      Finding& f = out.report(fr, path, message);
      f.help =
          "reserve the address (a static internal address the rule's IP address names) so it "
          "survives, and create a second forwarding rule for the new address, port or protocol "
          "before retiring the old one once clients have moved";
      f.related.push_back({before.span.valid() ? before.span : fr.header, "the value before"});
      return;
    }
  }
};

LBCHECK_REGISTER_RULE(ReplacementOfInUseResource);

}  // namespace
}  // namespace lbcheck
