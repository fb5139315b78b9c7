#include "parsers/common/lower.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "engine/vocabulary.h"

namespace lbcheck::lower {

using json::Value;

std::vector<Segment> parsePattern(std::string_view pattern) {
  std::vector<Segment> out;
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t dot = pattern.find('.', start);
    if (dot == std::string_view::npos) dot = pattern.size();
    std::string_view seg = pattern.substr(start, dot - start);
    Segment s;
    if (seg.size() > 3 && seg.substr(seg.size() - 3) == "[*]") {
      s.index = Segment::Index::All;
      seg.remove_suffix(3);
    } else if (seg.size() > 3 && seg.substr(seg.size() - 3) == "[0]") {
      s.index = Segment::Index::First;
      seg.remove_suffix(3);
    }
    s.name = seg;
    out.push_back(s);
    start = dot + 1;
  }
  return out;
}

/// Replaces each "[*]" of `pattern` with the next index.
std::string instantiate(std::string_view pattern, const std::vector<size_t>& indexes) {
  std::string out;
  size_t k = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.substr(i, 3) == "[*]") {
      out += '[' + std::to_string(k < indexes.size() ? indexes[k] : 0) + ']';
      ++k;
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

std::string scalarText(Value v) {
  if (v.isString()) return std::string(v.str());
  if (v.isBool()) return v.boolean() ? "true" : "false";
  if (v.isNumber()) {
    const double d = v.number();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.0f", d);
      return buf;
    }
    return std::string(v.rawText());
  }
  return {};
}

std::string krmPrefix(std::string_view ns, Kind kind) {
  return "krm:" + std::string(ns) + "/" + std::string(collectionName(kind)) + "/";
}

void lowerRunAnnotations(Resource& r, Value annotations, std::string_view prefix, bool authored) {
  auto field = [&](std::string_view key, Value v) {
    Field f;
    f.state = State::Known;
    f.text = scalarText(v);
    f.span = v.span();
    f.spelling = std::string(prefix) + "[\"" + std::string(key) + "\"]";
    f.authored = authored;
    return f;
  };
  if (const Value v = annotations.get("run.googleapis.com/ingress"); v.isString()) {
    Field f = field("run.googleapis.com/ingress", v);
    r.fields["ingressAnnotation"] = f;
    if (const std::string_view c = vocab::canonicalIngress(v.str()); !c.empty())
      f.text = std::string(c);
    r.fields["ingress"] = std::move(f);
  }
  if (const Value v = annotations.get("run.googleapis.com/invoker-iam-disabled"); v)
    r.fields["invokerIamDisabled"] = field("run.googleapis.com/invoker-iam-disabled", v);
  for (std::string_view key :
       {"run.googleapis.com/default-url-disabled", "run.googleapis.com/disable-default-url"}) {
    if (const Value v = annotations.get(key); v) r.fields["defaultUriDisabled"] = field(key, v);
  }
}

std::string labelSpelling(std::string_view prefix, std::string_view key) {
  bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char c : key)
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  if (plain) return std::string(prefix) + "." + std::string(key);
  return std::string(prefix) + "[\"" + std::string(key) + "\"]";
}

void lowerLabels(Resource& r, Value labels, std::string_view prefix, bool authored) {
  lowerLabels(r.fields, labels, prefix, authored);
}

void lowerLabels(Fields& fields, Value labels, std::string_view prefix, bool authored) {
  labels.forEachMember([&](std::string_view key, Value v) {
    if (v.isNull() || v.isObject() || v.isArray()) return;
    Field f;
    f.state = State::Known;
    f.text = scalarText(v);
    f.span = v.span();
    f.spelling = labelSpelling(prefix, key);
    f.authored = authored;
    fields["labels." + std::string(key)] = std::move(f);
  });
}

void redactKeyMaterial(Resource& r, const SourceFile& file) {
  // A prior that is `fields` itself (Resource::priorIsFields) is redacted with it.
  for (auto* fields : {&r.fields, r.prior ? &*r.prior : nullptr}) {
    if (!fields) continue;
    for (const char* path : {"privateKey", "selfManaged.pemPrivateKey"}) {
      const auto it = fields->find(path);
      if (it == fields->end() || it->second.state != State::Known) continue;
      Field& f = it->second;
      f.sensitive = true;
      f.text = "(sensitive)";
      if (f.span.valid() && f.span.file == file.id()) file.redact(f.span.begin, f.span.end);
    }
  }
}

