// gcloud scripts and Markdown runbooks: the gcloud commands they run become
// resources (format "gcloud-script") and an ordered timeline of operations.
#pragma once

#include <vector>

#include "engine/graph.h"
#include "engine/rule.h"
#include "parsers/script/shell.h"

namespace lbcheck::gcloud {

/// Lowers every gcloud command of `script` (read from `file`) into `graph`:
/// the resources as they are at the end of the script (deleted ones with
/// lifecycle Delete, ones it only changes marked partial) and one Operation
/// per command. Invalid arguments gcloud itself would reject become LBC001.
void lower(const script::Script& script, const SourceFile& file, Graph& graph,
           std::vector<Finding>& diags);

/// `gcloud run services set-iam-policy SERVICE FILE`: once every input is
/// read, fills each such grant in from FILE (relative to the script; one of the
/// inputs, or read from disk and added to `sources`), one grant per binding.
/// A file that cannot be read or parsed leaves the grant without a role: silence.
/// A policy file that is also an input loses its "skipped" note.
void readPolicyFiles(Graph& graph, SourceManager& sources, std::vector<Finding>& findings);

/// Parses the given chunks of `file` as one script (variables carry over); what
/// does not parse becomes LBC001 diagnostics in `diags`.
script::Script parse(const SourceFile& file, const std::vector<script::Chunk>& chunks,
                     std::vector<Finding>& diags);
/// Likewise, with `environment`'s variables set before the first chunk, and
/// `sources` reading the files the script sources.
script::Script parse(const SourceFile& file, const std::vector<script::Chunk>& chunks,
                     const script::Environment& environment, std::vector<Finding>& diags,
                     const script::SourceReader& sources = {});
/// The here-documents an `import` command reads with `--source`/`--file`:
/// written earlier in the script to the file it names (`cat > url-map.yaml
/// <<YAML`), or fed to its standard input (`--source=/dev/stdin`, `-`).
std::vector<const script::Heredoc*> importedHeredocs(const script::Script& script);

/// A SourceReader for a script at `scriptPath` on disk: FILE relative to the
/// script's folder (or absolute), a regular file of at most 1 MiB.
script::SourceReader sourcesNextTo(const std::string& scriptPath);

/// Reads a shell script (`markdown` false) or a Markdown runbook into `graph`.
void load(const SourceFile& file, bool markdown, Graph& graph, std::vector<Finding>& diags);
/// Reads the given chunks of `file` as one script (variables carry over).
void load(const SourceFile& file, const std::vector<script::Chunk>& chunks, Graph& graph,
          std::vector<Finding>& diags);

}  // namespace lbcheck::gcloud
