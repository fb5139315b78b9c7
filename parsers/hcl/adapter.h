// The Terraform adapters' per-run project: every .tf, .tf.json and .tfvars
// file of the run (and the Terraform blocks of Markdown files), evaluated as
// root modules once every input is read.
#pragma once

#include <memory>
#include <vector>

#include "engine/adapter.h"
#include "parsers/hcl/terraform.h"

namespace lbcheck::hcl {

class TerraformProject : public lbcheck::Project {
 public:
  explicit TerraformProject(SourceManager& sources) : modules(sources) {}
  hcl::Project modules;  // the modules: .tf files by directory, .tfvars files
  /// Views of Markdown files that hold one Terraform block each (the project
  /// parses them; spans point into the .md).
  std::vector<std::unique_ptr<SourceFile>> fenceViews;
};

/// The run's Terraform project (created on first use).
TerraformProject& projectOf(ReadContext& context);

}  // namespace lbcheck::hcl
