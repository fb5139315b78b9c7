#include "parsers/hcl/tfjson.h"

#include <algorithm>
#include <array>
#include <string>

#include "engine/json.h"

namespace lbcheck::hcl {

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Map-typed arguments: a JSON object under these names is a value, not a
/// nested block (Terraform knows from the provider's schema; lbcheck does not).
bool mapAttribute(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kMaps = {"labels",
                                                             "annotations",
                                                             "default_labels",
                                                             "resource_labels",
                                                             "user_labels",
                                                             "terraform_labels",
                                                             "effective_labels",
                                                             "params",
                                                             "parameters",
                                                             "node_selector",
                                                             "limits",
                                                             "environment_variables",
                                                             "build_environment_variables",
                                                             "tags_all"};
  return std::find(kMaps.begin(), kMaps.end(), name) != kMaps.end();
}

/// How the strings of a value are read.
enum class Strings : uint8_t { Template, Literal, Expression };

/// What kind of body is being read: which arguments are special and whether
/// objects are nested blocks.
enum class BodyKind : uint8_t {
  Resource,  // resource, data, ephemeral: meta-arguments, nested blocks
  Nested,    // a nested block, provider, terraform, check...: nested blocks
  Variable,
  Output,
  Module,
  Locals,
  Lifecycle,
  Dynamic,
};

struct TopBlock {
  std::string_view type;
  size_t labels;
  BodyKind kind;
};

constexpr TopBlock kTopBlocks[] = {
    {"resource", 2, BodyKind::Resource},  {"data", 2, BodyKind::Resource},
    {"ephemeral", 2, BodyKind::Resource}, {"variable", 1, BodyKind::Variable},
    {"output", 1, BodyKind::Output},      {"module", 1, BodyKind::Module},
    {"provider", 1, BodyKind::Nested},    {"check", 1, BodyKind::Nested},
    {"locals", 0, BodyKind::Locals},      {"terraform", 0, BodyKind::Nested},
    {"moved", 0, BodyKind::Nested},       {"import", 0, BodyKind::Nested},
    {"removed", 0, BodyKind::Nested},
};

class Lowerer {
 public:
  Lowerer(const SourceFile& file, const json::Document& doc, const Limits& limits)
      : file_(file), doc_(doc), limits_(limits) {}

  bool failed() const { return failed_; }
  const SyntaxError& error() const { return error_; }

  void topLevel(json::Value root, Body& out) {
    if (!root.isObject()) {
      fail(root.span(), "a Terraform JSON file holds one object (`resource`, `variable`...)");
      return;
    }
    members(root, [&](std::string_view key, Span keySpan, json::Value v) {
      if (key == "//") return;
      const TopBlock* top = nullptr;
      for (const TopBlock& t : kTopBlocks)
        if (t.type == key) top = &t;
      if (!top) {
        fail(keySpan, "unexpected top-level property `" + std::string(key) +
                          "` (a Terraform JSON file holds resource, data, variable, output, "
                          "locals, module, provider and terraform)");
        return;
      }
      Block proto;
      proto.type = std::string(key);
      proto.typeSpan = keySpan;
      labelled(proto, keySpan, v, top->labels, top->kind, out);
    });
  }

  void varFile(json::Value root, Body& out) {
    if (!root.isObject()) {
      fail(root.span(), "a .tfvars.json file holds one object of variable values");
      return;
    }
    members(root, [&](std::string_view key, Span keySpan, json::Value v) {
      if (key == "//") return;
      attribute(key, keySpan, value(v, Strings::Literal), out);
    });
  }

 private:
  // ---- helpers
  void fail(Span span, std::string message) {
    if (failed_) return;
    failed_ = true;
    error_.span = span.valid() ? span : Span{file_.id(), 0, 0};
    error_.message = std::move(message);
  }

  /// Object members in order with their key spans.
  template <typename F>
  void members(json::Value obj, F&& f) {
    const json::Node& n = doc_.node(obj.index());
    for (uint32_t i = 0; i < n.count && !failed_; ++i) {
      const json::Member& m = doc_.member(n.first + i);
      f(doc_.key(m), doc_.keySpan(m), json::Value(&doc_, m.value));
    }
  }

  static std::string describe(json::Value v) {
    switch (v.type()) {
      case json::Type::Null:
        return "null";
      case json::Type::Bool:
        return "a boolean";
      case json::Type::Number:
        return "a number";
      case json::Type::String:
        return "a string";
      case json::Type::Array:
        return "an array";
      case json::Type::Object:
        return "an object";
    }
    return "a value";
  }

  /// `{` of an object or array (where an element without a key is pointed at).
  Span opening(json::Value v) const {
    const Span s = v.span();
    return Span{s.file, s.begin, s.begin + 1};
  }

