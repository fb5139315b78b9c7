#include "parsers/hcl/parser.h"

#include <cstdlib>

#include "engine/utf8.h"
#include "parsers/hcl/lexer.h"

namespace lbcheck::hcl {

namespace {

class Parser {
 public:
  Parser(const SourceFile& file, const Limits& limits) : file_(file), limits_(limits) {}

  bool start(SyntaxError* error) {
    LexError le;
    toks_ = lex(file_.text(), &le);
    return started(le, error);
  }

  bool startRange(uint32_t from, uint32_t to, bool templateOnly, SyntaxError* error) {
    LexError le;
    toks_ = lexRange(file_.text(), from, to, templateOnly, &le);
    return started(le, error);
  }

  bool started(const LexError& le, SyntaxError* error) {
    if (!toks_.empty() && toks_.back().type == Tok::Invalid) {
      failAt(le.offset, le.offset + 1, le.message);
      *error = error_;
      return false;
    }
    return true;
  }

  std::unique_ptr<File> file(SyntaxError* error) {
    auto out = std::make_unique<File>();
    out->source = &file_;
    body(out->body, Tok::Eof);
    if (failed_) {
      *error = error_;
      return nullptr;
    }
    return out;
  }

  ExprPtr expressionOnly(SyntaxError* error) {
    ExprPtr e = expr();
    skipNewlines();
    if (!failed_ && peek().type != Tok::Eof)
      fail("unexpected " + describe(peek()) + " after the expression");
    if (failed_) {
      *error = error_;
      return nullptr;
    }
    return e;
  }

  /// The inside of a template, up to the end of the tokens.
  ExprPtr templateOnly(uint32_t from, uint32_t to, SyntaxError* error) {
    auto out = make(ExprKind::Template, from, to);
    std::string stop;
    templateParts(*out, Tok::Eof, &stop);
    if (!failed_ && !stop.empty())
      fail("`" + stop + "` without a matching `if` or `for` directive");
    if (failed_) {
      *error = error_;
      return nullptr;
    }
    if (out->items.empty()) {
      out->kind = ExprKind::String;
    } else if (out->items.size() == 1 && out->items[0]->kind == ExprKind::String) {
      out->kind = ExprKind::String;
      out->text = std::move(out->items[0]->text);
      out->items.clear();
    }
    return out;
  }

 private:
  // ---- tokens
  const Token& peekRaw(size_t ahead = 0) const {
    const size_t i = std::min(pos_ + ahead, toks_.size() - 1);
    return toks_[i];
  }
  /// The next token; line breaks are skipped inside brackets.
  const Token& peek() {
    if (nlIgnore_ > 0)
      while (toks_[pos_].type == Tok::Newline) ++pos_;
    return toks_[pos_];
  }
  Token next() {
    const Token t = peek();
    if (t.type != Tok::Eof && t.type != Tok::Invalid) ++pos_;
    return t;
  }
  bool accept(Tok t) {
    if (peek().type != t) return false;
    next();
    return true;
  }
  void skipNewlines() {
    while (toks_[pos_].type == Tok::Newline) ++pos_;
  }
  std::string_view text(const Token& t) const {
    return file_.text().substr(t.begin, t.end - t.begin);
  }
  std::string describe(const Token& t) const {
    if (t.type == Tok::Ident || t.type == Tok::Op || t.type == Tok::Number)
      return "`" + std::string(text(t)) + "`";
    return std::string(tokName(t.type));
  }
  Span span(uint32_t b, uint32_t e) const { return Span{file_.id(), b, e}; }

  void failAt(uint32_t b, uint32_t e, std::string message) {
    if (failed_) return;
    failed_ = true;
    error_.span = span(b, e);
    error_.message = std::move(message);
  }
  void fail(std::string message) {
    const Token& t = peek();
    failAt(t.begin, t.end > t.begin ? t.end : t.begin, std::move(message));
  }
  bool expect(Tok t, std::string_view what) {
    if (peek().type == t) {
      next();
      return true;
    }
    fail("expected " + std::string(what) + ", found " + describe(peek()));
    return false;
  }

