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

}  // namespace lbcheck::hcl
