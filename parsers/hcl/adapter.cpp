// Terraform configuration: `.tf` and `*.tf.json` files, and variables files
// (`.tfvars`, `*.tfvars.json`). Files join the run's project one at a time and
// are evaluated as root modules (directories) once every input is read.
#include "parsers/hcl/adapter.h"

#include <filesystem>
#include <set>
#include <string>

#include "engine/diagnostics.h"
#include "parsers/hcl/tfjson.h"

namespace lbcheck {
namespace {

namespace fs = std::filesystem;

/// One parsed .tf or .tfvars file (null when it does not parse, or a variables
/// file Terraform would not load is skipped). It joins the project when lowered;
/// the project evaluates every file together at finish.
struct ConfigTree : SyntaxTree {
  std::unique_ptr<hcl::File> file;
  bool autoLoaded = false;  // a variables file Terraform loads by itself
};

class TerraformAdapter : public Adapter {
 public:
  std::string_view name() const override { return "terraform"; }
  /// OpenTofu's `.tofu` files are read as `.tf` (and replace them, terraform.cpp).
  std::vector<std::string_view> extensions() const override { return {".tf", ".tofu"}; }
  /// Terraform's own copies of providers and remote modules.
  std::vector<std::string_view> skippedDirectories() const override { return {".terraform"}; }
  int sniff(std::string_view, std::string_view fileName) const override {
    const std::string ext = fileExtension(fileName);
    return ext == ".tf" || ext == ".tofu" || hcl::isTfJsonName(fileName) ? confidence::kCertain
                                                                         : confidence::kNone;
  }
  bool needsProject(std::string_view, std::string_view) const override { return true; }
  std::shared_ptr<Project> newProject(SourceManager& sources) const override {
    return std::make_shared<hcl::TerraformProject>(sources);
  }
  std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext&) const override {
    auto tree = std::make_unique<ConfigTree>();
    tree->file = hcl::parseConfigFile(input.file, std::string(input.fsPath), hcl::Limits{},
                                      tree->diagnostics);
    return tree;
  }
  /// The file joins the run's project: it is evaluated with its module at finish.
  void lower(SyntaxTree& tree, const Input& input, ReadContext& context, Lowered&) const override {
    auto& config = static_cast<ConfigTree&>(tree);
    hcl::TerraformProject& project = hcl::projectOf(context);  // made even if the file is broken
    if (config.file)
      project.modules.addParsedFile(input.file, std::string(input.fsPath), std::move(config.file));
  }
  void finish(std::shared_ptr<Project>& project, FinishContext& context) const override;
};

class TerraformVarsAdapter : public Adapter {
 public:
  std::string_view name() const override { return "terraform-vars"; }
  std::vector<std::string_view> extensions() const override { return {".tfvars"}; }
  int sniff(std::string_view, std::string_view fileName) const override {
    return fileExtension(fileName) == ".tfvars" || hcl::isTfvarsJsonName(fileName)
               ? confidence::kCertain
               : confidence::kNone;
  }
  bool needsProject(std::string_view, std::string_view) const override { return true; }
  std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext&) const override {
    auto tree = std::make_unique<ConfigTree>();
    const SourceFile& file = input.file;
    std::string fileName = fs::path(input.fsPath).filename().string();
    if (hcl::isTfvarsJsonName(fileName)) fileName.resize(fileName.size() - 5);  // plus .json
    tree->autoLoaded =
        fileName == "terraform.tfvars" ||
        (fileName.size() > 13 && fileName.substr(fileName.size() - 13) == ".auto.tfvars");
    if (!tree->autoLoaded && !input.explicitlyNamed) {
      tree->skipped = Skip{SkipReason::NotLoaded,
                           "Terraform does not load this variables file by itself; pass it with "
                           "--var-file FILE, or name it *.auto.tfvars"};
      return tree;
    }
    tree->file =
        hcl::parseVarFile(file, std::string(input.fsPath), hcl::Limits{}, tree->diagnostics);
    return tree;
  }
  void lower(SyntaxTree& tree, const Input& input, ReadContext& context, Lowered&) const override {
    auto& vars = static_cast<ConfigTree&>(tree);
    if (!vars.autoLoaded && !input.explicitlyNamed) return;    // skipped (parse noted it)
    hcl::TerraformProject& project = hcl::projectOf(context);  // made even if the file is broken
    if (vars.file)
      project.modules.addParsedVarFile(input.file, std::string(input.fsPath), vars.autoLoaded,
                                       std::move(vars.file));
  }
};

