// Terraform plan JSON (`terraform show -json`, format versions 0.1 to 1.x).
#pragma once

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

}  // namespace lbcheck::tfplan