  struct Depth {
    Parser& p;
    explicit Depth(Parser& parser) : p(parser) { ++p.depth_; }
    ~Depth() { --p.depth_; }
    bool tooDeep() const {
      if (p.depth_ <= p.limits_.maxDepth) return false;
      p.fail("nesting deeper than " + std::to_string(p.limits_.maxDepth) + " levels");
      return true;
    }
  };
  struct NewlineMode {
    Parser& p;
    int saved;
    NewlineMode(Parser& parser, bool ignore) : p(parser), saved(parser.nlIgnore_) {
      p.nlIgnore_ = ignore ? saved + 1 : 0;
    }
    ~NewlineMode() { p.nlIgnore_ = saved; }
  };

  ExprPtr make(ExprKind k, uint32_t b, uint32_t e) {
    auto x = std::make_unique<Expr>();
    x->kind = k;
    x->span = span(b, e);
    return x;
  }
  uint32_t lastEnd() const { return pos_ > 0 ? toks_[pos_ - 1].end : 0; }

  // ---- bodies
  void body(Body& out, Tok end) {
    Depth depth(*this);
    if (depth.tooDeep()) return;
    NewlineMode nl(*this, false);
    while (!failed_) {
      skipNewlines();
      const Token& t = peek();
      if (t.type == end) return;
      if (t.type == Tok::Eof) {
        fail("expected '}' to close the block, found end of file");
        return;
      }
      if (t.type != Tok::Ident) {
        fail("expected an attribute name or a block type, found " + describe(t));
        return;
      }
      const Token name = next();
      if (peek().type == Tok::Equal) {
        next();
        Attribute a;
        a.name = std::string(text(name));
        a.nameSpan = span(name.begin, name.end);
        a.value = expr();
        if (failed_) return;
        a.span = span(name.begin, a.value->span.end);
        for (const Attribute& other : out.attributes) {
          if (other.name == a.name) {
            failAt(name.begin, name.end,
                   "attribute `" + a.name + "` is defined twice (first at line " +
                       std::to_string(file_.locate(other.nameSpan.begin).line) + ")");
            return;
          }
        }
        out.attributes.push_back(std::move(a));
        const Tok after = peek().type;
        if (after == Tok::Newline || after == Tok::Eof) continue;
        if (after == end) return;
        fail("expected a line break after the attribute, found " + describe(peek()));
        return;
      }
      Block b;
      b.type = std::string(text(name));
      b.typeSpan = span(name.begin, name.end);
      while (!failed_ && peek().type != Tok::LBrace) {
        if (peek().type == Tok::Ident) {
          b.labels.emplace_back(text(next()));
        } else if (peek().type == Tok::OQuote) {
          ExprPtr label = templateExpr(Tok::CQuote);
          if (failed_) return;
          if (label->kind != ExprKind::String) {
            failAt(label->span.begin, label->span.end, "a block label cannot hold interpolations");
            return;
          }
          b.labels.push_back(label->text);
        } else {
          fail("expected '=' (an attribute), a block label or '{', found " + describe(peek()));
          return;
        }
      }
      b.header = span(name.begin, lastEnd());
      next();  // {
      body(b.body, Tok::RBrace);
      if (failed_) return;
      const Token close = next();
      b.span = span(name.begin, close.end);
      out.blocks.push_back(std::move(b));
      const Tok after = peek().type;
      if (after == Tok::Newline || after == Tok::Eof || after == end) continue;
      fail("expected a line break after the block, found " + describe(peek()));
      return;
    }
  }

  // ---- expressions
  ExprPtr expr() {
    Depth depth(*this);
    if (depth.tooDeep()) return make(ExprKind::Null, 0, 0);
    ExprPtr cond = binary(0);
    if (failed_ || peek().type != Tok::Question) return cond;
    next();
    auto out = make(ExprKind::Conditional, cond->span.begin, 0);
    out->a = std::move(cond);
    {
      NewlineMode nl(*this, true);
      out->b = expr();
      if (!expect(Tok::Colon, "':' in a conditional")) return out;
    }
    out->c = expr();
    out->span.end = out->c->span.end;
    return out;
  }

