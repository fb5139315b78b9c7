// RUN001: Cloud Run ingress takes one of a few values, spelled per interface.
#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "engine/vocabulary.h"

namespace lbcheck {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// "a, b or c" of one column of the ingress table, each quoted by `quote`.
template <typename Column, typename Quote>
std::string choices(Column column, Quote quote) {
  std::string out;
  const size_t n = std::size(vocab::kIngress);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += i + 1 == n ? " or " : ", ";
    out += quote(column(vocab::kIngress[i]));
  }
  return out;
}

/// The ingress setting an unaccepted value probably means ("internal" for
/// "INTERNAL", "INGRESS_TRAFFIC_ALL" for "all" where the short form is not
/// taken); "" when it looks like none.
std::string_view meant(std::string_view text) {
  const std::string l = lower(text);
  for (const vocab::Synonym& s : vocab::kIngress)
    if (text == s.canonical || l == s.alias || l == lower(s.canonical)) return s.canonical;
  return {};
}

class UnknownIngressValue : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"RUN001",
                                "unknown-ingress-value",
                                "A Cloud Run service's ingress is not one of the values its "
                                "interface accepts.",
                                Severity::Error,
                                "run",
                                {Kind::RunService},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& run, Reporter& out) const override {
    if (!live(run)) return;
    const Field& annotation = RunServiceView(run).ingressAnnotation();
    if (annotation.state == State::Known) {
      checkV1(run, annotation, out);
      return;
    }
    const Field& ingress = RunServiceView(run).ingress();
    if (ingress.state != State::Known) return;
    checkV2(run, ingress, out);
  }

 private:
  static void checkV1(const Resource& run, const Field& f, Reporter& out) {
    for (const vocab::Synonym& s : vocab::kIngress)
      if (f.text == s.alias) return;
    Finding& finding = out.report(run, RunServiceView::kIngressAnnotation,
                                  spelled(run, RunServiceView::kIngressAnnotation) + " of " +
                                      describe(run) + " is " + q(f.text) +
                                      ", which is not an ingress setting: the annotation takes " +
                                      choices([](const vocab::Synonym& s) { return s.alias; },
                                              [](std::string_view v) { return q(v); }));
    help(finding, run, f.text, out);
  }

  static void checkV2(const Resource& run, const Field& f, Reporter& out) {
    for (const vocab::Synonym& s : vocab::kIngress)
      if (f.text == s.canonical) return;
    if (f.text == "INGRESS_TRAFFIC_NONE") return;  // valid; RUN003 looks at it behind an LB
    // The API reports UNSPECIFIED when no revision is active; only an author's value is wrong.
    if (f.text == "INGRESS_TRAFFIC_UNSPECIFIED" && !f.authored) return;
    Finding& finding =
        out.report(run, RunServiceView::kIngress,
                   spelled(run, RunServiceView::kIngress) + " of " + describe(run) + " is " +
                       q(f.text) + ", which is not an ingress setting: it takes " +
                       choices([](const vocab::Synonym& s) { return s.canonical; },
                               [](std::string_view v) { return std::string(v); }));
    help(finding, run, f.text, out);
  }

  /// The fix: the setting the value seems to mean, in the service's own
  /// spelling; internal-only when it means none.
  static void help(Finding& finding, const Resource& run, std::string_view text,
                   const Reporter& out) {
    const std::string_view m = meant(text);
    const std::string how =
        out.fix(finding, run,
                Edit::set(RunServiceView::kIngress,
                          std::string(m.empty() ? "INGRESS_TRAFFIC_INTERNAL_ONLY" : m)));
    finding.help = m.empty() ? how + " behind an internal load balancer"
                             : how + " (how this input spells " + q(text) + ")";
  }
};

LBCHECK_REGISTER_RULE(UnknownIngressValue);

}  // namespace
}  // namespace lbcheck
