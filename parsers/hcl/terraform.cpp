#include "parsers/hcl/terraform.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "engine/diagnostics.h"
#include "engine/json.h"
#include "engine/link.h"
#include "engine/spelling.h"
#include "engine/vocabulary.h"
#include "parsers/common/lower.h"
#include "parsers/hcl/eval.h"
#include "parsers/hcl/tfjson.h"
#include "parsers/schema/google.h"

namespace lbcheck::hcl {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTerraform = "Terraform (google provider)";
constexpr size_t kMaxInstances = 1000;
constexpr int kMaxModuleDepth = 16;

std::string canonicalDir(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).generic_string();
}

/// A directory as messages show it: relative to the working directory.
std::string shownDir(const std::string& dir) {
  std::error_code ec;
  const fs::path rel = fs::relative(dir, fs::current_path(ec), ec);
  return ec || rel.empty() ? dir : rel.generic_string();
}

bool localSource(std::string_view s) { return s.rfind("./", 0) == 0 || s.rfind("../", 0) == 0; }

/// The blocks of one module (every file of its directory).
struct ModuleDef {
  std::string dir;
  std::map<std::string, const Block*> variables, outputs, calls, resources, data;
  std::map<std::string, const Attribute*> locals;
  std::vector<std::string> resourceOrder;
  const Block* provider = nullptr;  // the default google provider
};

/// Indexes a module's blocks. Terraform rejects a module that declares a
/// resource, data source or module call twice ("Duplicate resource ...
/// configuration"): the first declaration is kept, and each later one becomes an
/// LBC001 error in `duplicates` (when given) pointing at the first.
ModuleDef index(const std::string& dir, const std::vector<const Project::ParsedFile*>& files,
                std::vector<Finding>* duplicates = nullptr) {
  ModuleDef d;
  d.dir = dir;
  std::map<std::string, std::pair<const Block*, const SourceFile*>> firstSeen;
  // True when `b` is the first block of its kind and address in the module.
  auto first = [&](const std::string& what, const std::string& addr, const Block& b,
                   const SourceFile* file) {
    const std::string key = what + " " + addr;
    auto [it, inserted] = firstSeen.try_emplace(key, &b, file);
    if (inserted) return true;
    if (duplicates) {
      const auto& [firstBlock, firstFile] = it->second;
      const std::string where =
          firstFile ? firstFile->path() + ":" +
                          std::to_string(firstFile->locate(firstBlock->header.begin).line)
                    : std::string("another file");
      Finding f = makeDiagnostic(
          diag::kSyntax, Severity::Error, b.header,
          "duplicate " + what + " `" + addr + "`: it is already declared at " + where +
              "; Terraform rejects a module that declares an address twice, and lbcheck "
              "checks only the first declaration",
          "remove or rename one of the two declarations (files of one directory form one "
          "module)");
      f.related.push_back({firstBlock->header, "the first declaration of `" + addr + "`"});
      duplicates->push_back(std::move(f));
    }
    return false;
  };
  for (const auto* pf : files) {
    for (const Block& b : pf->file->body.blocks) {
      const size_t n = b.labels.size();
      if (b.type == "variable" && n == 1) d.variables[b.labels[0]] = &b;
      if (b.type == "output" && n == 1) d.outputs[b.labels[0]] = &b;
      if (b.type == "module" && n == 1 &&
          first("module call", "module." + b.labels[0], b, pf->source))
        d.calls[b.labels[0]] = &b;
      if (b.type == "resource" && n == 2) {
        const std::string key = b.labels[0] + "." + b.labels[1];
        if (first("resource", key, b, pf->source)) {
          d.resourceOrder.push_back(key);
          d.resources[key] = &b;
        }
      }
      if (b.type == "data" && n == 2) {
        const std::string key = b.labels[0] + "." + b.labels[1];
        if (first("data source", "data." + key, b, pf->source)) d.data[key] = &b;
      }
      if (b.type == "locals")
        for (const Attribute& a : b.body.attributes) d.locals[a.name] = &a;
      if (b.type == "provider" && n == 1 && b.labels[0] == "google" && !b.body.attribute("alias"))
        d.provider = &b;
    }
  }
  return d;
}

/// A configuration file of a module: `.tf`, `.tf.json`, and OpenTofu's `.tofu`
/// and `.tofu.json`.
bool isConfigName(std::string_view n) {
  return (n.size() > 3 && n.substr(n.size() - 3) == ".tf") ||
         (n.size() > 5 && n.substr(n.size() - 5) == ".tofu") || isTfJsonName(n);
}

/// The OpenTofu file that replaces `name` in its directory (`x.tf` -> `x.tofu`,
/// `x.tf.json` -> `x.tofu.json`); "" for a name no file replaces.
std::string tofuReplacement(std::string_view n) {
  if (n.size() > 3 && n.substr(n.size() - 3) == ".tf")
    return std::string(n.substr(0, n.size() - 3)) + ".tofu";
  if (n.size() > 8 && n.substr(n.size() - 8) == ".tf.json")
    return std::string(n.substr(0, n.size() - 8)) + ".tofu.json";
  return "";
}

/// True when every .tf and .tf.json file of the module's directory was parsed:
/// only then does a name the files do not declare not exist. A module given as
/// some of its files (`lbcheck main.tf`) may declare it in another one.
bool wholeModule(const std::string& dir, const std::vector<const Project::ParsedFile*>& files) {
  std::set<std::string> parsed;
  for (const auto* pf : files)
    if (pf->dir == dir) parsed.insert(pf->name);
  std::error_code ec;
  size_t onDisk = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (!isConfigName(n)) continue;
    // OpenTofu reads x.tofu instead of x.tf.
    std::error_code e2;
    if (const std::string tofu = tofuReplacement(n);
        !tofu.empty() && fs::exists(fs::path(dir) / tofu, e2))
      continue;
    if (!parsed.count(n)) return false;
    ++onDisk;
  }
  return !ec && onDisk > 0;
}

/// Terraform rejects a module whose expressions reference a resource, data
/// source or module call it does not declare ("Reference to undeclared
/// resource"), before it plans anything. Each such reference becomes an LBC001
/// error at the reference, suggesting the declared address closest in spelling.
class UndeclaredReferences {
 public:
  UndeclaredReferences(const ModuleDef& d, std::vector<Finding>& out) : d_(d), out_(out) {}

  void file(const File& f) {
    for (const Block& b : f.body.blocks) {
      // variable, terraform, moved, import, removed and check blocks name no
      // resource of this module that must exist (a check's scoped data sources
      // are its own).
      if (b.type == "resource" || b.type == "data" || b.type == "module" || b.type == "output" ||
          b.type == "locals" || b.type == "provider")
        body(b.body);
    }
  }

 private:
  void body(const Body& b) {
    for (const Attribute& a : b.attributes) expr(a.value.get());
    for (const Block& blk : b.blocks) {
      if (blk.type == "lifecycle") {
        // ignore_changes lists the resource's own attribute paths.
        for (const Attribute& a : blk.body.attributes)
          if (a.name != "ignore_changes") expr(a.value.get());
        for (const Block& c : blk.body.blocks) body(c.body);
        continue;
      }
      if (blk.type == "dynamic" && blk.labels.size() == 1) {
        std::string iterator = blk.labels[0];
        if (const Attribute* it = blk.body.attribute("iterator");
            it && it->value->kind == ExprKind::Variable)
          iterator = it->value->text;
        if (const Attribute* fe = blk.body.attribute("for_each")) expr(fe->value.get());
        bound_.push_back(iterator);
        for (const Attribute& a : blk.body.attributes)
          if (a.name != "for_each" && a.name != "iterator") expr(a.value.get());
        for (const Block& c : blk.body.blocks) body(c.body);
        bound_.pop_back();
        continue;
      }
      body(blk.body);
    }
  }

