// Terraform's JSON configuration syntax (*.tf.json, *.tfvars.json) read with
// the JSON reader and lowered into the same Body / Block / Expr tree that
// parseFile builds for native syntax, so evaluation, modules and lowering do
// not know which syntax a file used.
//
// What lowering does (https://developer.hashicorp.com/terraform/language/syntax/json):
// * Top-level properties are block types: `resource` and `data` (two labels),
//   `variable`, `output`, `module`, `provider`, `check` (one), `locals`,
//   `terraform`, `moved`, `import`, `removed` (none). At each label level the
//   value is an object keyed by the label, or an array of such objects; the
//   last level is the block body, an object or an array of bodies.
// * In a body, strings are templates: `"${var.region}"` is parsed as an HCL
//   template whose spans lie inside the JSON string. A string with JSON
//   escapes is parsed after unescaping and every span in it is the whole string.
//   Exceptions, as in Terraform: `depends_on`, `provider`, a dynamic block's
//   `iterator`, lifecycle `ignore_changes` / `replace_triggered_by` and a
//   variable's `type` are expressions; a variable's `default`, a module's
//   `source` and `version` and the values of .tfvars.json are literal values.
// * An object (or an array of objects) in a resource, data, provider or nested
//   body is a nested block, except for the map attributes listed in
//   tfjson.cpp (`labels`, `annotations`...): without the provider's schema
//   this is how lbcheck tells `backend { ... }` from `labels = { ... }`. In
//   `locals`, `module` calls and `output`s objects are values.
//   `"dynamic": {"NAME": {...}}` is a dynamic block with its `content`.
// * `"//"` properties of a body are comments and ignored.
#pragma once

#include <memory>

#include "engine/source.h"
#include "parsers/hcl/ast.h"
#include "parsers/hcl/parser.h"

namespace lbcheck::hcl {

/// True for names Terraform reads as JSON configuration: `*.tf.json` (and
/// OpenTofu's `*.tofu.json`) and `*.tfvars.json`.
bool isTfJsonName(std::string_view fileName);
bool isTfvarsJsonName(std::string_view fileName);

/// Parses a *.tf.json file. On malformed JSON or a structure Terraform would
/// reject returns null and fills `error` with the located problem.
std::unique_ptr<File> parseJsonFile(const SourceFile& file, const Limits& limits,
                                    SyntaxError* error);

/// Parses a *.tfvars.json file: one object whose properties are variable
/// values (literal: strings are not templates).
std::unique_ptr<File> parseJsonVarFile(const SourceFile& file, const Limits& limits,
                                       SyntaxError* error);

}  // namespace lbcheck::hcl
