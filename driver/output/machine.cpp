// JSON and SARIF reporters.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>
#include <tuple>

#include "driver/output/report.h"
#include "engine/diagnostics.h"

namespace lbcheck {

const char* const kVersion = LBCHECK_VERSION;
const char* const kInformationUri = "https://github.com/lbcheck/lbcheck";

namespace {

using nlohmann::ordered_json;

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
/// Stands for the streamed array in the skeleton (control characters never
/// occur in a key or value of ours unescaped).
constexpr const char* kStreamed = "\x01streamed\x01";

/// Writes `skeleton` as dump(2) writes it, with the array of `count` items
/// (`item(i)` builds one) in place of the value kStreamed: byte for byte what
/// dumping the whole document would give, without holding it (a large run's
/// report is larger than its graph).
template <typename Item>
void writeStreamed(std::ostream& out, const ordered_json& skeleton, size_t count, Item&& item) {
  const std::string text = skeleton.dump(2, ' ', false, kReplace);
  const std::string marker = ordered_json(kStreamed).dump();
  const size_t at = text.find(marker);
  if (at == std::string::npos) {  // not in the skeleton: nothing to stream into
    out << text << '\n';
    return;
  }
  const size_t lineStart = text.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
  size_t indent = 0;
  while (text[lineStart + indent] == ' ') ++indent;
  out.write(text.data(), static_cast<std::streamsize>(at));
  if (count == 0) {
    out << "[]";
  } else {
    const std::string pad(indent + 2, ' ');
    out << "[\n";
    for (size_t i = 0; i < count; ++i) {
      const std::string one = item(i).dump(2, ' ', false, kReplace);
      out << pad;
      for (char c : one) {
        out.put(c);
        if (c == '\n') out << pad;
      }
      out << (i + 1 < count ? ",\n" : "\n");
    }
    out << std::string(indent, ' ') << ']';
  }
  out.write(text.data() + at + marker.size(),
            static_cast<std::streamsize>(text.size() - at - marker.size()));
  out << '\n';
}

ordered_json region(const SourceManager& sources, Span span) {
  const SourceFile* file = sources.find(span.file);
  ordered_json r = ordered_json::object();
  if (!file) return r;
  const Location a = file->locate(span.begin);
  Location b = file->locate(std::max(span.end, span.begin));
  if (b.line < a.line || (b.line == a.line && b.column <= a.column)) b = {a.line, a.column + 1};
  r["startLine"] = a.line;
  r["startColumn"] = a.column;
  r["endLine"] = b.line;
  r["endColumn"] = b.column;
  return r;
}

/// Percent-encodes what a URI path cannot hold as is (RFC 3986: unreserved
/// characters and `/` stay, everything else is %XX of its UTF-8 bytes).
std::string percentEncode(std::string_view path) {
  std::string out;
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      out += buf;
    }
  }
  return out;
}

namespace fs = std::filesystem;

/// An absolute, normalised path with symbolic links resolved where they exist,
/// so a file and the root compare alike however each was spelled.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) return p.lexically_normal();
  fs::path c = fs::weakly_canonical(abs, ec);
  return (ec ? abs : c).lexically_normal();
}

/// `file:///abs/path` for an absolute path (a directory's ends with `/`).
std::string fileUri(const fs::path& abs, bool directory) {
  std::string path = abs.generic_string();
  if (directory && (path.empty() || path.back() != '/')) path += '/';
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');  // C:/x -> /C:/x
  return "file://" + percentEncode(path);
}

/// Where each file of a report is, for SARIF: relative to the source root
/// (uriBaseId %SRCROOT%) when it is under it, else an absolute file:// URI
/// without a base id (SARIF1004 forbids a base id on an absolute URI).
class UriMapper {
 public:
  UriMapper(const SourceManager& sources, const std::string& root)
      : sources_(sources), root_(resolved(root.empty() ? fs::path(".") : fs::path(root))) {}

  std::string rootUri() const { return fileUri(root_, true); }

  ordered_json artifactLocation(Span span) {
    const SourceFile* file = sources_.find(span.file);
    if (!file) return {{"uri", "unknown"}, {"uriBaseId", "%SRCROOT%"}};
    auto it = cache_.find(span.file);
    if (it == cache_.end()) it = cache_.emplace(span.file, locate(file->path())).first;
    return it->second;
  }

 private:
  ordered_json locate(const std::string& path) const {
    const fs::path abs = resolved(path);
    const fs::path rel = abs.lexically_relative(root_);
    const std::string relText = rel.generic_string();
    const bool under =
        !rel.empty() && rel.is_relative() && relText != "." && *rel.begin() != fs::path("..");
    if (under) return {{"uri", percentEncode(relText)}, {"uriBaseId", "%SRCROOT%"}};
    return {{"uri", fileUri(abs, false)}};
  }

