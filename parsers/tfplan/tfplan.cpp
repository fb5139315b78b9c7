#include "parsers/tfplan/tfplan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>

#include "engine/diagnostics.h"
#include "engine/link.h"
#include "parsers/common/lower.h"
#include "parsers/schema/google.h"
#include "parsers/tfplan/lazy.h"

namespace lbcheck::tfplan {

using schema::AttrMap;
using schema::findType;
using schema::TypeMap;

namespace {

using json::Value;
using lower::instantiate;
using lower::parsePattern;
using lower::scalarText;
using lower::Segment;

constexpr std::string_view kTerraform = "Terraform (google provider)";

// ---------------------------------------------------------------------------
// Addresses

struct AddressParts {
  std::string modulePrefix;           // "module.lb[0]." or ""
  std::vector<std::string> callPath;  // {"lb"}
  std::string resource;               // "google_x.y" (or "data.google_x.y")
  std::string index;                  // "[0]" / "[\"k\"]" / ""
};

/// Splits on '.' outside brackets and quotes.
std::vector<std::string_view> splitAddress(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
      continue;
    }
    if (c == '"')
      quoted = true;
    else if (c == '[')
      ++depth;
    else if (c == ']')
      --depth;
    else if (c == '.' && depth == 0) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string_view nameOf(std::string_view segment, std::string_view* index) {
  const size_t open = segment.find('[');
  if (open == std::string_view::npos) {
    *index = {};
    return segment;
  }
  *index = segment.substr(open);
  return segment.substr(0, open);
}

AddressParts parseAddress(std::string_view address) {
  AddressParts out;
  const auto parts = splitAddress(address);
  size_t i = 0;
  while (i + 1 < parts.size() && parts[i] == "module") {
    std::string_view idx;
    out.callPath.emplace_back(nameOf(parts[i + 1], &idx));
    out.modulePrefix += "module.";
    out.modulePrefix += parts[i + 1];
    out.modulePrefix += '.';
    i += 2;
  }
  std::string rest;
  for (size_t k = i; k < parts.size(); ++k) {
    std::string_view seg = parts[k];
    if (k + 1 == parts.size()) {
      std::string_view idx;
      seg = nameOf(seg, &idx);
      out.index = std::string(idx);
    }
    if (!rest.empty()) rest += '.';
    rest += seg;
  }
  out.resource = rest;
  return out;
}

/// A literal index such as [0] or ["key"]; anything computed (count.index) is dropped.
std::string literalIndex(std::string_view idx) {
  if (idx.size() < 3) return {};
  std::string_view inner = idx.substr(1, idx.size() - 2);
  bool digits = !inner.empty();
  for (char c : inner) digits = digits && c >= '0' && c <= '9';
  if (digits) return std::string(idx);
  if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') return std::string(idx);
  return {};
}

// ---------------------------------------------------------------------------
// Configuration (module tree)

struct ModuleCtx {
  std::string prefix;  // "module.lb[0]."
  Value module;        // configuration module object (resources, module_calls...)
  Value call;          // the module_calls entry in the parent (missing for root)
  const ModuleCtx* parent = nullptr;
};

class Plan {
 public:
  Plan(Lazy root, const SourceFile& file, Graph& graph, std::vector<Finding>& diags)
      : root_(root), file_(file), document_(file.id()), graph_(graph), diags_(diags) {}

  void run();

  /// The key material of the no-op and read resources' objects before the
  /// change, which are not kept (lower() redacts it from the source).
  std::vector<Fields> priorKeyMaterial;

 private:
  struct Change {
    Value entry;    // resource_changes[i] (or a values-representation resource)
    Value address;  // the address value
    std::string addressText;
    std::string type;
    std::string mode;
    std::string providerKey;  // configuration provider_config_key
    Lifecycle lifecycle = Lifecycle::Static;
    Value before, after, afterUnknown, afterSensitive, beforeSensitive;
    Value actions;
  };

  void diagnose(std::string_view id, Severity sev, Span span, std::string message,
                std::string help = {});
  const ModuleCtx* moduleFor(const AddressParts& parts);
  Value resourceConfig(const ModuleCtx& mod, std::string_view resource) const;
  std::string providerConstant(const ModuleCtx* mod, Value resourceConf,
                               std::string_view key) const;
  std::string resolveReferences(Value references, const ModuleCtx& mod, int depth) const;
  std::string resolveOne(std::string_view ref, const ModuleCtx& mod, int depth) const;
  std::vector<std::string> dependencies(Value resourceConf, const ModuleCtx& mod) const;
  void lowerChange(const Change& change);
  void fillFields(Resource& r, const TypeMap& type, Value object, Value unknown, Value sensitive,
                  Value expressions, bool configKnown, const ModuleCtx* mod, bool prior);
  void readLabels(Resource& r, Value object, Value unknown, Value sensitive, Value expressions,
                  bool configKnown, bool prior);
  void readRunV1Ingress(Resource& r, Value object, Value unknown, Value expressions,
                        bool configKnown, bool prior);
  /// Lowers the resources of a module tree of values that no change lowered
  /// (`dataOnly`: its data sources only); `redact`: their sensitive values.
  void collectValues(Lazy module, std::set<std::string>& seen, bool dataOnly, bool redact);
  void collectState(Value root);
  std::vector<lower::IamBinding> policyBindings(const Resource& r, Value object, Value conf,
                                                const ModuleCtx* mod) const;
  Value valuesOf(std::string_view address) const;

  /// Where valuesOf finds each address's values, indexed on its first call (a
  /// plan read in pieces would otherwise parse every change again per call).
  struct ValuesAt {
    Lazy list;     // resource_changes, or a module's resources
    size_t index;  // the element
    bool change;   // a change (its `change.after`), else a module resource (`values`)
  };
  mutable std::unordered_map<std::string, ValuesAt> valuesAt_;
  mutable bool valuesIndexed_ = false;