  // ---- blocks
  /// Reads `remaining` label levels of a block, then its body(ies).
  void labelled(Block& proto, Span lastKey, json::Value v, size_t remaining, BodyKind kind,
                Body& out) {
    if (failed_) return;
    if (v.isArray()) {
      v.forEachElement([&](size_t, json::Value e) {
        if (failed_) return;
        if (!e.isObject()) {
          fail(e.span(), "expected an object in `" + proto.type + "`, found " + describe(e));
          return;
        }
        labelled(proto, remaining == 0 ? opening(e) : lastKey, e, remaining, kind, out);
      });
      return;
    }
    if (!v.isObject()) {
      fail(v.span(), "expected an object for `" + proto.type + "`, found " + describe(v));
      return;
    }
    if (remaining == 0) {
      Block b;
      b.type = proto.type;
      b.labels = proto.labels;
      b.typeSpan = proto.typeSpan;
      b.header = lastKey;
      b.span = Span{file_.id(), std::min(lastKey.begin, v.span().begin), v.span().end};
      body(v, b.body, kind);
      out.blocks.push_back(std::move(b));
      return;
    }
    members(v, [&](std::string_view key, Span keySpan, json::Value inner) {
      if (key == "//") return;
      proto.labels.emplace_back(key);
      labelled(proto, keySpan, inner, remaining - 1, kind, out);
      proto.labels.pop_back();
    });
  }

  /// A nested block (no labels) under `key`: an object or an array of objects.
  void nested(std::string_view key, Span keySpan, json::Value v, BodyKind kind, Body& out) {
    Block proto;
    proto.type = std::string(key);
    proto.typeSpan = keySpan;
    labelled(proto, keySpan, v, 0, kind, out);
  }

  static bool blockValue(json::Value v) {
    if (v.isObject()) return true;
    if (!v.isArray() || v.size() == 0) return false;
    bool all = true;
    v.forEachElement([&](size_t, json::Value e) { all = all && e.isObject(); });
    return all;
  }

  void attribute(std::string_view key, Span keySpan, ExprPtr value, Body& out) {
    if (failed_ || !value) return;
    for (const Attribute& other : out.attributes) {
      if (other.name == key) {
        fail(keySpan, "attribute `" + std::string(key) + "` is defined twice (first at line " +
                          std::to_string(file_.locate(other.nameSpan.begin).line) + ")");
        return;
      }
    }
    Attribute a;
    a.name = std::string(key);
    a.nameSpan = keySpan;
    a.span = Span{file_.id(), keySpan.begin, value->span.end};
    a.value = std::move(value);
    out.attributes.push_back(std::move(a));
  }

  void body(json::Value obj, Body& out, BodyKind kind) {
    members(obj, [&](std::string_view key, Span keySpan, json::Value v) {
      if (key == "//") return;
      const bool blocks =
          kind == BodyKind::Resource || kind == BodyKind::Nested || kind == BodyKind::Lifecycle;
      // Meta-arguments and arguments that are not templates.
      if ((key == "depends_on" && kind != BodyKind::Locals) ||
          (kind == BodyKind::Lifecycle &&
           (key == "ignore_changes" || key == "replace_triggered_by")) ||
          (kind == BodyKind::Resource && key == "provider") ||
          (kind == BodyKind::Dynamic && key == "iterator") ||
          (kind == BodyKind::Variable && key == "type")) {
        attribute(key, keySpan, value(v, Strings::Expression), out);
        return;
      }
      if ((kind == BodyKind::Variable && key != "validation") ||
          (kind == BodyKind::Module &&
           (key == "source" || key == "version" || key == "providers"))) {
        attribute(key, keySpan, value(v, Strings::Literal), out);
        return;
      }
      if (kind == BodyKind::Resource && key == "lifecycle") {
        nested(key, keySpan, v, BodyKind::Lifecycle, out);
        return;
      }
      if ((kind == BodyKind::Variable && key == "validation") ||
          ((kind == BodyKind::Resource || kind == BodyKind::Output ||
            kind == BodyKind::Lifecycle) &&
           (key == "precondition" || key == "postcondition"))) {
        nested(key, keySpan, v, BodyKind::Nested, out);
        return;
      }
      if (kind == BodyKind::Dynamic) {
        if (key == "content")
          nested(key, keySpan, v, BodyKind::Nested, out);
        else
          attribute(key, keySpan, value(v, Strings::Template), out);
        return;
      }
      if ((kind == BodyKind::Resource || kind == BodyKind::Nested) && key == "dynamic") {
        Block proto;
        proto.type = "dynamic";
        proto.typeSpan = keySpan;
        labelled(proto, keySpan, v, 1, BodyKind::Dynamic, out);
        return;
      }
      if (blocks && blockValue(v) && !mapAttribute(key)) {
        nested(key, keySpan, v, BodyKind::Nested, out);
        return;
      }
      attribute(key, keySpan, value(v, Strings::Template), out);
    });
  }

  // ---- values
  ExprPtr make(ExprKind k, Span span) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->span = span;
    return e;
  }

