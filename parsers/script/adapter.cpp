// gcloud scripts (`.sh`, `.bash`, or any file with a shell shebang): the
// commands become resources and a timeline of operations.
#include <algorithm>

#include "engine/adapter.h"
#include "engine/diagnostics.h"
#include "parsers/json/documents.h"
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
    // A shell script found in a walk that never mentions gcloud is not
    // lbcheck's: if it does not parse, it is skipped (and listed), not an error.
    if (!input.explicitlyNamed && input.file.text().find("gcloud") == std::string_view::npos) {
      const auto error = std::find_if(tree->diagnostics.begin(), tree->diagnostics.end(),
                                      [](const Finding& f) { return f.ruleId == diag::kSyntax; });
      if (error != tree->diagnostics.end()) {
        tree->skipped = Skip{SkipReason::DoesNotParse, error->message};
        tree->diagnostics.clear();
      }
    }
    return tree;
  }
  /// Its gcloud commands: resources and a timeline; a here-document an
  /// `import` reads is read as the export it holds, located in the script.
  void lower(SyntaxTree& tree, const Input& input, ReadContext& context,
             Lowered& out) const override {
    const size_t before = out.graph.size();
    const script::Script& commands = static_cast<const CommandsTree&>(tree).script;
    gcloud::lower(commands, input.file, out.graph, out.diagnostics);
    for (const script::Heredoc* h : gcloud::importedHeredocs(commands))
      readHeredoc(*h, input.file, context, out);
    if (out.graph.size() > before) ++out.documentsUsed;
  }

 private:
  static void readHeredoc(const script::Heredoc& h, const SourceFile& file, ReadContext& context,
                          Lowered& out) {
    const Span at{file.id(), h.body.begin, h.body.begin};
    if (h.expands) {
      // The shell expands it before gcloud reads it: the text is not the export.
      out.diagnostics.push_back(makeDiagnostic(
          diag::kSkipped, Severity::Note, at,
          "this here-document holds shell expansions ($VAR, $(...)); lbcheck does not read it "
          "as the export the import command receives",
          "quote the delimiter (<<'YAML') and write the values out to have it checked"));
      return;
    }
    // The body read as a file of its own, at the script's offsets.
    std::string bytes(file.text());
    for (size_t k = 0; k < bytes.size(); ++k)
      if ((k < h.body.begin || k >= h.body.end) && bytes[k] != '\n') bytes[k] = ' ';
    const SourceFile view(file.id(), file.path(), std::move(bytes));
    const std::string_view body = file.text().substr(h.body.begin, h.body.end - h.body.begin);
    const documents::FenceContext fence{file, at, "here-document", false};
    Lowered read;
    documents::read(context.settings(), view, !looksLikeJson(body), &fence, read);
    file.copyRedactions(view);
    for (Finding& f : read.diagnostics) out.diagnostics.push_back(std::move(f));
    // The import command's resource takes the export's fields (one input never
    // repeats itself, so the graph would not merge the two).
    for (size_t i = 0; i < read.graph.size(); ++i) {
      Resource& r = read.graph.at(static_cast<int32_t>(i));
      Resource* imported = nullptr;
      for (size_t j = 0; j < out.graph.size() && !imported; ++j) {
        Resource& o = out.graph.at(static_cast<int32_t>(j));
        if (o.id.kind == r.id.kind && o.id.name == r.id.name &&
            (!r.id.scope.known() || o.id.scope == r.id.scope))
          imported = &o;
      }
      if (!imported) {
        out.graph.add(std::move(r));
        continue;
      }
      for (auto& [path, f] : r.fields) {
        auto it = imported->fields.find(path);
        if (it == imported->fields.end() || it->second.state == State::Absent)
          imported->fields[path] = f;
      }
      imported->partial = false;
    }
  }

  /// `set-iam-policy SERVICE FILE` grants are filled in once every input is read.
  void finish(std::shared_ptr<Project>&, FinishContext& context) const override {
    gcloud::readPolicyFiles(context.graph, context.sources, context.diagnostics);
  }
};

}  // namespace

LBCHECK_REGISTER_ADAPTER(ScriptAdapter, 50);

}  // namespace lbcheck