  bool isBound(const std::string& name) const {
    return std::find(bound_.begin(), bound_.end(), name) != bound_.end();
  }

  void expr(const Expr* e, int depth = 0) {
    if (!e || depth > 256) return;
    if (e->kind == ExprKind::For || e->kind == ExprKind::TemplateFor) {
      expr(e->a.get(), depth + 1);
      bound_.push_back(e->text2);
      if (!e->text.empty()) bound_.push_back(e->text);
      expr(e->b.get(), depth + 1);
      expr(e->c.get(), depth + 1);
      expr(e->d.get(), depth + 1);
      bound_.resize(bound_.size() - (e->text.empty() ? 1 : 2));
      for (const ExprPtr& i : e->items) expr(i.get(), depth + 1);
      return;
    }
    if (e->kind == ExprKind::GetAttr && e->a) check(*e);
    expr(e->a.get(), depth + 1);
    expr(e->b.get(), depth + 1);
    expr(e->c.get(), depth + 1);
    expr(e->d.get(), depth + 1);
    for (const ExprPtr& i : e->items) expr(i.get(), depth + 1);
  }

  /// `type.name`, `data.type.name` or `module.name` at `e`.
  void check(const Expr& e) {
    const Expr& a = *e.a;
    if (a.kind == ExprKind::Variable) {
      const std::string& root = a.text;
      if (isBound(root)) return;
      if (root == "module") {
        if (!d_.calls.count(e.text)) report(e, "module call", "module." + e.text, d_.calls, "");
        return;
      }
      static const std::set<std::string> kNotResources = {"var",       "local", "data", "path",
                                                          "terraform", "count", "each", "self"};
      if (kNotResources.count(root) || root.find('_') == std::string::npos) return;
      const std::string addr = root + "." + e.text;
      if (!d_.resources.count(addr)) report(e, "resource", addr, d_.resources, root);
      return;
    }
    if (a.kind == ExprKind::GetAttr && a.a && a.a->kind == ExprKind::Variable &&
        a.a->text == "data" && !isBound("data")) {
      const std::string key = a.text + "." + e.text;
      if (!d_.data.count(key)) report(e, "data source", "data." + key, d_.data, a.text);
    }
  }

  /// The declared key closest to `wanted`: of the same type when there is one
  /// (`type` non-empty), else any within a few edits.
  template <typename Map>
  const typename Map::value_type* closest(const Map& declared, const std::string& wanted,
                                          const std::string& type) const {
    const typename Map::value_type* best = nullptr;
    size_t bestDistance = 0;
    auto consider = [&](bool sameTypeOnly) {
      for (const auto& entry : declared) {
        const std::string& key = entry.first;
        if (sameTypeOnly && key.compare(0, type.size() + 1, type + ".") != 0) continue;
        const size_t dist = editDistance(key, wanted);
        if (!best || dist < bestDistance) {
          best = &entry;
          bestDistance = dist;
        }
      }
    };
    if (!type.empty()) consider(true);
    if (best) return best;
    consider(false);
    if (best && bestDistance > std::max<size_t>(2, wanted.size() / 3)) return nullptr;
    return best;
  }

  template <typename Map>
  void report(const Expr& at, const std::string& what, const std::string& address,
              const Map& declared, const std::string& type) {
    // The keys of `declared` drop the prefix of the address (`data.`, `module.`).
    const std::string prefix = what == "data source"   ? "data."
                               : what == "module call" ? "module."
                                                       : "";
    const auto* suggestion = closest(declared, address.substr(prefix.size()), type);
    std::string message = "reference to undeclared " + what + " `" + address +
                          "`: no block of this module declares it, so Terraform rejects the "
                          "configuration before planning";
    std::string help;
    if (suggestion) {
      const std::string s = prefix + suggestion->first;
      message += "; did you mean `" + s + "`?";
      help = "write `" + s + "`, or declare the " + what + " `" + address + "`";
    } else {
      help = "declare the " + what + " `" + address + "` in this module, or correct the address";
    }
    Finding f = makeDiagnostic(diag::kSyntax, Severity::Error, at.span, message, help);
    if (suggestion) {
      const Span header = headerOf(*suggestion);
      if (header.valid())
        f.related.push_back({header, "`" + prefix + suggestion->first + "` is declared here"});
    }
    out_.push_back(std::move(f));
  }

  static Span headerOf(const std::pair<const std::string, const Block*>& e) {
    return e.second ? e.second->header : Span{};
  }

  const ModuleDef& d_;
  std::vector<Finding>& out_;
  std::vector<std::string> bound_;  // for-expression and dynamic-block iterator names
};

/// index(), and the first time a module is indexed (`diagnostics` given) its
/// duplicate declarations and undeclared references as LBC001 errors.
ModuleDef indexAndCheck(const std::string& dir,
                        const std::vector<const Project::ParsedFile*>& files,
                        std::vector<Finding>* diagnostics) {
  ModuleDef d = index(dir, files, diagnostics);
  if (diagnostics && wholeModule(dir, files)) {
    UndeclaredReferences scan(d, *diagnostics);
    for (const auto* pf : files) scan.file(*pf->file);
  }
  return d;
}

/// One count/for_each instance.
struct InstanceKey {
  std::string text;  // "", "[0]", "[\"a\"]", "[*]" (unknown)
  bool hasCount = false, hasEach = false;
  Val count, eachKey, eachValue;
};

std::string quoteKey(const std::string& k) {
  std::string out = "[\"";
  for (char c : k) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"]";
}

/// Rewrites spans of values written elsewhere (a variable's default, a
/// .tfvars file) to the expression that uses them, so findings point at the
/// attribute; values written inside the expression keep their own spans.
/// Values read from a data file (`yamldecode(file(...))`) keep their places in
/// it (`files`: the files file() read).
void pointAt(Val& v, Span expr, const FileAccess* files, int depth = 0) {
  // A value decoded from a data file keeps its place; the raw text of a whole
  // file (`content = file("cert.pem")`) points at the expression that reads it.
  const SourceFile* data = v.span.valid() && files ? files->registered(v.span.file) : nullptr;
  const bool inDataFile = data && !(v.span.begin == 0 && v.span.end == data->size());
  if (!inDataFile && (!v.span.valid() || v.span.file != expr.file || v.span.begin < expr.begin ||
                      v.span.end > expr.end)) {
    if (v.span.valid() && !v.origin.valid()) v.origin = v.span;
    v.span = expr;
  }
  if (depth > 32) return;
  for (Val& i : v.items) pointAt(i, expr, files, depth + 1);
  for (auto& [k, a] : v.attrs) pointAt(a, expr, files, depth + 1);
}

class ModuleInstance;

/// Names inside a resource or module-call instance: each, count, dynamic
/// iterators; everything else is the module's.
class InstanceScope : public Environment {
 public:
  InstanceScope(Environment& outer, const InstanceKey* key) : outer_(outer), key_(key) {}
  void bind(std::string name, Val key, Val value) {
    Val it;
    it.type = Val::Type::Object;
    it.attrs["key"] = std::move(key);
    it.attrs["value"] = std::move(value);
    iterators_.push_back({std::move(name), std::move(it)});
  }
  void unbind() { iterators_.pop_back(); }
  Val get(const std::string& root, const std::string& attr, const Expr& at) override {
    for (auto it = iterators_.rbegin(); it != iterators_.rend(); ++it) {
      if (it->first != root) continue;
      if (attr.empty()) return it->second;
      auto a = it->second.attrs.find(attr);
      return a == it->second.attrs.end() ? Val::error("no such iterator attribute") : a->second;
    }
    if (key_ && root == "each" && key_->hasEach) {
      if (attr == "key") return key_->eachKey;
      if (attr == "value") return key_->eachValue;
    }
    if (key_ && root == "count" && key_->hasCount && attr == "index") return key_->count;
    if (root == "self") return Val::unknown();
    return outer_.get(root, attr, at);
  }