  Lazy root_;
  const SourceFile& file_;
  uint32_t document_;
  /// Cleared when the plan cannot be lowered (an unsupported format version):
  /// its values are still walked, to redact what is sensitive.
  bool lowering_ = true;
  Graph& graph_;
  std::vector<Finding>& diags_;
  Value config_;
  std::vector<std::unique_ptr<ModuleCtx>> modules_;
  std::unordered_map<std::string, const ModuleCtx*> byPrefix_;  // modules_ by prefix
};

void Plan::diagnose(std::string_view id, Severity sev, Span span, std::string message,
                    std::string help) {
  diags_.push_back(makeDiagnostic(id, sev, span, std::move(message), std::move(help)));
}

const ModuleCtx* Plan::moduleFor(const AddressParts& parts) {
  if (const auto it = byPrefix_.find(parts.modulePrefix); it != byPrefix_.end()) return it->second;
  // Build the chain root -> ... -> this module instance.
  const ModuleCtx* parent = modules_.front().get();
  std::string prefix;
  const auto segments = splitAddress(
      parts.modulePrefix.empty()
          ? std::string_view()
          : std::string_view(parts.modulePrefix).substr(0, parts.modulePrefix.size() - 1));
  for (size_t i = 0; i + 1 < segments.size(); i += 2) {
    prefix += "module.";
    prefix += segments[i + 1];
    prefix += '.';
    if (const auto it = byPrefix_.find(prefix); it != byPrefix_.end()) {
      parent = it->second;
      continue;
    }
    std::string_view idx;
    const std::string_view call = nameOf(segments[i + 1], &idx);
    auto ctx = std::make_unique<ModuleCtx>();
    ctx->prefix = prefix;
    ctx->call = parent->module.get("module_calls").get(call);
    ctx->module = ctx->call.get("module");
    ctx->parent = parent;
    parent = ctx.get();
    byPrefix_.emplace(prefix, ctx.get());
    modules_.push_back(std::move(ctx));
  }
  return parent;
}

Value Plan::resourceConfig(const ModuleCtx& mod, std::string_view resource) const {
  Value found;
  mod.module.get("resources").forEachElement([&](size_t, Value r) {
    if (!found && r.get("address").str() == resource) found = r;
  });
  return found;
}

std::string Plan::providerConstant(const ModuleCtx* mod, Value resourceConf,
                                   std::string_view key) const {
  (void)mod;
  std::string_view providerKey = resourceConf.get("provider_config_key").str();
  if (providerKey.empty()) providerKey = "google";
  Value provider = config_.get("provider_config").get(providerKey);
  if (!provider) provider = config_.get("provider_config").get("google");
  Value c = provider.get("expressions").get(key).get("constant_value");
  return c.isString() ? std::string(c.str()) : std::string();
}

std::string Plan::resolveOne(std::string_view ref, const ModuleCtx& mod, int depth) const {
  if (depth > 16) return {};
  const auto parts = splitAddress(ref);
  if (parts.empty()) return {};
  const std::string_view head = parts[0];
  if (head == "var" && parts.size() >= 2) {
    if (!mod.parent) return {};
    std::string_view idx;
    const std::string_view name = nameOf(parts[1], &idx);
    Value expr = mod.call.get("expressions").get(name);
    return resolveReferences(expr.get("references"), *mod.parent, depth + 1);
  }
  if (head == "module" && parts.size() >= 3) {
    std::string_view idx;
    const std::string_view call = nameOf(parts[1], &idx);
    const std::string_view output = nameOf(parts[2], &idx);
    Value callConf = mod.module.get("module_calls").get(call);
    Value refs =
        callConf.get("module").get("outputs").get(output).get("expression").get("references");
    ModuleCtx child;
    child.prefix = mod.prefix + "module." + std::string(call) + ".";
    child.module = callConf.get("module");
    child.call = callConf;
    child.parent = &mod;
    return resolveReferences(refs, child, depth + 1);
  }
  if (head == "local" || head == "each" || head == "count" || head == "path" ||
      head == "terraform" || head == "self") {
    return {};
  }
  size_t typeAt = 0;
  std::string out = mod.prefix;
  if (head == "data") {
    out += "data.";
    typeAt = 1;
  }
  if (parts.size() < typeAt + 2) return {};
  if (parts[typeAt].find('_') == std::string_view::npos) return {};
  std::string_view idx;
  const std::string_view name = nameOf(parts[typeAt + 1], &idx);
  out += parts[typeAt];
  out += '.';
  out += name;
  out += literalIndex(idx);
  return out;
}

std::string Plan::resolveReferences(Value references, const ModuleCtx& mod, int depth) const {
  std::string result;
  references.forEachElement([&](size_t, Value ref) {
    if (!result.empty() || !ref.isString()) return;
    result = resolveOne(ref.str(), mod, depth);
  });
  return result;
}

/// One `depends_on` entry: a resource (as resolveOne) or a whole module call.
std::string dependencyAddress(std::string_view entry, const ModuleCtx& mod) {
  const auto parts = splitAddress(entry);
  if (parts.size() == 2 && parts[0] == "module") {
    std::string_view idx;
    return mod.prefix + "module." + std::string(nameOf(parts[1], &idx));
  }
  return {};
}

void forEachReference(Value v, const std::function<void(std::string_view)>& f, int depth = 0) {
  if (depth > 64) return;
  if (v.isObject()) {
    if (Value refs = v.get("references"); refs.isArray()) {
      refs.forEachElement([&](size_t, Value r) {
        if (r.isString()) f(r.str());
      });
    }
    v.forEachMember([&](std::string_view, Value m) { forEachReference(m, f, depth + 1); });
  } else if (v.isArray()) {
    v.forEachElement([&](size_t, Value e) { forEachReference(e, f, depth + 1); });
  }
}

std::vector<std::string> Plan::dependencies(Value conf, const ModuleCtx& mod) const {
  std::vector<std::string> out;
  auto add = [&](std::string a) {
    if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end())
      out.push_back(std::move(a));
  };
  auto explicitDeps = [&](Value list, const ModuleCtx& where) {
    list.forEachElement([&](size_t, Value d) {
      if (!d.isString()) return;
      std::string a = dependencyAddress(d.str(), where);
      add(a.empty() ? resolveOne(d.str(), where, 0) : a);
    });
  };
  explicitDeps(conf.get("depends_on"), mod);
  for (const char* key : {"expressions", "count_expression", "for_each_expression"})
    forEachReference(conf.get(key), [&](std::string_view ref) { add(resolveOne(ref, mod, 0)); });
  // A module call's depends_on holds for everything inside the module.
  for (const ModuleCtx* m = &mod; m->parent; m = m->parent)
    explicitDeps(m->call.get("depends_on"), *m->parent);
  return out;
}

// ---------------------------------------------------------------------------
// Field extraction

bool isTrue(Value v) { return v.isBool() && v.boolean(); }

/// Redacts every value whose sensitivity mask is `true` (same shape as `value`).
void redactByMask(Value value, Value mask, const SourceFile& file, int depth = 0) {
  if (!value || depth > 64) return;
  if (isTrue(mask)) {
    const Span s = value.span();
    file.redact(s.begin, s.end);
    return;
  }
  if (mask.isObject()) {
    mask.forEachMember(
        [&](std::string_view key, Value m) { redactByMask(value.get(key), m, file, depth + 1); });
  } else if (mask.isArray()) {
    mask.forEachElement([&](size_t i, Value m) { redactByMask(value.at(i), m, file, depth + 1); });
  }
}

/// A change's sensitive values, before and after.
void redactChange(Value change, const SourceFile& file) {
  redactByMask(change.get("after"), change.get("after_sensitive"), file);
  redactByMask(change.get("before"), change.get("before_sensitive"), file);
}

bool isExpression(Value v) {
  return v.isObject() && (v.get("references") || v.get("constant_value") || v.size() == 0);
}

struct Walker {
  Plan* plan;
  const AttrMap* attr;
  std::vector<Segment> segs;
  Resource* r;
  bool configKnown;
  bool prior;
  const ModuleCtx* mod;
  LinkContext link;
  // callback to resolve references
  std::function<std::string(Value, int)> resolve;

