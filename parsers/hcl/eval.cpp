#include "parsers/hcl/eval.h"

#include "parsers/hcl/evalutil.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace lbcheck::hcl {

using T = Val::Type;

void addRefs(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const std::string& r : from)
    if (into.size() < 64 && std::find(into.begin(), into.end(), r) == into.end()) into.push_back(r);
}

bool Val::wholly() const {
  if (!known()) return false;
  for (const Val& i : items)
    if (!i.wholly()) return false;
  for (const auto& [k, v] : attrs)
    if (!v.wholly()) return false;
  return !open;
}

std::string Val::text() const {
  switch (type) {
    case T::String:
      return str;
    case T::Bool:
      return boolean ? "true" : "false";
    case T::Number: {
      char buf[64];
      if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", number);
      else
        std::snprintf(buf, sizeof buf, "%.17g", number);
      return buf;
    }
    default:
      return {};
  }
}

namespace detail {

Val unknownFrom(std::initializer_list<const Val*> vals) {
  Val u = Val::unknown();
  for (const Val* v : vals) addRefs(u.refs, v->refs);
  return u;
}

bool equalVals(const Val& a, const Val& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case T::Null:
      return true;
    case T::Bool:
      return a.boolean == b.boolean;
    case T::Number:
      return a.number == b.number;
    case T::String:
      return a.str == b.str;
    case T::List:
      if (a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i)
        if (!equalVals(a.items[i], b.items[i])) return false;
      return true;
    case T::Object:
      if (a.attrs.size() != b.attrs.size()) return false;
      for (const auto& [k, v] : a.attrs) {
        auto it = b.attrs.find(k);
        if (it == b.attrs.end() || !equalVals(v, it->second)) return false;
      }
      return true;
    default:
      return false;
  }
}

/// The items of a list without repeats, in first-seen order (a new list).
Val distinct(const Val& list) {
  Val out;
  out.type = T::List;
  for (const Val& v : list.items) {
    bool dup = false;
    for (const Val& w : out.items) dup = dup || equalVals(v, w);
    if (!dup) out.items.push_back(v);
  }
  return out;
}

/// Converts a scalar to a string (HCL's automatic conversion).
bool asString(const Val& v, std::string* out) {
  if (!v.isScalar()) return false;
  *out = v.text();
  return true;
}

bool asNumber(const Val& v, double* out) {
  if (v.type == T::Number) {
    *out = v.number;
    return true;
  }
  if (v.type == T::String) {
    char* end = nullptr;
    const double d = std::strtod(v.str.c_str(), &end);
    if (!v.str.empty() && end && *end == '\0') {
      *out = d;
      return true;
    }
  }
  return false;
}

bool asBool(const Val& v, bool* out) {
  if (v.type == T::Bool) {
    *out = v.boolean;
    return true;
  }
  if (v.type == T::String && (v.str == "true" || v.str == "false")) {
    *out = v.str == "true";
    return true;
  }
  return false;
}

// ---- cidrsubnet (IPv4)
bool parseCidr(const std::string& s, uint32_t* addr, int* len) {
  unsigned a, b, c, d;
  int l;
  char tail;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u/%d%c", &a, &b, &c, &d, &l, &tail) != 5) return false;
  if (a > 255 || b > 255 || c > 255 || d > 255 || l < 0 || l > 32) return false;
  *addr = (a << 24) | (b << 16) | (c << 8) | d;
  *len = l;
  return true;
}

std::string formatCidr(uint32_t addr, int len) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u/%d", addr >> 24, (addr >> 16) & 255,
                (addr >> 8) & 255, addr & 255, len);
  return buf;
}

}  // namespace detail

using namespace detail;

bool Evaluator::spend(size_t n) {
  spent_ += n;
  return spent_ <= limits_.maxIterations;
}

Val Evaluator::eval(const Expr& e) {
  if (depth_ >= limits_.maxDepth) return Val::error("expression nested too deeply");
  if (!spend()) return Val::error("evaluation budget exhausted");
  ++depth_;
  Val v = evalInner(e);
  --depth_;
  if (v.type == T::String && v.str.size() > limits_.maxString)
    return Val::error("string longer than the limit");
  if (!v.span.valid()) v.span = e.span;
  return v;
}