 private:
  Environment& outer_;
  const InstanceKey* key_;
  std::vector<std::pair<std::string, Val>> iterators_;
};

class ModuleInstance : public Environment {
 public:
  ModuleInstance(
      Project& project, ModuleDef def, std::string prefix, std::string key, ModuleInstance* parent,
      std::map<std::string, Val> inputs, int depth, Project::Root& root,
      std::vector<Finding>& diags,
      std::function<const std::vector<const Project::ParsedFile*>&(const std::string&)> loader,
      FileAccess* files)
      : project_(project),
        def_(std::move(def)),
        prefix_(std::move(prefix)),
        key_(std::move(key)),
        parent_(parent),
        inputs_(std::move(inputs)),
        depth_(depth),
        root_(root),
        diags_(diags),
        loader_(std::move(loader)),
        files_(files) {}

  Val get(const std::string& root, const std::string& attr, const Expr& at) override;
  void lowerAll();

 private:
  Val evalIn(Environment& scope, const Expr& e) {
    Evaluator ev(scope, EvalLimits{}, files_);
    return ev.eval(e);
  }
  Val eval(const Expr& e) { return evalIn(*this, e); }
  std::vector<InstanceKey> expand(const Body& body, Environment& scope);
  Val resourceValue(const std::string& addr);
  Val convertTo(Val v, const Expr& type, int depth);
  /// A variable whose `validation` condition is false: what `terraform plan` rejects.
  void checkValidations();
  Val instanceObject(const Block& b, const InstanceKey& key, const std::string& address);
  Val evalBody(const Body& body, InstanceScope& scope, int depth);
  struct Child {
    InstanceKey key;
    std::unique_ptr<ModuleInstance> instance;
  };
  std::vector<Child>* children(const std::string& name);
  Val providerValue(const char* attr);
  void lowerResource(const std::string& addr, const Block& b);
  std::vector<lower::IamBinding> policyBindings(const Block& b, InstanceScope& scope,
                                                const Resource& r);
  void lowerInstance(const Block& b, const InstanceKey& key, const std::string& address);

  Project& project_;
  ModuleDef def_;
  std::string prefix_;
  std::string key_;  // the module call path: "" for the root, "lb", "lb.negs"
  // In a module `terraform init` installed: the call in the user's own
  // configuration that brings it in (a nested module's is its ancestor's).
  Span installedCall_;
  ModuleInstance* parent_;
  std::map<std::string, Val> inputs_;
  int depth_;
  Project::Root& root_;
  std::vector<Finding>& diags_;
  std::function<const std::vector<const Project::ParsedFile*>&(const std::string&)> loader_;
  FileAccess* files_;  // what file() and the other file functions read
  std::map<std::string, Val> localMemo_, resourceMemo_, varMemo_;
  std::set<std::string> busy_;
  std::map<std::string, std::vector<Child>> children_;
  std::set<std::string> creating_;
};

Val ModuleInstance::get(const std::string& root, const std::string& attr, const Expr& at) {
  if (root == "var") {
    if (auto it = varMemo_.find(attr); it != varMemo_.end()) return it->second;
    auto v = def_.variables.find(attr);
    if (v == def_.variables.end()) {
      if (auto it = inputs_.find(attr); it != inputs_.end()) return it->second;
      return Val::error("no variable `" + attr + "`");
    }
    const std::string key = "var." + attr;
    if (busy_.count(key)) return Val::unknown();
    busy_.insert(key);
    Val out = Val::unknown();
    const Attribute* d = v->second->body.attribute("default");
    if (auto it = inputs_.find(attr); it != inputs_.end())
      out = it->second;
    else if (d)
      out = eval(*d->value);
    // `nullable = false`: a null passed in takes the default (Terraform 1.1+).
    if (out.type == Val::Type::Null && d && inputs_.count(attr))
      if (const Attribute* nullable = v->second->body.attribute("nullable")) {
        const Val no = eval(*nullable->value);
        if (no.type == Val::Type::Bool && !no.boolean) out = eval(*d->value);
      }
    // The value as Terraform gives it to the module: converted to the declared
    // type, optional() attributes filled in with their defaults (or null).
    if (const Attribute* type = v->second->body.attribute("type"))
      out = convertTo(std::move(out), *type->value, 0);
    busy_.erase(key);
    varMemo_[attr] = out;
    return out;
  }
  if (root == "local") {
    if (auto it = localMemo_.find(attr); it != localMemo_.end()) return it->second;
    auto l = def_.locals.find(attr);
    if (l == def_.locals.end()) return Val::error("no local `" + attr + "`");
    const std::string key = "local." + attr;
    if (busy_.count(key)) return Val::unknown();
    busy_.insert(key);
    Val out = eval(*l->second->value);
    busy_.erase(key);
    localMemo_[attr] = out;
    return out;
  }
  if (root == "module") {
    std::vector<Child>* kids = children(attr);
    if (!kids) return Val::unknown();
    auto outputsOf = [&](ModuleInstance& m) {
      Val o;
      o.type = Val::Type::Object;
      for (const auto& [name, b] : m.def_.outputs)
        if (const Attribute* v = b->body.attribute("value")) o.attrs[name] = m.eval(*v->value);
      return o;
    };
    const Block* call = def_.calls[attr];
    if (kids->size() == 1 && kids->front().key.text.empty())
      return outputsOf(*kids->front().instance);
    if (kids->size() == 1 && kids->front().key.text == "[*]") return Val::unknown();
    Val out;
    out.type = call->body.attribute("for_each") ? Val::Type::Object : Val::Type::List;
    for (Child& c : *kids) {
      if (out.type == Val::Type::List)
        out.items.push_back(outputsOf(*c.instance));
      else
        out.attrs[c.key.eachKey.text()] = outputsOf(*c.instance);
    }
    return out;
  }
  if (root == "path") {
    if (attr == "module") return Val::string(def_.dir);
    return Val::string(".");
  }
  if (root == "terraform" && attr == "workspace") return Val::string("default");
  if (root == "data" || root == "each" || root == "count" || root == "self") return Val::unknown();
  if (root.find('_') != std::string::npos) {
    const std::string addr = root + "." + attr;
    if (def_.resources.count(addr)) return resourceValue(addr);
    if (attr.empty()) return Val::error("a resource type without a name");
    return Val::error("no resource `" + addr + "`");
  }
  (void)at;
  return Val::error("unknown name `" + root + "`");
}

std::vector<InstanceKey> ModuleInstance::expand(const Body& body, Environment& scope) {
  std::vector<InstanceKey> keys;
  InstanceKey symbolic;
  symbolic.text = "[*]";
  symbolic.count = symbolic.eachKey = symbolic.eachValue = Val::unknown();
  if (const Attribute* c = body.attribute("count")) {
    symbolic.hasCount = true;
    const Val n = evalIn(scope, *c->value);
    if (n.type != Val::Type::Number || n.number < 0) return {symbolic};
    const size_t count = std::min(static_cast<size_t>(n.number), kMaxInstances);
    for (size_t i = 0; i < count; ++i) {
      InstanceKey k;
      k.text = "[" + std::to_string(i) + "]";
      k.hasCount = true;
      k.count = Val::num(static_cast<double>(i));
      keys.push_back(std::move(k));
    }
    return keys;
  }
  if (const Attribute* f = body.attribute("for_each")) {
    symbolic.hasEach = true;
    const Val v = evalIn(scope, *f->value);
    auto add = [&](const std::string& key, const Val& value) {
      if (keys.size() >= kMaxInstances) return;
      InstanceKey k;
      k.text = quoteKey(key);
      k.hasEach = true;
      k.eachKey = Val::string(key);
      k.eachValue = value;
      keys.push_back(std::move(k));
    };
    if (v.type == Val::Type::Object && !v.open) {
      for (const auto& [key, value] : v.attrs) add(key, value);
    } else if (v.type == Val::Type::List) {
      for (const Val& e : v.items) {
        if (e.type != Val::Type::String) return {symbolic};
        add(e.str, e);
      }
    } else {
      return {symbolic};
    }
    return keys;
  }
  keys.emplace_back();
  return keys;
}

