#include "parsers/hcl/lexer.h"

#include <algorithm>
#include <cctype>

namespace lbcheck::hcl {

namespace {

bool identStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool identChar(unsigned char c) { return identStart(c) || std::isdigit(c) || c == '-'; }

class Lexer {
 public:
  Lexer(std::string_view text, LexError* error, size_t from = 0, bool templateOnly = false)
      : s_(text), error_(error), p_(from), templateOnly_(templateOnly) {}

  std::vector<Token> run() {
    modes_.push_back(Mode{templateOnly_ ? Mode::Bare : Mode::Normal, 0, {}, false});
    while (!failed_) {
      const Mode& m = modes_.back();
      if (m.kind == Mode::Normal) {
        if (!normal()) break;
      } else if (m.kind == Mode::Bare) {
        if (!bare()) break;
      } else if (m.kind == Mode::Quoted) {
        quoted();
      } else {
        heredoc();
      }
    }
    if (!failed_) emit(Tok::Eof, s_.size(), s_.size());
    return std::move(out_);
  }

 private:
  struct Mode {
    enum Kind { Normal, Quoted, Heredoc, Bare } kind = Normal;
    int braces = 0;
    std::string_view marker;
    bool lineStart = true;
  };

  void emit(Tok t, size_t b, size_t e, bool strip = false) {
    Token tok;
    tok.type = t;
    tok.begin = static_cast<uint32_t>(b);
    tok.end = static_cast<uint32_t>(e);
    tok.strip = strip;
    out_.push_back(tok);
  }
  void fail(size_t at, std::string message) {
    failed_ = true;
    if (error_) {
      error_->offset = static_cast<uint32_t>(at);
      error_->message = std::move(message);
    }
    emit(Tok::Invalid, at, at < s_.size() ? at + 1 : at);
  }
  char at(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  /// One token in expression/body context; false at the end of input.
  bool normal() {
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++p_;
      } else if (c == '#' || (c == '/' && at(p_ + 1) == '/')) {
        while (p_ < s_.size() && s_[p_] != '\n') ++p_;
      } else if (c == '/' && at(p_ + 1) == '*') {
        const size_t close = s_.find("*/", p_ + 2);
        if (close == std::string_view::npos) {
          fail(p_, "unterminated /* comment");
          return false;
        }
        p_ = close + 2;
      } else {
        break;
      }
    }
    if (p_ >= s_.size()) {
      if (modes_.size() > 1) fail(s_.size(), "unexpected end of file inside a template");
      return false;
    }
    const size_t b = p_;
    const unsigned char c = static_cast<unsigned char>(s_[p_]);
    if (c == '\n') {
      emit(Tok::Newline, b, ++p_);
    } else if (identStart(c)) {
      while (p_ < s_.size() && identChar(static_cast<unsigned char>(s_[p_]))) ++p_;
      emit(Tok::Ident, b, p_);
    } else if (std::isdigit(c)) {
      while (std::isdigit(static_cast<unsigned char>(at(p_)))) ++p_;
      if (at(p_) == '.' && std::isdigit(static_cast<unsigned char>(at(p_ + 1)))) {
        ++p_;
        while (std::isdigit(static_cast<unsigned char>(at(p_)))) ++p_;
      }
      if (at(p_) == 'e' || at(p_) == 'E') {
        size_t q = p_ + 1;
        if (at(q) == '+' || at(q) == '-') ++q;
        if (std::isdigit(static_cast<unsigned char>(at(q)))) {
          p_ = q;
          while (std::isdigit(static_cast<unsigned char>(at(p_)))) ++p_;
        }
      }
      emit(Tok::Number, b, p_);
    } else if (c == '"') {
      emit(Tok::OQuote, b, ++p_);
      modes_.push_back(Mode{Mode::Quoted, 0, {}, false});
    } else if (c == '<' && at(p_ + 1) == '<' &&
               (identStart(static_cast<unsigned char>(at(p_ + 2))) ||
                (at(p_ + 2) == '-' && identStart(static_cast<unsigned char>(at(p_ + 3)))))) {
      p_ += 2;
      const bool flush = at(p_) == '-';
      if (flush) ++p_;
      const size_t m = p_;
      while (p_ < s_.size() && identChar(static_cast<unsigned char>(s_[p_]))) ++p_;
      const std::string_view marker = s_.substr(m, p_ - m);
      if (at(p_) == '\r') ++p_;
      if (at(p_) != '\n') {
        fail(p_, "a heredoc marker must be followed by a line break");
        return false;
      }
      ++p_;
      emit(Tok::OHeredoc, b, p_);
      out_.back().flush = flush;
      modes_.push_back(Mode{Mode::Heredoc, 0, marker, true});
    } else if (c == '{') {
      ++modes_.back().braces;
      emit(Tok::LBrace, b, ++p_);
    } else if (c == '}' || (c == '~' && at(p_ + 1) == '}')) {
      Mode& m = modes_.back();
      if (m.braces == 0 && modes_.size() > 1) {
        const bool strip = c == '~';
        p_ += strip ? 2 : 1;
        emit(Tok::TemplateSeqEnd, b, p_, strip);
        modes_.pop_back();
      } else if (c == '~') {
        fail(b, "unexpected character '~'");
        return false;
      } else {
        if (m.braces > 0) --m.braces;
        emit(Tok::RBrace, b, ++p_);
      }
    } else {
      struct Op {
        std::string_view text;
        Tok tok;
      };
      static constexpr Op kOps[] = {
          {"...", Tok::Ellipsis},   {"=>", Tok::FatArrow}, {"==", Tok::Op},    {"!=", Tok::Op},
          {"<=", Tok::Op},          {">=", Tok::Op},       {"&&", Tok::Op},    {"||", Tok::Op},
          {"::", Tok::DoubleColon}, {"=", Tok::Equal},     {"<", Tok::Op},     {">", Tok::Op},
          {"+", Tok::Op},           {"-", Tok::Op},        {"*", Tok::Op},     {"/", Tok::Op},
          {"%", Tok::Op},           {"!", Tok::Op},        {"[", Tok::LBrack}, {"]", Tok::RBrack},
          {"(", Tok::LParen},       {")", Tok::RParen},    {",", Tok::Comma},  {".", Tok::Dot},
          {":", Tok::Colon},        {"?", Tok::Question},
      };
      for (const Op& op : kOps) {
        if (s_.substr(p_, op.text.size()) == op.text) {
          p_ += op.text.size();
          emit(op.tok, b, p_);
          return true;
        }
      }
      fail(b, c >= 0x20 && c < 0x7f
                  ? std::string("unexpected character '") + static_cast<char>(c) + "'"
                  : "unexpected byte");
      return false;
    }
    return true;
  }