  static int precedence(std::string_view op) {
    if (op == "||") return 1;
    if (op == "&&") return 2;
    if (op == "==" || op == "!=") return 3;
    if (op == "<" || op == ">" || op == "<=" || op == ">=") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*" || op == "/" || op == "%") return 6;
    return 0;
  }

  ExprPtr binary(int minPrec) {
    ExprPtr left = unary();
    while (!failed_) {
      const Token& t = peek();
      if (t.type != Tok::Op) break;
      const int prec = precedence(text(t));
      if (prec == 0 || prec <= minPrec) break;
      const Token op = next();
      Depth depth(*this);
      if (depth.tooDeep()) break;
      ExprPtr right = binary(prec);
      auto out = make(ExprKind::Binary, left->span.begin, right->span.end);
      out->text = std::string(text(op));
      out->a = std::move(left);
      out->b = std::move(right);
      left = std::move(out);
    }
    return left;
  }

  ExprPtr unary() {
    const Token& t = peek();
    if (t.type == Tok::Op && (text(t) == "-" || text(t) == "!")) {
      const Token op = next();
      Depth depth(*this);
      if (depth.tooDeep()) return make(ExprKind::Null, op.begin, op.end);
      ExprPtr operand = unary();
      auto out = make(ExprKind::Unary, op.begin, operand->span.end);
      out->text = std::string(text(op));
      out->a = std::move(operand);
      return out;
    }
    return postfix(primary());
  }

  /// The next token of a traversal: a line break ends it, except inside
  /// parentheses or brackets, where HCL ignores line breaks (`(var.a` newline
  /// `.b)` is one traversal).
  /// Line breaks are consumed only when the traversal does continue after them
  /// (a `.` or `[`), so that what follows the expression still sees them.
  const Token& peekTraversal() {
    if (nlIgnore_ == 0) return peekRaw();
    size_t at = pos_;
    while (toks_[at].type == Tok::Newline) ++at;
    if (toks_[at].type == Tok::Dot || toks_[at].type == Tok::LBrack) pos_ = at;
    return toks_[pos_];
  }

  /// .name, .0, [index], [*], .* after a primary expression.
  ExprPtr postfix(ExprPtr e) {
    while (!failed_) {
      const Tok t = peekTraversal().type;
      if (t == Tok::Dot) {
        next();
        const Token& n = peekTraversal();
        if (n.type == Tok::Ident) {
          next();
          auto out = make(ExprKind::GetAttr, e->span.begin, n.end);
          out->text = std::string(text(n));
          out->a = std::move(e);
          e = std::move(out);
        } else if (n.type == Tok::Number) {
          // Legacy index: a.0, and a.1.0 (which scans as the number "1.0").
          const Token num = next();
          const std::string_view digits = text(num);
          size_t start = 0;
          while (start <= digits.size()) {
            size_t dot = digits.find('.', start);
            if (dot == std::string_view::npos) dot = digits.size();
            Token part = num;
            part.begin = num.begin + static_cast<uint32_t>(start);
            part.end = num.begin + static_cast<uint32_t>(dot);
            auto out = make(ExprKind::Index, e->span.begin, part.end);
            out->b = number(part);
            out->a = std::move(e);
            e = std::move(out);
            start = dot + 1;
          }
        } else if (n.type == Tok::Op && text(n) == "*") {
          const Token star = next();
          e = splat(std::move(e), star.end, false);
        } else {
          fail("expected an attribute name after '.', found " + describe(n));
        }
      } else if (t == Tok::LBrack) {
        next();
        uint32_t splatEnd = 0;  // set for [*]
        {
          NewlineMode nl(*this, true);
          if (peek().type == Tok::Op && text(peek()) == "*" && peekRaw(1).type == Tok::RBrack) {
            next();
            splatEnd = next().end;
          } else {
            ExprPtr index = expr();
            if (!expect(Tok::RBrack, "']'")) break;
            auto out = make(ExprKind::Index, e->span.begin, lastEnd());
            out->a = std::move(e);
            out->b = std::move(index);
            e = std::move(out);
          }
        }
        // The traversal after [*] is in the mode outside the brackets: a line
        // break ends it unless parentheses enclose it.
        if (splatEnd > 0) e = splat(std::move(e), splatEnd, true);
      } else {
        break;
      }
    }
    return e;
  }

