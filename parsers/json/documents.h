// The JSON and YAML readers: a file (or a Markdown block) parsed into
// documents, each handed to the adapter of its shape (a plan, a KRM object, a
// gcloud export, a Cloud Run service: AdapterRegistry::pickDocument).
#pragma once

#include <string>

#include "engine/adapter.h"

namespace lbcheck::documents {

/// A fenced block of a Markdown file being read as a document of its own.
struct FenceContext {
  const SourceFile& markdown;  // the .md file (spans point into it)
  Span opening;                // the opening fence line
  std::string label;           // json, yaml...
  bool relevant = false;       // the file is about Google Cloud: skipped blocks get a note
};

/// Parses `file` as JSON (or YAML) documents and lowers those an adapter
/// recognises. For a Markdown fence (`fence` set), `file` is a view of the .md
/// holding only the block: a fragment is noted, not an error, and a document
/// no adapter recognises is left alone.
void read(const ReadSettings& settings, const SourceFile& file, bool yaml,
          const FenceContext* fence, Lowered& out);

}  // namespace lbcheck::documents