  void walk(size_t si, Value obj, Value unk, Value sens, Value expr, bool exprParent,
            Value listExpr, std::vector<size_t>& idx, std::string spelling) {
    const Segment& seg = segs[si];
    Value o = obj.get(seg.name);
    Value u = isTrue(unk) ? unk : unk.get(seg.name);
    Value s = isTrue(sens) ? sens : sens.get(seg.name);
    Value e = expr.get(seg.name);
    const bool eParent = exprParent;  // the enclosing block's expressions exist
    if (!spelling.empty()) spelling += '.';
    spelling += seg.name;
    const bool last = si + 1 == segs.size();

    if (seg.index == Segment::Index::None) {
      if (last) {
        leaf(o, u, s, e, eParent, listExpr, idx, spelling);
      } else {
        walk(si + 1, o, u, s, e.isArray() ? e.at(0) : e, eParent && static_cast<bool>(e), listExpr,
             idx, spelling);
      }
      return;
    }
    // A list: either a block list or a list of scalars.
    if (!o.isArray() && isTrue(u)) {
      Field f;
      f.state = State::Unknown;
      f.span = r->header;
      f.spelling = spelling;
      store(instantiateList(idx), std::move(f));
      // A whole list of links unknown until apply (`compact([a.id, b.id])`, a list of
      // unknown length): each resource its expression names is an element, as in the
      // `.tf` it was planned from.
      if (last && !prior && attr->ref != Kind::Unknown && seg.index == Segment::Index::All &&
          isExpression(e) && e.get("references")) {
        for (size_t i = 0; i < 64 && !resolve(e.get("references"), static_cast<int>(i)).empty();
             ++i) {
          idx.push_back(i);
          leaf(Value(), u, s, Value(), eParent, e, idx, spelling + "[" + std::to_string(i) + "]");
          idx.pop_back();
        }
      }
      return;
    }
    size_t n = std::max(o.size(), u.isArray() ? u.size() : size_t{0});
    if (seg.index == Segment::Index::First) n = std::min<size_t>(n, 1);
    const bool scalarList = isExpression(e);  // one expression for the whole list
    for (size_t i = 0; i < n; ++i) {
      Value oi = o.at(i);
      Value ui = isTrue(u) ? u : u.at(i);
      Value si2 = isTrue(s) ? s : s.at(i);
      Value ei = scalarList ? Value() : e.at(i);
      Value li = scalarList ? e : listExpr;
      if (seg.index == Segment::Index::All) idx.push_back(i);
      std::string sp = spelling;
      if (seg.index == Segment::Index::All) sp += "[" + std::to_string(i) + "]";
      if (last) {
        leaf(oi, ui, si2, ei, eParent, li, idx, sp);
      } else {
        walkInto(si + 1, oi, ui, si2, ei, eParent && static_cast<bool>(ei), li, idx, sp);
      }
      if (seg.index == Segment::Index::All) idx.pop_back();
    }
  }

