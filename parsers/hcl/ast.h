// The HCL2 native-syntax tree: bodies of attributes and blocks, and
// expressions. Every node keeps its exact byte span in the source file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/source.h"

namespace lbcheck::hcl {

enum class ExprKind : uint8_t {
  Null,
  Bool,
  Number,
  String,       // a literal string (or one literal part of a template)
  Template,     // parts: literal strings, interpolations, TemplateIf, TemplateFor
  TemplateIf,   // %{ if a }b%{ else }c%{ endif }
  TemplateFor,  // %{ for key, value in a }b%{ endfor }
  Variable,     // a root name: var, local, google_compute_network...
  GetAttr,      // a.text
  Index,        // a[b]
  Splat,        // a[*]<b> / a.*<b>: b is the per-element traversal, rooted at SplatItem
  SplatItem,    // the element inside a splat's traversal
  Tuple,        // [items...]
  Object,       // {key = value, ...}: items are key, value, key, value...
  Call,         // text(items...), expandFinal for f(x...)
  Conditional,  // a ? b : c
  For,          // [for key, value in a : b if d] or {for ... : c => b ...}
  Unary,        // text a ("-", "!")
  Binary,       // a text b
  Paren,        // (a)
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::Null;
  Span span;
  std::string text;   // String: value; Variable/GetAttr: name; Call: function; operators
  std::string text2;  // For/TemplateFor: value variable (text is the key variable or empty)
  double number = 0;
  bool boolean = false;
  bool expandFinal = false;  // Call: last argument followed by "..."; For: "..." grouping
  bool objectFor = false;    // For: {for ...} producing an object
  std::vector<ExprPtr> items;
  ExprPtr a, b, c, d;
};

struct Block;

struct Attribute {
  std::string name;
  Span nameSpan;
  Span span;  // name through the end of the value
  ExprPtr value;
};

struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  const Attribute* attribute(std::string_view name) const;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  Span typeSpan;
  Span header;  // type and labels, up to the opening brace
  Span span;    // type through the closing brace
  Body body;
};

struct File {
  const SourceFile* source = nullptr;
  Body body;
};

inline const Attribute* Body::attribute(std::string_view name) const {
  for (const Attribute& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace lbcheck::hcl
