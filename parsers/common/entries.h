// Where a field is written, in the syntax of each hand-written input: the
// bytes a fix replaces (a value written as a literal) or takes out (the whole
// `key = value`, `key: value` or `--flag=value` entry). The dialects call these
// from Dialect::settle, once the rules ran, with the file's bytes.
#pragma once

#include <string_view>

#include "engine/fix.h"

namespace lbcheck::entries {

/// HCL (.tf, .tfvars): a Value must be a literal (a string without
/// interpolation, a number, true or false), kept in its quotes; an Entry is
/// the attribute or block named rep.key on lines of its own.
bool settleHcl(std::string_view text, Replacement& rep);

/// YAML: a Value is a scalar (its quotes kept); an Entry is the mapping key
/// rep.key with its value, on lines of their own (not the first key of a
/// sequence item).
bool settleYaml(std::string_view text, Replacement& rep);

/// A command line (a gcloud script, a Markdown runbook, a CI step): a Value is
/// the flag's argument (`--protocol=HTTPS`, `--protocol HTTPS`); an Entry is
/// the flag rep.key with its argument, and its line when it stands alone on a
/// continued line.
bool settleFlag(std::string_view text, Replacement& rep);

}  // namespace lbcheck::entries