  void walkInto(size_t si, Value obj, Value unk, Value sens, Value expr, bool exprParent,
                Value listExpr, std::vector<size_t>& idx, const std::string& spelling) {
    walk(si, obj, unk, sens, expr, exprParent, listExpr, idx, spelling);
  }

  std::string instantiateList(const std::vector<size_t>& idx) const {
    // The list itself: the api pattern up to the first "[*]" not yet bound.
    std::string api = instantiate(attr->api, idx);
    const size_t cut = api.find('[', 0);
    return cut == std::string::npos ? api : api.substr(0, cut);
  }

  void store(std::string path, Field f) {
    auto& target = prior ? r->editPrior() : r->fields;
    target[std::move(path)] = std::move(f);
  }

  void leaf(Value o, Value u, Value s, Value e, bool exprParent, Value listExpr,
            std::vector<size_t>& idx, const std::string& spelling) {
    Field f;
    f.spelling = spelling;
    const bool written = static_cast<bool>(e) || static_cast<bool>(listExpr);
    if ((o.isObject() && o.size() > 0) || (o.isArray() && o.size() > 0)) {
      // A nested block that is present: the field says "(set)".
      f.state = State::Known;
      f.text = "(set)";
      f.span = o.span();
      f.authored = configKnown && written;
    } else if (o.exists() && !o.isNull() && !o.isObject() && !o.isArray()) {
      f.state = State::Known;
      f.text = scalarText(o);
      f.isNumber = o.isNumber();
      f.span = o.span();
      f.authored = configKnown && written;
      if (!prior && configKnown && exprParent && !written && !attr->providerDefault.empty() &&
          f.text == attr->providerDefault) {
        f.state = State::Defaulted;
        f.defaultedBy = std::string(kTerraform);
      }
    } else if (isTrue(u)) {
      // "Known after apply". When the author did not write the attribute at all,
      // the API fills it in: to the author it is absent.
      f.state = (configKnown && exprParent && !written) ? State::Absent : State::Unknown;
      f.span = r->header;
    } else {
      f.state = State::Absent;
      f.span = r->header;
    }
    if (isTrue(s)) {
      f.sensitive = true;
      if (f.state == State::Known) f.text = "(sensitive)";
    }
    if (attr->ref != Kind::Unknown) {
      if (!prior) {
        Atom address;
        if (e) {
          address = resolve(e.get("references"), -1);
        } else if (listExpr) {
          // One expression for a whole list: element i takes the i-th resource named.
          address =
              resolve(listExpr.get("references"), idx.empty() ? 0 : static_cast<int>(idx.back()));
        }
        if (!address.empty()) {
          f.ref.edit().address = address;
          f.ref.edit().configured = true;
        }
      }
      // An address attribute may hold a literal IP instead of a link.
      const bool literalIp = attr->ref == Kind::Address && isIpLiteral(f.text);
      if (f.state == State::Known && !f.sensitive && !literalIp)
        if (auto id = parseLink(f.text, link)) f.ref.edit().identity = std::move(*id);
    }
    // A list element: "backends[*].group" bound with the current indexes.
    store(instantiate(attr->api, idx), std::move(f));
  }
};

void Plan::fillFields(Resource& r, const TypeMap& type, Value object, Value unknown,
                      Value sensitive, Value expressions, bool configKnown, const ModuleCtx* mod,
                      bool prior) {
  for (const AttrMap& attr : type.attrs) {
    Walker w;
    w.plan = this;
    w.attr = &attr;
    w.segs = parsePattern(attr.tf);
    w.r = &r;
    w.configKnown = configKnown;
    w.prior = prior;
    w.mod = mod;
    w.link = LinkContext{attr.ref, r.id.project, Scope{}};
    // Bare names take the referrer's scope for regional kinds.
    if (attr.ref == Kind::Network || attr.ref == Kind::HealthCheck) {
      w.link.scope = attr.ref == Kind::Network ? Scope{Scope::Type::Global, ""} : r.id.scope;
    } else if (attr.ref == Kind::RunService) {
      w.link.scope = Scope{Scope::Type::Location, r.id.scope.name};
    } else {
      w.link.scope = r.id.scope;
    }
    w.resolve = [this, mod](Value refs, int element) {
      if (!mod) return std::string();
      if (element < 0) return resolveReferences(refs, *mod, 0);
      std::vector<std::string> distinct;
      refs.forEachElement([&](size_t, Value ref) {
        std::string a = resolveOne(ref.str(), *mod, 0);
        if (!a.empty() && (distinct.empty() || distinct.back() != a)) distinct.push_back(a);
      });
      return static_cast<size_t>(element) < distinct.size() ? distinct[static_cast<size_t>(element)]
                                                            : std::string();
    };
    std::vector<size_t> idx;
    w.walk(0, object, unknown, sensitive, expressions, static_cast<bool>(expressions), Value(), idx,
           "");
  }
  if (type.type == "google_cloud_run_service")
    readRunV1Ingress(r, object, unknown, expressions, configKnown, prior);
  readLabels(r, object, unknown, sensitive, expressions, configKnown, prior);
}

void Plan::readLabels(Resource& r, Value object, Value unknown, Value sensitive, Value expressions,
                      bool configKnown, bool prior) {
  auto& fields = prior ? r.editPrior() : r.fields;
  const Value labels = object.get("labels");
  const Value labelsUnknown = unknown.get("labels");
  const bool authored = configKnown && static_cast<bool>(expressions.get("labels"));
  lower::lowerLabels(fields, labels, "labels", authored);
  if (isTrue(labelsUnknown) && !labels.isObject()) {
    // The whole map is known only after apply.
    Field f;
    f.state = State::Unknown;
    f.span = r.header;
    f.spelling = "labels";
    f.authored = authored;
    fields["labels"] = std::move(f);
  } else {
    labelsUnknown.forEachMember([&](std::string_view key, Value u) {
      if (!isTrue(u) || labels.get(key)) return;
      Field f;
      f.state = State::Unknown;
      f.span = r.header;
      f.spelling = lower::labelSpelling("labels", key);
      f.authored = authored;
      fields["labels." + std::string(key)] = std::move(f);
    });
  }
  // Keys that only the provider's default_labels add: terraform_labels holds
  // labels plus default_labels (effective_labels adds what other tools set).
  object.get("terraform_labels").forEachMember([&](std::string_view key, Value v) {
    if (labels.get(key) || !v.isString()) return;
    Field f;
    f.state = State::Defaulted;
    f.text = std::string(v.str());
    f.span = v.span();
    f.spelling = lower::labelSpelling("terraform_labels", key);
    f.defaultedBy = "the google provider's `default_labels`";
    fields["labels." + std::string(key)] = std::move(f);
  });
  const Value labelsSensitive = sensitive.get("labels");
  for (auto& [path, f] : fields) {
    if (path.rfind("labels.", 0) != 0 || f.state != State::Known) continue;
    if (isTrue(labelsSensitive) || isTrue(labelsSensitive.get(path.substr(7)))) {
      f.sensitive = true;
      f.text = "(sensitive)";
    }
  }
}

void Plan::readRunV1Ingress(Resource& r, Value object, Value unknown, Value expressions,
                            bool configKnown, bool prior) {
  static constexpr std::string_view kKey = "run.googleapis.com/ingress";
  Field f;
  f.spelling = "metadata.annotations[\"run.googleapis.com/ingress\"]";
  f.span = r.header;
  Value meta = object.get("metadata").at(0);
  Value annotations = meta.get("annotations");
  Value v = annotations.get(kKey);
  Value metaUnknown = unknown.get("metadata");
  const bool annotationsUnknown = isTrue(metaUnknown) || isTrue(metaUnknown.at(0)) ||
                                  isTrue(metaUnknown.at(0).get("annotations"));
  Value annotationsExpr = expressions.get("metadata").at(0).get("annotations");
  if (!prior && annotations.isObject())
    lower::lowerRunAnnotations(r, annotations, "metadata.annotations",
                               configKnown && static_cast<bool>(annotationsExpr));
  if (v.isString()) {
    return;
  } else if (annotationsUnknown && !(configKnown && !annotationsExpr)) {
    f.state = State::Unknown;
  } else {
    f.state = State::Absent;
  }
  // The service spells its ingress as the annotation: say so even when it is not written.
  Fields& target = prior ? r.editPrior() : r.fields;
  target["ingressAnnotation"] = f;
  target["ingress"] = std::move(f);
}

Lifecycle lifecycleOf(Value actions) {
  std::vector<std::string_view> a;
  actions.forEachElement([&](size_t, Value v) { a.push_back(v.str()); });
  if (a.size() == 2 && a[0] == "delete" && a[1] == "create") return Lifecycle::ReplaceDeleteFirst;
  if (a.size() == 2 && a[0] == "create" && a[1] == "delete") return Lifecycle::ReplaceCreateFirst;
  if (a.size() == 1) {
    if (a[0] == "no-op") return Lifecycle::NoOp;
    if (a[0] == "create") return Lifecycle::Create;
    if (a[0] == "read") return Lifecycle::Read;
    if (a[0] == "update") return Lifecycle::Update;
    if (a[0] == "delete") return Lifecycle::Delete;
  }
  return Lifecycle::NoOp;
}

void Plan::lowerChange(const Change& c) {
  const TypeMap* type = findType(c.type);
  if (!type) return;
  const AddressParts parts = parseAddress(c.addressText);
  const ModuleCtx* mod = moduleFor(parts);
  const Value conf = mod ? resourceConfig(*mod, parts.resource) : Value();
  const bool configKnown = static_cast<bool>(config_);
  Value expressions = conf.get("expressions");
  if (configKnown && !conf) expressions = Value();  // e.g. dynamic/unknown config

  Resource r;
  r.sourceType = c.type;
  r.displayName = c.addressText;
  r.format = "terraform-plan";
  r.document = document_;
  r.header = c.address.span();
  r.setLifecycleSpan(c.actions.span());
  c.actions.forEachElement([&](size_t, Value a) {
    if (a.str() == "delete") r.setLifecycleSpan(a.span());  // what a deletion rule points at
  });
  r.lifecycle = c.lifecycle;

  // The effective object: planned values, or the state for a deletion.
  const bool deleting = c.lifecycle == Lifecycle::Delete;
  const Value object = deleting ? c.before : c.after;
  const Value unknown = deleting ? Value() : c.afterUnknown;
  const Value sensitive = deleting ? c.beforeSensitive : c.afterSensitive;

  // Identity.
  r.id.kind = type->kind;
  Value project = object.get("project");
  r.id.project =
      project.isString() ? std::string(project.str()) : providerConstant(mod, conf, "project");
  std::string scopeName;
  const char* scopeAttr = type->scope == Scope::Type::Zone       ? "zone"
                          : type->scope == Scope::Type::Location ? "location"
                                                                 : "region";
  Value scopeValue = object.get(scopeAttr);
  if (scopeValue.isString())
    scopeName = regionName(scopeValue.str());
  else if (type->scope == Scope::Type::Region || type->scope == Scope::Type::Location)
    scopeName = providerConstant(mod, conf, "region");
  if (type->scope == Scope::Type::Global)
    r.id.scope = Scope{Scope::Type::Global, ""};
  else if (!scopeName.empty())
    r.id.scope = Scope{type->scope, scopeName};
  Value name = object.get("name");
  if (name.isString()) r.id.name = std::string(name.str());
  // An IAM grant's `name` is the service it is on; the grant is known by its address.
  if (type->kind == Kind::IamMember) r.id.name = c.addressText;

  // The scope field itself, so rules can point at it.
  if (type->scope != Scope::Type::Global) {
    Field f;
    f.spelling = scopeAttr;
    if (scopeValue.isString()) {
      f.state = State::Known;
      f.text = scopeName;
      f.span = scopeValue.span();
    } else if (!scopeName.empty()) {
      f.state = State::Defaulted;
      f.text = scopeName;
      f.defaultedBy = "the google provider's `region`";
      f.span = r.header;
    } else {
      f.state = isTrue(unknown.get(scopeAttr)) ? State::Unknown : State::Absent;
      f.span = r.header;
    }
    r.fields[scopeAttr] = f;
  }
  {
    Field f;
    f.spelling = "name";
    f.state = name.isString() ? State::Known : State::Unknown;
    f.text = r.id.name;
    f.span = name.isString() ? name.span() : r.header;
    r.fields["name"] = f;
  }

  fillFields(r, *type, object, unknown, sensitive, expressions, configKnown && conf, mod, false);
  if (configKnown && conf && mod) r.editRare().dependsOn = dependencies(conf, *mod);
  // The object before the change is kept only when the change can alter it: a
  // no-op or read leaves it as `fields`, a deletion removes it as it is
  // (Resource::priorIsFields).
  const bool unchanged = c.lifecycle == Lifecycle::NoOp || c.lifecycle == Lifecycle::Read;
  if (c.before.isObject() && !deleting && !unchanged) {
    fillFields(r, *type, c.before, Value(), c.beforeSensitive, Value(), false, mod, true);
  } else if (c.before.isObject() && unchanged &&
             (c.before.get("private_key") || c.before.get("self_managed"))) {
    // Not kept, but its key material is still redacted from the source (lower()).
    Resource before;
    before.id = r.id;
    before.header = r.header;
    fillFields(before, *type, c.before, Value(), c.beforeSensitive, Value(), false, mod, true);
    if (before.prior) priorKeyMaterial.push_back(std::move(*before.prior));
  }
  if (type->kind == Kind::IamMember && c.type.rfind("google_project_iam_", 0) == 0)
    lower::markProjectWide(r, r.header, "project");
  if (type->kind == Kind::IamMember && c.type.size() > 11 &&
      c.type.compare(c.type.size() - 11, 11, "_iam_policy") == 0) {
    std::vector<Resource> grants;
    lower::iamGrants(r, policyBindings(r, object, conf, mod), grants);
    for (Resource& g : grants) graph_.add(std::move(g));
    return;
  }
  graph_.add(std::move(r));
}

/// The values of the resource or data source at `address`: its planned values
/// (a change's `after`, `planned_values`) or, for a data source read while
/// planning, `prior_state`.
Value Plan::valuesOf(std::string_view address) const {
  if (!valuesIndexed_) {
    valuesIndexed_ = true;
    // The first of each address wins: the changes, then the planned values,
    // then the prior state.
    const Lazy changes = root_.get("resource_changes");
    changes.forEachElement([&](size_t i, Lazy element) {
      const Value rc = element.value();
      if (rc.get("change").get("after").isObject())
        valuesAt_.emplace(std::string(rc.get("address").str()), ValuesAt{changes, i, true});
    });
    std::function<void(Lazy)> index = [&](Lazy module) {
      const Lazy resources = module.get("resources");
      resources.forEachElement([&](size_t i, Lazy element) {
        const Value res = element.value();
        if (res.get("values").isObject())
          valuesAt_.emplace(std::string(res.get("address").str()), ValuesAt{resources, i, false});
      });
      module.get("child_modules").forEachElement([&](size_t, Lazy child) { index(child); });
    };
    index(root_.get("planned_values").get("root_module"));
    index(root_.get("prior_state").get("values").get("root_module"));
  }
  const auto it = valuesAt_.find(std::string(address));
  if (it == valuesAt_.end()) return {};
  const Value found = it->second.list.at(it->second.index).value();  // kept
  return it->second.change ? found.get("change").get("after") : found.get("values");
}

/// The bindings of an `_iam_policy` resource's `policy_data`: the JSON text in
/// its planned values, else the `binding` blocks of the `data "google_iam_policy"`
/// it names (its values in the plan, else its configuration's constants).
std::vector<lower::IamBinding> Plan::policyBindings(const Resource& r, Value object, Value conf,
                                                    const ModuleCtx* mod) const {
  const Value text = object.get("policy_data");
  std::string decoded;
  std::vector<uint32_t> offsets;
  if (lower::decodeJsonString(text, &decoded, &offsets)) {
    SourceFile inner(Span::kNoFile - 1, "policy_data", decoded);
    json::ParseError err;
    const auto doc = json::parse(inner, json::Limits{}, &err);
    if (!doc || !doc->root().isObject()) return {};
    const uint32_t file = text.span().file;
    auto at = [&](Span s) {
      const size_t n = offsets.size() - 1;
      return Span{file, offsets[std::min<size_t>(s.begin, n)], offsets[std::min<size_t>(s.end, n)]};
    };
    return lower::readIamBindings(doc->root().get("bindings"), "policy_data: bindings",
                                  static_cast<bool>(conf), at);
  }
  // Unknown while planning: follow the expression to the data source.
  if (!mod) return {};
  const Value refs = conf.get("expressions").get("policy_data").get("references");
  const std::string address = resolveReferences(refs, *mod, 0);
  if (address.rfind(mod->prefix + "data.google_iam_policy.", 0) != 0) return {};
  if (const Value values = valuesOf(address); values.get("binding").isArray())
    return lower::readIamBindings(values.get("binding"), address + ": binding", true);
  // Only the configuration: the constants written in its binding blocks.
  const AddressParts parts = parseAddress(address);
  const Value dataConf = resourceConfig(*mod, parts.resource);
  std::vector<lower::IamBinding> out;
  dataConf.get("expressions").get("binding").forEachElement([&](size_t i, Value b) {
    lower::IamBinding binding;
    const std::string base = address + ": binding[" + std::to_string(i) + "]";
    const Value role = b.get("role").get("constant_value");
    binding.role.spelling = base + ".role";
    binding.role.authored = true;
    binding.role.state = role.isString() ? State::Known : State::Unknown;
    binding.role.text = role.isString() ? std::string(role.str()) : std::string();
    binding.role.span = role.isString() ? role.span() : r.header;
    const Value members = b.get("members").get("constant_value");
    if (members.isArray()) {
      members.forEachElement([&](size_t k, Value m) {
        Field f;
        f.spelling = base + ".members[" + std::to_string(k) + "]";
        f.authored = true;
        f.state = m.isString() ? State::Known : State::Unknown;
        f.text = m.isString() ? std::string(m.str()) : std::string();
        f.span = m.isString() ? m.span() : r.header;
        binding.members.push_back(std::move(f));
      });
    } else if (b.get("members")) {
      Field f;  // members computed from something unknown
      f.spelling = base + ".members";
      f.state = State::Unknown;
      f.span = r.header;
      binding.members.push_back(std::move(f));
    }
    out.push_back(std::move(binding));
  });
  return out;
}

void Plan::collectValues(Lazy module, std::set<std::string>& seen, bool dataOnly, bool redact) {
  module.get("resources").forEachElement([&](size_t, Lazy element) {
    const Value res = element.value();
    if (redact) redactByMask(res.get("values"), res.get("sensitive_values"), file_);
    if (!lowering_) return;
    const std::string address(res.get("address").str());
    if (address.empty() || seen.count(address)) return;
    const std::string_view mode = res.get("mode").str();
    if (dataOnly && mode != "data") return;
    seen.insert(address);
    Change c;
    c.entry = res;
    c.address = res.get("address");
    c.addressText = address;
    c.type = std::string(res.get("type").str());
    c.mode = std::string(mode);
    c.lifecycle = mode == "data" ? Lifecycle::Read : Lifecycle::Static;
    c.after = res.get("values");
    c.afterSensitive = res.get("sensitive_values");
    lowerChange(c);
  });
  module.get("child_modules").forEachElement([&](size_t, Lazy child) {
    collectValues(child, seen, dataOnly, redact);
  });
}

/// A raw state file (`terraform.tfstate`, format version 4, as the local
/// backend and `terraform state pull` write it): each resource's instances,
/// addressed as `terraform show -json` would, read like its state values.
void Plan::collectState(Value root) {
  const Value version = root.get("version");
  if (version.number() != 4) {
    diagnose(diag::kPlanShape, Severity::Error, version.span(),
             "unsupported Terraform state version " + std::string(version.rawText()) +
                 " (lbcheck reads state format version 4, written by Terraform 0.12 and later)",
             "read it with Terraform first: terraform show -json > state.json");
    return;
  }
  std::set<std::string> seen;
  root.get("resources").forEachElement([&](size_t, Value res) {
    if (!res.isObject()) return;
    const std::string_view module = res.get("module").str();
    const std::string_view mode = res.get("mode").str();
    const std::string type(res.get("type").str());
    const std::string_view name = res.get("name").str();
    if (type.empty() || name.empty()) return;
    std::string base;
    if (!module.empty()) base.append(module).append(".");
    if (mode == "data") base += "data.";
    base.append(type).append(".").append(name);
    res.get("instances").forEachElement([&](size_t, Value inst) {
      if (!inst.isObject() || inst.get("deposed")) return;  // an older copy of the same address
      const Value key = inst.get("index_key");
      std::string address = base;
      if (key.isNumber() || key.isString()) address.append("[").append(key.rawText()).append("]");
      if (!seen.insert(address).second) return;
      Change c;
      c.entry = inst;
      c.address = key.isNumber() || key.isString() ? key : res.get("name");
      c.addressText = address;
      c.type = type;
      c.mode = std::string(mode);
      c.lifecycle = mode == "data" ? Lifecycle::Read : Lifecycle::Static;
      c.after = inst.get("attributes");
      lowerChange(c);
    });
  });
}

void Plan::run() {
  const Lazy root = root_;
  const Value version = root.get("format_version").value();
  if (version.isString()) {
    const std::string_view v = version.str();
    const std::string_view major = v.substr(0, v.find('.'));
    if (major != "0" && major != "1") {
      diagnose(diag::kPlanShape, Severity::Error, version.span(),
               "unsupported Terraform plan format_version \"" + std::string(v) +
                   "\" (lbcheck reads 0.x and 1.x)",
               "produce the plan with Terraform 0.12 or later: terraform show -json plan.out");
      lowering_ = false;
    }
  } else if (version) {
    diagnose(diag::kPlanShape, Severity::Error, version.span(),
             "`format_version` must be a string such as \"1.2\"");
    lowering_ = false;
  }

  if (lowering_) {
    config_ = root.get("configuration").value();
    auto rootCtx = std::make_unique<ModuleCtx>();
    rootCtx->module = config_.get("root_module");
    byPrefix_.emplace("", rootCtx.get());
    modules_.push_back(std::move(rootCtx));
    if (!version && looksLikeState(root.value())) {
      collectState(root.value());
      lowering_ = false;
    }
  }
  const bool lowered = lowering_;

  std::set<std::string> seen;
  const Lazy changes = root.get("resource_changes");
  if (lowering_ && changes && !changes.isArray()) {
    diagnose(diag::kPlanShape, Severity::Error, changes.span(),
             "`resource_changes` must be an array");
    lowering_ = false;
  }
  // Each change is redacted and lowered while it is parsed (a large plan's
  // changes are parsed one at a time, Lazy::forEachElement).
  changes.forEachElement([&](size_t, Lazy element) {
    const Value rc = element.value();
    redactChange(rc.get("change"), file_);
    if (!lowering_ || !rc.isObject()) return;
    Change c;
    c.entry = rc;
    c.address = rc.get("address");
    c.addressText = std::string(c.address.str());
    if (c.addressText.empty()) return;
    if (rc.get("deposed")) return;  // a deposed object is an older copy of the same address
    c.type = std::string(rc.get("type").str());
    c.mode = std::string(rc.get("mode").str());
    const Value change = rc.get("change");
    c.actions = change.get("actions");
    c.lifecycle = lifecycleOf(c.actions);
    c.before = change.get("before");
    c.after = change.get("after");
    c.afterUnknown = change.get("after_unknown");
    c.afterSensitive = change.get("after_sensitive");
    c.beforeSensitive = change.get("before_sensitive");
    seen.insert(c.addressText);
    lowerChange(c);
  });
  // Resources without a change record (old or partial plans), and data sources
  // read while planning (they live in prior_state only).
  collectValues(root.get("planned_values").get("root_module"), seen, false, true);
  collectValues(root.get("prior_state").get("values").get("root_module"), seen, true, true);
  // `terraform show -json` without a plan file prints the state: read it as is
  // (and redacted: its sensitive values were shown in the lines reports quote).
  collectValues(root.get("values").get("root_module"), seen, false, true);
  if (lowered && lowering_ && !changes && !root.get("planned_values") && !root.get("values") &&
      !config_) {
    diagnose(diag::kPlanShape, Severity::Note, version.span(),
             "this Terraform JSON has no `resource_changes`, `planned_values`, `values` or "
             "`configuration`: nothing to check",
             "lbcheck reads `terraform show -json plan.out` (a plan) or `terraform show -json` "
             "(the state)");
  }
}

/// The sensitive values no resource holds: drift, outputs, variables.
void redactTheRest(Lazy root, const SourceFile& file) {
  root.get("resource_drift").forEachElement([&](size_t, Lazy rc) {
    redactChange(rc.value().get("change"), file);
  });
  root.get("output_changes").value().forEachMember([&](std::string_view, Value c) {
    redactChange(c, file);
  });
  for (Lazy outputs :
       {root.get("planned_values").get("outputs"),
        root.get("prior_state").get("values").get("outputs"), root.get("values").get("outputs")}) {
    outputs.value().forEachMember([&](std::string_view, Value o) {
      if (isTrue(o.get("sensitive"))) redactByMask(o.get("value"), o.get("sensitive"), file);
    });
  }
  // Variables are in clear text; the configuration says which are sensitive.
  const Value declared = root.get("configuration").value().get("root_module").get("variables");
  root.get("variables").value().forEachMember([&](std::string_view name, Value v) {
    if (isTrue(declared.get(name).get("sensitive")))
      redactByMask(v.get("value"), declared.get(name).get("sensitive"), file);
  });
}

/// Lowers the plan `root` of `file` (see lower()).
void lowerPlan(Lazy root, const SourceFile& file, Graph& graph, std::vector<Finding>& diagnostics) {
  const size_t first = graph.size();
  Plan plan(root, file, graph, diagnostics);
  plan.run();
  redactTheRest(root, file);
  for (size_t i = first; i < graph.size(); ++i)
    lower::redactKeyMaterial(graph.at(static_cast<int32_t>(i)), file);
  for (Fields& before : plan.priorKeyMaterial) {
    Resource r;
    r.prior = std::move(before);
    lower::redactKeyMaterial(r, file);
  }
}

}  // namespace

