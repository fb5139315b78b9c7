// Terraform plans and state (`terraform show -json`): a JSON document whose
// top-level shape says it is a plan. A file that opens like a plan is read here
// a piece at a time (tfplan::lowerInPieces); any other document of that shape
// comes whole from the JSON and YAML readers (lowerDocument).
#include "engine/adapter.h"
#include "parsers/tfplan/tfplan.h"

namespace lbcheck {
namespace {

class PlanAdapter : public Adapter {
 public:
  std::string_view name() const override { return "terraform-plan"; }
  /// Above the JSON reader's claim on a `.json` name: the content says plan.
  int sniff(std::string_view bytes, std::string_view) const override {
    return tfplan::startsLikePlan(bytes) ? confidence::kContent : confidence::kNone;
  }
  /// Nothing to parse ahead: lower() skims and parses the plan piece by piece.
  std::unique_ptr<SyntaxTree> parse(const Input&, ReadContext&) const override {
    return std::make_unique<SyntaxTree>();
  }
  void lower(SyntaxTree&, const Input& input, ReadContext& context, Lowered& out) const override {
    const ReadSettings& settings = context.settings();
    Lowered pieces;
    if (tfplan::lowerInPieces(input.file, settings.maxDepth, pieces.graph, pieces.diagnostics)) {
      const bool any = pieces.graph.size() > 0;
      out.graph.absorb(pieces.graph);
      for (Finding& f : pieces.diagnostics) out.diagnostics.push_back(std::move(f));
      if (any) ++out.documentsUsed;
      return;
    }
    // Not one plan a skim can follow, or a syntax error somewhere: the file
    // goes to the adapter that would read it were this one not here (`json`
    // for a .json file, `yaml` for YAML that opens like JSON), which reads it
    // whole and says what is wrong and where.
    const AdapterRegistry& registry = AdapterRegistry::instance();
    const Adapter* other = registry.pick(input.file.text(), input.file.path(), this);
    if (other == nullptr) other = registry.fallback();
    if (other != nullptr) other->read(input, context, out);
  }
  int sniffDocument(json::Value value, bool whole) const override {
    return whole && tfplan::looksLikePlan(value) ? confidence::kCertain : confidence::kNone;
  }
  void lowerDocument(const json::Document& doc, json::Value, const SourceFile& file,
                     Lowered& out) const override {
    tfplan::lower(doc, file, out.graph, out.diagnostics);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(PlanAdapter, 10);

}  // namespace lbcheck
