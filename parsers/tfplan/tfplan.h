// Terraform plan JSON (`terraform show -json`, format versions 0.1 to 1.x).
#pragma once

#include <string_view>
#include <vector>

#include "engine/graph.h"
#include "engine/json.h"
#include "engine/rule.h"

namespace lbcheck::tfplan {

/// True when the document is shaped like a plan (format_version plus one of
/// resource_changes / planned_values / configuration / terraform_version), or
/// is a raw state file (looksLikeState).
bool looksLikePlan(json::Value root);

/// True for a raw state file (`terraform.tfstate`: a numeric `version`,
/// `terraform_version` and `resources[]`), read like the state of
/// `terraform show -json`.
bool looksLikeState(json::Value root);

/// Lowers a plan into canonical resources. Terraform addresses resolve only
/// within the same plan. Values the plan marks sensitive are redacted in `file`. Problems with the
/// plan's shape become diagnostics, never exceptions.
void lower(const json::Document& doc, const SourceFile& file, Graph& graph,
           std::vector<Finding>& diagnostics);

/// True when `bytes` open like `terraform show -json` of a plan: an object
/// whose first key is "format_version".
bool startsLikePlan(std::string_view bytes);

/// Lowers the plan in `file` a piece at a time (parsers/tfplan/lazy.h), as
/// lower() would from the whole tree, without holding the tree of its
/// resource changes and module trees. False, having perhaps written part of
/// the result, when the file is not a plan a skim can follow or some piece does
/// not parse: the caller drops what was written and reads the file whole.
bool lowerInPieces(const SourceFile& file, size_t maxDepth, Graph& graph,
                   std::vector<Finding>& diagnostics);

}  // namespace lbcheck::tfplan