bool looksLikeState(Value root) {
  return root.isObject() && !root.get("format_version") && root.get("version").isNumber() &&
         root.get("terraform_version").isString() && root.get("resources").isArray();
}

bool looksLikePlan(Value root) {
  if (looksLikeState(root)) return true;
  if (!root.isObject() || !root.get("format_version")) return false;
  return root.get("resource_changes") || root.get("planned_values") || root.get("values") ||
         root.get("configuration") || root.get("terraform_version");
}

void lower(const json::Document& doc, const SourceFile& file, Graph& graph,
           std::vector<Finding>& diagnostics) {
  lowerPlan(Lazy(doc.root()), file, graph, diagnostics);
}

bool startsLikePlan(std::string_view bytes) {
  size_t i = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  auto space = [&] {
    while (i < bytes.size() &&
           (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r'))
      ++i;
  };
  space();
  if (i >= bytes.size() || bytes[i] != '{') return false;
  ++i;
  space();
  return bytes.substr(i, 16) == "\"format_version\"";
}

bool lowerInPieces(const SourceFile& file, size_t maxDepth, Graph& graph,
                   std::vector<Finding>& diagnostics) {
  const std::string_view text = file.text();
  const uint32_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  json::Skim skim;
  if (!skimPlan(text, bom, maxDepth, &skim)) return false;
  Pieces pieces(file, maxDepth);
  const Lazy root(&pieces, &skim, 0);
  // What looksLikePlan asks of a document that has a format_version.
  if (!root.get("format_version") ||
      !(root.get("resource_changes") || root.get("planned_values") || root.get("values") ||
        root.get("configuration") || root.get("terraform_version")))
    return false;
  lowerPlan(root, file, graph, diagnostics);
  pieces.checkTheRest(skim);
  return !pieces.failed();
}

}  // namespace lbcheck::tfplan