Val Evaluator::traverse(const Val& v, const std::string& attr, const Expr&) {
  if (v.type == T::Unknown) return Val::unknown(v.refs);
  if (v.type == T::Error) return v;
  if (v.type == T::Object) {
    auto it = v.attrs.find(attr);
    if (it != v.attrs.end()) {
      Val out = it->second;
      std::vector<std::string> refs = v.refs;  // the object's own address first
      addRefs(refs, out.refs);
      out.refs = std::move(refs);
      return out;
    }
    if (v.open) return Val::unknown(v.refs);
    return Val::error("no attribute `" + attr + "`");
  }
  if (v.type == T::List && !attr.empty() && std::isdigit(static_cast<unsigned char>(attr[0])))
    return index(v, Val::num(std::atof(attr.c_str())), Expr{});
  return Val::error("cannot read attribute `" + attr + "` of this value");
}

Val Evaluator::index(const Val& v, const Val& key, const Expr&) {
  if (v.type == T::Error) return v;
  if (key.type == T::Error) return key;
  if (v.type == T::Unknown || key.type == T::Unknown) return unknownFrom({&v, &key});
  if (v.type == T::List) {
    double d;
    if (!asNumber(key, &d) || !(d >= 0) || d != std::floor(d)) return Val::error("invalid index");
    // Compare as doubles first: converting a number beyond size_t is undefined.
    if (d >= static_cast<double>(v.items.size())) return Val::error("index out of range");
    const size_t i = static_cast<size_t>(d);
    Val out = v.items[i];
    addRefs(out.refs, v.refs);
    return out;
  }
  if (v.type == T::Object) {
    std::string k;
    if (!asString(key, &k)) return Val::error("invalid key");
    return traverse(v, k, Expr{});
  }
  return Val::error("cannot index this value");
}

Val Evaluator::templ(const Expr& e) {
  if (e.items.size() == 1 && e.items[0]->kind != ExprKind::String &&
      e.items[0]->kind != ExprKind::TemplateIf && e.items[0]->kind != ExprKind::TemplateFor &&
      e.kind == ExprKind::Template && e.span.end > e.span.begin) {
    // "${x}" is x itself, whatever its type.
    return eval(*e.items[0]);
  }
  std::string out;
  Val unknown = Val::unknown();
  bool isUnknown = false;
  for (const auto& part : e.items) {
    Val p;
    if (part->kind == ExprKind::TemplateIf) {
      const Val c = eval(*part->a);
      bool b;
      if (c.type == T::Unknown) {
        addRefs(unknown.refs, c.refs);
        isUnknown = true;
        continue;
      }
      if (!asBool(c, &b)) return Val::error("the if condition is not a bool");
      if (b)
        p = templ(*part->b);
      else if (part->c)
        p = templ(*part->c);
      else
        continue;
    } else if (part->kind == ExprKind::TemplateFor) {
      p = forExpr(*part);
    } else {
      p = eval(*part);
    }
    if (p.type == T::Error) return p;
    if (p.type == T::Unknown) {
      addRefs(unknown.refs, p.refs);
      isUnknown = true;
      continue;
    }
    addRefs(unknown.refs, p.refs);
    std::string s;
    if (!asString(p, &s)) {
      if (p.type == T::Null) return Val::error("null in a template");
      return Val::error("a list or object cannot be part of a string");
    }
    out += s;
    if (out.size() > limits_.maxString) return Val::error("string longer than the limit");
  }
  if (isUnknown) return unknown;
  Val v = Val::string(std::move(out));
  v.refs = std::move(unknown.refs);
  return v;
}