LinkContext linkContext(const Resource& r, Kind kind) {
  LinkContext c{kind, r.id.project, r.id.scope};
  if (kind == Kind::Network || kind == Kind::Firewall) c.scope = Scope{Scope::Type::Global, ""};
  if (kind == Kind::RunService) c.scope = Scope{Scope::Type::Location, r.id.scope.name};
  return c;
}

std::vector<IamBinding> readIamBindings(Value list, std::string_view prefix, bool authored,
                                        const std::function<Span(Span)>& at) {
  std::vector<IamBinding> out;
  auto where = [&](Span s) { return at ? at(s) : s; };
  list.forEachElement([&](size_t i, Value b) {
    if (!b.isObject()) return;
    IamBinding binding;
    const std::string base = std::string(prefix) + "[" + std::to_string(i) + "]";
    const Value role = b.get("role");
    binding.role.spelling = base + ".role";
    binding.role.authored = authored;
    if (role.isString()) {
      binding.role.state = State::Known;
      binding.role.text = std::string(role.str());
      binding.role.span = where(role.span());
    } else {
      binding.role.state = State::Unknown;
      binding.role.span = where(b.span());
    }
    b.get("members").forEachElement([&](size_t k, Value m) {
      Field f;
      f.spelling = base + ".members[" + std::to_string(k) + "]";
      f.authored = authored;
      Value text = m;
      if (m.isObject()) {
        text = m.get("member");
        if (text.isString()) f.spelling += ".member";
      }
      if (text.isString()) {
        f.state = State::Known;
        f.text = std::string(text.str());
        f.span = where(text.span());
      } else {
        f.state = State::Unknown;  // memberFrom: a service account or another object
        f.span = where(m.span());
      }
      binding.members.push_back(std::move(f));
    });
    out.push_back(std::move(binding));
  });
  return out;
}