  ExprPtr value(json::Value v, Strings strings) {
    const Span span = v.span();
    switch (v.type()) {
      case json::Type::Null:
        return make(ExprKind::Null, span);
      case json::Type::Bool: {
        auto e = make(ExprKind::Bool, span);
        e->boolean = v.boolean();
        return e;
      }
      case json::Type::Number: {
        auto e = make(ExprKind::Number, span);
        e->number = v.number();
        e->text = std::string(v.rawText());
        return e;
      }
      case json::Type::String:
        return string(v, strings);
      case json::Type::Array: {
        auto e = make(ExprKind::Tuple, span);
        v.forEachElement([&](size_t, json::Value item) {
          if (failed_) return;
          if (ExprPtr x = value(item, strings)) e->items.push_back(std::move(x));
        });
        return failed_ ? nullptr : std::move(e);
      }
      case json::Type::Object: {
        auto e = make(ExprKind::Object, span);
        members(v, [&](std::string_view key, Span keySpan, json::Value item) {
          ExprPtr k = make(ExprKind::String, keySpan);
          k->text = std::string(key);
          ExprPtr x = value(item, strings);
          if (!x) return;
          e->items.push_back(std::move(k));
          e->items.push_back(std::move(x));
        });
        return failed_ ? nullptr : std::move(e);
      }
    }
    return make(ExprKind::Null, span);
  }

  /// Moves every span of `e` to `span` (a string whose escapes shifted offsets).
  static void respan(Expr& e, Span span) {
    e.span = span;
    for (ExprPtr& i : e.items)
      if (i) respan(*i, span);
    for (ExprPtr* c : {&e.a, &e.b, &e.c, &e.d})
      if (*c) respan(**c, span);
  }

  ExprPtr string(json::Value v, Strings strings) {
    const Span span = v.span();
    std::string_view text = v.str();
    if (strings == Strings::Literal) {
      auto e = make(ExprKind::String, span);
      e->text = std::string(text);
      return e;
    }
    // The bytes between the quotes.
    const uint32_t from = span.begin + 1;
    const uint32_t to = span.end > from ? span.end - 1 : from;
    const std::string_view raw = file_.text().substr(from, to - from);
    const bool escaped = raw.find('\\') != std::string_view::npos;
    if (strings == Strings::Template && text.find("${") == std::string_view::npos &&
        text.find("%{") == std::string_view::npos) {
      auto e = make(ExprKind::String, span);
      e->text = std::string(text);
      return e;
    }
    SyntaxError err;
    ExprPtr e;
    if (!escaped) {
      uint32_t b = from, en = to;
      if (strings == Strings::Expression && raw.size() > 3 && raw.substr(0, 2) == "${" &&
          raw.back() == '}') {
        b += 2;  // "${aws_instance.a}", the old way to write a reference
        en -= 1;
      }
      e = strings == Strings::Template ? parseTemplateRange(file_, from, to, limits_, &err)
                                       : parseExpressionRange(file_, b, en, limits_, &err);
      if (!e) {
        fail(err.span, err.message);
        return nullptr;
      }
      if (strings == Strings::Template || e->kind == ExprKind::String) e->span = span;
      return e;
    }
    // Escapes shift offsets: parse the unescaped text, point everything at the string.
    std::string unescaped(text);
    if (strings == Strings::Expression && unescaped.size() > 3 && unescaped.rfind("${", 0) == 0 &&
        unescaped.back() == '}')
      unescaped = unescaped.substr(2, unescaped.size() - 3);
    const SourceFile copy(file_.id(), file_.path(), std::move(unescaped));
    const auto size = static_cast<uint32_t>(copy.text().size());
    e = strings == Strings::Template ? parseTemplateRange(copy, 0, size, limits_, &err)
                                     : parseExpressionRange(copy, 0, size, limits_, &err);
    if (!e) {
      fail(span, err.message);
      return nullptr;
    }
    respan(*e, span);
    return e;
  }

  const SourceFile& file_;
  const json::Document& doc_;
  const Limits& limits_;
  bool failed_ = false;
  SyntaxError error_;
};

std::unique_ptr<File> parseWith(const SourceFile& file, const Limits& limits, SyntaxError* error,
                                bool vars) {
  json::Limits jl;
  jl.maxDepth = std::max<size_t>(limits.maxDepth, 64);
  json::ParseError perr;
  auto doc = json::parse(file, jl, &perr);
  if (!doc) {
    error->span = Span{file.id(), perr.offset, perr.offset + 1};
    error->message = perr.message;
    return nullptr;
  }
  auto out = std::make_unique<File>();
  out->source = &file;
  Lowerer l(file, *doc, limits);
  if (vars)
    l.varFile(doc->root(), out->body);
  else
    l.topLevel(doc->root(), out->body);
  if (l.failed()) {
    *error = l.error();
    return nullptr;
  }
  return out;
}

}  // namespace

bool isTfJsonName(std::string_view fileName) {
  return endsWith(fileName, ".tf.json") || endsWith(fileName, ".tofu.json");
}
bool isTfvarsJsonName(std::string_view fileName) { return endsWith(fileName, ".tfvars.json"); }

std::unique_ptr<File> parseJsonFile(const SourceFile& file, const Limits& limits,
                                    SyntaxError* error) {
  return parseWith(file, limits, error, false);
}

std::unique_ptr<File> parseJsonVarFile(const SourceFile& file, const Limits& limits,
                                       SyntaxError* error) {
  return parseWith(file, limits, error, true);
}

}  // namespace lbcheck::hcl