Val Evaluator::forExpr(const Expr& e) {
  const Val coll = eval(*e.a);
  if (coll.type == T::Error) return coll;
  if (coll.type == T::Unknown) return Val::unknown(coll.refs);
  if (coll.type != T::List && coll.type != T::Object)
    return Val::error("a for expression needs a list, set or map");
  if (coll.type == T::Object && coll.open) return Val::unknown(coll.refs);
  const bool templateFor = e.kind == ExprKind::TemplateFor;
  Val out;
  out.type = templateFor ? T::String : (e.objectFor ? T::Object : T::List);
  Val unknown = Val::unknown(coll.refs);
  bool isUnknown = false;
  auto step = [&](Val key, const Val& value) -> bool {
    if (!spend()) return false;
    locals_.push_back({e.text2, value});
    if (!e.text.empty()) locals_.push_back({e.text, key});
    bool keep = true;
    if (e.d) {
      const Val c = eval(*e.d);
      if (c.type == T::Unknown) {
        isUnknown = true;
        addRefs(unknown.refs, c.refs);
      }
      bool b = false;
      keep = asBool(c, &b) && b;
    }
    if (keep) {
      if (templateFor) {
        const Val s = templ(*e.b);
        if (s.type == T::Unknown) isUnknown = true;
        out.str += s.text();
      } else if (e.objectFor) {
        const Val k = eval(*e.c);
        const Val v = eval(*e.b);
        std::string ks;
        if (k.type == T::Unknown || !asString(k, &ks)) {
          isUnknown = true;
          addRefs(unknown.refs, k.refs);
        } else if (e.expandFinal) {
          Val& group = out.attrs[ks];
          group.type = T::List;
          group.items.push_back(v);
        } else {
          out.attrs[ks] = v;
        }
      } else {
        out.items.push_back(eval(*e.b));
      }
    }
    locals_.pop_back();
    if (!e.text.empty()) locals_.pop_back();
    return true;
  };
  if (coll.type == T::List) {
    for (size_t i = 0; i < coll.items.size(); ++i)
      if (!step(Val::num(static_cast<double>(i)), coll.items[i]))
        return Val::error("evaluation budget exhausted");
  } else {
    for (const auto& [k, v] : coll.attrs)
      if (!step(Val::string(k), v)) return Val::error("evaluation budget exhausted");
  }
  if (isUnknown) return unknown;
  return out;
}

Val Evaluator::evalInner(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Null: {
      Val v;
      v.span = e.span;
      return v;
    }
    case ExprKind::Bool:
      return Val::boolean_(e.boolean, e.span);
    case ExprKind::Number:
      return Val::num(e.number, e.span);
    case ExprKind::String:
      return Val::string(e.text, e.span);
    case ExprKind::Template:
      return templ(e);
    case ExprKind::TemplateIf:
    case ExprKind::TemplateFor:
      return Val::error("directive outside a template");
    case ExprKind::Variable:
      for (auto it = locals_.rbegin(); it != locals_.rend(); ++it)
        if (it->first == e.text) return it->second;
      return scope_.get(e.text, "", e);
    case ExprKind::GetAttr:
      if (e.a->kind == ExprKind::Variable) {
        bool local = false;
        for (const auto& [name, v] : locals_) local = local || name == e.a->text;
        if (!local) return scope_.get(e.a->text, e.text, e);
      }
      return traverse(eval(*e.a), e.text, e);
    case ExprKind::Index:
      return index(eval(*e.a), eval(*e.b), e);
    case ExprKind::Splat: {
      const Val src = eval(*e.a);
      if (src.type == T::Error) return src;
      if (src.type == T::Unknown) return Val::unknown(src.refs);
      Val out;
      out.type = T::List;
      if (src.type == T::Null) return out;
      auto one = [&](const Val& item) {
        splatItem_.push_back(&item);
        Val r = eval(*e.b);
        splatItem_.pop_back();
        return r;
      };
      if (src.type == T::List) {
        for (const Val& item : src.items) {
          if (!spend()) return Val::error("evaluation budget exhausted");
          out.items.push_back(one(item));
        }
      } else {
        out.items.push_back(one(src));
      }
      addRefs(out.refs, src.refs);
      return out;
    }
    case ExprKind::SplatItem:
      return splatItem_.empty() ? Val::error("splat item outside a splat") : *splatItem_.back();
    case ExprKind::Tuple: {
      Val out;
      out.type = T::List;
      for (const auto& item : e.items) out.items.push_back(eval(*item));
      return out;
    }
    case ExprKind::Object: {
      Val out;
      out.type = T::Object;
      for (size_t i = 0; i + 1 < e.items.size(); i += 2) {
        const Val k = eval(*e.items[i]);
        std::string ks;
        if (k.type == T::Unknown) return Val::unknown(k.refs);
        if (!asString(k, &ks)) return Val::error("an object key must be a string");
        out.attrs[ks] = eval(*e.items[i + 1]);
      }
      return out;
    }
    case ExprKind::Call:
      return call(e);
    case ExprKind::Conditional: {
      const Val c = eval(*e.a);
      bool b;
      if (c.type == T::Error) return c;
      if (c.type == T::Unknown) {
        const Val x = eval(*e.b), y = eval(*e.c);
        if (x.wholly() && y.wholly() && equalVals(x, y)) return x;
        return unknownFrom({&c, &x, &y});
      }
      if (!asBool(c, &b)) return Val::error("the condition is not a bool");
      return eval(b ? *e.b : *e.c);
    }
    case ExprKind::For:
      return forExpr(e);
    case ExprKind::Unary: {
      const Val v = eval(*e.a);
      if (!v.known()) return v;
      if (e.text == "-") {
        double d;
        if (!asNumber(v, &d)) return Val::error("`-` needs a number");
        return Val::num(-d);
      }
      bool b;
      if (!asBool(v, &b)) return Val::error("`!` needs a bool");
      return Val::boolean_(!b);
    }
    case ExprKind::Binary: {
      const Val l = eval(*e.a);
      const std::string& op = e.text;
      bool lb;
      if (op == "&&" && l.known() && asBool(l, &lb) && !lb) return Val::boolean_(false);
      if (op == "||" && l.known() && asBool(l, &lb) && lb) return Val::boolean_(true);
      const Val r = eval(*e.b);
      if (l.type == T::Error) return l;
      if (r.type == T::Error) return r;
      if (l.type == T::Unknown || r.type == T::Unknown) return unknownFrom({&l, &r});
      if (op == "==" || op == "!=") {
        bool same = equalVals(l, r);
        double x, y;
        if (!same && l.isScalar() && r.isScalar() && l.type == r.type) same = false;
        if (!same && l.type == T::Number && asNumber(r, &y) && asNumber(l, &x)) same = x == y;
        return Val::boolean_(op == "==" ? same : !same);
      }
      if (op == "&&" || op == "||") {
        bool rb;
        if (!asBool(l, &lb) || !asBool(r, &rb)) return Val::error("`" + op + "` needs bools");
        return Val::boolean_(op == "&&" ? (lb && rb) : (lb || rb));
      }
      double x, y;
      if (!asNumber(l, &x) || !asNumber(r, &y)) return Val::error("`" + op + "` needs numbers");
      if (op == "+") return Val::num(x + y);
      if (op == "-") return Val::num(x - y);
      if (op == "*") return Val::num(x * y);
      if (op == "/") return y == 0 ? Val::error("division by zero") : Val::num(x / y);
      if (op == "%") return y == 0 ? Val::error("division by zero") : Val::num(std::fmod(x, y));
      if (op == "<") return Val::boolean_(x < y);
      if (op == ">") return Val::boolean_(x > y);
      if (op == "<=") return Val::boolean_(x <= y);
      if (op == ">=") return Val::boolean_(x >= y);
      return Val::error("unknown operator");
    }
    case ExprKind::Paren:
      return eval(*e.a);
  }
  return Val::error("unknown expression");
}