Val ModuleInstance::instanceObject(const Block& b, const InstanceKey& key,
                                   const std::string& address) {
  InstanceScope scope(*this, &key);
  Val o;
  o.type = Val::Type::Object;
  o.open = true;
  o.refs = {address};
  for (const Attribute& a : b.body.attributes) {
    if (a.name == "count" || a.name == "for_each" || a.name == "depends_on" || a.name == "provider")
      continue;
    Val v = evalIn(scope, *a.value);
    if (v.known()) o.attrs[a.name] = std::move(v);
  }
  if (!o.attrs.count("region") || !o.attrs.count("project")) {
    // The provider fills them in: references see the same values.
    for (const char* attr : {"region", "project"}) {
      if (o.attrs.count(attr)) continue;
      Val p = providerValue(attr);
      if (p.type == Val::Type::String) o.attrs[attr] = p;
    }
  }
  return o;
}

/// Terraform's conversion of an input value to a variable's type constraint:
/// primitives (`"80"` to a number, a number or bool to a string), and through
/// object, map, list, set and tuple types; an object attribute declared
/// `optional(T)` that the value lacks (or sets to null) becomes null, or the
/// default of `optional(T, default)`; attributes the type does not declare are
/// dropped. Unknown values stay unknown; `any` and what lbcheck does not read
/// leave the value as it is.
Val ModuleInstance::convertTo(Val v, const Expr& type, int depth) {
  if (depth > 32 || v.type == Val::Type::Unknown || v.type == Val::Type::Error ||
      v.type == Val::Type::Null)
    return v;
  if (type.kind == ExprKind::Variable) {
    if (type.text == "number" && v.type == Val::Type::String) {
      char* end = nullptr;
      const double n = std::strtod(v.str.c_str(), &end);
      if (!v.str.empty() && end == v.str.c_str() + v.str.size()) return Val::num(n, v.span);
    } else if (type.text == "string" &&
               (v.type == Val::Type::Number || v.type == Val::Type::Bool)) {
      Val out = Val::string(v.text(), v.span);
      out.refs = std::move(v.refs);
      return out;
    }
    return v;
  }
  if (type.kind != ExprKind::Call || type.items.empty()) return v;
  const Expr& arg = *type.items[0];
  if ((type.text == "list" || type.text == "set") && v.type == Val::Type::List) {
    for (Val& item : v.items) item = convertTo(std::move(item), arg, depth + 1);
  } else if (type.text == "map" && v.type == Val::Type::Object && !v.open) {
    for (auto& [k, item] : v.attrs) item = convertTo(std::move(item), arg, depth + 1);
  } else if (type.text == "tuple" && v.type == Val::Type::List && arg.kind == ExprKind::Tuple) {
    for (size_t i = 0; i < v.items.size() && i < arg.items.size(); ++i)
      v.items[i] = convertTo(std::move(v.items[i]), *arg.items[i], depth + 1);
  } else if (type.text == "object" && v.type == Val::Type::Object && !v.open &&
             arg.kind == ExprKind::Object) {
    std::map<std::string, Val> attrs;
    for (size_t i = 0; i + 1 < arg.items.size(); i += 2) {
      const Expr& key = *arg.items[i];
      const Expr* attrType = arg.items[i + 1].get();
      if (key.kind != ExprKind::Variable && key.kind != ExprKind::String) return v;
      const Expr* fallback = nullptr;
      bool optional = false;
      if (attrType->kind == ExprKind::Call && attrType->text == "optional" &&
          !attrType->items.empty()) {
        optional = true;
        if (attrType->items.size() > 1) fallback = attrType->items[1].get();
        attrType = attrType->items[0].get();
      }
      auto it = v.attrs.find(key.text);
      const bool missing = it == v.attrs.end() || it->second.type == Val::Type::Null;
      if (missing && !optional) return v;  // Terraform rejects it; leave it to plan
      Val value = missing ? (fallback ? eval(*fallback) : Val()) : std::move(it->second);
      attrs[key.text] = convertTo(std::move(value), *attrType, depth + 1);
    }
    v.attrs = std::move(attrs);
  }
  return v;
}

Val ModuleInstance::resourceValue(const std::string& addr) {
  if (auto it = resourceMemo_.find(addr); it != resourceMemo_.end()) return it->second;
  const std::string full = prefix_ + addr;
  if (busy_.count(addr)) return Val::unknown({full});
  busy_.insert(addr);
  const Block& b = *def_.resources[addr];
  const auto keys = expand(b.body, *this);
  Val out;
  const bool forEach = b.body.attribute("for_each") != nullptr;
  if (keys.size() == 1 && keys[0].text.empty()) {
    out = instanceObject(b, keys[0], full);
  } else if (keys.size() == 1 && keys[0].text == "[*]") {
    out = Val::unknown({full});
  } else {
    out.type = forEach ? Val::Type::Object : Val::Type::List;
    for (const InstanceKey& k : keys) {
      Val o = instanceObject(b, k, full + k.text);
      if (forEach)
        out.attrs[k.eachKey.text()] = std::move(o);
      else
        out.items.push_back(std::move(o));
    }
  }
  busy_.erase(addr);
  resourceMemo_[addr] = out;
  return out;
}

std::vector<ModuleInstance::Child>* ModuleInstance::children(const std::string& name) {
  if (auto it = children_.find(name); it != children_.end()) return &it->second;
  auto c = def_.calls.find(name);
  if (c == def_.calls.end() || creating_.count(name)) return nullptr;
  const Block& call = *c->second;
  const Attribute* source = call.body.attribute("source");
  if (!source) return nullptr;
  const Val s = eval(*source->value);
  if (s.type != Val::Type::String || depth_ >= kMaxModuleDepth) return nullptr;
  // A local module is a directory beside this one; any other source is read
  // where `terraform init` installed it, never fetched.
  const std::string callKey = key_.empty() ? name : key_ + "." + name;
  const std::string dir = localSource(s.str) ? canonicalDir(fs::path(def_.dir) / s.str)
                                             : project_.installedModule(root_.dir, callKey, diags_);
  if (dir.empty()) return nullptr;
  const auto& files = loader_(dir);
  if (files.empty()) return nullptr;
  creating_.insert(name);
  std::vector<Child> kids;
  for (InstanceKey& key : expand(call.body, *this)) {
    InstanceScope scope(*this, &key);
    std::map<std::string, Val> inputs;
    for (const Attribute& a : call.body.attributes) {
      if (a.name == "source" || a.name == "version" || a.name == "count" || a.name == "for_each" ||
          a.name == "providers" || a.name == "depends_on")
        continue;
      inputs[a.name] = evalIn(scope, *a.value);
    }
    Child child;
    child.key = key;
    child.instance = std::make_unique<ModuleInstance>(
        project_, indexAndCheck(dir, files, project_.firstIndex(dir) ? &diags_ : nullptr),
        prefix_ + "module." + name + key.text + ".", callKey, this, std::move(inputs), depth_ + 1,
        root_, diags_, loader_, files_);
    child.instance->installedCall_ =
        installedCall_.valid() || localSource(s.str) ? installedCall_ : call.header;
    kids.push_back(std::move(child));
  }
  creating_.erase(name);
  return &(children_[name] = std::move(kids));
}

Val ModuleInstance::providerValue(const char* attr) {
  if (parent_) return parent_->providerValue(attr);
  if (!def_.provider) return Val::unknown();
  const Attribute* a = def_.provider->body.attribute(attr);
  if (!a) return Val::unknown();
  return eval(*a->value);
}

