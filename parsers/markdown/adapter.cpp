// Markdown runbooks and READMEs: their shell blocks (and unlabelled blocks
// that hold commands) are one gcloud script; json, yaml and hcl blocks that
// hold a whole document are read as that format, located in the .md.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/adapter.h"
#include "engine/diagnostics.h"
#include "parsers/hcl/adapter.h"
#include "parsers/json/documents.h"
#include "parsers/script/gcloud.h"
#include "parsers/script/shell.h"

namespace lbcheck {
namespace {

namespace fs = std::filesystem;

/// `file`'s bytes with everything outside [begin, end) blanked (line breaks
/// kept): a block of a Markdown file read as a file of its own, at the same
/// offsets, lines and columns.
std::unique_ptr<SourceFile> fenceView(const SourceFile& file, uint32_t begin, uint32_t end) {
  std::string bytes(file.text());
  for (size_t k = 0; k < bytes.size(); ++k)
    if ((k < begin || k >= end) && bytes[k] != '\n') bytes[k] = ' ';
  return std::make_unique<SourceFile>(file.id(), file.path(), std::move(bytes));
}

bool markdownName(std::string_view fileName) {
  const std::string ext = fileExtension(fileName);
  return ext == ".md" || ext == ".markdown";
}

/// A Markdown file parsed: its fenced blocks in order, how each is read, and
/// the commands of its shell blocks parsed as one script. JSON, YAML and HCL
/// blocks are parsed when lowered, one at a time: each is read as a file of
/// its own (a view as long as the .md), so that no two views live at once.
struct RunbookTree : SyntaxTree {
  struct Block {
    script::Fence fence;
    script::FenceUse use;
  };
  std::vector<Block> blocks;  // the Json, Yaml and Terraform blocks
  bool relevant = false;      // the file mentions Google Cloud: skipped blocks get notes
  bool hasCommands = false;   // some block holds shell
  script::Script commands;    // the shell blocks, one script
};

class MarkdownAdapter : public Adapter {
 public:
  std::string_view name() const override { return "markdown"; }
  std::vector<std::string_view> extensions() const override { return {".md"}; }
  int sniff(std::string_view, std::string_view fileName) const override {
    return markdownName(fileName) ? confidence::kCertain : confidence::kNone;
  }
  /// Terraform blocks join the run's Terraform project.
  bool needsProject(std::string_view bytes, std::string_view fileName) const override {
    return markdownName(fileName) && script::hasTerraformFence(bytes);
  }
  std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext& context) const override;
  void lower(SyntaxTree& tree, const Input& input, ReadContext& context,
             Lowered& out) const override;
};

std::unique_ptr<SyntaxTree> MarkdownAdapter::parse(const Input& input, ReadContext&) const {
  auto tree = std::make_unique<RunbookTree>();
  const SourceFile& file = input.file;
  const std::string_view text = file.text();
  // Notes about skipped blocks only where they may have mattered: a file that
  // mentions Google Cloud (a repository's other READMEs stay quiet).
  tree->relevant = text.find("gcloud") != std::string_view::npos ||
                   text.find("google_") != std::string_view::npos ||
                   text.find("googleapis.com") != std::string_view::npos;
  std::vector<script::Chunk> chunks;
  for (script::Fence& fence : script::markdownFences(text)) {
    const script::FenceUse use = script::fenceUse(fence, text);
    const Span opening{file.id(), fence.open, fence.openEnd};
    switch (use) {
      case script::FenceUse::Shell:
      case script::FenceUse::Console:
        script::appendShellChunks(fence, use, text, chunks);
        break;
      case script::FenceUse::Json:
      case script::FenceUse::Yaml:
      case script::FenceUse::Terraform:
        if (fence.bodyBegin < fence.bodyEnd) tree->blocks.push_back({std::move(fence), use});
        break;
      case script::FenceUse::Skipped:
        if (tree->relevant && fence.bodyBegin < fence.bodyEnd)
          tree->diagnostics.push_back(makeDiagnostic(
              diag::kSkipped, Severity::Note, opening,
              std::string(fence.label.empty() ? "this unlabelled block"
                                              : "this ```" + fence.label + " block") +
                  " holds no command (no line starts with `gcloud`, `$ `, `export` or "
                  "`NAME=`); skipped",
              "label a block of commands ```sh so that lbcheck reads it as a script"));
        break;
      case script::FenceUse::Ignored:
        break;
    }
  }
  if (!chunks.empty()) {
    tree->hasCommands = true;
    tree->commands = gcloud::parse(file, chunks, tree->diagnostics);
  }
  return tree;
}

void MarkdownAdapter::lower(SyntaxTree& syntax, const Input& input, ReadContext& context,
                            Lowered& out) const {
  const auto& tree = static_cast<const RunbookTree&>(syntax);
  SourceFile& file = input.file;
  const size_t before = out.graph.size();
  for (const RunbookTree::Block& block : tree.blocks) {
    const script::Fence& fence = block.fence;
    const Span opening{file.id(), fence.open, fence.openEnd};
    if (block.use == script::FenceUse::Terraform) {
      auto view = fenceView(file, fence.bodyBegin, fence.bodyEnd);
      // Each block is a root module of its own, named after its place.
      const std::string dir =
          fs::absolute(fs::path(input.fsPath)).lexically_normal().generic_string() + "#L" +
          std::to_string(file.locate(fence.open).line);
      std::string error;
      hcl::TerraformProject& terraform = hcl::projectOf(context);
      if (terraform.modules.addSnippet(*view, dir, &error)) {
        terraform.fenceViews.push_back(std::move(view));
      } else if (tree.relevant) {
        out.diagnostics.push_back(makeDiagnostic(
            diag::kSkipped, Severity::Note, opening,
            "this ```" + fence.label + " block is not a whole Terraform file (" + error +
                "); skipped",
            "lbcheck reads a fenced block that holds complete blocks; a fragment is not "
            "checked"));
      }
      continue;
    }
    const auto view = fenceView(file, fence.bodyBegin, fence.bodyEnd);
    const documents::FenceContext ctx{file, opening, fence.label, tree.relevant};
    documents::read(context.settings(), *view, block.use == script::FenceUse::Yaml, &ctx, out);
    file.copyRedactions(*view);
  }
  if (tree.hasCommands) gcloud::lower(tree.commands, file, out.graph, out.diagnostics);
  if (out.graph.size() > before) ++out.documentsUsed;
}

}  // namespace

LBCHECK_REGISTER_ADAPTER(MarkdownAdapter, 45);

}  // namespace lbcheck