  /// The traversal after [*] (attributes and indexes) or .* (attributes only).
  ExprPtr splat(ExprPtr source, uint32_t end, bool full) {
    auto out = make(ExprKind::Splat, source->span.begin, end);
    ExprPtr item = make(ExprKind::SplatItem, end, end);
    while (!failed_) {
      const Tok t = peekTraversal().type;
      if (t == Tok::Dot && peekRaw(1).type == Tok::Ident) {
        next();
        const Token n = next();
        auto g = make(ExprKind::GetAttr, item->span.begin, n.end);
        g->text = std::string(text(n));
        g->a = std::move(item);
        item = std::move(g);
      } else if (full && t == Tok::LBrack) {
        next();
        NewlineMode nl(*this, true);
        ExprPtr index = expr();
        if (!expect(Tok::RBrack, "']'")) break;
        auto ix = make(ExprKind::Index, item->span.begin, lastEnd());
        ix->a = std::move(item);
        ix->b = std::move(index);
        item = std::move(ix);
      } else {
        break;
      }
    }
    out->span.end = std::max(end, item->span.end);
    out->a = std::move(source);
    out->b = std::move(item);
    return out;
  }

  ExprPtr number(const Token& t) {
    auto out = make(ExprKind::Number, t.begin, t.end);
    const std::string s(text(t));
    out->number = std::strtod(s.c_str(), nullptr);
    out->text = s;
    return out;
  }

  ExprPtr primary() {
    Depth depth(*this);
    if (depth.tooDeep()) return make(ExprKind::Null, 0, 0);
    const Token t = peek();
    switch (t.type) {
      case Tok::Number:
        next();
        return number(t);
      case Tok::OQuote:
        return templateExpr(Tok::CQuote);
      case Tok::OHeredoc:
        return templateExpr(Tok::CHeredoc);
      case Tok::LBrack:
        return tuple();
      case Tok::LBrace:
        return object();
      case Tok::LParen: {
        next();
        NewlineMode nl(*this, true);
        auto out = make(ExprKind::Paren, t.begin, 0);
        out->a = expr();
        expect(Tok::RParen, "')'");
        out->span.end = lastEnd();
        return out;
      }
      case Tok::Ident: {
        next();
        const std::string_view name = text(t);
        if (name == "true" || name == "false") {
          auto out = make(ExprKind::Bool, t.begin, t.end);
          out->boolean = name == "true";
          return out;
        }
        if (name == "null") return make(ExprKind::Null, t.begin, t.end);
        std::string fn(name);
        // provider::ns::name(...)
        while (peekRaw().type == Tok::DoubleColon && peekRaw(1).type == Tok::Ident) {
          next();
          fn += "::";
          fn += text(next());
        }
        if (peekRaw().type == Tok::LParen) return call(t, std::move(fn));
        auto out = make(ExprKind::Variable, t.begin, t.end);
        out->text = std::move(fn);
        return out;
      }
      default:
        fail("expected an expression, found " + describe(t));
        return make(ExprKind::Null, t.begin, t.end);
    }
  }

  ExprPtr call(const Token& name, std::string fn) {
    next();  // (
    NewlineMode nl(*this, true);
    auto out = make(ExprKind::Call, name.begin, 0);
    out->text = std::move(fn);
    while (!failed_ && peek().type != Tok::RParen) {
      out->items.push_back(expr());
      if (accept(Tok::Ellipsis)) {
        out->expandFinal = true;
        break;
      }
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RParen, "',' or ')' in the function call");
    out->span.end = lastEnd();
    return out;
  }

  bool atFor() {
    const Token& t = peek();
    return t.type == Tok::Ident && text(t) == "for" && peekRaw(1).type == Tok::Ident;
  }

