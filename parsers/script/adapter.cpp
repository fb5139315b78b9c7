// gcloud scripts (`.sh`, `.bash`, or any file with a shell shebang): the
// commands become resources and a timeline of operations.
#include "engine/adapter.h"
#include "parsers/script/gcloud.h"
#include "parsers/script/shell.h"

namespace lbcheck {
namespace {

/// A script's parsed shell commands.
struct CommandsTree : SyntaxTree {
  script::Script script;
};

class ScriptAdapter : public Adapter {
 public:
  std::string_view name() const override { return "gcloud-script"; }
  std::vector<std::string_view> extensions() const override { return {".sh", ".bash"}; }
  int sniff(std::string_view bytes, std::string_view fileName) const override {
    const std::string ext = fileExtension(fileName);
    if (ext == ".sh" || ext == ".bash") return confidence::kCertain;
    return script::hasShellShebang(bytes) ? confidence::kContent : confidence::kNone;
  }
  /// The shell commands of the whole file.
  std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext&) const override {
    auto tree = std::make_unique<CommandsTree>();
    // `source FILE` / `. FILE` is followed to FILE next to the script.
    tree->script =
        gcloud::parse(input.file, script::wholeFile(input.file.text()), {}, tree->diagnostics,
                      gcloud::sourcesNextTo(std::string(input.fsPath)));
    return tree;
  }
  /// Its gcloud commands: resources and a timeline.
  void lower(SyntaxTree& tree, const Input& input, ReadContext&, Lowered& out) const override {
    const size_t before = out.graph.size();
    gcloud::lower(static_cast<const CommandsTree&>(tree).script, input.file, out.graph,
                  out.diagnostics);
    if (out.graph.size() > before) ++out.documentsUsed;
  }
  /// `set-iam-policy SERVICE FILE` grants are filled in once every input is read.
  void finish(std::shared_ptr<Project>&, FinishContext& context) const override {
    gcloud::readPolicyFiles(context.graph, context.sources, context.diagnostics);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(ScriptAdapter, 50);

}  // namespace lbcheck
