#include "engine/fix.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace lbcheck {

namespace {

/// The API's own names and values: what an export or an unknown input shows.
class CanonicalDialect : public Dialect {
 public:
  std::string name(const Resource&, std::string_view field) const override {
    return std::string(field);
  }
  std::string describe(const Resource& r, const Edit& e) const override {
    const std::string n = fieldName(r, e.field);
    if (e.op == Edit::Op::Remove) return "remove " + n;
    return "set " + n + " to " + value(r, e.field, e.value);
  }
};

std::map<std::string, const Dialect*, std::less<>>& registry() {
  static std::map<std::string, const Dialect*, std::less<>> dialects;
  return dialects;
}

}  // namespace

std::string Dialect::value(const Resource&, std::string_view, std::string_view canonical) const {
  return std::string(canonical);
}

std::string Dialect::literal(const Resource&, const Edit&) const { return {}; }

std::optional<Replacement> Dialect::replacement(const Resource& r, const Edit& e,
                                                const Field& f) const {
  if (e.op == Edit::Op::Remove && !removes()) return std::nullopt;
  std::string text;
  if (e.op == Edit::Op::Set) {
    text = literal(r, e);
    if (text.empty()) return std::nullopt;
  }
  // The last segment of the name as written: "backend[0].balancing_mode" ->
  // "balancing_mode", "spec.timeoutSec" -> "timeoutSec".
  std::string key = fieldName(r, e.field);
  if (const size_t dot = key.rfind('.'); dot != std::string::npos) key.erase(0, dot + 1);
  if (const size_t bracket = key.find('['); bracket != std::string::npos) key.resize(bracket);
  if (key.empty()) return std::nullopt;
  const auto kind = e.op == Edit::Op::Set ? Replacement::Kind::Value : Replacement::Kind::Entry;
  return Replacement{f.span, std::move(text), kind, std::move(key), this};
}

bool Dialect::settle(std::string_view, Replacement& rep) const {
  return rep.kind == Replacement::Kind::Value;
}

std::string Dialect::createAfter(const Resource& later, const Resource& first) const {
  return "create " + std::string(kindLabel(first.id.kind)) + " `" + first.id.name + "` before " +
         std::string(kindLabel(later.id.kind)) + " `" + later.id.name + "`";
}

std::string Dialect::createBeforeDestroy(const Resource&) const {
  return "create the new copy under another name before deleting the old one";
}

std::string Dialect::detachFirst(const Resource&, const Resource&) const { return {}; }

std::string Dialect::missedDrop(const Resource&, std::string_view) const { return {}; }

std::string Dialect::updateUnattended(const Resource&) const {
  return "change it with an update that runs unattended instead of the interactive editor";
}

bool Dialect::writes(const Resource&, std::string_view) const { return true; }

void detail::registerDialect(std::string_view format, const Dialect* dialect) {
  registry()[std::string(format)] = dialect;
}

const Dialect& dialectOf(const Resource& r) {
  static const CanonicalDialect kCanonical;
  const auto& dialects = registry();
  const auto it = dialects.find(r.format);
  return it == dialects.end() ? kCanonical : *it->second;
}

std::string fieldName(const Resource& r, std::string_view field) {
  const Field& f = r.field(field);
  if (!f.spelling.empty() && f.state != State::Defaulted) return f.spelling;
  return dialectOf(r).name(r, field);
}

Fix makeFix(const Resource& r, std::vector<Edit> edits) {
  const Dialect& d = dialectOf(r);
  Fix fix;
  for (const Edit& e : edits) {
    if (!fix.description.empty()) fix.description += ", and ";
    fix.description += d.describe(r, e);
    const Field* f = &r.field(e.field);
    if (e.op == Edit::Op::Remove && f->state == State::Absent) {
      // A list or an object written as a whole ("healthChecks"): its first
      // written element locates the entry.
      for (auto it = r.fields.lower_bound(e.field); it != r.fields.end(); ++it) {
        const std::string_view path = it->first.view();
        if (path.substr(0, e.field.size()) != e.field) break;
        if (path.size() == e.field.size() ||
            (path[e.field.size()] != '[' && path[e.field.size()] != '.'))
          continue;
        f = &it->second;
        break;
      }
    }
    // A Set replaces a known written value; a Remove takes out any written one
    // (a reference, an expression).
    const bool written = e.op == Edit::Op::Set
                             ? f->state == State::Known
                             : f->state != State::Absent && f->state != State::Defaulted;
    if (!written || !d.editable(*f) || !f->span.valid()) continue;
    // A value written elsewhere (a .tfvars file) is set where it is written.
    Field at;
    if (e.op == Edit::Op::Set && !r.writtenAt().empty()) {
      at = *f;
      at.span = r.valueWrittenAt(e.field);
      f = &at;
    }
    if (auto rep = d.replacement(r, e, *f)) fix.replacements.push_back(std::move(*rep));
  }
  fix.edits = std::move(edits);
  return fix;
}