  ExprPtr forExpr(const Token& open, bool object) {
    next();  // for
    auto out = make(ExprKind::For, open.begin, 0);
    out->objectFor = object;
    const Token first = next();
    if (first.type != Tok::Ident) {
      fail("expected a variable name after `for`");
      return out;
    }
    if (accept(Tok::Comma)) {
      out->text = std::string(text(first));
      if (peek().type != Tok::Ident) {
        fail("expected a variable name after ','");
        return out;
      }
      out->text2 = std::string(text(next()));
    } else {
      out->text2 = std::string(text(first));
    }
    if (!(peek().type == Tok::Ident && text(peek()) == "in")) {
      fail("expected `in` in the for expression, found " + describe(peek()));
      return out;
    }
    next();
    out->a = expr();
    if (!expect(Tok::Colon, "':' in the for expression")) return out;
    if (object) {
      out->c = expr();
      if (!expect(Tok::FatArrow, "'=>' in the object for expression")) return out;
    }
    out->b = expr();
    if (object && accept(Tok::Ellipsis)) out->expandFinal = true;
    if (peek().type == Tok::Ident && text(peek()) == "if") {
      next();
      out->d = expr();
    }
    expect(object ? Tok::RBrace : Tok::RBrack, object ? "'}'" : "']'");
    out->span.end = lastEnd();
    return out;
  }

  ExprPtr tuple() {
    const Token open = next();
    NewlineMode nl(*this, true);
    if (atFor()) return forExpr(open, false);
    auto out = make(ExprKind::Tuple, open.begin, 0);
    while (!failed_ && peek().type != Tok::RBrack) {
      out->items.push_back(expr());
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RBrack, "',' or ']' in the list");
    out->span.end = lastEnd();
    return out;
  }

  ExprPtr object() {
    const Token open = next();
    {
      NewlineMode nl(*this, true);
      if (atFor()) return forExpr(open, true);
    }
    // Line breaks separate items, so they are significant here.
    NewlineMode nl(*this, false);
    auto out = make(ExprKind::Object, open.begin, 0);
    while (!failed_) {
      skipNewlines();
      if (peek().type == Tok::RBrace) break;
      ExprPtr key;
      const Token& k = peek();
      const Tok after = peekRaw(1).type;
      if (k.type == Tok::Ident && (after == Tok::Equal || after == Tok::Colon)) {
        next();
        key = make(ExprKind::String, k.begin, k.end);
        key->text = std::string(text(k));
      } else {
        key = expr();
      }
      if (!accept(Tok::Equal) && !accept(Tok::Colon)) {
        fail("expected '=' or ':' after the object key, found " + describe(peek()));
        break;
      }
      out->items.push_back(std::move(key));
      out->items.push_back(expr());
      if (failed_) break;
      if (accept(Tok::Comma) || peek().type == Tok::Newline || peek().type == Tok::RBrace) continue;
      fail("expected ',', a line break or '}' after the object item, found " + describe(peek()));
    }
    expect(Tok::RBrace, "'}' to close the object");
    out->span.end = lastEnd();
    return out;
  }

  // ---- templates
  /// Applies escapes to one literal chunk.
  std::string cook(const Token& t) {
    const std::string_view raw = text(t);
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      const char c = raw[i];
      if ((c == '$' || c == '%') && i + 2 < raw.size() && raw[i + 1] == c && raw[i + 2] == '{') {
        out += c;
        out += '{';
        i += 2;
      } else if (c == '\\' && !t.heredoc && i + 1 < raw.size()) {
        const char e = raw[++i];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case 'u':
          case 'U': {
            const size_t n = e == 'u' ? 4 : 8;
            unsigned long cp = 0;
            size_t k = 0;
            for (; k < n && i + 1 < raw.size() &&
                   std::isxdigit(static_cast<unsigned char>(raw[i + 1]));
                 ++k)
              cp = cp * 16 +
                   static_cast<unsigned long>(std::stoi(std::string(1, raw[++i]), nullptr, 16));
            if (k != n || cp > 0x10FFFF) {
              failAt(t.begin + static_cast<uint32_t>(i), t.begin + static_cast<uint32_t>(i) + 1,
                     "invalid unicode escape");
              return out;
            }
            appendUtf8(out, cp);
            break;
          }
          default:
            failAt(t.begin + static_cast<uint32_t>(i) - 1, t.begin + static_cast<uint32_t>(i) + 1,
                   std::string("invalid escape sequence \\") + e);
            return out;
        }
      } else {
        out += c;
      }
    }
    return out;
  }

