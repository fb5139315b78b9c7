// The HCL2 native-syntax parser: tokens -> Body / Expr trees with spans.
#pragma once

#include <memory>
#include <string>

#include "engine/source.h"
#include "parsers/hcl/ast.h"

namespace lbcheck::hcl {

struct Limits {
  size_t maxDepth = 128;  // nesting of blocks and expressions
};

struct SyntaxError {
  Span span;
  std::string message;
};

/// Parses a whole .tf file. On a syntax error returns null and fills `error`
/// with the location of the first problem. Never throws, never recurses past
/// `limits.maxDepth`.
std::unique_ptr<File> parseFile(const SourceFile& file, const Limits& limits, SyntaxError* error);

/// Parses a standalone expression from bytes of `file` (tests, -var values).
ExprPtr parseExpression(const SourceFile& file, const Limits& limits, SyntaxError* error);

/// Parses bytes [from, to) of `file` as the inside of a template without
/// delimiters (what a string holds in Terraform's JSON syntax): literal text
/// with `${...}` interpolations and `%{...}` directives; backslashes are
/// literal. A template of only literal text becomes a String. Spans are
/// offsets in `file`; the caller sets the span of the whole.
ExprPtr parseTemplateRange(const SourceFile& file, uint32_t from, uint32_t to, const Limits& limits,
                           SyntaxError* error);

/// Parses bytes [from, to) of `file` as one expression (a JSON-syntax
/// `depends_on` entry, a variable's `type`).
ExprPtr parseExpressionRange(const SourceFile& file, uint32_t from, uint32_t to,
                             const Limits& limits, SyntaxError* error);

}  // namespace lbcheck::hcl
