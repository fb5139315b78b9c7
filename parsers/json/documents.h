// The JSON and YAML readers: a file (or a Markdown block) parsed into
// documents, each handed to the adapter of its shape (a plan, a KRM object, a
// gcloud export, a Cloud Run service: AdapterRegistry::pickDocument).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/adapter.h"

namespace lbcheck::documents {

/// A fenced block of a Markdown file being read as a document of its own.
struct FenceContext {
  const SourceFile& markdown;  // the .md file (spans point into it)
  Span opening;                // the opening fence line
  std::string label;           // json, yaml...
  bool relevant = false;       // the file is about Google Cloud: skipped blocks get a note
};

/// A file (or a Markdown block) parsed as JSON or YAML: its documents, which
/// refer to the file's bytes.
struct Documents : SyntaxTree {
  std::vector<std::unique_ptr<json::Document>> docs;
  bool failed = false;  // some of it does not parse (diagnostics say where)
};

/// Parses `file` as JSON (or YAML) documents. A syntax error is a diagnostic
/// of the tree; the documents before it are kept. For a Markdown fence (`fence`
/// set), `file` is a view of the .md holding only the block: a fragment is
/// noted, not an error, and no document is kept. A file found in a walk (not
/// `explicitlyNamed`) that does not parse and shows nothing of lbcheck's
/// (looksLikeLbcheckInput, no recognised document before the error) is skipped
/// (the tree's `skipped`), not an error.
std::unique_ptr<Documents> parse(const ReadSettings& settings, const SourceFile& file, bool yaml,
                                 const FenceContext* fence, bool explicitlyNamed);

/// The text says the file is one of lbcheck's formats even if it does not
/// parse: a Config Connector or Knative apiVersion, a `compute#` kind, a
/// Terraform plan's `format_version`, a state's Terraform version and lineage.
bool looksLikeLbcheckInput(std::string_view bytes);

/// Lowers the documents an adapter recognises (AdapterRegistry::pickDocument)
/// into `out`; a file no adapter recognises any document of is skipped
/// (`out.skipped`).
void lower(const Documents& tree, const SourceFile& file, const FenceContext* fence, Lowered& out);

/// parse (as a file named on purpose), then lower: the tree's diagnostics, then
/// lowering's, into `out`.
void read(const ReadSettings& settings, const SourceFile& file, bool yaml,
          const FenceContext* fence, Lowered& out);

}  // namespace lbcheck::documents