// ---------------------------------------------------------------------------
// Functions

namespace detail {

std::string formatString(const std::string& spec, const std::vector<Val>& args, bool* ok) {
  std::string out;
  size_t arg = 1;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != '%') {
      out += spec[i];
      continue;
    }
    if (i + 1 < spec.size() && spec[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t j = i + 1;
    std::string flags;
    while (j < spec.size() &&
           std::string_view("+-# 0123456789.").find(spec[j]) != std::string::npos)
      flags += spec[j++];
    if (j >= spec.size() || arg >= args.size()) {
      *ok = false;
      return {};
    }
    const char verb = spec[j];
    const Val& v = args[arg++];
    std::string s;
    if (verb == 'd' || verb == 'f' || verb == 'g' || verb == 'e') {
      double d;
      if (!asNumber(v, &d)) {
        *ok = false;
        return {};
      }
      char buf[64];
      const std::string f = "%" + flags + (verb == 'd' ? std::string(".0f") : std::string(1, verb));
      std::snprintf(buf, sizeof buf, f.c_str(), d);
      s = buf;
    } else if (verb == 'q') {
      s = "\"" + v.text() + "\"";
    } else if (verb == 's' || verb == 'v' || verb == 't') {
      if (!asString(v, &s)) {
        *ok = false;
        return {};
      }
    } else {
      *ok = false;
      return {};
    }
    out += s;
    i = j;
  }
  return out;
}

}  // namespace detail