  const SourceManager& sources_;
  fs::path root_;
  std::map<uint32_t, ordered_json> cache_;
};

/// The tool diagnostic of an input that cannot be read.
constexpr std::string_view kUnreadableId = diag::kUnreadable;

/// SARIF's levels are lbcheck's severity names.
std::string sarifLevel(Severity s) { return std::string(severityName(s)); }

/// "proxy-only-subnet-missing" -> "ProxyOnlySubnetMissing"
std::string pascal(std::string_view slug) {
  std::string out;
  bool up = true;
  for (char c : slug) {
    if (c == '-' || c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

}  // namespace

std::string fingerprint(const Finding& f, const SourceManager& sources) {
  std::string key = f.ruleId + "|";
  if (!f.identity.empty()) {
    key += f.identity + "|" + f.fieldPath;
  } else {
    // File diagnostics have no resource: the file and the message identify them.
    const SourceFile* file = sources.find(f.span.file);
    key += (file ? file->path() : std::string()) + "|" + f.message;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
  return buf;
}

void writeJson(std::ostream& stream, const SourceManager& sources,
               const std::vector<Finding>& findings, size_t filesRead,
               const std::vector<SkippedFile>& skipped) {
  ordered_json out;
  out["version"] = kVersion;
  out["filesRead"] = filesRead;
  size_t counts[3] = {0, 0, 0};
  size_t suppressed = 0, baseline = 0;
  for (const Finding& f : findings) {
    if (f.active()) ++counts[static_cast<int>(f.severity)];
    suppressed += f.suppression.has_value();
    baseline += f.baseline && !f.suppression;
  }
  out["summary"] = {{"errors", counts[2]},  {"warnings", counts[1]},
                    {"notes", counts[0]},   {"suppressed", suppressed},
                    {"baseline", baseline}, {"skipped", skipped.size()}};
  out["findings"] = kStreamed;
  ordered_json skippedList = ordered_json::array();
  for (const SkippedFile& s : skipped) {
    const SourceFile* file = sources.find(s.file);
    skippedList.push_back({{"file", file ? file->path() : ""},
                           {"reason", skipReasonKey(s.why.reason)},
                           {"message", skipReasonText(s.why.reason)},
                           {"detail", s.why.detail}});
  }
  out["skipped"] = std::move(skippedList);
  writeStreamed(stream, out, findings.size(), [&](size_t i) {
    const Finding& f = findings[i];
    const SourceFile* file = sources.find(f.span.file);
    ordered_json j;
    j["rule"] = f.ruleId;
    j["severity"] = severityName(f.severity);
    j["file"] = file ? file->path() : "";
    const ordered_json r = region(sources, f.span);
    j["line"] = r.value("startLine", 0);
    j["column"] = r.value("startColumn", 0);
    j["endLine"] = r.value("endLine", 0);
    j["endColumn"] = r.value("endColumn", 0);
    j["message"] = f.message;
    j["help"] = f.help;
    ordered_json fixes = ordered_json::array();
    for (const Fix& fix : f.fixes) {
      ordered_json edits = ordered_json::array();
      for (const Edit& e : fix.edits) {
        ordered_json je = {{"op", e.op == Edit::Op::Set ? "set" : "remove"}, {"field", e.field}};
        if (e.op == Edit::Op::Set) je["value"] = e.value;
        edits.push_back(std::move(je));
      }
      ordered_json reps = ordered_json::array();
      for (const Replacement& rep : fix.replacements) {
        const SourceFile* rf = sources.find(rep.span.file);
        const ordered_json rr = region(sources, rep.span);
        reps.push_back({{"file", rf ? rf->path() : ""},
                        {"line", rr.value("startLine", 0)},
                        {"column", rr.value("startColumn", 0)},
                        {"endLine", rr.value("endLine", 0)},
                        {"endColumn", rr.value("endColumn", 0)},
                        {"text", rep.text}});
      }
      fixes.push_back({{"description", fix.description},
                       {"edits", std::move(edits)},
                       {"replacements", std::move(reps)}});
    }
    j["fixes"] = std::move(fixes);
    j["resource"] = f.resource;
    j["field"] = f.fieldPath;
    j["fingerprint"] = fingerprint(f, sources);
    if (f.suppression) {
      const SourceFile* sf = sources.find(f.suppression->where.file);
      const ordered_json sr = region(sources, f.suppression->where);
      j["suppressed"] = {
          {"kind", f.suppression->kind == Suppression::Kind::InSource ? "inSource" : "external"},
          {"reason", f.suppression->justification},
          {"file", sf ? sf->path() : ""},
          {"line", sr.value("startLine", 0)}};
    }
    if (f.baseline) j["baseline"] = true;
    ordered_json rel = ordered_json::array();
    for (const Related& r2 : f.related) {
      const SourceFile* rf = sources.find(r2.span.file);
      const ordered_json rr = region(sources, r2.span);
      rel.push_back({{"file", rf ? rf->path() : ""},
                     {"line", rr.value("startLine", 0)},
                     {"column", rr.value("startColumn", 0)},
                     {"message", r2.message}});
    }
    j["related"] = rel;
    return j;
  });
}

std::string renderJson(const SourceManager& sources, const std::vector<Finding>& findings,
                       size_t filesRead, const std::vector<SkippedFile>& skipped) {
  std::ostringstream out;
  writeJson(out, sources, findings, filesRead, skipped);
  return std::move(out).str();
}

void writeSarif(std::ostream& stream, const SourceManager& sources,
                const std::vector<Finding>& findings, const std::vector<RuleInfo>& extraRules,
                bool withBaseline, const std::string& sourceRoot,
                const std::vector<SkippedFile>& skipped) {
  UriMapper uris(sources, sourceRoot);
  ordered_json rules = ordered_json::array();
  std::vector<const RuleInfo*> all;
  for (const Rule* rule : allRules()) all.push_back(&rule->info());
  for (const RuleInfo& info : extraRules) all.push_back(&info);
  for (const RuleInfo* infoPtr : all) {
    const RuleInfo& info = *infoPtr;
    const std::string doc(ruleDoc(info.id));
    ordered_json r;
    r["id"] = info.id;
    r["name"] = pascal(info.slug);
    r["shortDescription"] = {{"text", std::string(info.summary)}};
    r["fullDescription"] = {{"text", std::string(info.summary)}};
    if (info.area == "policy")
      r["helpUri"] = std::string(kInformationUri) + "#organisation-policies";
    else
      r["helpUri"] = std::string(kInformationUri) + "/blob/main/rules/" + std::string(info.area) +
                     "/" + std::string(info.id) + "-" + std::string(info.slug) + ".md";
    r["help"] = {{"text", doc.empty() ? std::string(info.summary) : doc},
                 {"markdown", doc.empty() ? std::string(info.summary) : doc}};
    r["defaultConfiguration"] = {{"level", sarifLevel(info.severity)}};
    if (info.area == "policy")
      r["properties"] = {{"tags", ordered_json::array({"policy"})}};
    else
      r["properties"] = {{"tags", ordered_json::array({info.diagnostic ? "tool" : "configuration",
                                                       std::string(info.area)})}};
    rules.push_back(std::move(r));
  }
  auto ruleIndex = [&](std::string_view id) -> int {
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i]->id == id) return static_cast<int>(i);
    return -1;
  };
  auto physical = [&](Span span) {
    return ordered_json{{"artifactLocation", uris.artifactLocation(span)},
                        {"region", region(sources, span)}};
  };
  // Skipped and unreadable inputs are about the run, not the code: the
  // invocation's notifications, never alerts.
  ordered_json notifications = ordered_json::array();
  auto notify = [&](Span where, Severity level, std::string text, std::string_view id) {
    if (!text.empty() && text.back() != '.') text += '.';
    ordered_json n;
    n["level"] = sarifLevel(level);
    n["message"] = {{"text", std::move(text)}};
    n["locations"] = ordered_json::array(
        {{{"physicalLocation", {{"artifactLocation", uris.artifactLocation(where)}}}}});
    n["descriptor"] = {{"id", id}, {"index", id == kUnreadableId ? 1 : 0}};
    notifications.push_back(std::move(n));
  };
  for (const SkippedFile& s : skipped) {
    std::string text = "skipped: " + std::string(skipReasonText(s.why.reason));
    if (!s.why.detail.empty()) text += " (" + s.why.detail + ")";
    notify(Span{s.file, 0, 0}, Severity::Note, std::move(text), "skipped-input");
  }
  for (const Finding& f : findings) {
    if (f.ruleId != kUnreadableId) continue;
    notify(f.span, f.severity, f.message, kUnreadableId);
  }
  std::vector<size_t> shown;  // the findings that are results
  for (size_t i = 0; i < findings.size(); ++i)
    if (findings[i].ruleId != kUnreadableId) shown.push_back(i);
  auto result = [&](size_t i) {
    const Finding& f = findings[shown[i]];
    ordered_json res;
    res["ruleId"] = f.ruleId;
    const int idx = ruleIndex(f.ruleId);
    if (idx >= 0) res["ruleIndex"] = idx;
    res["level"] = sarifLevel(f.severity);
    std::string text = f.message;
    if (!text.empty() && text.back() != '.') text += '.';
    if (!f.help.empty()) text += " Fix: " + f.help + (f.help.back() == '.' ? "" : ".");
    res["message"] = {{"text", text}};
    res["locations"] = ordered_json::array({{{"physicalLocation", physical(f.span)}}});
    if (!f.related.empty()) {
      ordered_json rel = ordered_json::array();
      int id = 1;
      for (const Related& r : f.related) {
        std::string m = r.message;
        if (!m.empty() && m.back() != '.') m += '.';
        rel.push_back(
            {{"id", id++}, {"physicalLocation", physical(r.span)}, {"message", {{"text", m}}}});
      }
      res["relatedLocations"] = std::move(rel);
    }
    ordered_json fixes = ordered_json::array();
    for (const Fix& fix : f.fixes) {
      // SARIF wants at least one artifact change per fix: a fix that is only
      // said (a plan, an absent field) stays in the message's "Fix:" text.
      ordered_json changes = ordered_json::array();
      for (const Replacement& rep : fix.replacements) {
        ordered_json replacement = {{"deletedRegion", region(sources, rep.span)},
                                    {"insertedContent", {{"text", rep.text}}}};
        const ordered_json location = uris.artifactLocation(rep.span);
        auto same = std::find_if(changes.begin(), changes.end(), [&](const ordered_json& c) {
          return c["artifactLocation"] == location;
        });
        if (same == changes.end())
          changes.push_back({{"artifactLocation", location},
                             {"replacements", ordered_json::array({std::move(replacement)})}});
        else
          (*same)["replacements"].push_back(std::move(replacement));
      }
      if (changes.empty()) continue;
      fixes.push_back(
          {{"description", {{"text", fix.description}}}, {"artifactChanges", std::move(changes)}});
    }
    if (!fixes.empty()) res["fixes"] = std::move(fixes);
    res["partialFingerprints"] = {{"lbcheckFingerprint/v1", fingerprint(f, sources)}};
    if (f.suppression) {
      ordered_json sup;
      sup["kind"] = f.suppression->kind == Suppression::Kind::InSource ? "inSource" : "external";
      sup["status"] = "accepted";
      sup["justification"] = f.suppression->justification;
      if (f.suppression->where.valid())
        sup["location"] = {{"physicalLocation", physical(f.suppression->where)}};
      res["suppressions"] = ordered_json::array({std::move(sup)});
    }
    if (withBaseline) res["baselineState"] = f.baseline ? "unchanged" : "new";
    return res;
  };
  // What each notification is (GitHub wants a full description and help for
  // every descriptor).
  ordered_json notificationDescriptors = ordered_json::array();
  for (const auto& [id, name, text] :
       {std::tuple<std::string_view, std::string_view, std::string_view>{
            "skipped-input", "SkippedInput",
            "An input file is not one of lbcheck's formats, so it was skipped (not a format "
            "lbcheck reads, does not parse and is not lbcheck's, a variables file Terraform does "
            "not load, a broken symbolic link). --show-skipped lists such files in the text "
            "report."},
        {kUnreadableId, "UnreadableInput", "An input file or directory cannot be read."}}) {
    notificationDescriptors.push_back({{"id", id},
                                       {"name", name},
                                       {"shortDescription", {{"text", text}}},
                                       {"fullDescription", {{"text", text}}},
                                       {"help", {{"text", text}}}});
  }
  ordered_json sarif;
  sarif["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  sarif["version"] = "2.1.0";
  ordered_json run;
  run["tool"] = {{"driver",
                  {{"name", "lbcheck"},
                   {"version", kVersion},
                   {"semanticVersion", kVersion},
                   {"informationUri", kInformationUri},
                   {"rules", std::move(rules)},
                   {"notifications", std::move(notificationDescriptors)}}}};
  run["originalUriBaseIds"] = {
      {"%SRCROOT%",
       {{"uri", uris.rootUri()},
        {"description",
         {{"text",
           "The source root: --sarif-root, else $GITHUB_WORKSPACE, else the directory "
           "lbcheck was run from. Files outside it have absolute file:// URIs."}}}}}};
  run["invocations"] = ordered_json::array(
      {{{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notifications)}}});
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = kStreamed;
  sarif["runs"] = ordered_json::array({std::move(run)});
  writeStreamed(stream, sarif, shown.size(), result);
}

std::string renderSarif(const SourceManager& sources, const std::vector<Finding>& findings,
                        const std::vector<RuleInfo>& extraRules, bool withBaseline,
                        const std::string& sourceRoot, const std::vector<SkippedFile>& skipped) {
  std::ostringstream out;
  writeSarif(out, sources, findings, extraRules, withBaseline, sourceRoot, skipped);
  return std::move(out).str();
}

}  // namespace lbcheck