Val ModuleInstance::evalBody(const Body& body, InstanceScope& scope, int depth) {
  Val o;
  o.type = Val::Type::Object;
  if (depth > 32) return Val::unknown();
  for (const Attribute& a : body.attributes) {
    Val v = evalIn(scope, *a.value);
    pointAt(v, a.value->span, files_);
    o.attrs[a.name] = std::move(v);
  }
  for (const Block& b : body.blocks) {
    if (b.type == "lifecycle" || b.type == "provisioner" || b.type == "connection") continue;
    if (b.type == "dynamic" && b.labels.size() == 1) {
      const std::string& name = b.labels[0];
      Val& list = o.attrs[name];
      if (list.type == Val::Type::Null) list.type = Val::Type::List;
      const Attribute* fe = b.body.attribute("for_each");
      const Block* content = nullptr;
      for (const Block& c : b.body.blocks)
        if (c.type == "content") content = &c;
      std::string iterator = name;
      if (const Attribute* it = b.body.attribute("iterator");
          it && it->value->kind == ExprKind::Variable)
        iterator = it->value->text;
      const Val coll = fe ? evalIn(scope, *fe->value) : Val::unknown();
      if (!content ||
          !(coll.type == Val::Type::List || (coll.type == Val::Type::Object && !coll.open))) {
        if (list.type == Val::Type::List && list.items.empty()) list = Val::unknown(coll.refs);
        continue;
      }
      if (list.type != Val::Type::List) continue;
      auto one = [&](Val key, const Val& value) {
        scope.bind(iterator, std::move(key), value);
        Val e = evalBody(content->body, scope, depth + 1);
        scope.unbind();
        e.span = content->header;
        list.items.push_back(std::move(e));
      };
      if (coll.type == Val::Type::List) {
        for (size_t i = 0; i < coll.items.size() && i < kMaxInstances; ++i)
          one(Val::num(static_cast<double>(i)), coll.items[i]);
      } else {
        for (const auto& [k, v] : coll.attrs) one(Val::string(k), v);
      }
      continue;
    }
    Val& list = o.attrs[b.type];
    if (list.type != Val::Type::List) {
      if (list.type == Val::Type::Unknown) continue;
      list = Val();
      list.type = Val::Type::List;
    }
    Val e = evalBody(b.body, scope, depth + 1);
    e.span = b.header;
    list.items.push_back(std::move(e));
  }
  return o;
}

// ---------------------------------------------------------------------------
// Lowering one instance into a canonical resource

struct FieldWalker {
  Resource& r;
  const schema::AttrMap& attr;
  std::vector<lower::Segment> segs;
  LinkContext link;

  void store(std::string path, Field f) { r.fields[std::move(path)] = std::move(f); }

  std::string listPath(const std::vector<size_t>& idx) const {
    std::string api = lower::instantiate(attr.api, idx);
    const size_t cut = api.find('[');
    return cut == std::string::npos ? api : api.substr(0, cut);
  }

  void walk(size_t si, const Val& obj, std::vector<size_t>& idx, std::string spelling) {
    const lower::Segment& seg = segs[si];
    Val child;
    if (obj.type == Val::Type::Object) {
      auto it = obj.attrs.find(std::string(seg.name));
      if (it != obj.attrs.end()) child = it->second;
    } else if (obj.type == Val::Type::Unknown || obj.type == Val::Type::Error) {
      child = Val::unknown(obj.refs);
      child.span = obj.span;
    }
    if (!spelling.empty()) spelling += '.';
    spelling += seg.name;
    const bool last = si + 1 == segs.size();
    if (seg.index == lower::Segment::Index::None) {
      if (last) {
        leaf(child, idx, spelling, true);
      } else {
        const Val& next =
            child.type == Val::Type::List && !child.items.empty() ? child.items[0] : child;
        walk(si + 1, next, idx, spelling);
      }
      return;
    }
    if (child.type == Val::Type::Unknown || child.type == Val::Type::Error) {
      Field f;
      f.state = State::Unknown;
      f.span = child.span.valid() ? child.span : r.header;
      f.spelling = spelling;
      f.authored = true;
      store(listPath(idx), std::move(f));
      return;
    }
    if (child.type != Val::Type::List) return;
    size_t n = child.items.size();
    if (seg.index == lower::Segment::Index::First) n = std::min<size_t>(n, 1);
    for (size_t i = 0; i < n; ++i) {
      const bool all = seg.index == lower::Segment::Index::All;
      if (all) idx.push_back(i);
      std::string sp = spelling;
      if (all) sp += "[" + std::to_string(i) + "]";
      if (last)
        leaf(child.items[i], idx, sp, true);
      else
        walk(si + 1, child.items[i], idx, sp);
      if (all) idx.pop_back();
    }
  }

  void leaf(const Val& v, std::vector<size_t>& idx, const std::string& spelling,
            bool parentExists) {
    Field f;
    f.spelling = spelling;
    f.span = v.span.valid() ? v.span : r.header;
    if (v.type == Val::Type::Null) {
      f.span = r.header;
      if (parentExists && !attr.providerDefault.empty()) {
        f.state = State::Defaulted;
        f.text = std::string(attr.providerDefault);
        f.defaultedBy = std::string(kTerraform);
      } else {
        f.state = State::Absent;
      }
    } else if (!v.known()) {
      f.state = State::Unknown;
      f.authored = true;
    } else if (v.type == Val::Type::List || v.type == Val::Type::Object) {
      if (v.items.empty() && v.attrs.empty() && v.type == Val::Type::List) {
        f.state = State::Absent;
        f.span = r.header;
      } else {
        f.state = State::Known;
        f.text = "(set)";
        f.authored = true;
      }
    } else {
      f.state = State::Known;
      f.text = v.text();
      f.isNumber = v.type == Val::Type::Number;
      f.authored = true;
    }
    if (attr.ref != Kind::Unknown) {
      if (!v.refs.empty() && (f.state == State::Unknown || v.refs.size() == 1)) {
        f.ref.edit().address = v.refs.front();
        f.ref.edit().configured = true;
      }
      const bool literalIp = attr.ref == Kind::Address && isIpLiteral(f.text);
      if (auto id = f.state == State::Known && !literalIp ? parseLink(f.text, link) : std::nullopt)
        f.ref.edit().identity = std::move(*id);
    }
    std::string path = lower::instantiate(attr.api, idx);
    if (v.origin.valid() && f.state == State::Known && v.type != Val::Type::List &&
        v.type != Val::Type::Object) {
      r.editRare().writtenAt.emplace_back(path, v.origin);
    }
    store(std::move(path), std::move(f));
  }
};

void lowerRunV1Annotations(Resource& r, const Val& config) {
  auto meta = config.attrs.find("metadata");
  Field ingress;
  ingress.spelling = "metadata.annotations[\"run.googleapis.com/ingress\"]";
  ingress.span = r.header;
  ingress.state = State::Absent;
  if (meta != config.attrs.end() && meta->second.type == Val::Type::List &&
      !meta->second.items.empty()) {
    const Val& m = meta->second.items[0];
    auto ann = m.attrs.find("annotations");
    if (ann != m.attrs.end()) {
      const Val& a = ann->second;
      if (!a.known()) {
        ingress.state = State::Unknown;
      } else {
        auto field = [&](const std::string& key, const Val& v) {
          Field f;
          f.state = v.known() ? State::Known : State::Unknown;
          f.text = v.text();
          f.span = v.span.valid() ? v.span : r.header;
          f.spelling = "metadata.annotations[\"" + key + "\"]";
          f.authored = true;
          return f;
        };
        if (auto v = a.attrs.find("run.googleapis.com/ingress"); v != a.attrs.end()) {
          Field f = field(v->first, v->second);
          r.fields["ingressAnnotation"] = f;
          if (const std::string_view c = vocab::canonicalIngress(f.text); !c.empty())
            f.text = std::string(c);
          r.fields["ingress"] = std::move(f);
          return;
        }
        if (auto v = a.attrs.find("run.googleapis.com/invoker-iam-disabled"); v != a.attrs.end())
          r.fields["invokerIamDisabled"] = field(v->first, v->second);
        for (const char* key :
             {"run.googleapis.com/default-url-disabled", "run.googleapis.com/disable-default-url"})
          if (auto v = a.attrs.find(key); v != a.attrs.end())
            r.fields["defaultUriDisabled"] = field(v->first, v->second);
      }
    }
  }
  // The service spells its ingress as the annotation: say so even when it is not written.
  r.fields["ingressAnnotation"] = ingress;
  r.fields["ingress"] = std::move(ingress);
}