namespace {
std::vector<std::string_view> segments(std::string_view p) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= p.size(); ++i) {
    if (i == p.size() || p[i] == '.') {
      out.push_back(p.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}
}  // namespace

std::string mapPath(std::string_view path, std::string_view from, std::string_view to) {
  std::vector<std::string_view> indexes;
  size_t i = 0, j = 0;
  while (i < path.size() && j < from.size()) {
    if (from.substr(j, 3) == "[*]" && path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) return {};
      indexes.push_back(path.substr(i + 1, close - i - 1));
      i = close + 1;
      j += 3;
    } else if (path[i] == from[j]) {
      ++i, ++j;
    } else {
      return {};
    }
  }
  if (i < path.size()) return {};
  size_t keep = std::string_view::npos;  // how much of `to` to render
  if (j < from.size()) {
    const std::string_view rest = from.substr(j);
    const auto toSegs = segments(to);
    size_t n = segments(path).size();
    if (rest.substr(0, 3) == "[*]" && (rest.size() == 3 || rest[3] == '.')) {
      // "healthChecks" names the whole list "healthChecks[*]": `to` up to its
      // list marker that follows the indexes the path took
      // ("spec.healthChecks[*].healthCheckRef" -> "spec.healthChecks").
      size_t at = to.find("[*]");
      for (size_t k = 0; k < indexes.size() && at != std::string_view::npos; ++k)
        at = to.find("[*]", at + 3);
      if (at != std::string_view::npos) keep = at;
    } else if (rest[0] != '.') {
      return {};
    } else {
      // An object whose fields `from` goes on to: count the segments from the
      // end, since `to` may add leading ones ("spec.iap.enabled" for "iap.enabled").
      const size_t restSegs = segments(rest.substr(1)).size();
      if (toSegs.size() > restSegs) n = toSegs.size() - restSegs;
    }
    if (keep == std::string_view::npos) {
      if (n > toSegs.size()) return {};
      keep = static_cast<size_t>(toSegs[n - 1].data() + toSegs[n - 1].size() - to.data());
    }
  }
  std::string out;
  size_t k = 0;
  const std::string_view t = to.substr(0, keep);
  for (size_t x = 0; x < t.size();) {
    if (t.substr(x, 3) == "[*]") {
      if (k < indexes.size()) out += "[" + std::string(indexes[k]) + "]";
      ++k;
      x += 3;
    } else if (t.substr(x, 3) == "[0]") {
      x += 3;
    } else {
      out += t[x++];
    }
  }
  return out;
}

bool bareValue(std::string_view v) {
  if (v == "true" || v == "false") return true;
  if (v.empty()) return false;
  size_t i = v[0] == '-' ? 1 : 0;
  if (i == v.size()) return false;
  bool dot = false;
  for (; i < v.size(); ++i) {
    if (v[i] == '.' && !dot) {
      dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  return v.back() != '.';
}

namespace {
std::string splitCamel(std::string_view camel, char sep) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    const char c = camel[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      const bool prevLower = i > 0 && !std::isupper(static_cast<unsigned char>(camel[i - 1]));
      if (i > 0 && prevLower && camel[i - 1] != '.' && camel[i - 1] != '-' && camel[i - 1] != '[')
        out += sep;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace

std::string snakeCase(std::string_view camel) { return splitCamel(camel, '_'); }
std::string kebabCase(std::string_view camel) { return splitCamel(camel, '-'); }

}  // namespace lbcheck