  /// A quoted string or heredoc. One literal part becomes a String.
  ExprPtr templateExpr(Tok close) {
    const Token open = next();
    auto out = make(ExprKind::Template, open.begin, 0);
    NewlineMode nl(*this, false);
    std::string stop;
    templateParts(*out, close, &stop);
    if (failed_) return out;
    if (!stop.empty()) {
      fail("`" + stop + "` without a matching `if` or `for` directive");
      return out;
    }
    const Token end = next();  // close
    out->span.end = end.end;
    if (open.flush) dedent(*out);
    if (out->items.empty()) {
      out->kind = ExprKind::String;
    } else if (out->items.size() == 1 && out->items[0]->kind == ExprKind::String) {
      out->kind = ExprKind::String;
      out->text = std::move(out->items[0]->text);
      out->items.clear();
    }
    return out;
  }

  /// The body of a directive: a template of the parts up to `close` or the
  /// %{ else / endif / endfor } that ends it (its keyword goes to *stop).
  ExprPtr directiveBody(Tok close, std::string* stop) {
    auto body = make(ExprKind::Template, lastEnd(), lastEnd());
    stop->clear();
    NewlineMode inner(*this, false);
    templateParts(*body, close, stop);
    return body;
  }

  /// Reads parts until `close`, or a %{ else / endif / endfor } (its keyword
  /// goes to *stop and the tokens up to its '}' are consumed).
  void templateParts(Expr& into, Tok close, std::string* stop) {
    Depth depth(*this);
    if (depth.tooDeep()) return;
    bool stripNext = false;
    while (!failed_) {
      const Token t = toks_[pos_];
      if (t.type == close) return;
      if (t.type == Tok::TemplateLit) {
        ++pos_;
        auto lit = make(ExprKind::String, t.begin, t.end);
        lit->text = cook(t);
        if (stripNext) lit->text.erase(0, lit->text.find_first_not_of(" \t\r\n"));
        stripNext = false;
        into.items.push_back(std::move(lit));
        continue;
      }
      if (t.type == Tok::TemplateInterp || t.type == Tok::TemplateControl) {
        ++pos_;
        if (t.strip && !into.items.empty() && into.items.back()->kind == ExprKind::String) {
          std::string& s = into.items.back()->text;
          s.erase(s.find_last_not_of(" \t\r\n") + 1);
        }
        NewlineMode nl(*this, true);
        if (t.type == Tok::TemplateInterp) {
          ExprPtr e = expr();
          if (failed_) return;
          if (peek().type != Tok::TemplateSeqEnd) {
            fail("expected '}' to close the interpolation, found " + describe(peek()));
            return;
          }
          stripNext = next().strip;
          into.items.push_back(std::move(e));
          continue;
        }
        // A directive.
        const Token kw = peek();
        const std::string_view word = kw.type == Tok::Ident ? text(kw) : std::string_view();
        if (word == "else" || word == "endif" || word == "endfor") {
          next();
          if (!expect(Tok::TemplateSeqEnd, "'}' after `" + std::string(word) + "`")) return;
          *stop = std::string(word);
          return;
        }
        if (word == "if") {
          next();
          auto d = make(ExprKind::TemplateIf, t.begin, 0);
          d->a = expr();
          if (!expect(Tok::TemplateSeqEnd, "'}' after the if condition")) return;
          std::string s;
          d->b = directiveBody(close, &s);
          if (failed_) return;
          if (s == "else") {
            d->c = directiveBody(close, &s);
            if (failed_) return;
          }
          if (s != "endif") {
            failAt(t.begin, t.end, "this `if` directive has no `%{ endif }`");
            return;
          }
          d->span.end = lastEnd();
          into.items.push_back(std::move(d));
          continue;
        }
        if (word == "for") {
          next();
          auto d = make(ExprKind::TemplateFor, t.begin, 0);
          const Token first = next();
          if (first.type != Tok::Ident) {
            fail("expected a variable name after `for`");
            return;
          }
          if (accept(Tok::Comma)) {
            d->text = std::string(text(first));
            if (peek().type != Tok::Ident) {
              fail("expected a variable name after ','");
              return;
            }
            d->text2 = std::string(text(next()));
          } else {
            d->text2 = std::string(text(first));
          }
          if (!(peek().type == Tok::Ident && text(peek()) == "in")) {
            fail("expected `in` in the for directive, found " + describe(peek()));
            return;
          }
          next();
          d->a = expr();
          if (!expect(Tok::TemplateSeqEnd, "'}' after the for directive")) return;
          std::string s;
          d->b = directiveBody(close, &s);
          if (failed_) return;
          if (s != "endfor") {
            failAt(t.begin, t.end, "this `for` directive has no `%{ endfor }`");
            return;
          }
          d->span.end = lastEnd();
          into.items.push_back(std::move(d));
          continue;
        }
        fail("expected `if`, `for`, `else`, `endif` or `endfor` in the template directive, found " +
             describe(kw));
        return;
      }
      fail("unexpected " + describe(t) + " in a template");
      return;
    }
  }