/// `labels = {...}` as `labels.<key>` fields (see engine/model.h). A value
/// written elsewhere (a variable's default) points at its key's value in the
/// map literal `written`, when the labels are one.
void lowerLabels(Resource& r, const Val& labels, const Attribute* written) {
  std::map<std::string, Span> at;
  if (written && written->value->kind == ExprKind::Object) {
    const auto& items = written->value->items;
    for (size_t k = 0; k + 1 < items.size(); k += 2)
      if (items[k]->kind == ExprKind::String || items[k]->kind == ExprKind::Variable)
        at[items[k]->text] = items[k + 1]->span;
  }
  if (labels.type == Val::Type::Null) return;
  if (labels.type != Val::Type::Object || labels.open) {
    Field f;
    f.state = State::Unknown;
    f.span = labels.span.valid() ? labels.span : r.header;
    f.spelling = "labels";
    f.authored = true;
    r.fields["labels"] = std::move(f);
    if (labels.type != Val::Type::Object) return;
  }
  for (const auto& [key, v] : labels.attrs) {
    if (v.type == Val::Type::Null || v.type == Val::Type::List || v.type == Val::Type::Object)
      continue;
    Field f;
    f.state = v.known() ? State::Known : State::Unknown;
    f.text = v.known() ? v.text() : std::string();
    f.span = v.span.valid() ? v.span : r.header;
    if (auto it = at.find(key);
        it != at.end() &&
        (!v.span.valid() || v.span.begin < it->second.begin || v.span.end > it->second.end))
      f.span = it->second;
    f.spelling = lower::labelSpelling("labels", key);
    f.authored = true;
    r.fields["labels." + key] = std::move(f);
  }
}

void ModuleInstance::lowerInstance(const Block& b, const InstanceKey& key,
                                   const std::string& address) {
  const schema::TypeMap* type = schema::findType(b.labels[0]);
  InstanceScope scope(*this, &key);
  const Val config = evalBody(b.body, scope, 0);
  auto attrOf = [&](const char* name) {
    auto it = config.attrs.find(name);
    return it == config.attrs.end() ? Val() : it->second;
  };

  Resource r;
  r.sourceType = b.labels[0];
  r.displayName = address;
  r.format = "terraform";
  r.document = root_.document;
  r.header = b.header;
  r.setCalledFrom(installedCall_);
  r.lifecycle = Lifecycle::Static;
  r.id.kind = type->kind;
  const Val project = attrOf("project");
  if (project.type == Val::Type::String) {
    r.id.project = project.str;
  } else if (project.type == Val::Type::Null) {
    const Val p = providerValue("project");
    if (p.type == Val::Type::String) r.id.project = p.str;
  }
  const char* scopeAttr = type->scope == Scope::Type::Zone       ? "zone"
                          : type->scope == Scope::Type::Location ? "location"
                                                                 : "region";
  const Val scopeVal = attrOf(scopeAttr);
  Field scopeField;
  scopeField.spelling = scopeAttr;
  if (scopeVal.type == Val::Type::String) {
    scopeField.state = State::Known;
    scopeField.text = regionName(scopeVal.str);
    scopeField.span = scopeVal.span;
    scopeField.authored = true;
  } else if (scopeVal.type == Val::Type::Null &&
             (type->scope == Scope::Type::Region || type->scope == Scope::Type::Location)) {
    const Val p = providerValue("region");
    scopeField.span = r.header;
    if (p.type == Val::Type::String) {
      scopeField.state = State::Defaulted;
      scopeField.text = regionName(p.str);
      scopeField.defaultedBy = "the google provider's `region`";
    } else {
      scopeField.state = p.type == Val::Type::Null ? State::Absent : State::Unknown;
    }
  } else {
    scopeField.state = scopeVal.type == Val::Type::Null ? State::Absent : State::Unknown;
    scopeField.span = scopeVal.span.valid() ? scopeVal.span : r.header;
  }
  if (type->scope == Scope::Type::Global)
    r.id.scope = Scope{Scope::Type::Global, ""};
  else if (scopeField.known())
    r.id.scope = Scope{type->scope, scopeField.text};
  if (type->scope != Scope::Type::Global) r.fields[scopeAttr] = scopeField;
  const Val name = attrOf("name");
  Field nameField;
  nameField.spelling = "name";
  if (name.type == Val::Type::String) {
    r.id.name = name.str;
    nameField.state = State::Known;
    nameField.text = name.str;
    nameField.span = name.span;
    nameField.authored = true;
  } else {
    nameField.state = State::Unknown;
    nameField.span = name.span.valid() ? name.span : r.header;
  }
  r.fields["name"] = nameField;
  if (type->kind == Kind::IamMember) r.id.name = address;

  for (const schema::AttrMap& attr : type->attrs) {
    FieldWalker w{r, attr, lower::parsePattern(attr.tf), lower::linkContext(r, attr.ref)};
    if (attr.ref == Kind::HealthCheck) w.link.scope = r.id.scope;
    std::vector<size_t> idx;
    w.walk(0, config, idx, "");
  }
  if (type->type == "google_cloud_run_service") lowerRunV1Annotations(r, config);
  lowerLabels(r, attrOf("labels"), b.body.attribute("labels"));
  if (const SourceFile* f = project_.sourcesFile(r.header.file)) lower::redactKeyMaterial(r, *f);
  if (type->kind == Kind::IamMember && type->type.rfind("google_project_iam_", 0) == 0)
    lower::markProjectWide(r, r.header, "project");
  const std::string_view t = type->type;
  if (type->kind == Kind::IamMember && t.size() > 11 && t.substr(t.size() - 11) == "_iam_policy") {
    std::vector<Resource> grants;
    lower::iamGrants(r, policyBindings(b, scope, r), grants);
    for (Resource& g : grants) root_.resources.push_back(std::move(g));
    return;
  }
  root_.resources.push_back(std::move(r));
}

