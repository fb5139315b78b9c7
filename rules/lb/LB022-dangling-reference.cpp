// LB022: a reference that names a resource the inputs do not contain. Outside a
// script lbcheck cannot know whether it exists (another stack, a GKE-made NEG, a
// shared VPC), so that is a "cannot verify" note; a script that deleted it
// earlier is an error. A configuration reference to something the configuration
// does not declare is an LBC001 error of the input's reader.
#include "engine/chain.h"
#include "engine/change.h"
#include "engine/rule.h"
#include "engine/views.h"

namespace lbcheck {
namespace {

/// A literal IP address (which a plan's address field may hold) is not a link.
bool ipLiteral(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789.:abcdefABCDEF") == std::string_view::npos &&
         s.find_first_of(".:") != std::string_view::npos;
}

/// A Private Service Connect endpoint for Google APIs: a forwarding rule with an
/// empty scheme whose `target` is an API bundle name ("all-apis", "vpc-sc"), not
/// a link to a target proxy.
bool googleApisBundle(const Resource& fr) {
  if (fr.id.kind != Kind::ForwardingRule) return false;
  const Field& target = ForwardingRuleView(fr).target();
  if (!target.is("all-apis") && !target.is("vpc-sc")) return false;
  const Field& scheme = ForwardingRuleView(fr).loadBalancingScheme();
  return !scheme.known() || scheme.text.empty();
}

class DanglingReference : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"LB022", "dangling-reference",
                                "A reference names a resource that is not in the inputs.",
                                Severity::Note, "lb"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    for (const Resource& r : g.resources()) {
      if (!live(r)) continue;
      for (const auto& [path, f] : r.fields) {
        if (!f.ref->present() || f.ref->target >= 0) continue;
        // A configuration reference resolves through the input's own tool (a data
        // source, a module output): nothing is missing.
        if (f.ref->configured) continue;
        if (f.state != State::Known || f.sensitive) continue;
        if (f.ref->external) continue;  // declared as managed elsewhere
        if (path == "target" && googleApisBundle(r)) continue;
        // A link an export echoes back was accepted by the API, so its target existed
        // when the export was taken: only links the author wrote can dangle.
        if (!f.authored) continue;
        // Only links lbcheck can read, to kinds it models.
        if (!f.ref->identity || f.ref->identity->kind == Kind::Unknown) continue;
        // A NEG's Cloud Run service is often deployed by another pipeline; NEG005
        // says "cannot verify" for it as a note.
        if (f.ref->identity->kind == Kind::RunService) continue;
        const Identity& id = *f.ref->identity;
        if (id.kind == Kind::Address && ipLiteral(f.text)) continue;
        // The same resource in another region or scope is a scope mismatch
        // (LB001, LB002, LB017), not a missing resource.
        if (g.findAnyScope(id) >= 0) continue;
        std::string where;
        if (id.scope.type == Scope::Type::Global)
          where = " (global)";
        else if (id.scope.known() && !id.scope.name.empty())
          where = " in " + id.scope.name;
        if (!id.project.empty() && id.project != r.id.project)
          where += ", project " + q(id.project);
        Finding& finding =
            out.report(r, path,
                       "cannot verify " + spelled(r, path) + " of " + describe(r) +
                           ": it points at " + std::string(kindLabel(id.kind)) + " " + q(id.name) +
                           where + ", which is not in the inputs");
        finding.severity = Severity::Note;
        finding.help =
            "if the " + std::string(kindLabel(id.kind)) +
            " is managed elsewhere, nothing is wrong; add its configuration or export to the "
            "inputs to let lbcheck check it, and if it should be among them, check the name, "
            "region and project (the API rejects a reference to a resource that does not exist)";
      }
    }
    // A step that names a resource its document deleted earlier (a script's command).
    const Changes& changes = g.changes();
    for (const Step& s : changes.steps()) {
      if (s.resource < 0) continue;
      for (const GoneRef& gone : changes.goneBefore(s)) {
        const Operation::Ref& ref = *gone.ref;
        const Resource& r = g.at(s.resource);
        Finding& f = out.reportAt(r, ref.path, ref.span,
                                  q(ref.spelling) + " of " + describe(r) + " names " +
                                      std::string(kindLabel(ref.to.kind)) + " " + q(ref.to.name) +
                                      ", which the script deleted earlier; the command fails");
        f.severity = Severity::Error;
        f.related.push_back({gone.deletedBy->name, "deleted here"});
        f.help = "move this command before the delete, or re-create the " +
                 std::string(kindLabel(ref.to.kind)) + " first";
      }
    }
  }
};

LBCHECK_REGISTER_RULE(DanglingReference);

}  // namespace
}  // namespace lbcheck
