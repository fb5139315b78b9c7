// The HCL2 native-syntax scanner. Templates (quoted strings and heredocs) are
// scanned as literal chunks and interpolation/directive markers, with a mode
// stack so `}` closes the right construct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lbcheck::hcl {

enum class Tok : uint8_t {
  Eof,
  Newline,
  Ident,
  Number,
  OQuote,           // "
  CQuote,           // "
  OHeredoc,         // <<EOT or <<-EOT and the line break
  CHeredoc,         // the closing marker
  TemplateLit,      // raw literal bytes inside a template (escapes not yet applied)
  TemplateInterp,   // ${ or ${~
  TemplateControl,  // %{ or %{~
  TemplateSeqEnd,   // } or ~} closing an interpolation or directive
  LBrace,
  RBrace,
  LBrack,
  RBrack,
  LParen,
  RParen,
  Comma,
  Dot,
  Ellipsis,
  Equal,  // =
  Colon,
  Question,
  FatArrow,  // =>
  Op,        // + - * / % == != < > <= >= && || !
  DoubleColon,
  Invalid,
};

struct Token {
  Tok type = Tok::Eof;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool strip = false;    // ${~ / %{~ / ~}
  bool flush = false;    // OHeredoc: <<- (indented heredoc)
  bool heredoc = false;  // TemplateLit: inside a heredoc (no backslash escapes)
};

struct LexError {
  uint32_t offset = 0;
  std::string message;
};

/// Scans `text` into tokens ending with Eof. Stops at the first error (the
/// returned tokens then end with Invalid). Never reads past `text`.
std::vector<Token> lex(std::string_view text, LexError* error);

/// Scans bytes [from, to) of `text` (token offsets stay offsets into `text`).
/// `templateOnly`: the bytes are the inside of a template with no delimiters
/// (a string of Terraform's JSON syntax): literal text, `${...}` and `%{...}`,
/// backslashes taken literally, up to `to`. Otherwise they are an expression.
std::vector<Token> lexRange(std::string_view text, uint32_t from, uint32_t to, bool templateOnly,
                            LexError* error);

std::string_view tokName(Tok t);

}  // namespace lbcheck::hcl