/// The bindings of an `_iam_policy` resource's `policy_data`: the `binding`
/// blocks of the `data "google_iam_policy"` it names, or the object given to
/// `jsonencode({bindings = [...]})`. Anything else: none known.
std::vector<lower::IamBinding> ModuleInstance::policyBindings(const Block& b, InstanceScope& scope,
                                                              const Resource& r) {
  const Attribute* a = b.body.attribute("policy_data");
  if (!a) return {};
  const Expr* e = a->value.get();
  // (a), and "${a}" as Terraform 0.11 wrote it (and JSON syntax always does).
  while ((e->kind == ExprKind::Paren && e->a) ||
         (e->kind == ExprKind::Template && e->items.size() == 1 &&
          e->items[0]->kind != ExprKind::String))
    e = e->kind == ExprKind::Paren ? e->a.get() : e->items[0].get();
  Val list;
  std::string prefix;
  if (e->kind == ExprKind::Call && e->text == "jsonencode" && e->items.size() == 1) {
    const Val policy = evalIn(scope, *e->items[0]);
    if (policy.type != Val::Type::Object) return {};
    const auto it = policy.attrs.find("bindings");
    if (it == policy.attrs.end()) return {};
    list = it->second;
    prefix = "policy_data: bindings";
  } else {
    // data.google_iam_policy.NAME[index].policy_data, read inside out.
    std::vector<std::string> names;
    for (const Expr* x = e; x; x = x->a.get()) {
      if (x->kind == ExprKind::GetAttr || x->kind == ExprKind::Variable)
        names.insert(names.begin(), x->text);
      else if (x->kind != ExprKind::Index)
        return {};
      if (x->kind == ExprKind::Variable) break;
    }
    if (names.size() != 4 || names[0] != "data" || names[1] != "google_iam_policy" ||
        names[3] != "policy_data")
      return {};
    const auto d = def_.data.find("google_iam_policy." + names[2]);
    if (d == def_.data.end()) return {};
    InstanceScope dataScope(*this, nullptr);
    const Val policy = evalBody(d->second->body, dataScope, 0);
    const auto it = policy.attrs.find("binding");
    if (it == policy.attrs.end()) return {};
    list = it->second;
    prefix = "data.google_iam_policy." + names[2] + ": binding";
  }
  std::vector<lower::IamBinding> out;
  if (list.type != Val::Type::List) return out;
  auto field = [&](const Val& v, std::string spelling) {
    Field f;
    f.spelling = std::move(spelling);
    f.authored = true;
    f.state = v.type == Val::Type::String ? State::Known : State::Unknown;
    f.text = v.type == Val::Type::String ? v.str : std::string();
    f.span = v.span.valid() ? v.span : r.header;
    return f;
  };
  for (size_t i = 0; i < list.items.size(); ++i) {
    const Val& item = list.items[i];
    if (item.type != Val::Type::Object) continue;
    const std::string base = prefix + "[" + std::to_string(i) + "]";
    lower::IamBinding binding;
    const auto role = item.attrs.find("role");
    binding.role = field(role == item.attrs.end() ? Val::unknown() : role->second, base + ".role");
    const auto members = item.attrs.find("members");
    if (members != item.attrs.end() && members->second.type == Val::Type::List) {
      for (size_t k = 0; k < members->second.items.size(); ++k)
        binding.members.push_back(
            field(members->second.items[k], base + ".members[" + std::to_string(k) + "]"));
    } else if (members != item.attrs.end() && members->second.type != Val::Type::Null) {
      binding.members.push_back(field(Val::unknown(), base + ".members"));
    }
    out.push_back(std::move(binding));
  }
  return out;
}

void ModuleInstance::lowerResource(const std::string& addr, const Block& b) {
  if (!schema::findType(b.labels[0])) return;
  const std::vector<InstanceKey> keys = expand(b.body, *this);
  if (keys.size() == 1 && keys[0].text == "[*]") {
    // Said once: the instances are checked as one, and what tells them apart is unknown.
    const Attribute* by = b.body.attribute("for_each");
    if (!by) by = b.body.attribute("count");
    if (by && project_.firstUnknownInstances(by->value->span))
      diags_.push_back(makeDiagnostic(
          diag::kSkipped, Severity::Note, by->value->span,
          "the instances of `" + prefix_ + addr + "` are not known before apply (`" + by->name +
              "` over a value lbcheck cannot know here): they are checked as one, `" + prefix_ +
              addr + "[*]`, and what differs between them (names, regions) is not checked",
          "give the value it depends on (a default, a .tfvars file or --var-file) to have each "
          "instance checked"));
  }
  for (const InstanceKey& key : keys) lowerInstance(b, key, prefix_ + addr + key.text);
}

void ModuleInstance::checkValidations() {
  for (const auto& [name, block] : def_.variables) {
    for (const Block& b : block->body.blocks) {
      if (b.type != "validation") continue;
      const Attribute* condition = b.body.attribute("condition");
      if (!condition) continue;
      const Val result = eval(*condition->value);
      if (result.type != Val::Type::Bool || result.boolean) continue;  // true, unknown, an error
      const Val value = get("var", name, *condition->value);
      std::string message;
      if (const Attribute* m = b.body.attribute("error_message")) {
        const Val text = eval(*m->value);
        if (text.type == Val::Type::String) message = text.str;
      }
      const Span at = value.span.valid() ? value.span : condition->value->span;
      if (!project_.firstValidationFailure(at, name)) continue;
      Finding f = makeDiagnostic(
          diag::kSyntax, Severity::Error, at,
          "variable `" + name + "` fails its validation (`terraform plan` rejects this value)" +
              (message.empty() ? std::string() : ": " + message),
          "change the value, or the validation's condition if the value is right");
      f.related.push_back({condition->value->span, "the condition that is false"});
      diags_.push_back(std::move(f));
    }
  }
}

void ModuleInstance::lowerAll() {
  checkValidations();
  for (const std::string& addr : def_.resourceOrder) lowerResource(addr, *def_.resources[addr]);
  for (const auto& [name, call] : def_.calls) {
    const Attribute* source = call->body.attribute("source");
    const Val s = source ? eval(*source->value) : Val();
    std::vector<Child>* kids = children(name);
    if (!kids && s.type == Val::Type::String && !localSource(s.str)) {
      // Once per source, however many calls (and roots) use it.
      if (project_.firstUnreadSource(s.str))
        diags_.push_back(makeDiagnostic(
            diag::kSkipped, Severity::Note, source->value->span,
            "module `" + name + "` comes from `" + s.str +
                "`, which is not installed here: its resources are not checked (lbcheck reads "
                "remote modules where `terraform init` installed them, and never fetches them)",
            "run `terraform init` (or `terraform get`) in `" + shownDir(root_.dir) +
                "`, then run lbcheck again; or check the plan of this configuration"));
      continue;
    }
    if (!kids) {
      if (source && s.type == Val::Type::String)
        diags_.push_back(makeDiagnostic(diag::kUnreadable, Severity::Note, source->value->span,
                                        "module `" + name + "`: no .tf files in `" + s.str + "`"));
      continue;
    }
    for (Child& c : *kids) c.instance->lowerAll();
  }
}

}  // namespace

// ---------------------------------------------------------------------------

std::unique_ptr<File> parseConfigFile(const SourceFile& file, const std::string& fsPath,
                                      const Limits& limits, std::vector<Finding>& out) {
  SyntaxError err;
  const bool json = isTfJsonName(fs::path(fsPath).filename().string());
  auto parsed = json ? parseJsonFile(file, limits, &err) : parseFile(file, limits, &err);
  if (!parsed)
    out.push_back(
        makeDiagnostic(diag::kSyntax, Severity::Error, err.span,
                       (json ? "invalid Terraform JSON: " : "invalid HCL: ") + err.message));
  return parsed;
}

std::unique_ptr<File> parseVarFile(const SourceFile& file, const std::string& fsPath,
                                   const Limits& limits, std::vector<Finding>& out) {
  SyntaxError err;
  const bool json = fsPath.size() > 5 && fsPath.substr(fsPath.size() - 5) == ".json";
  auto parsed = json ? parseJsonVarFile(file, limits, &err) : parseFile(file, limits, &err);
  if (!parsed)
    out.push_back(
        makeDiagnostic(diag::kSyntax, Severity::Error, err.span,
                       (json ? "invalid JSON variables file: " : "invalid HCL: ") + err.message));
  return parsed;
}

void Project::addFile(const SourceFile& file, const std::string& fsPath,
                      std::vector<Finding>& out) {
  if (auto parsed = parseConfigFile(file, fsPath, limits_, out))
    addParsedFile(file, fsPath, std::move(parsed));
}