  /// Starts an interpolation or directive at p_ (on "${" or "%{").
  void openSequence() {
    const size_t b = p_;
    const Tok t = s_[p_] == '$' ? Tok::TemplateInterp : Tok::TemplateControl;
    p_ += 2;
    bool strip = false;
    if (at(p_) == '~') {
      strip = true;
      ++p_;
    }
    emit(t, b, p_, strip);
    modes_.push_back(Mode{});
  }

  void literal(size_t b, size_t e, bool heredoc) {
    if (e <= b) return;
    emit(Tok::TemplateLit, b, e);
    out_.back().heredoc = heredoc;
  }

  void quoted() {
    const size_t b = p_;
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c == '"') {
        literal(b, p_, false);
        emit(Tok::CQuote, p_, p_ + 1);
        ++p_;
        modes_.pop_back();
        return;
      }
      if (c == '\\') {
        if (p_ + 1 >= s_.size() || s_[p_ + 1] == '\n') {
          fail(p_, "unterminated escape sequence in a string");
          return;
        }
        p_ += 2;
        continue;
      }
      if (c == '\n') {
        fail(p_, "unterminated string (a quoted string cannot span lines; use a heredoc)");
        return;
      }
      if ((c == '$' || c == '%') && at(p_ + 1) == c && at(p_ + 2) == '{') {
        p_ += 3;  // $${ and %%{ are literal
        continue;
      }
      if ((c == '$' || c == '%') && at(p_ + 1) == '{') {
        literal(b, p_, false);
        openSequence();
        return;
      }
      ++p_;
    }
    fail(s_.size(), "unterminated string");
  }

  /// The outermost template of templateOnly input: runs to the end.
  bool bare() {
    const size_t b = p_;
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if ((c == '$' || c == '%') && at(p_ + 1) == c && at(p_ + 2) == '{') {
        p_ += 3;
        continue;
      }
      if ((c == '$' || c == '%') && at(p_ + 1) == '{') {
        literal(b, p_, true);
        openSequence();
        return true;
      }
      ++p_;
    }
    literal(b, p_, true);
    return false;
  }

  void heredoc() {
    Mode& m = modes_.back();
    size_t b = p_;
    while (p_ < s_.size()) {
      if (m.lineStart) {
        size_t q = p_;
        while (at(q) == ' ' || at(q) == '\t') ++q;
        if (s_.substr(q, m.marker.size()) == m.marker) {
          size_t e = q + m.marker.size();
          size_t r = e;
          while (at(r) == ' ' || at(r) == '\t' || at(r) == '\r') ++r;
          if (r >= s_.size() || s_[r] == '\n') {
            literal(b, p_, true);
            emit(Tok::CHeredoc, q, e);
            p_ = e;
            modes_.pop_back();
            return;
          }
        }
        m.lineStart = false;
      }
      const char c = s_[p_];
      if (c == '\n') {
        ++p_;
        m.lineStart = true;
        continue;
      }
      if ((c == '$' || c == '%') && at(p_ + 1) == c && at(p_ + 2) == '{') {
        p_ += 3;
        continue;
      }
      if ((c == '$' || c == '%') && at(p_ + 1) == '{') {
        literal(b, p_, true);
        openSequence();
        return;
      }
      ++p_;
    }
    fail(s_.size(), "unterminated heredoc: no line holding only `" + std::string(m.marker) + "`");
  }

  std::string_view s_;
  LexError* error_;
  size_t p_ = 0;
  bool templateOnly_ = false;
  bool failed_ = false;
  std::vector<Mode> modes_;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> lex(std::string_view text, LexError* error) { return Lexer(text, error).run(); }

