// A file named on the command line that no adapter reads: a note says so.
#include "engine/adapter.h"
#include "engine/diagnostics.h"

namespace lbcheck {
namespace {

class UnknownAdapter : public Adapter {
 public:
  std::string_view name() const override { return "unknown"; }
  bool fallback() const override { return true; }
  /// Nothing to parse: the tree only holds the note. Nothing to lower either.
  std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext&) const override {
    auto tree = std::make_unique<SyntaxTree>();
    const SourceFile& file = input.file;
    tree->diagnostics.push_back(makeDiagnostic(
        diag::kSkipped, Severity::Note, Span{file.id(), 0, file.text().empty() ? 0u : 1u},
        "not a format lbcheck reads (it reads .json, .yaml, .yml, .tf and .tfvars files, shell "
        "scripts and Markdown runbooks); skipped",
        "see the README for the formats lbcheck reads"));
    return tree;
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(UnknownAdapter, 1000);

}  // namespace lbcheck
