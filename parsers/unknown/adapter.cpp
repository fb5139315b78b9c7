// A file named on the command line that no adapter reads: skipped, and the run
// counts and lists it (no finding).
#include "engine/adapter.h"

namespace lbcheck {
namespace {

class UnknownAdapter : public Adapter {
 public:
  std::string_view name() const override { return "unknown"; }
  bool fallback() const override { return true; }
  /// Nothing to parse: the tree only says the file is skipped. Nothing to lower either.
  std::unique_ptr<SyntaxTree> parse(const Input&, ReadContext&) const override {
    auto tree = std::make_unique<SyntaxTree>();
    tree->skipped = Skip{SkipReason::NotAFormat,
                         "lbcheck reads .json, .yaml, .yml, .tf and .tfvars files, shell scripts "
                         "and Markdown runbooks"};
    return tree;
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(UnknownAdapter, 1000);

}  // namespace lbcheck