void Project::addParsedFile(const SourceFile& file, const std::string& fsPath,
                            std::unique_ptr<File> parsed) {
  auto pf = std::make_unique<ParsedFile>();
  pf->source = &file;
  pf->dir = canonicalDir(fs::path(fsPath).parent_path().empty() ? fs::path(".")
                                                                : fs::path(fsPath).parent_path());
  pf->name = fs::path(fsPath).filename().string();
  pf->file = std::move(parsed);
  // OpenTofu: x.tofu replaces x.tf in the same module (and x.tofu.json x.tf.json).
  std::vector<const ParsedFile*>& inDir = byDir_[pf->dir];
  const std::string replacement = tofuReplacement(pf->name);
  const bool replaced =
      !replacement.empty() &&
      (std::any_of(inDir.begin(), inDir.end(),
                   [&](const ParsedFile* other) { return other->name == replacement; }) ||
       fs::exists(fs::path(pf->dir) / replacement));
  if (!replaced) {
    std::erase_if(
        inDir, [&](const ParsedFile* other) { return tofuReplacement(other->name) == pf->name; });
    inDir.push_back(pf.get());
  }
  files_.push_back(std::move(pf));
}

bool Project::addSnippet(const SourceFile& view, const std::string& dir, std::string* error) {
  SyntaxError err;
  auto parsed = parseFile(view, limits_, &err);
  if (!parsed) {
    if (error) *error = err.message;
    return false;
  }
  auto pf = std::make_unique<ParsedFile>();
  pf->source = &view;
  pf->dir = dir;
  pf->file = std::move(parsed);
  byDir_[dir].push_back(pf.get());
  files_.push_back(std::move(pf));
  snippets_.insert(dir);
  return true;
}

void Project::addVarFile(const SourceFile& file, const std::string& fsPath, bool autoLoaded,
                         std::vector<Finding>& out) {
  if (auto parsed = parseVarFile(file, fsPath, limits_, out))
    addParsedVarFile(file, fsPath, autoLoaded, std::move(parsed));
}

void Project::addParsedVarFile(const SourceFile& file, const std::string& fsPath, bool autoLoaded,
                               std::unique_ptr<File> parsed) {
  VarFile v;
  v.source = &file;
  v.dir = canonicalDir(fs::path(fsPath).parent_path().empty() ? fs::path(".")
                                                              : fs::path(fsPath).parent_path());
  v.autoLoaded = autoLoaded;
  v.file = std::move(parsed);
  varFiles_.push_back(std::move(v));
}

const std::vector<const Project::ParsedFile*>& Project::module(const std::string& dir,
                                                               std::vector<Finding>& diagnostics) {
  if (auto it = byDir_.find(dir); it != byDir_.end() || loadedFromDisk_.count(dir))
    return byDir_[dir];
  loadedFromDisk_[dir] = true;
  std::error_code ec;
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (it->is_regular_file(ec) && isConfigName(n)) paths.push_back(it->path());
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() > (64u << 20)) continue;
    std::error_code e2;
    fs::path shown = fs::relative(p, fs::current_path(e2), e2);
    SourceFile& f = sources_.add(e2 || shown.empty() ? p.generic_string() : shown.generic_string(),
                                 std::move(bytes));
    addFile(f, p.string(), diagnostics);
  }
  return byDir_[dir];
}

const SourceFile* Project::sourcesFile(uint32_t id) const { return sources_.find(id); }

std::string Project::installedModule(const std::string& rootDir, const std::string& key,
                                     std::vector<Finding>& diagnostics) {
  auto [it, fresh] = manifests_.try_emplace(rootDir);
  std::map<std::string, std::string>& installed = it->second;
  if (fresh) {
    // {"Modules":[{"Key":"lb","Source":"registry.terraform.io/...","Version":"1.0.0",
    //   "Dir":".terraform/modules/lb/modules/serverless_negs"}, ...]}: Dir is
    // relative to the directory `terraform init` ran in, the root module's.
    const fs::path path = fs::path(rootDir) / ".terraform" / "modules" / "modules.json";
    std::string bytes;
    FileStamp stamp;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || !readFileBytes(path.string(), &bytes, &stamp) ||
        bytes.size() > (16u << 20))
      return "";
    std::error_code e2;
    fs::path shown = fs::relative(path, fs::current_path(e2), e2);
    SourceFile& f = sources_.add(
        e2 || shown.empty() ? path.generic_string() : shown.generic_string(), std::move(bytes));
    json::ParseError err;
    const auto doc = json::parse(f, json::Limits{}, &err);
    const json::Value modules = doc ? doc->root().get("Modules") : json::Value();
    if (!modules.isArray()) {
      diagnostics.push_back(
          makeDiagnostic(diag::kUnreadable, Severity::Warning, Span{f.id(), err.offset, err.offset},
                         "`terraform init`'s module manifest cannot be read" +
                             (doc ? std::string(": no \"Modules\" list") : ": " + err.message) +
                             "; the modules it installed are not checked",
                         "run `terraform init` in `" + shownDir(rootDir) + "` again"));
      return "";
    }
    modules.forEachElement([&](size_t, json::Value m) {
      const json::Value k = m.get("Key"), d = m.get("Dir");
      if (k.isString() && d.isString() && !k.str().empty() && !d.str().empty())
        installed[std::string(k.str())] = canonicalDir(fs::path(rootDir) / std::string(d.str()));
    });
  }
  const auto found = installed.find(key);
  return found == installed.end() ? "" : found->second;
}

std::vector<Project::Root> Project::evaluate(std::vector<Finding>& diagnostics) {
  // Directories called as local modules are not roots.
  std::set<std::string> called;
  for (const auto& [dir, files] : byDir_) {
    for (const ParsedFile* pf : files) {
      for (const Block& b : pf->file->body.blocks) {
        if (b.type != "module") continue;
        const Attribute* s = b.body.attribute("source");
        if (s && s->value->kind == ExprKind::String && localSource(s->value->text))
          called.insert(canonicalDir(fs::path(dir) / s->value->text));
      }
    }
  }
  std::vector<std::string> roots;
  for (const auto& [dir, files] : byDir_)
    if (!called.count(dir) && !files.empty()) roots.push_back(dir);
  std::vector<Root> out;
  for (const std::string& dir : roots) {
    Root root;
    root.dir = dir;
    root.document = byDir_[dir].front()->source->id();
    // Variables: the directory's auto-loaded files, then -var-file files.
    std::map<std::string, Val> inputs;
    for (int pass = 0; pass < 2; ++pass) {
      for (const VarFile& vf : varFiles_) {
        if ((pass == 0) != vf.autoLoaded) continue;  // -var-file wins over auto files
        if (vf.autoLoaded && vf.dir != dir) continue;
        struct Empty : Environment {
          Val get(const std::string&, const std::string&, const Expr&) override {
            return Val::unknown();
          }
        } empty;
        for (const Attribute& a : vf.file->body.attributes) {
          Evaluator ev(empty);
          inputs[a.name] = ev.eval(*a.value);
        }
      }
    }
    // A snippet's relative module sources name directories relative to wherever
    // the reader puts it: not followed.
    const bool snippet = snippets_.count(dir) > 0;
    auto loader = [this, &diagnostics,
                   snippet](const std::string& d) -> const std::vector<const ParsedFile*>& {
      static const std::vector<const ParsedFile*> kNone;
      return snippet ? kNone : module(d, diagnostics);
    };
    // Terraform runs in the root module's directory: relative paths start there.
    // A snippet reads no files.
    std::unique_ptr<FileAccess> files =
        snippet ? nullptr : diskFiles(sources_, fileRoots_, dir, &fileState_);
    ModuleInstance m(*this,
                     indexAndCheck(dir, byDir_[dir], firstIndex(dir) ? &diagnostics : nullptr), "",
                     "", nullptr, std::move(inputs), 0, root, diagnostics, loader, files.get());
    m.lowerAll();
    out.push_back(std::move(root));
  }
  return out;
}

}  // namespace lbcheck::hcl