std::vector<Token> lexRange(std::string_view text, uint32_t from, uint32_t to, bool templateOnly,
                            LexError* error) {
  to = std::min<uint32_t>(to, static_cast<uint32_t>(text.size()));
  from = std::min(from, to);
  return Lexer(text.substr(0, to), error, from, templateOnly).run();
}

std::string_view tokName(Tok t) {
  switch (t) {
    case Tok::Eof:
      return "end of file";
    case Tok::Newline:
      return "line break";
    case Tok::Ident:
      return "identifier";
    case Tok::Number:
      return "number";
    case Tok::OQuote:
      return "'\"'";
    case Tok::CQuote:
      return "'\"'";
    case Tok::OHeredoc:
      return "heredoc";
    case Tok::CHeredoc:
      return "heredoc end";
    case Tok::TemplateLit:
      return "string";
    case Tok::TemplateInterp:
      return "'${'";
    case Tok::TemplateControl:
      return "'%{'";
    case Tok::TemplateSeqEnd:
      return "'}'";
    case Tok::LBrace:
      return "'{'";
    case Tok::RBrace:
      return "'}'";
    case Tok::LBrack:
      return "'['";
    case Tok::RBrack:
      return "']'";
    case Tok::LParen:
      return "'('";
    case Tok::RParen:
      return "')'";
    case Tok::Comma:
      return "','";
    case Tok::Dot:
      return "'.'";
    case Tok::Ellipsis:
      return "'...'";
    case Tok::Equal:
      return "'='";
    case Tok::Colon:
      return "':'";
    case Tok::Question:
      return "'?'";
    case Tok::FatArrow:
      return "'=>'";
    case Tok::Op:
      return "operator";
    case Tok::DoubleColon:
      return "'::'";
    case Tok::Invalid:
      return "invalid input";
  }
  return "token";
}

}  // namespace lbcheck::hcl