std::string canonical(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).generic_string();
}

/// Evaluates the .tf roots. A root that a plan among the inputs (or a source
/// directory named with --tf-source) comes from is not checked itself: it
/// locates the plan's findings. A root is a plan's source when at least half
/// of its resource addresses are in a plan.
void TerraformAdapter::finish(std::shared_ptr<Project>& project, FinishContext& context) const {
  auto terraform = [&]() -> hcl::TerraformProject& {
    if (!project) project = newProject(context.sources);
    return static_cast<hcl::TerraformProject&>(*project);
  };
  std::set<std::string> forced;
  for (const std::string& dir : context.settings.sourceDirs) {
    const std::string c = canonical(dir);
    forced.insert(c);
    if (terraform().modules.module(c, context.diagnostics).empty()) {
      auto& file = context.sources.add(dir, "");
      context.diagnostics.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error,
                                                   Span{file.id(), 0, 0},
                                                   "--tf-source: no .tf files in this directory"));
    }
  }
  for (const std::string& path : context.settings.varFiles) {
    std::string bytes, error;
    const bool ok = readInputFile(path, context.settings.maxFileSize, &bytes, &error);
    SourceFile& file = context.sources.add(context.displayPath(path), ok ? std::move(bytes) : "");
    if (!ok) {
      context.diagnostics.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error,
                                                   Span{file.id(), 0, 0},
                                                   "cannot read the --var-file: " + error));
      continue;
    }
    terraform().modules.addVarFile(file, path, false, context.diagnostics);
  }
  if (!project) return;
  hcl::TerraformProject& tf = terraform();
  tf.modules.setFileRoots(context.settings.inputRoots);
  std::set<std::string> planAddresses;
  for (const Resource& r : context.graph.resources())
    if (r.format == "terraform-plan") planAddresses.insert(r.displayName);
  for (hcl::Project::Root& root : tf.modules.evaluate(context.diagnostics)) {
    // A plan made from this root holds (nearly) all of its addresses; a few
    // common ones (`google_compute_network.default`) shared with an unrelated
    // plan do not make it the plan's source.
    size_t inPlan = 0;
    for (const Resource& r : root.resources) inPlan += planAddresses.count(r.displayName);
    const bool source =
        forced.count(root.dir) > 0 || (inPlan > 0 && 2 * inPlan >= root.resources.size());
    for (Resource& r : root.resources) {
      if (source)
        context.locators.push_back(Locator{std::move(r), "the value in the plan"});
      else
        context.graph.add(std::move(r));
    }
    if (!source && !root.resources.empty()) ++context.documentsUsed;
  }
  for (const auto& view : tf.fenceViews) context.sources.get(view->id()).copyRedactions(*view);
  // An input the configuration reads with file() or templatefile() (a YAML
  // file of a module library) was read: not a skipped file.
  const std::set<uint32_t>& data = tf.modules.dataFiles();
  if (!data.empty())
    std::erase_if(context.diagnostics, [&](const Finding& f) {
      return f.ruleId == diag::kSkipped && data.count(f.span.file) && f.span.begin == 0 &&
             f.span.end == 0;
    });
}

}  // namespace

namespace hcl {

TerraformProject& projectOf(ReadContext& context) {
  const Adapter* terraform = AdapterRegistry::instance().byName("terraform");
  return static_cast<TerraformProject&>(context.project(*terraform));
}

}  // namespace hcl

LBCHECK_REGISTER_ADAPTER(TerraformAdapter, 40);
LBCHECK_REGISTER_ADAPTER(TerraformVarsAdapter, 41);

}  // namespace lbcheck