Val Evaluator::call(const Expr& e) {
  const std::string& fn = e.text;
  // try / can look at errors, so evaluate lazily.
  if (fn == "try") {
    for (const auto& a : e.items) {
      Val v = eval(*a);
      if (v.type == T::Unknown) return v;
      if (v.type != T::Error) return v;
    }
    return Val::error("no argument of try() could be evaluated");
  }
  if (fn == "can") {
    if (e.items.size() != 1) return Val::error("can() takes one argument");
    const Val v = eval(*e.items[0]);
    if (v.type == T::Unknown) return v;
    return Val::boolean_(v.type != T::Error);
  }
  std::vector<Val> args;
  for (const auto& a : e.items) args.push_back(eval(*a));
  if (e.expandFinal && !args.empty()) {
    Val last = std::move(args.back());
    args.pop_back();
    if (last.type != T::List) return last.known() ? Val::error("... needs a list") : last;
    for (Val& v : last.items) args.push_back(std::move(v));
  }
  for (const Val& a : args)
    if (a.type == T::Error) return a;
  std::vector<std::string> refs;
  for (const Val& a : args) addRefs(refs, a.refs);
  auto unknown = [&] { return Val::unknown(refs); };
  auto allKnown = [&] {
    for (const Val& a : args)
      if (!a.wholly()) return false;
    return true;
  };
  auto result = [&](Val v) {
    addRefs(v.refs, refs);
    return v;
  };
  const size_t n = args.size();

  if (fn == "coalesce") {
    for (const Val& a : args) {
      if (a.type == T::Unknown) return unknown();
      if (a.type == T::Null || (a.type == T::String && a.str.empty())) continue;
      return result(a);
    }
    return Val::error("coalesce(): every argument is null or empty");
  }
  if (fn == "lookup") {
    if (n < 2 || n > 3) return Val::error("lookup() takes two or three arguments");
    if (args[0].type == T::Unknown || args[1].type == T::Unknown) return unknown();
    if (args[0].type != T::Object) return Val::error("lookup() needs a map");
    std::string k;
    if (!asString(args[1], &k)) return Val::error("lookup(): key is not a string");
    auto it = args[0].attrs.find(k);
    if (it != args[0].attrs.end()) return result(it->second);
    if (args[0].open) return unknown();
    if (n == 3) return result(args[2]);
    return Val::error("lookup(): no such key");
  }
  if (!allKnown()) return unknown();

  auto str = [&](size_t i, std::string* out) { return i < n && asString(args[i], out); };
  auto num = [&](size_t i, double* out) { return i < n && asNumber(args[i], out); };
  std::string s, t, u;
  double d = 0, d2 = 0;

  if (fn == "format") {
    if (!str(0, &s)) return Val::error("format(): the format is not a string");
    bool ok = true;
    std::string out = formatString(s, args, &ok);
    if (!ok) return Val::error("format(): the arguments do not fit the format");
    return result(Val::string(std::move(out)));
  }
  if ((fn == "lower" || fn == "upper" || fn == "trimspace" || fn == "tostring") && n == 1) {
    if (fn == "tostring" && args[0].type == T::Null) return args[0];
    if (!str(0, &s)) return Val::error(fn + "(): not a string");
    if (fn == "lower") std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    if (fn == "upper") std::transform(s.begin(), s.end(), s.begin(), ::toupper);
    if (fn == "trimspace") {
      const size_t b = s.find_first_not_of(" \t\r\n");
      s = b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
    }
    return result(Val::string(std::move(s)));
  }
  if ((fn == "startswith" || fn == "endswith") && n == 2) {
    if (!str(0, &s) || !str(1, &t)) return Val::error(fn + "(): not a string");
    return result(Val::boolean_(fn == "startswith" ? s.starts_with(t) : s.ends_with(t)));
  }
  if ((fn == "trimprefix" || fn == "trimsuffix") && n == 2) {
    if (!str(0, &s) || !str(1, &t)) return Val::error(fn + "(): not a string");
    if (fn == "trimprefix" && s.starts_with(t)) s.erase(0, t.size());
    if (fn == "trimsuffix" && s.ends_with(t)) s.erase(s.size() - t.size());
    return result(Val::string(std::move(s)));
  }
  if ((fn == "alltrue" || fn == "anytrue") && n == 1) {
    if (args[0].type != T::List) return Val::error(fn + "(): not a list");
    const bool all = fn == "alltrue";
    bool out = all;
    for (const Val& v : args[0].items) {
      const bool b = (v.type == T::Bool && v.boolean) || (v.type == T::String && v.str == "true");
      out = all ? out && b : out || b;
    }
    return result(Val::boolean_(out));
  }
  if (fn == "one" && n == 1) {
    if (args[0].type != T::List) return Val::error("one(): not a list");
    if (args[0].items.size() > 1) return Val::error("one(): more than one element");
    return result(args[0].items.empty() ? Val() : args[0].items[0]);
  }
  if ((fn == "compact" || fn == "reverse") && n == 1) {
    if (args[0].type != T::List) return Val::error(fn + "(): not a list");
    Val out;
    out.type = T::List;
    for (const Val& v : args[0].items)
      if (fn == "reverse" || !(v.type == T::Null || (v.type == T::String && v.str.empty())))
        out.items.push_back(v);
    if (fn == "reverse") std::reverse(out.items.begin(), out.items.end());
    return result(out);
  }
  if (fn == "index" && n == 2) {
    if (args[0].type != T::List) return Val::error("index(): not a list");
    for (size_t i = 0; i < args[0].items.size(); ++i)
      if (equalVals(args[0].items[i], args[1])) return result(Val::num(static_cast<double>(i)));
    return Val::error("index(): the value is not in the list");
  }
  if (fn == "nonsensitive" && n == 1) return result(args[0]);
  if (fn == "tonumber" && n == 1) {
    if (!num(0, &d)) return Val::error("tonumber(): not a number");
    return result(Val::num(d));
  }
  if (fn == "tobool" && n == 1) {
    bool b;
    if (!asBool(args[0], &b)) return Val::error("tobool(): not a bool");
    return result(Val::boolean_(b));
  }
  if ((fn == "tolist" || fn == "toset" || fn == "tomap") && n == 1) {
    if (fn == "toset" && args[0].type == T::List) {
      return result(distinct(args[0]));
    }
    return result(args[0]);
  }
  if (fn == "join" && n >= 2) {
    if (!str(0, &s)) return Val::error("join(): separator is not a string");
    std::string out;
    bool first = true;
    for (size_t i = 1; i < n; ++i) {
      if (args[i].type != T::List) return Val::error("join(): not a list");
      for (const Val& v : args[i].items) {
        if (!asString(v, &t)) return Val::error("join(): element is not a string");
        if (!first) out += s;
        out += t;
        first = false;
        if (out.size() > limits_.maxString) return Val::error("string longer than the limit");
      }
    }
    return result(Val::string(std::move(out)));
  }
  if (fn == "split" && n == 2) {
    if (!str(0, &s) || !str(1, &t) || s.empty()) return Val::error("split(): invalid arguments");
    Val out;
    out.type = T::List;
    size_t start = 0;
    while (spend()) {
      const size_t at = t.find(s, start);
      out.items.push_back(Val::string(t.substr(start, at - start)));
      if (at == std::string::npos) break;
      start = at + s.size();
    }
    return result(out);
  }
  if (fn == "replace" && n == 3) {
    if (!str(0, &s) || !str(1, &t) || !str(2, &u)) return Val::error("replace(): not strings");
    if (t.size() > 1 && t.front() == '/' && t.back() == '/') {  // a regular expression
      std::string out;
      const int r = regexReplace(s, t.substr(1, t.size() - 2), u, &out, limits_.maxString,
                                 [this] { return spend(); });
      if (r == 0) return unknown();
      if (r < 0) return Val::error("replace(): the result is too long");
      return result(Val::string(std::move(out)));
    }
    if (t.empty()) return result(Val::string(s));
    std::string out;
    size_t start = 0;
    while (spend()) {
      const size_t at = s.find(t, start);
      if (at == std::string::npos) break;
      out += s.substr(start, at - start) + u;
      start = at + t.size();
      if (out.size() > limits_.maxString) return Val::error("string longer than the limit");
    }
    out += s.substr(std::min(start, s.size()));
    return result(Val::string(std::move(out)));
  }
  if (fn == "substr" && n == 3) {
    if (!str(0, &s) || !num(1, &d) || !num(2, &d2)) return Val::error("substr(): invalid");
    if (!(d >= 0 && d <= static_cast<double>(s.size()))) return result(Val::string(""));
    const size_t len = !(d2 >= 0 && d2 < static_cast<double>(s.size())) ? std::string::npos
                                                                        : static_cast<size_t>(d2);
    return result(Val::string(s.substr(static_cast<size_t>(d), len)));
  }
  if (fn == "length" && n == 1) {
    if (args[0].type == T::List) return result(Val::num(static_cast<double>(args[0].items.size())));
    if (args[0].type == T::Object)
      return result(Val::num(static_cast<double>(args[0].attrs.size())));
    if (str(0, &s)) return result(Val::num(static_cast<double>(s.size())));
    return Val::error("length(): invalid argument");
  }
  if (fn == "concat" || fn == "flatten") {
    Val out;
    out.type = T::List;
    std::function<bool(const Val&, bool)> add = [&](const Val& v, bool deep) {
      if (!spend()) return false;
      if (v.type != T::List) {
        out.items.push_back(v);
        return true;
      }
      for (const Val& i : v.items) {
        if (deep && i.type == T::List) {
          if (!add(i, true)) return false;
        } else {
          out.items.push_back(i);
        }
      }
      return true;
    };
    for (const Val& a : args) {
      if (a.type != T::List) return Val::error(fn + "(): not a list");
      if (!add(a, fn == "flatten")) return Val::error("evaluation budget exhausted");
    }
    return result(out);
  }
  if (fn == "merge") {
    Val out;
    out.type = T::Object;
    for (const Val& a : args) {
      if (a.type == T::Null) continue;
      if (a.type != T::Object) return Val::error("merge(): not a map");
      for (const auto& [k, v] : a.attrs) out.attrs[k] = v;
    }
    return result(out);
  }
  if (fn == "element" && n == 2) {
    if (args[0].type != T::List || args[0].items.empty() || !num(1, &d) || !(d >= 0) ||
        !std::isfinite(d))
      return Val::error("element(): invalid");
    const double at = std::fmod(std::floor(d), static_cast<double>(args[0].items.size()));
    return result(args[0].items[static_cast<size_t>(at)]);
  }
  if (fn == "contains" && n == 2) {
    if (args[0].type != T::List) return Val::error("contains(): not a list");
    bool found = false;
    for (const Val& v : args[0].items) found = found || equalVals(v, args[1]);
    return result(Val::boolean_(found));
  }
  if ((fn == "keys" || fn == "values") && n == 1) {
    if (args[0].type != T::Object) return Val::error(fn + "(): not a map");
    Val out;
    out.type = T::List;
    for (const auto& [k, v] : args[0].attrs) out.items.push_back(fn == "keys" ? Val::string(k) : v);
    return result(out);
  }
  if (fn == "distinct" && n == 1) {
    if (args[0].type != T::List) return Val::error("distinct(): not a list");
    return result(distinct(args[0]));
  }
  if (fn == "zipmap" && n == 2) {
    if (args[0].type != T::List || args[1].type != T::List ||
        args[0].items.size() != args[1].items.size())
      return Val::error("zipmap(): invalid");
    Val out;
    out.type = T::Object;
    for (size_t i = 0; i < args[0].items.size(); ++i) {
      if (!asString(args[0].items[i], &s)) return Val::error("zipmap(): key is not a string");
      out.attrs[s] = args[1].items[i];
    }
    return result(out);
  }
  if ((fn == "min" || fn == "max") && n >= 1) {
    double best = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!num(i, &d)) return Val::error(fn + "(): not a number");
      if (i == 0 || (fn == "min" ? d < best : d > best)) best = d;
    }
    return result(Val::num(best));
  }
  if (fn == "cidrsubnet" && n == 3) {
    uint32_t addr;
    int len;
    if (!str(0, &s) || !parseCidr(s, &addr, &len) || !num(1, &d) || !num(2, &d2))
      return unknown();  // IPv6 and the like: not evaluated
    // Range first: converting a number beyond int is undefined (found by the hcl fuzzer).
    if (!(d >= 0 && d <= 32)) return Val::error("cidrsubnet(): the new prefix does not fit");
    const int bits = static_cast<int>(d);
    if (bits < 0 || len + bits > 32 || d2 < 0 || d2 >= std::ldexp(1.0, bits))
      return Val::error("cidrsubnet(): the new prefix does not fit");
    const int newLen = len + bits;
    const uint32_t mask = newLen == 0 ? 0 : ~uint32_t{0} << (32 - newLen);
    const uint32_t base = len == 0 ? 0 : addr & (~uint32_t{0} << (32 - len));
    const uint32_t net =
        newLen == 0 ? 0 : static_cast<uint32_t>(static_cast<uint64_t>(d2) << (32 - newLen));
    return result(Val::string(formatCidr((base | net) & mask, newLen)));
  }
  if (Val out; library(fn, args, &out)) return result(std::move(out));
  // Anything else (timestamp(), uuid()...) is not evaluated.
  return unknown();
}

}  // namespace lbcheck::hcl