  /// <<- heredocs: remove the smallest indentation of any line.
  void dedent(Expr& t) {
    size_t least = std::string::npos;
    bool lineStart = true;
    for (const auto& part : t.items) {
      if (part->kind != ExprKind::String) {
        lineStart = false;
        continue;
      }
      const std::string& s = part->text;
      for (size_t i = 0; i < s.size(); ++i) {
        if (lineStart) {
          size_t n = 0;
          while (i + n < s.size() && (s[i + n] == ' ' || s[i + n] == '\t')) ++n;
          if (i + n < s.size() && s[i + n] != '\n') least = std::min(least, n);
          lineStart = false;
        }
        if (s[i] == '\n') lineStart = true;
      }
    }
    if (least == std::string::npos || least == 0) return;
    lineStart = true;
    for (auto& part : t.items) {
      if (part->kind != ExprKind::String) {
        lineStart = false;
        continue;
      }
      std::string out;
      const std::string& s = part->text;
      for (size_t i = 0; i < s.size();) {
        if (lineStart) {
          size_t n = 0;
          while (n < least && i + n < s.size() && (s[i + n] == ' ' || s[i + n] == '\t')) ++n;
          i += n;
          lineStart = false;
          continue;
        }
        out += s[i];
        if (s[i] == '\n') lineStart = true;
        ++i;
      }
      part->text = std::move(out);
    }
  }

  const SourceFile& file_;
  const Limits& limits_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int nlIgnore_ = 0;
  size_t depth_ = 0;
  bool failed_ = false;
  SyntaxError error_;
};

}  // namespace

std::unique_ptr<File> parseFile(const SourceFile& file, const Limits& limits, SyntaxError* error) {
  Parser p(file, limits);
  if (!p.start(error)) return nullptr;
  return p.file(error);
}

ExprPtr parseExpression(const SourceFile& file, const Limits& limits, SyntaxError* error) {
  Parser p(file, limits);
  if (!p.start(error)) return nullptr;
  return p.expressionOnly(error);
}

ExprPtr parseTemplateRange(const SourceFile& file, uint32_t from, uint32_t to, const Limits& limits,
                           SyntaxError* error) {
  Parser p(file, limits);
  if (!p.startRange(from, to, true, error)) return nullptr;
  return p.templateOnly(from, to, error);
}

ExprPtr parseExpressionRange(const SourceFile& file, uint32_t from, uint32_t to,
                             const Limits& limits, SyntaxError* error) {
  Parser p(file, limits);
  if (!p.startRange(from, to, false, error)) return nullptr;
  return p.expressionOnly(error);
}

}  // namespace lbcheck::hcl