bool decodeJsonString(Value v, std::string* out, std::vector<uint32_t>* offsets) {
  if (!v.isString()) return false;
  const std::string_view raw = v.rawText();
  const uint32_t base = v.span().begin;
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return false;
  out->clear();
  offsets->clear();
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    const uint32_t at = base + static_cast<uint32_t>(i);
    const char c = raw[i];
    if (c != '\\') {
      out->push_back(c);
      offsets->push_back(at);
      continue;
    }
    if (i + 2 >= raw.size()) return false;
    const char e = raw[++i];
    auto put = [&](char d) {
      out->push_back(d);
      offsets->push_back(at);
    };
    switch (e) {
      case 'n':
        put('\n');
        break;
      case 't':
        put('\t');
        break;
      case 'r':
        put('\r');
        break;
      case 'b':
        put('\b');
        break;
      case 'f':
        put('\f');
        break;
      case 'u': {
        if (i + 4 >= raw.size()) return false;
        unsigned cp = 0;
        for (size_t k = 1; k <= 4; ++k) {
          const int h = hex(raw[i + k]);
          if (h < 0) return false;
          cp = cp * 16 + static_cast<unsigned>(h);
        }
        i += 4;
        // Surrogates and the rest are kept as UTF-8 of the code unit: only
        // their offsets matter here, policy JSON is ASCII in practice.
        if (cp < 0x80) {
          put(static_cast<char>(cp));
        } else if (cp < 0x800) {
          put(static_cast<char>(0xC0 | (cp >> 6)));
          put(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          put(static_cast<char>(0xE0 | (cp >> 12)));
          put(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          put(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default:
        put(e);
        break;  // \" \\ \/
    }
  }
  offsets->push_back(base + static_cast<uint32_t>(raw.size() - 1));
  return true;
}

void iamGrants(const Resource& base, const std::vector<IamBinding>& bindings,
               std::vector<Resource>& out) {
  if (bindings.empty()) {
    out.push_back(base);
    return;
  }
  for (size_t i = 0; i < bindings.size(); ++i) {
    Resource r = base;
    if (i > 0) r.id.name += "#bindings[" + std::to_string(i) + "]";
    r.fields["role"] = bindings[i].role;
    for (size_t k = 0; k < bindings[i].members.size(); ++k)
      r.fields["members[" + std::to_string(k) + "]"] = bindings[i].members[k];
    out.push_back(std::move(r));
  }
}

namespace {

struct Walk {
  Resource& r;
  const PathMap& map;
  std::vector<Segment> segs;
  std::string_view ns;
  bool authored;

  void run(size_t si, Value v, std::vector<size_t>& idx, const std::string& spelling) {
    if (si == segs.size()) {
      leaf(v, idx, spelling);
      return;
    }
    const Segment& seg = segs[si];
    const Value child = v.get(seg.name);
    if (!child) return;
    std::string sp =
        spelling.empty() ? std::string(seg.name) : spelling + "." + std::string(seg.name);
    if (seg.index == Segment::Index::None) {
      run(si + 1, child, idx, sp);
      return;
    }
    if (!child.isArray()) return;
    const size_t n =
        seg.index == Segment::Index::First ? std::min<size_t>(child.size(), 1) : child.size();
    for (size_t i = 0; i < n; ++i) {
      if (seg.index == Segment::Index::All) idx.push_back(i);
      run(si + 1, child.at(i), idx, sp + "[" + std::to_string(i) + "]");
      if (seg.index == Segment::Index::All) idx.pop_back();
    }
  }

  void leaf(Value v, std::vector<size_t>& idx, const std::string& spelling) {
    Field f;
    f.spelling = spelling;
    f.span = v.span();
    f.authored = authored;
    if (map.style == RefStyle::Krm && v.isObject()) {
      const Value external = v.get("external");
      const Value name = v.get("name");
      if (external.isString()) {
        f.state = State::Known;
        f.text = std::string(external.str());
        f.span = external.span();
        if (auto id = parseLink(f.text, linkContext(r, map.ref)))
          f.ref.edit().identity = std::move(*id);
        f.ref.edit().external = true;
      } else if (name.isString()) {
        f.state = State::Known;
        f.text = std::string(name.str());
        f.span = name.span();
        const Value refNs = v.get("namespace");
        f.ref.edit().address = krmPrefix(refNs.isString() ? refNs.str() : ns, map.ref);
        // When no KRM object has that name, the GCP resource may come from another input.
        if (auto id = parseLink(f.text, linkContext(r, map.ref)))
          f.ref.edit().identity = std::move(*id);
      } else {
        return;
      }
    } else if ((v.isObject() || v.isArray()) && v.size() > 0) {
      // A nested object that is present (outlierDetection, cdnPolicy...).
      f.state = State::Known;
      f.text = "(set)";
    } else if (v.isNull() || v.isObject() || v.isArray()) {
      return;
    } else {
      f.state = State::Known;
      f.text = scalarText(v);
      f.isNumber = v.isNumber();
      // An address field holds either a link or a literal IP: only a link is a reference.
      const bool literalIp = map.ref == Kind::Address && isIpLiteral(f.text);
      if (map.ref != Kind::Unknown && !literalIp)
        if (auto id = parseLink(f.text, linkContext(r, map.ref)))
          f.ref.edit().identity = std::move(*id);
    }
    r.fields[instantiate(map.api, idx)] = std::move(f);
  }
};

}  // namespace

void lowerPaths(Resource& r, Value root, std::span<const PathMap> maps, bool authored,
                std::string_view krmNamespace) {
  for (const PathMap& m : maps) {
    Walk w{r, m, parsePattern(m.source), krmNamespace, authored};
    std::vector<size_t> idx;
    w.run(0, root, idx, "");
  }
}

void markProjectWide(Resource& grant, Span at, std::string spelling) {
  Field on;
  on.state = State::Known;
  on.text = "project";
  on.span = at;
  on.spelling = std::move(spelling);
  on.authored = true;
  grant.fields["grantedOn"] = std::move(on);
}

}  // namespace lbcheck::lower
