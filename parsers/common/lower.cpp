#include "parsers/common/lower.h"

#include <cctype>
#include <cmath>
#include <cstdio>

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

std::string krmKey(std::string_view ns, Kind kind, std::string_view name) {
  return "krm:" + std::string(ns) + "/" + std::string(collectionName(kind)) + "/" +
         std::string(name);
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
    const std::string_view t = v.str();
    if (t == "all") f.text = "INGRESS_TRAFFIC_ALL";
    if (t == "internal") f.text = "INGRESS_TRAFFIC_INTERNAL_ONLY";
    if (t == "internal-and-cloud-load-balancing") f.text = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER";
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
  labels.forEachMember([&](std::string_view key, Value v) {
    if (v.isNull() || v.isObject() || v.isArray()) return;
    Field f;
    f.state = State::Known;
    f.text = scalarText(v);
    f.span = v.span();
    f.spelling = labelSpelling(prefix, key);
    f.authored = authored;
    r.fields["labels." + std::string(key)] = std::move(f);
  });
}

void redactKeyMaterial(Resource& r, const SourceFile& file) {
  for (auto* fields : {&r.fields, &r.prior}) {
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
        f.ref.identity = parseLink(f.text, linkContext(r, map.ref));
        f.ref.external = true;
      } else if (name.isString()) {
        f.state = State::Known;
        f.text = std::string(name.str());
        f.span = name.span();
        const Value refNs = v.get("namespace");
        f.ref.address = krmKey(refNs.isString() ? refNs.str() : ns, map.ref, f.text);
        // When no KRM object has that name, the GCP resource may come from another input.
        f.ref.identity = parseLink(f.text, linkContext(r, map.ref));
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
      f.number = v.number();
      // An address field holds either a link or a literal IP: only a link is a reference.
      const bool literalIp = map.ref == Kind::Address && isIpLiteral(f.text);
      if (map.ref != Kind::Unknown && !literalIp)
        f.ref.identity = parseLink(f.text, linkContext(r, map.ref));
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

}  // namespace lbcheck::lower
