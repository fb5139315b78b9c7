#include "parsers/script/gcloud.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "engine/diagnostics.h"
#include "engine/json.h"
#include "engine/link.h"
#include "engine/vocabulary.h"
#include "parsers/common/lower.h"
#include "parsers/yaml/yaml.h"

namespace lbcheck::gcloud {

namespace {

using script::Command;
using script::Word;
using Verb = Operation::Verb;

constexpr std::string_view kFormat = "gcloud-script";
constexpr std::string_view kBy = "gcloud";
/// The priority of a security policy's default rule.
constexpr std::string_view kDefaultRulePriority = "2147483647";

struct Flag {
  std::string name;  // "--region"
  Word value;        // text and span of the value (after `=` or the next word)
  bool hasValue = false;
  Span flagSpan;
};

/// Flags that take no value. gcloud rejects `--flag=value` for these.
bool booleanFlag(std::string_view n) {
  static const std::set<std::string_view> kBoolean = {
      "--global",
      "--quiet",
      "--async",
      "--log-http",
      "--allow-global-access",
      "--allow-unauthenticated",
      "--enable-cdn",
      "--enable-logging",
      "--enable-flow-logs",
      "--enable-private-ip-google-access",
      "--global-network-endpoint-group",
      "--global-health-checks",
      "--global-ssl-policy",
      "--global-url-map",
      "--global-target-http-proxy",
      "--global-target-https-proxy",
      "--global-address",
      "--global-backend-service",
      "--help",
      "--default-url",
      "--invoker-iam-check",
      "--iap",
      "--can-ip-forward",
      "--preemptible",
      "--user-output-enabled",
      "--disabled",
      "--use-http2",
  };
  if (kBoolean.count(n)) return true;
  return n.rfind("--no-", 0) == 0 || n.rfind("--clear-", 0) == 0;
}

enum class Cmd : uint8_t {
  RunDeploy,
  RunUpdate,
  RunDelete,
  RunIamBinding,
  RunSetIamPolicy,
  ProjectIamBinding,
  Network,
  Subnet,
  Neg,
  Backend,
  UrlMap,
  HttpProxy,
  HttpsProxy,
  Cert,
  CmCert,  // certificate-manager certificates
  Address,
  Rule,
  Firewall,
  Vm,
  ConfigSet,
  SecurityPolicy,
  SecurityPolicyRule,  // security-policies rules ...: not read (a rule is not a resource)
};

struct Entry {
  std::array<std::string_view, 4> path;  // unused tail entries are empty
  Cmd cmd;
  Kind kind;
};

constexpr Entry kCommands[] = {
    {{"run", "deploy"}, Cmd::RunDeploy, Kind::RunService},
    {{"run", "services", "update"}, Cmd::RunUpdate, Kind::RunService},
    {{"run", "services", "delete"}, Cmd::RunDelete, Kind::RunService},
    {{"run", "services", "add-iam-policy-binding"}, Cmd::RunIamBinding, Kind::RunService},
    {{"run", "services", "set-iam-policy"}, Cmd::RunSetIamPolicy, Kind::RunService},
    {{"projects", "add-iam-policy-binding"}, Cmd::ProjectIamBinding, Kind::Unknown},
    {{"compute", "networks", "subnets"}, Cmd::Subnet, Kind::Subnetwork},
    {{"compute", "networks"}, Cmd::Network, Kind::Network},
    {{"compute", "network-endpoint-groups"}, Cmd::Neg, Kind::NetworkEndpointGroup},
    {{"compute", "backend-services"}, Cmd::Backend, Kind::BackendService},
    {{"compute", "url-maps"}, Cmd::UrlMap, Kind::UrlMap},
    {{"compute", "target-http-proxies"}, Cmd::HttpProxy, Kind::TargetHttpProxy},
    {{"compute", "target-https-proxies"}, Cmd::HttpsProxy, Kind::TargetHttpsProxy},
    {{"compute", "ssl-certificates"}, Cmd::Cert, Kind::SslCertificate},
    {{"certificate-manager", "certificates"}, Cmd::CmCert, Kind::CertificateManagerCertificate},
    {{"compute", "forwarding-rules"}, Cmd::Rule, Kind::ForwardingRule},
    {{"compute", "addresses"}, Cmd::Address, Kind::Address},
    {{"compute", "firewall-rules"}, Cmd::Firewall, Kind::Firewall},
    {{"compute", "instances"}, Cmd::Vm, Kind::Instance},
    {{"compute", "security-policies", "rules"}, Cmd::SecurityPolicyRule, Kind::Unknown},
    {{"compute", "security-policies"}, Cmd::SecurityPolicy, Kind::SecurityPolicy},
    {{"config", "set"}, Cmd::ConfigSet, Kind::Unknown},
};

/// Flags that take a value and may come before the command path.
bool globalValueFlag(std::string_view n) {
  return n == "--project" || n == "--account" || n == "--configuration" || n == "--verbosity" ||
         n == "--format" || n == "--flags-file" || n == "--impersonate-service-account" ||
         n == "--billing-project" || n == "--trace-token";
}

struct Invocation {
  const Entry* entry = nullptr;
  std::string verb;         // "create", "delete"... ("" for run deploy / config set)
  std::vector<Word> args;   // positionals after the verb
  std::vector<Flag> flags;  // in order
  Span span;                // `gcloud` to the first positional
  std::string commandText;  // "gcloud compute backend-services create"
  /// A positional after the name is an expansion lbcheck cannot know (`"${FLAGS[@]}"`,
  /// `$EXTRA`): it may hold flags, so a flag that is not written is unknown, not missing.
  bool openFlags = false;

  const Flag* flag(std::string_view n) const {
    for (auto it = flags.rbegin(); it != flags.rend(); ++it)
      if (it->name == n) return &*it;
    return nullptr;
  }
  bool has(std::string_view n) const { return flag(n) != nullptr; }
};

/// A value written for the reader to fill in: `YOUR_PROJECT_ID`, `REGION`,
/// `[SERVICE]`, `{name}`. Names, regions and project ids are lower case, so such
/// a value is never one: it is read as unknown, never as a name.
bool placeholderText(std::string_view t) {
  if (t.empty()) return false;
  if (t.find_first_of("<>[]{}") != std::string_view::npos) return true;
  if (t.rfind("your-", 0) == 0 || t.rfind("your_", 0) == 0) return true;
  bool upperCase = false;
  for (char c : t) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') upperCase = true;
  }
  return upperCase;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == '-') c = '_';
  }
  return out;
}

std::vector<std::pair<std::string, Span>> splitList(const Flag& f, const SourceFile& file) {
  // Values are split on commas; spans are found in the source when the word is plain.
  std::vector<std::pair<std::string, Span>> out;
  const std::string& t = f.value.text;
  const std::string_view raw =
      file.text().substr(f.value.span.begin, f.value.span.end - f.value.span.begin);
  const bool plain = raw == t;
  size_t b = 0;
  while (b <= t.size()) {
    size_t e = t.find(',', b);
    if (e == std::string::npos) e = t.size();
    if (e > b) {
      Span s = f.value.span;
      if (plain)
        s = Span{s.file, s.begin + static_cast<uint32_t>(b), s.begin + static_cast<uint32_t>(e)};
      out.emplace_back(t.substr(b, e - b), s);
    }
    b = e + 1;
  }
  return out;
}

/// Parses `gcloud ...` words; nullopt when the command is not one lbcheck maps.
std::optional<Invocation> parse(const Command& c, const SourceFile& file) {
  const auto& w = c.words;
  if (w.empty()) return std::nullopt;
  std::string_view prog = w[0].text;
  if (const size_t slash = prog.rfind('/'); slash != std::string_view::npos)
    prog = prog.substr(slash + 1);
  if (prog != "gcloud") return std::nullopt;
  Invocation inv;
  std::vector<const Word*> plain;
  size_t i = 1;
  auto addFlag = [&](size_t& k, bool allowValue) {
    const Word& word = w[k];
    Flag f;
    f.flagSpan = word.span;
    const size_t eq = word.text.find('=');
    if (eq != std::string::npos) {
      f.name = word.text.substr(0, eq);
      f.hasValue = true;
      f.value.text = word.text.substr(eq + 1);
      f.value.unknown = word.unknown;
      const std::string_view raw =
          file.text().substr(word.span.begin, word.span.end - word.span.begin);
      const size_t rawEq = raw.find('=');
      f.value.span = word.span;
      if (rawEq != std::string_view::npos) {
        f.value.span.begin = word.span.begin + static_cast<uint32_t>(rawEq + 1);
        f.flagSpan.end = word.span.begin + static_cast<uint32_t>(rawEq);
      }
    } else {
      f.name = word.text;
      if (allowValue && !booleanFlag(f.name) && k + 1 < w.size() &&
          !(w[k + 1].text.size() > 1 && w[k + 1].text[0] == '-' && !w[k + 1].unknown)) {
        f.hasValue = true;
        f.value = w[++k];
      }
    }
    return f;
  };
  bool flagsEnded = false;  // after a bare `--`, every word is positional (argparse)
  for (; i < w.size(); ++i) {
    const Word& word = w[i];
    if (flagsEnded) {
      plain.push_back(&word);
    } else if (word.text == "--" && !word.unknown) {
      flagsEnded = true;
    } else if (word.text.rfind("--", 0) == 0 &&  // `--region=$UNSET` is a flag, value unknown
               (!word.unknown || word.text.find('=') != std::string::npos)) {
      inv.flags.push_back(addFlag(i, true));
    } else if (word.text.size() > 1 && word.text[0] == '-' && !word.unknown) {
      // -q and other short switches
    } else {
      plain.push_back(&word);
    }
  }
  // Release tracks do not change the mapping.
  size_t p = 0;
  if (p < plain.size() &&
      (plain[p]->text == "alpha" || plain[p]->text == "beta" || plain[p]->text == "preview"))
    ++p;
  for (const Entry& e : kCommands) {
    size_t n = 0;
    while (n < e.path.size() && !e.path[n].empty()) ++n;
    bool match = p + n <= plain.size();
    for (size_t k = 0; match && k < n; ++k) match = plain[p + k]->text == e.path[k];
    if (!match) continue;
    inv.entry = &e;
    size_t next = p + n;
    if (e.cmd != Cmd::RunDeploy && e.cmd != Cmd::RunUpdate && e.cmd != Cmd::RunDelete &&
        e.cmd != Cmd::ConfigSet && e.cmd != Cmd::RunIamBinding && e.cmd != Cmd::RunSetIamPolicy &&
        e.cmd != Cmd::ProjectIamBinding) {
      if (next >= plain.size()) return std::nullopt;
      inv.verb = plain[next]->text;
      ++next;
    }
    inv.commandText = "gcloud";
    for (size_t k = p; k < next; ++k) inv.commandText += " " + plain[k]->text;
    for (size_t k = next; k < plain.size(); ++k) inv.args.push_back(*plain[k]);
    for (size_t k = 1; k < inv.args.size(); ++k)
      if (inv.args[k].unknown) inv.openFlags = true;
    const uint32_t last = inv.args.empty() ? plain[next - 1]->span.end : inv.args[0].span.end;
    inv.span = Span{file.id(), w[0].span.begin, last};
    (void)globalValueFlag;
    return inv;
  }
  return std::nullopt;
}

struct Lowerer {
  const SourceFile& file;
  Graph& graph;
  std::vector<Finding>& diags;
  std::string project, region, zone;       // gcloud config / CLOUDSDK_* environment
  std::map<std::string, int32_t> current;  // identity key -> latest resource
  std::set<int32_t> createdHere;
  uint32_t sequence = 0;
  Span whole_;  // the command being lowered
  const script::Script* script = nullptr;
  bool guarded_ = false;  // the command being lowered may be skipped: a describe guards it
  uint32_t lane = 0;      // the command being lowered runs in this lane of its document

  static std::string key(const Identity& id) {
    return std::to_string(static_cast<int>(id.kind)) + "|" + id.scope.str() + "|" + id.name;
  }

  void problem(Span s, std::string message, std::string help) {
    diags.push_back(
        makeDiagnostic(diag::kSyntax, Severity::Error, s, std::move(message), std::move(help)));
  }

  Field valueField(const Flag& f, std::string text) const {
    Field x;
    x.state = f.value.unknown ? State::Unknown : State::Known;
    x.text = f.value.unknown ? std::string() : std::move(text);
    x.span = f.value.span.valid() ? f.value.span : f.flagSpan;
    x.spelling = f.name;
    x.authored = true;
    if (x.state == State::Known && !x.text.empty()) {
      double d = 0;
      const char* b = x.text.data();
      auto [ptr, ec] = std::from_chars(b, b + x.text.size(), d);
      if (ec == std::errc() && ptr == b + x.text.size()) {
        x.isNumber = true;
      }
    }
    return x;
  }
  Field switchField(const Flag& f, bool on) const {
    Field x;
    x.state = State::Known;
    x.text = on ? "true" : "false";
    x.span = f.flagSpan;
    x.spelling = f.name;
    x.authored = true;
    return x;
  }
  static Field defaulted(std::string text, Span at, std::string spelling) {
    Field x;
    x.state = State::Defaulted;
    x.text = std::move(text);
    x.span = at;
    x.spelling = std::move(spelling);
    x.defaultedBy = std::string(kBy);
    if (!x.text.empty() && std::all_of(x.text.begin(), x.text.end(), ::isdigit)) {
      x.isNumber = true;
    }
    return x;
  }

  /// A reference field: `--flag NAME` (or a URL) to a `kind` in `scope`.
  Field refField(const Flag& f, const std::string& text, Span span, Kind kind,
                 const Scope& scope) const {
    Field x = valueField(f, text);
    x.span = span;
    if (x.state == State::Known && placeholderText(text)) {
      x.state = State::Unknown;
      x.text.clear();
    }
    if (x.state != State::Known) return x;
    LinkContext ctx{kind, project, scope};
    if (auto id = parseLink(text, ctx)) {
      if (id->kind == Kind::Unknown) id->kind = kind;
      if (id->project.empty()) id->project = project;
      x.ref.edit().identity = *id;
    }
    x.ref.edit().external =
        true;  // used but maybe never created here: it exists outside the script
    return x;
  }

  /// The scope given by --region / --zone / --global (and the config defaults).
  struct ScopeInfo {
    Scope scope;
    const Flag* flag = nullptr;  // the flag that set it
    bool unknownValue = false;
  };
  ScopeInfo scopeOf(const Invocation& inv, bool regionDefault, bool zoneDefault) const {
    ScopeInfo s;
    if (const Flag* f = inv.flag("--region")) {
      s.flag = f;
      if (f->value.unknown || f->value.text.empty() || placeholderText(f->value.text)) {
        s.unknownValue = true;
      } else {
        s.scope = Scope{Scope::Type::Region, f->value.text};
      }
    } else if (const Flag* z = inv.flag("--zone")) {
      s.flag = z;
      if (z->value.unknown || z->value.text.empty() || placeholderText(z->value.text)) {
        s.unknownValue = true;
      } else {
        s.scope = Scope{Scope::Type::Zone, z->value.text};
      }
    } else if (inv.has("--global")) {
      s.flag = inv.flag("--global");
      s.scope = Scope{Scope::Type::Global, ""};
    } else if (regionDefault && !region.empty()) {
      s.scope = Scope{Scope::Type::Region, region};
    } else if (zoneDefault && !zone.empty()) {
      s.scope = Scope{Scope::Type::Zone, zone};
    }
    return s;
  }

  /// The scope of an object referenced by `--X` with its own `--X-region` flag;
  /// `inherit` is what gcloud uses without it.
  Scope refScope(const Invocation& inv, std::string_view regionFlag, const Scope& inherit) const {
    if (const Flag* f = inv.flag(regionFlag)) {
      if (f->value.unknown || f->value.text.empty() || placeholderText(f->value.text))
        return Scope{};
      return Scope{Scope::Type::Region, f->value.text};
    }
    return inherit;
  }

  int32_t acquire(const Identity& id, const Invocation& inv, const Word& name, bool creates,
                  const ScopeInfo& scope) {
    const std::string k = key(id);
    auto it = current.find(k);
    if (it != current.end() && !(creates && graph.at(it->second).goingAway())) {
      Resource& r = graph.at(it->second);
      if (creates && createdHere.count(it->second) && inv.entry->cmd != Cmd::RunDeploy &&
          !guarded_) {
        // `run deploy` of an existing service deploys a new revision; `create` fails.
        const std::string where = id.scope.type == Scope::Type::Global ? std::string(" (global)")
                                  : id.scope.known()                   ? " in " + id.scope.name
                                                                       : std::string();
        diags.push_back(makeDiagnostic(
            diag::kSyntax, Severity::Error, name.span,
            "the script already created " + std::string(kindLabel(id.kind)) + " " + q(id.name) +
                where + " and did not delete it: this second create fails (\"already exists\")",
            "remove one of the two commands, use the update command to change it, or delete it "
            "first"));
        diags.back().related.push_back({r.header, "created here first"});
      }
      if (creates && !createdHere.count(it->second)) {
        r.lifecycle = Lifecycle::Create;  // it is (re)created here
        createdHere.insert(it->second);
      }
      return it->second;
    }
    Resource r;
    r.id = id;
    r.format = std::string(kFormat);
    r.document = file.id();
    r.header = name.span;
    r.displayName = id.name;
    r.lifecycle = creates ? Lifecycle::Create : Lifecycle::Update;
    r.partial = !creates;
    Field n;
    n.state = State::Known;
    n.text = id.name;
    n.span = name.span;
    n.spelling = "NAME";
    n.authored = true;
    r.fields["name"] = n;
    const bool location = id.kind == Kind::RunService;
    const std::string scopeAttr = location                             ? "location"
                                  : id.scope.type == Scope::Type::Zone ? "zone"
                                                                       : "region";
    if (id.kind != Kind::Network && id.kind != Kind::Firewall) {
      Field sf;
      sf.spelling = scope.flag ? scope.flag->name : "--region";
      if (id.scope.regional() || id.scope.type == Scope::Type::Zone) {
        sf.text = id.scope.name;
        if (scope.flag) {
          sf.state = State::Known;
          sf.span = scope.flag->value.span;
          sf.authored = true;
        } else {
          sf = defaulted(id.scope.name, inv.span, "compute/region");
          sf.defaultedBy = "gcloud's compute/region property";
        }
      } else if (scope.unknownValue) {
        sf.state = State::Unknown;
        sf.span = scope.flag->value.span;
      } else if (inv.openFlags) {
        sf.state = State::Unknown;  // the scope flag may be in an expansion
        sf.span = inv.span;
      } else {
        sf.span = inv.span;  // absent
        // A create that names no scope: nothing supplies one (gcloud stops), so the
        // omission is final; an Absent field marked authored says so to the rules.
        sf.authored = creates;
      }
      if (id.scope.type != Scope::Type::Global) r.fields[scopeAttr] = sf;
    }
    const int32_t index = graph.add(std::move(r));
    current[k] = index;
    if (creates) createdHere.insert(index);
    return index;
  }

  void record(Verb verb, int32_t index, const Invocation& inv, const Word& name,
              std::vector<Operation::Ref> removed = {}) {
    Operation op;
    op.verb = verb;
    op.document = file.id();
    op.sequence = sequence++;
    op.lane = lane;
    op.resource = index;
    op.target = graph.at(index).id;
    op.command = inv.commandText;
    op.span = inv.span;
    op.nameSpan = name.span;
    op.whole = whole_;
    if (verb != Verb::Delete) {
      for (const auto& [path, f] : graph.at(index).fields) {
        if (!f.ref->identity) continue;
        const bool written = f.span.file == whole_.file && f.span.begin >= whole_.begin &&
                             f.span.end <= whole_.end && f.state == State::Known;
        op.refs.push_back({path, *f.ref->identity, f.span, f.spelling, written});
      }
    }
    if (verb != Verb::Delete) {
      for (const auto& [path, f] : graph.at(index).fields)
        if (f.span.file == whole_.file && f.span.begin >= whole_.begin &&
            f.span.end <= whole_.end && f.span.valid())
          op.writes.emplace_back(std::string(path), f);
    }
    op.removed = std::move(removed);
    graph.addOperation(std::move(op));
  }

  void set(int32_t index, const std::string& path, Field f) {
    graph.at(index).fields[path] = std::move(f);
  }

  /// --flag VALUE -> field (upper-cased enum when `enumValue`).
  void copy(const Invocation& inv, int32_t index, std::string_view flag, const std::string& path,
            bool enumValue = false) {
    const Flag* f = inv.flag(flag);
    if (!f || !f->hasValue) return;
    set(index, path, valueField(*f, enumValue ? upper(f->value.text) : f->value.text));
  }
  void copySwitch(const Invocation& inv, int32_t index, std::string_view on,
                  const std::string& path) {
    const std::string off = "--no-" + std::string(on.substr(2));
    for (const Flag& f : inv.flags) {
      if (f.name == on) set(index, path, switchField(f, true));
      if (f.name == off) set(index, path, switchField(f, false));
    }
  }
  void copyList(const Invocation& inv, int32_t index, std::string_view flag,
                const std::string& path) {
    const Flag* f = inv.flag(flag);
    if (!f || !f->hasValue) return;
    size_t n = 0;
    for (const auto& [text, span] : splitList(*f, file)) {
      Field x = valueField(*f, text);
      x.span = span;
      set(index, path + "[" + std::to_string(n++) + "]", x);
    }
  }
  void refList(const Invocation& inv, int32_t index, std::string_view flag, const std::string& path,
               Kind kind, const Scope& scope) {
    const Flag* f = inv.flag(flag);
    if (!f || !f->hasValue) return;
    size_t n = 0;
    for (const auto& [text, span] : splitList(*f, file))
      set(index, path + "[" + std::to_string(n++) + "]", refField(*f, text, span, kind, scope));
  }
  void ref(const Invocation& inv, int32_t index, std::string_view flag, const std::string& path,
           Kind kind, const Scope& scope) {
    const Flag* f = inv.flag(flag);
    if (!f || !f->hasValue) return;
    set(index, path, refField(*f, f->value.text, f->value.span, kind, scope));
  }

  /// Booleans given a value, and values gcloud's choices reject.
  bool checkArguments(const Invocation& inv) {
    bool ok = true;
    for (const Flag& f : inv.flags) {
      if (booleanFlag(f.name) && f.hasValue && f.value.span.begin > f.flagSpan.begin &&
          f.value.span.begin == f.flagSpan.end + 1) {
        problem(
            f.value.span,
            "gcloud rejects " + q(f.name + "=" + f.value.text) + ": " + f.name +
                " is a switch and takes no value (\"ignored explicit argument\")",
            "write " + f.name + " on its own (or --no-" + f.name.substr(2) + " to turn it off)");
        ok = false;
      }
    }
    return ok;
  }
  void choice(const Invocation& inv, std::string_view flag,
              std::initializer_list<std::string_view> allowed) {
    const Flag* f = inv.flag(flag);
    if (!f || !f->hasValue || f->value.unknown) return;
    const std::string v = upper(f->value.text);
    for (std::string_view a : allowed)
      if (v == upper(a)) return;
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    problem(f->value.span,
            "gcloud rejects " + f->name + "=" + f->value.text + " (\"Invalid choice\")",
            "use one of: " + list);
  }

  void command(const Command& c) {
    for (const auto& [n, v] : c.vars) {
      if (n == "CLOUDSDK_COMPUTE_REGION") region = v;
      if (n == "CLOUDSDK_COMPUTE_ZONE") zone = v;
      if (n == "CLOUDSDK_CORE_PROJECT") project = v;
    }
    auto parsed = parse(c, file);
    if (!parsed) return;
    whole_ = c.span;
    const Invocation& inv = *parsed;
    const Cmd cmd = inv.entry->cmd;
    if (cmd == Cmd::ConfigSet) {
      if (inv.args.size() < 2) return;
      const std::string& prop = inv.args[0].text;
      const std::string value =
          inv.args[1].unknown || placeholderText(inv.args[1].text) ? "" : inv.args[1].text;
      if (prop == "compute/region") region = value;
      if (prop == "compute/zone") zone = value;
      if (prop == "project" || prop == "core/project") project = value;
      return;
    }
    checkArguments(inv);
    if (cmd == Cmd::SecurityPolicyRule) {
      policyRule(inv);
      return;
    }
    if (cmd == Cmd::RunIamBinding || cmd == Cmd::RunSetIamPolicy || cmd == Cmd::ProjectIamBinding) {
      iamGrant(inv);
      return;
    }
    Verb verb = Verb::Update;
    bool creates = false;
    const std::string& v = inv.verb;
    if (cmd == Cmd::RunDeploy) {
      verb = Verb::Create;
      creates = true;
    } else if (cmd == Cmd::RunUpdate) {
      verb = Verb::Update;
    } else if (cmd == Cmd::RunDelete || v == "delete") {
      verb = Verb::Delete;
    } else if (v == "create") {
      verb = Verb::Create;
      creates = true;
    } else if (v == "update") {
      verb = Verb::Update;
    } else if (v == "add-backend") {
      verb = Verb::AddBackend;
    } else if (v == "remove-backend") {
      verb = Verb::RemoveBackend;
    } else if (v == "edit") {
      verb = Verb::Edit;
    } else if (v == "import") {
      verb = Verb::Import;
      creates = false;
    } else {
      return;  // describe, list, export...: nothing changes
    }
    const Kind kind = inv.entry->kind;
    const bool location = kind == Kind::RunService;
    ScopeInfo scope;
    if (location) {
      scope = scopeOf(inv, false, false);
      if (scope.scope.type == Scope::Type::Region) scope.scope.type = Scope::Type::Location;
      if (!scope.flag && !c.vars.count("CLOUDSDK_RUN_REGION") && scope.scope.name.empty()) {
        // run/region property is not tracked: unknown location.
      }
    } else if (kind == Kind::Network || kind == Kind::Firewall) {
      scope.scope = Scope{Scope::Type::Global, ""};
    } else if (kind == Kind::Instance) {
      scope = scopeOf(inv, false, true);
    } else if (kind == Kind::UrlMap || kind == Kind::TargetHttpProxy ||
               kind == Kind::TargetHttpsProxy || kind == Kind::SslCertificate ||
               kind == Kind::SecurityPolicy) {
      scope = scopeOf(inv, false, false);
      if (!scope.flag && !inv.openFlags)
        scope.scope = Scope{Scope::Type::Global, ""};  // gcloud's default
    } else if (kind == Kind::BackendService) {
      scope = scopeOf(inv, false, false);
      if (!scope.flag && inv.openFlags) {
        // The scope may be in an expansion lbcheck cannot read: unknown, not missing.
      } else if (!scope.flag && creates) {
        problem(inv.span,
                "gcloud refuses to create backend service without --region or --global "
                "(\"Underspecified resource\")",
                "add --region=REGION for the regional internal Application Load Balancer");
      } else if (!scope.flag) {
        // The same resource argument: gcloud asks which scope on a terminal and
        // fails without one (a CI job, a script run with --quiet).
        std::string hint = "--region=REGION or --global";
        if (!inv.args.empty() && !inv.args[0].unknown)
          for (const auto& [key, index] : current) {
            const Resource& r = graph.at(index);
            if (r.id.kind == Kind::BackendService && r.id.name == inv.args[0].text &&
                createdHere.count(index) && r.id.scope.known())
              hint = r.id.scope.type == Scope::Type::Global ? "--global"
                                                            : "--region=" + r.id.scope.name;
          }
        diags.push_back(makeDiagnostic(
            diag::kSyntax, Severity::Warning, inv.span,
            q(inv.commandText) +
                " names no scope (neither --region nor --global): gcloud prompts for one, and "
                "fails when it cannot ask (\"Underspecified resource\"), as in CI or with --quiet",
            "add " + hint));
      }
    } else if (kind == Kind::NetworkEndpointGroup) {
      scope = scopeOf(inv, false, false);  // no property default: gcloud asks for a flag
    } else if (kind == Kind::CertificateManagerCertificate) {
      // --location, "global" without it (gcloud's default for the location attribute).
      if (const Flag* f = inv.flag("--location")) {
        scope.flag = f;
        if (f->value.unknown || f->value.text.empty() || placeholderText(f->value.text))
          scope.unknownValue = true;
        else
          scope.scope = Scope{Scope::Type::Location, f->value.text};
      } else if (!inv.openFlags) {
        scope.scope = Scope{Scope::Type::Location, "global"};
      }
    } else {
      scope = scopeOf(inv, true, false);
    }
    if (inv.args.empty()) return;
    // delete takes several names; the other verbs one.
    const size_t names = verb == Verb::Delete ? inv.args.size() : 1;
    for (size_t k = 0; k < names; ++k) {
      const Word& name = inv.args[k];
      if (name.unknown || name.text.empty() || placeholderText(name.text)) continue;
      Identity id{kind, project, scope.scope, name.text};
      guarded_ = creates && guardedBy(c, name.text);
      const int32_t index = acquire(id, inv, name, creates, scope);
      if (verb == Verb::Delete) {
        graph.at(index).lifecycle = Lifecycle::Delete;
        graph.at(index).setLifecycleSpan(name.span);
        record(verb, index, inv, name);
        continue;
      }
      std::vector<Operation::Ref> removed;
      apply(inv, index, scope, creates, verb, removed);
      guarded_ = false;
      if (inv.openFlags) {
        // What gcloud fills in for a flag not written may come from the expansion.
        for (auto& [path, f] : graph.at(index).fields)
          if (f.state == State::Defaulted && f.span.file == inv.span.file &&
              f.span.begin == inv.span.begin && f.span.end == inv.span.end) {
            f.state = State::Unknown;
            f.text.clear();
            f.isNumber = false;
          }
      }
      record(verb, index, inv, name, std::move(removed));
    }
  }

  /// `security-policies rules create|update|delete PRIORITY --security-policy=NAME
  /// [--action=ACTION]`: the rule of that priority in the policy's `rules`, as
  /// an update of the policy. A rule deleted, or a priority or action lbcheck
  /// cannot read, leaves the rule's action unknown.
  void policyRule(const Invocation& inv) {
    const std::string& v = inv.verb;
    if (v != "create" && v != "update" && v != "delete") return;
    const Flag* pf = inv.flag("--security-policy");
    if (!pf || !pf->hasValue || pf->value.unknown || pf->value.text.empty() ||
        placeholderText(pf->value.text) || inv.args.empty())
      return;
    ScopeInfo scope = scopeOf(inv, false, false);
    if (!scope.flag && !inv.openFlags) scope.scope = Scope{Scope::Type::Global, ""};
    const Identity id{Kind::SecurityPolicy, project, scope.scope, pf->value.text};
    const int32_t index = acquire(id, inv, pf->value, false, scope);
    const Word& priority = inv.args[0];
    const Resource& r = graph.at(index);
    const size_t n = r.listSize("rules");
    std::string rule;
    for (size_t k = 0; k < n && !priority.unknown; ++k) {
      const std::string path = "rules[" + std::to_string(k) + "]";
      if (r.field(path + ".priority").text == priority.text) rule = path;
    }
    if (rule.empty()) rule = "rules[" + std::to_string(n) + "]";
    Field p;
    p.state = priority.unknown ? State::Unknown : State::Known;
    p.text = priority.unknown ? std::string() : priority.text;
    p.span = priority.span;
    p.spelling = "PRIORITY";
    p.authored = true;
    if (p.state == State::Known && !p.text.empty() &&
        std::all_of(p.text.begin(), p.text.end(), ::isdigit)) {
      p.isNumber = true;
    }
    set(index, rule + ".priority", p);
    if (v == "delete" || priority.unknown) {
      Field a;
      a.state = State::Unknown;
      a.span = priority.span;
      a.spelling = "--action";
      set(index, rule + ".action", a);
    } else if (const Flag* f = inv.flag("--action"); f && f->hasValue) {
      set(index, rule + ".action", valueField(*f, f->value.text));
    } else if (v == "create") {
      Field a;  // gcloud requires --action: unknown rather than made up
      a.state = State::Unknown;
      a.span = inv.span;
      a.spelling = "--action";
      set(index, rule + ".action", a);
    }
    record(Verb::Update, index, inv, pf->value);
  }

  /// True when a command that decides whether `c` runs (the left side of `||`,
  /// an `if` condition) looks `name` up: `gcloud ... describe NAME || gcloud ...
  /// create NAME`, `if ! exists gcloud ... describe NAME; then`. Such a create
  /// may be skipped: a second one is not a duplicate.
  bool guardedBy(const Command& c, const std::string& name) const {
    if (!script) return false;
    for (const uint32_t g : c.guards) {
      if (g >= script->commands.size()) continue;
      bool lookup = false, named = false;
      for (const Word& w : script->commands[g].words) {
        if (w.text == "describe" || w.text == "list") lookup = true;
        if (w.text == name || w.text.find("=" + name) != std::string::npos) named = true;
      }
      if (lookup && named) return true;
    }
    return false;
  }

  void apply(const Invocation& inv, int32_t i, const ScopeInfo& scope, bool creates, Verb verb,
             std::vector<Operation::Ref>& removed) {
    const Scope& s = scope.scope;
    const Scope global{Scope::Type::Global, ""};
    const Resource& r = graph.at(i);
    switch (inv.entry->cmd) {
      case Cmd::RunDeploy:
      case Cmd::RunUpdate: {
        if (const Flag* f = inv.flag("--ingress"); f && f->hasValue) {
          std::string t = f->value.text;
          if (const std::string_view c = vocab::canonicalIngress(t); !c.empty()) t = std::string(c);
          set(i, "ingress", valueField(*f, t));
        } else if (inv.entry->cmd == Cmd::RunDeploy && r.field("ingress").state == State::Absent) {
          // A new service gets ingress `all`; an existing one keeps its value.
          set(i, "ingress", defaulted("INGRESS_TRAFFIC_ALL", inv.span, "--ingress"));
          graph.at(i).fields["ingress"].defaultedBy = "gcloud run deploy (for a new service)";
        }
        copySwitch(inv, i, "--default-url", "defaultUriDisabled");
        if (auto it = graph.at(i).fields.find("defaultUriDisabled");
            it != graph.at(i).fields.end() && it->second.state == State::Known)
          it->second.text = it->second.text == "true" ? "false" : "true";
        copySwitch(inv, i, "--invoker-iam-check", "invokerIamDisabled");
        if (auto it = graph.at(i).fields.find("invokerIamDisabled");
            it != graph.at(i).fields.end() && it->second.state == State::Known)
          it->second.text = it->second.text == "true" ? "false" : "true";
        copySwitch(inv, i, "--iap", "iapEnabled");
        if (const Flag* f = inv.flag("--allow-unauthenticated")) publicInvoker(i, *f, inv);
        break;
      }
      case Cmd::Network:
        if (creates) {
          const Flag* mode = inv.flag("--subnet-mode");
          if (mode && mode->hasValue) {
            set(i, "autoCreateSubnetworks",
                valueField(*mode, upper(mode->value.text) == "AUTO" ? "true" : "false"));
            choice(inv, "--subnet-mode", {"auto", "custom", "legacy"});
          } else {
            set(i, "autoCreateSubnetworks", defaulted("true", inv.span, "--subnet-mode"));
          }
          if (inv.has("--bgp-routing-mode"))
            copy(inv, i, "--bgp-routing-mode", "routingConfig.routingMode", true);
          else
            set(i, "routingConfig.routingMode",
                defaulted("REGIONAL", inv.span, "--bgp-routing-mode"));
        }
        break;
      case Cmd::Subnet:
        ref(inv, i, "--network", "network", Kind::Network, global);
        copy(inv, i, "--range", "ipCidrRange");
        copy(inv, i, "--purpose", "purpose", true);
        copy(inv, i, "--role", "role", true);
        copySwitch(inv, i, "--enable-flow-logs", "enableFlowLogs");
        copySwitch(inv, i, "--enable-private-ip-google-access", "privateIpGoogleAccess");
        if (verb == Verb::Update)
          choice(inv, "--role", {"ACTIVE"});
        else
          choice(inv, "--role", {"ACTIVE", "BACKUP"});
        if (creates && !inv.has("--purpose") && !inv.has("--enable-private-ip-google-access"))
          set(i, "privateIpGoogleAccess",
              defaulted("false", inv.span, "--enable-private-ip-google-access"));
        break;
      case Cmd::Neg: {
        if (const Flag* f = inv.flag("--network-endpoint-type"); f && f->hasValue) {
          set(i, "networkEndpointType", valueField(*f, upper(f->value.text)));
        } else if (creates) {
          set(i, "networkEndpointType",
              defaulted("GCE_VM_IP_PORT", inv.span, "--network-endpoint-type"));
        }
        const Scope runScope =
            s.type == Scope::Type::Region ? Scope{Scope::Type::Location, s.name} : Scope{};
        ref(inv, i, "--cloud-run-service", "cloudRun.service", Kind::RunService, runScope);
        copy(inv, i, "--cloud-run-tag", "cloudRun.tag");
        copy(inv, i, "--cloud-run-url-mask", "cloudRun.urlMask");
        copy(inv, i, "--app-engine-service", "appEngine.service");
        copy(inv, i, "--app-engine-version", "appEngine.version");
        copy(inv, i, "--app-engine-url-mask", "appEngine.urlMask");
        if (inv.has("--app-engine-app"))
          set(i, "appEngine", switchField(*inv.flag("--app-engine-app"), true));
        copy(inv, i, "--cloud-function-name", "cloudFunction.function");
        copy(inv, i, "--cloud-function-url-mask", "cloudFunction.urlMask");
        copy(inv, i, "--serverless-deployment-resource", "serverlessDeployment.resource");
        ref(inv, i, "--network", "network", Kind::Network, global);
        ref(inv, i, "--subnet", "subnetwork", Kind::Subnetwork, s);
        copy(inv, i, "--default-port", "defaultPort");
        copy(inv, i, "--psc-target-service", "pscTargetService");
        break;
      }
      case Cmd::Backend:
        backend(inv, i, scope, creates, verb, removed);
        break;
      case Cmd::UrlMap:
        ref(inv, i, "--default-service", "defaultService", Kind::BackendService, s);
        ref(inv, i, "--default-backend-bucket", "defaultService", Kind::BackendBucket, global);
        break;
      case Cmd::HttpProxy:
      case Cmd::HttpsProxy: {
        ref(inv, i, "--url-map", "urlMap", Kind::UrlMap, refScope(inv, "--url-map-region", s));
        copy(inv, i, "--http-keep-alive-timeout-sec", "httpKeepAliveTimeoutSec");
        if (inv.entry->cmd == Cmd::HttpsProxy) {
          refList(inv, i, "--ssl-certificates", "sslCertificates", Kind::SslCertificate,
                  refScope(inv, "--ssl-certificates-region", s));
          refList(inv, i, "--certificate-manager-certificates", "certificateManagerCertificates",
                  Kind::CertificateManagerCertificate,
                  s.type == Scope::Type::Region ? Scope{Scope::Type::Location, s.name}
                                                : Scope{Scope::Type::Location, "global"});
          ref(inv, i, "--ssl-policy", "sslPolicy", Kind::SslPolicy,
              refScope(inv, "--ssl-policy-region", s));
          copy(inv, i, "--certificate-map", "certificateMap");
        }
        break;
      }
      case Cmd::Cert:
        if (inv.has("--domains")) {
          set(i, "type", defaulted("MANAGED", inv.span, "--domains"));
          graph.at(i).fields["type"].authored = true;
          copyList(inv, i, "--domains", "managed.domains");
        } else if (inv.has("--certificate")) {
          set(i, "type", defaulted("SELF_MANAGED", inv.span, "--certificate"));
          // The flags name files: their contents are not in the script.
          for (const char* fl : {"--certificate", "--private-key"}) {
            if (const Flag* f = inv.flag(fl)) {
              Field x = valueField(*f, "");
              x.state = State::Unknown;
              set(i, fl == std::string_view("--certificate") ? "certificate" : "privateKey", x);
            }
          }
        }
        break;
      case Cmd::CmCert:
        // --scope=all-regions is the API's ALL_REGIONS; DEFAULT when not written.
        if (const Flag* f = inv.flag("--scope"); f && f->hasValue && !f->value.unknown) {
          std::string v = upper(f->value.text);
          std::replace(v.begin(), v.end(), '-', '_');
          set(i, "scope", valueField(*f, v));
        } else if (creates && !inv.openFlags) {
          set(i, "scope", defaulted("DEFAULT", inv.span, "--scope"));
        }
        copyList(inv, i, "--domains", "managed.domains");
        if (const Flag* f = inv.flag("--certificate-file")) {
          // The flags name files: their contents are not in the script.
          Field x = valueField(*f, "");
          x.state = State::Unknown;
          set(i, "selfManaged.pemCertificate", x);
        }
        break;
      case Cmd::Address:
        if (const Flag* f = inv.flag("--addresses"); f && f->hasValue) {
          const auto ips = splitList(*f, file);
          if (!ips.empty()) {
            Field x = valueField(*f, ips[0].first);
            x.span = ips[0].second;
            set(i, "address", x);
          }
        }
        copy(inv, i, "--network-tier", "networkTier", true);
        copy(inv, i, "--purpose", "purpose", true);
        ref(inv, i, "--subnet", "subnetwork", Kind::Subnetwork, s);
        if (creates && !inv.openFlags)
          set(i, "addressType",
              defaulted(inv.has("--subnet") ? "INTERNAL" : "EXTERNAL", inv.span, "--subnet"));
        break;
      case Cmd::Rule:
        forwardingRule(inv, i, scope, creates);
        break;
      case Cmd::Firewall:
        firewall(inv, i, creates);
        break;
      case Cmd::Vm: {
        ref(inv, i, "--network", "networkInterfaces[0].network", Kind::Network, global);
        Scope subnetScope;
        if (s.type == Scope::Type::Zone && s.name.size() > 2)
          subnetScope = Scope{Scope::Type::Region, s.name.substr(0, s.name.rfind('-'))};
        ref(inv, i, "--subnet", "networkInterfaces[0].subnetwork", Kind::Subnetwork, subnetScope);
        if (creates && !inv.has("--network") && !inv.has("--subnet"))
          set(i, "networkInterfaces[0].network", defaultNetwork(inv));
        copyList(inv, i, "--tags", "tags.items");
        break;
      }
      case Cmd::SecurityPolicy:
        copy(inv, i, "--type", "type", true);
        if (creates && !inv.has("--file-name") && !inv.openFlags) {
          // A new policy has one rule, the default rule: priority 2147483647, allow.
          set(i, "rules[0].priority",
              defaulted(std::string(kDefaultRulePriority), inv.span, "PRIORITY"));
          set(i, "rules[0].action", defaulted("allow", inv.span, "--action"));
        }
        break;
      case Cmd::RunDelete:
      case Cmd::ConfigSet:
      case Cmd::SecurityPolicyRule:
      case Cmd::RunIamBinding:  // iamGrant
      case Cmd::RunSetIamPolicy:
      case Cmd::ProjectIamBinding:
        break;
    }
    if (creates) labels(inv, i);
  }

  /// --labels=KEY=VALUE,... on a create command (run deploy included): the
  /// resource's labels, as `labels.<key>` fields (see engine/model.h).
  void labels(const Invocation& inv, int32_t i) {
    const Flag* f = inv.flag("--labels");
    if (!f || !f->hasValue) return;
    auto& fields = graph.at(i).fields;
    for (auto it = fields.begin(); it != fields.end();)  // they replace earlier ones
      it = it->first == "labels" || it->first.rfind("labels.", 0) == 0 ? fields.erase(it)
                                                                       : std::next(it);
    if (f->value.unknown) {
      set(i, "labels", valueField(*f, ""));  // State::Unknown: $VAR, $(...)
      return;
    }
    for (const auto& [text, span] : splitList(*f, file)) {
      const size_t eq = text.find('=');
      if (eq == 0) continue;
      Field x = valueField(*f, eq == std::string::npos ? std::string() : text.substr(eq + 1));
      x.span = span;
      // A plain word: point at the value after `KEY=`.
      if (eq != std::string::npos && span.end - span.begin == text.size())
        x.span = Span{span.file, span.begin + static_cast<uint32_t>(eq + 1), span.end};
      set(i, "labels." + text.substr(0, eq), x);
    }
  }

  Field defaultNetwork(const Invocation& inv) const {
    Field x = defaulted("default", inv.span, "--network");
    x.ref.edit().identity =
        Identity{Kind::Network, project, Scope{Scope::Type::Global, ""}, "default"};
    x.ref.edit().external = true;
    return x;
  }

  void publicInvoker(int32_t run, const Flag& f, const Invocation& inv) {
    const Resource& svc = graph.at(run);
    Resource grant;
    grant.id = Identity{Kind::IamMember, svc.id.project, svc.id.scope, "allUsers"};
    grant.format = std::string(kFormat);
    grant.document = file.id();
    grant.header = f.flagSpan;
    grant.displayName = "--allow-unauthenticated of " + svc.id.name;
    grant.lifecycle = Lifecycle::Create;
    Field role = switchField(f, true);
    role.text = "roles/run.invoker";
    grant.fields["role"] = role;
    Field member = role;
    member.text = "allUsers";
    grant.fields["members[0]"] = member;
    Field res = role;
    res.text = svc.id.name;
    res.ref.edit().identity = svc.id;
    grant.fields["resource"] = res;
    const std::string k = key(grant.id) + "|" + svc.id.name;
    if (current.count(k)) return;
    current[k] = graph.add(std::move(grant));
    (void)inv;
  }

  /// `run services add-iam-policy-binding SERVICE --member=M --role=R`,
  /// `run services set-iam-policy SERVICE FILE` (the file is read once every
  /// input is: see readPolicyFiles) and `projects add-iam-policy-binding PROJECT`:
  /// an IamMember grant.
  void iamGrant(const Invocation& inv) {
    if (inv.args.empty() || inv.args[0].unknown || inv.args[0].text.empty()) return;
    const Word& target = inv.args[0];
    const Cmd cmd = inv.entry->cmd;
    Resource grant;
    grant.format = std::string(kFormat);
    grant.document = file.id();
    grant.header = inv.span;
    grant.lifecycle = Lifecycle::Create;
    grant.displayName = inv.commandText + " " + target.text;
    grant.id =
        Identity{Kind::IamMember, project, Scope{Scope::Type::Global, ""}, grant.displayName};
    if (cmd == Cmd::ProjectIamBinding) {
      grant.id.project = target.text;
      lower::markProjectWide(grant, target.span, "PROJECT_ID");
    } else {
      // The service: one this script deploys when the name and region match.
      ScopeInfo scope = scopeOf(inv, false, false);
      if (scope.scope.type == Scope::Type::Region) scope.scope.type = Scope::Type::Location;
      Identity svc{Kind::RunService, project, scope.scope, target.text};
      for (const auto& [k, index] : current) {
        const Identity& id = graph.at(index).id;
        if (id.kind == Kind::RunService && id.name == svc.name &&
            (id.scope == svc.scope || !svc.scope.known() || !id.scope.known()))
          svc = id;
      }
      Field res;
      res.state = State::Known;
      res.text = target.text;
      res.span = target.span;
      res.spelling = "SERVICE";
      res.authored = true;
      res.ref.edit().identity = svc;
      res.ref.edit().external = true;
      grant.fields["resource"] = res;
      grant.id.scope = svc.scope.known() ? svc.scope : grant.id.scope;
    }
    if (cmd == Cmd::RunSetIamPolicy) {
      if (inv.args.size() < 2 || inv.args[1].unknown || inv.args[1].text.empty()) return;
      namespace fs = std::filesystem;
      Field f;
      f.state = State::Known;
      f.text = (fs::path(file.path()).parent_path() / inv.args[1].text)
                   .lexically_normal()
                   .generic_string();
      f.span = inv.args[1].span;
      f.spelling = "POLICY_FILE";
      f.authored = true;
      grant.fields["policyFile"] = f;
      grant.header = inv.args[1].span;
      graph.add(std::move(grant));
      return;
    }
    const Flag* member = inv.flag("--member");
    const Flag* role = inv.flag("--role");
    if (!member || !member->hasValue || !role || !role->hasValue) return;
    grant.fields["role"] = valueField(*role, role->value.text);
    grant.fields["members[0]"] = valueField(*member, member->value.text);
    graph.add(std::move(grant));
  }

  /// Parses --timeout values: 30, 30s, 5m, 1h.
  static std::optional<std::string> seconds(std::string_view t) {
    if (t.empty()) return std::nullopt;
    int mult = 1;
    const char unit = t.back();
    if (unit == 's' || unit == 'm' || unit == 'h') {
      mult = unit == 's' ? 1 : unit == 'm' ? 60 : 3600;
      t.remove_suffix(1);
    }
    long v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
    return std::to_string(v * mult);
  }

  void backend(const Invocation& inv, int32_t i, const ScopeInfo& scope, bool creates, Verb verb,
               std::vector<Operation::Ref>& removed) {
    const Scope& s = scope.scope;
    const bool regional = s.type == Scope::Type::Region;
    if (verb == Verb::Create || verb == Verb::Update) {
      if (const Flag* f = inv.flag("--load-balancing-scheme"); f && f->hasValue) {
        set(i, "loadBalancingScheme", valueField(*f, upper(f->value.text)));
        choice(inv, "--load-balancing-scheme",
               {"INTERNAL", "EXTERNAL", "INTERNAL_SELF_MANAGED", "INTERNAL_MANAGED",
                "EXTERNAL_MANAGED"});
      } else if (creates && regional) {
        set(i, "loadBalancingScheme", defaulted("EXTERNAL", inv.span, "--load-balancing-scheme"));
      }
      // The classic -> global external migration (update --global).
      copy(inv, i, "--external-managed-migration-state", "externalManagedMigrationState", true);
      choice(inv, "--external-managed-migration-state",
             {"PREPARE", "TEST_BY_PERCENTAGE", "TEST_ALL_TRAFFIC"});
      copy(inv, i, "--external-managed-migration-testing-percentage",
           "externalManagedMigrationTestingPercentage");
      if (const Flag* f = inv.flag("--protocol"); f && f->hasValue) {
        set(i, "protocol", valueField(*f, upper(f->value.text)));
      } else if (creates && s.known()) {
        set(i, "protocol", defaulted(regional ? "TCP" : "HTTP", inv.span, "--protocol"));
      }
      if (const Flag* f = inv.flag("--timeout"); f && f->hasValue) {
        const auto secs = seconds(f->value.text);
        set(i, "timeoutSec", valueField(*f, secs.value_or(f->value.text)));
      } else if (creates) {
        Field t = defaulted("30", inv.span, "--timeout");
        set(i, "timeoutSec", t);
      }
      if (creates && !regional && s.known() && !inv.has("--port-name"))
        set(i, "portName", defaulted("http", inv.span, "--port-name"));
      copy(inv, i, "--port-name", "portName");
      copy(inv, i, "--session-affinity", "sessionAffinity", true);
      copy(inv, i, "--locality-lb-policy", "localityLbPolicy", true);
      copySwitch(inv, i, "--enable-cdn", "enableCDN");
      const Scope hcScope = inv.has("--global-health-checks")
                                ? Scope{Scope::Type::Global, ""}
                                : refScope(inv, "--health-checks-region", regional ? s : Scope{});
      refList(inv, i, "--health-checks", "healthChecks", Kind::HealthCheck, hcScope);
      // A policy's scope follows the backend service's (global policies for
      // global backend services, regional ones in the same region).
      ref(inv, i, "--security-policy", "securityPolicy", Kind::SecurityPolicy, s);
      ref(inv, i, "--edge-security-policy", "edgeSecurityPolicy", Kind::SecurityPolicy, s);
      if (const Flag* f = inv.flag("--iap"); f && f->hasValue)
        set(i, "iap.enabled",
            valueField(*f, f->value.text.rfind("enabled", 0) == 0 ? "true" : "false"));
      return;
    }
    if (verb != Verb::AddBackend && verb != Verb::RemoveBackend) return;
    // The backend: a NEG or an instance group with their own scope flags.
    const Flag* group = inv.flag("--network-endpoint-group");
    Kind kind = Kind::NetworkEndpointGroup;
    Scope gScope;
    if (group) {
      if (inv.has("--global-network-endpoint-group"))
        gScope = Scope{Scope::Type::Global, ""};
      else if (const Flag* z = inv.flag("--network-endpoint-group-zone"); z && z->hasValue)
        gScope = z->value.unknown ? Scope{} : Scope{Scope::Type::Zone, z->value.text};
      else
        gScope = refScope(inv, "--network-endpoint-group-region", Scope{});  // unverified: unknown
    } else if ((group = inv.flag("--instance-group"))) {
      kind = Kind::InstanceGroup;
      if (const Flag* z = inv.flag("--instance-group-zone"); z && z->hasValue)
        gScope = z->value.unknown ? Scope{} : Scope{Scope::Type::Zone, z->value.text};
      else
        gScope = refScope(inv, "--instance-group-region", Scope{});
    }
    if (!group || !group->hasValue) return;
    Field g = refField(*group, group->value.text, group->value.span, kind, gScope);
    Resource& r = graph.at(i);
    const size_t n = r.listSize("backends");
    if (verb == Verb::AddBackend) {
      const std::string prefix = "backends[" + std::to_string(n) + "]";
      set(i, prefix + ".group", g);
      copy(inv, i, "--balancing-mode", prefix + ".balancingMode", true);
      for (const auto& [flag, field] : std::initializer_list<std::pair<const char*, const char*>>{
               {"--capacity-scaler", ".capacityScaler"},
               {"--max-utilization", ".maxUtilization"},
               {"--max-rate", ".maxRate"},
               {"--max-rate-per-endpoint", ".maxRatePerEndpoint"},
               {"--max-rate-per-instance", ".maxRatePerInstance"},
               {"--max-connections", ".maxConnections"},
               {"--max-connections-per-endpoint", ".maxConnectionsPerEndpoint"},
               {"--max-connections-per-instance", ".maxConnectionsPerInstance"}})
        copy(inv, i, flag, prefix + field);
      return;
    }
    // remove-backend: gcloud looks the group up by its scope; without the region
    // flag it does not find a regional NEG, so nothing is removed.
    const bool scoped = gScope.known() || kind != Kind::NetworkEndpointGroup;
    // A group that is no link at all (an unknown or garbled value) removes nothing
    // lbcheck can name (found by the script fuzzer: `removed` was empty here).
    if (!g.ref->identity) return;
    removed.push_back({"backends", *g.ref->identity, g.span, group->name});
    if (!scoped) {
      removed.back().to.scope = Scope{};
      removed.back().path = "backends (no --network-endpoint-group-region)";
      return;
    }
    // Rebuild the list without the matching backend.
    std::vector<std::map<std::string, Field>> list(n);
    for (auto it = r.fields.begin(); it != r.fields.end();) {
      if (it->first.rfind("backends[", 0) == 0) {
        const size_t close = it->first.find(']');
        const size_t idx = std::stoul(it->first.substr(9, close - 9));
        if (idx < n) list[idx][it->first.substr(close + 1)] = it->second;
        it = r.fields.erase(it);
      } else {
        ++it;
      }
    }
    size_t out = 0;
    for (auto& b : list) {
      const auto gf = b.find(".group");
      if (gf != b.end() && gf->second.ref->identity &&
          sameScriptObject(*gf->second.ref->identity, *g.ref->identity))
        continue;
      for (auto& [suffix, f] : b) r.fields["backends[" + std::to_string(out) + "]" + suffix] = f;
      ++out;
    }
  }

  void forwardingRule(const Invocation& inv, int32_t i, const ScopeInfo& scope, bool creates) {
    const Scope& s = scope.scope;
    const Scope global{Scope::Type::Global, ""};
    if (const Flag* f = inv.flag("--load-balancing-scheme"); f && f->hasValue) {
      set(i, "loadBalancingScheme", valueField(*f, upper(f->value.text)));
      choice(inv, "--load-balancing-scheme",
             {"EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL", "INTERNAL_MANAGED",
              "INTERNAL_SELF_MANAGED"});
    } else if (creates) {
      set(i, "loadBalancingScheme", defaulted("EXTERNAL", inv.span, "--load-balancing-scheme"));
    }
    ref(inv, i, "--network", "network", Kind::Network, global);
    ref(inv, i, "--subnet", "subnetwork", Kind::Subnetwork, refScope(inv, "--subnet-region", s));
    if (const Flag* a = inv.flag("--address"); a && a->hasValue) {
      if (isIpLiteral(a->value.text)) {
        set(i, "IPAddress", valueField(*a, a->value.text));
      } else {
        const Scope as =
            inv.has("--global-address") ? global : refScope(inv, "--address-region", s);
        set(i, "IPAddress", refField(*a, a->value.text, a->value.span, Kind::Address, as));
      }
    }
    // The quirk: without --target-http(s)-proxy-region the proxy is global,
    // even for a regional forwarding rule.
    ref(inv, i, "--target-http-proxy", "target", Kind::TargetHttpProxy,
        refScope(inv, "--target-http-proxy-region", global));
    ref(inv, i, "--target-https-proxy", "target", Kind::TargetHttpsProxy,
        refScope(inv, "--target-https-proxy-region", global));
    ref(inv, i, "--backend-service", "backendService", Kind::BackendService,
        refScope(inv, "--backend-service-region", s));
    if (const Flag* p = inv.flag("--ports"); p && p->hasValue) {
      const auto parts = splitList(*p, file);
      if (parts.size() == 1 || p->value.unknown) {
        set(i, "portRange", valueField(*p, p->value.text));
      } else {
        bool consecutive = true;
        for (size_t k = 1; k < parts.size(); ++k) {
          long a = 0, b = 0;
          std::from_chars(parts[k - 1].first.data(),
                          parts[k - 1].first.data() + parts[k - 1].first.size(), a);
          std::from_chars(parts[k].first.data(), parts[k].first.data() + parts[k].first.size(), b);
          if (b != a + 1) consecutive = false;
        }
        if (!consecutive)
          problem(p->value.span,
                  "gcloud rejects --ports=" + p->value.text +
                      " for this forwarding rule (\"Must specify consecutive ports\")",
                  "an internal Application Load Balancer's forwarding rule takes one port, e.g. "
                  "--ports=80");
        copyList(inv, i, "--ports", "ports");
      }
    }
    copy(inv, i, "--port-range", "portRange");
    copy(inv, i, "--ip-protocol", "IPProtocol", true);
    copy(inv, i, "--network-tier", "networkTier", true);
    copySwitch(inv, i, "--allow-global-access", "allowGlobalAccess");
  }

  void firewall(const Invocation& inv, int32_t i, bool creates) {
    const Scope global{Scope::Type::Global, ""};
    if (inv.has("--network")) {
      ref(inv, i, "--network", "network", Kind::Network, global);
    } else if (creates) {
      set(i, "network", defaultNetwork(inv));
    }
    copy(inv, i, "--direction", "direction", true);
    copyList(inv, i, "--source-ranges", "sourceRanges");
    copyList(inv, i, "--target-tags", "targetTags");
    copyList(inv, i, "--source-tags", "sourceTags");
    copySwitch(inv, i, "--disabled", "disabled");
    const Flag* rules = inv.flag("--rules");
    if (!rules) rules = inv.flag("--allow");
    const Flag* action = inv.flag("--action");
    if (creates && !action && !inv.has("--allow")) {
      problem(inv.span,
              "gcloud rejects firewall-rules create without --action or --allow (\"Exactly one "
              "of (--action | --allow) must be specified\")",
              "add --action=allow --rules=PROTOCOL:PORT");
    }
    if (!rules || !rules->hasValue) return;
    const std::string list =
        action && action->hasValue && upper(action->value.text) == "DENY" ? "denied" : "allowed";
    size_t n = 0;
    for (const auto& [text, span] : splitList(*rules, file)) {
      const std::string prefix = list + "[" + std::to_string(n++) + "]";
      const size_t colon = text.find(':');
      Field proto = valueField(*rules, colon == std::string::npos ? text : text.substr(0, colon));
      proto.span = span;
      set(i, prefix + ".IPProtocol", proto);
      if (colon != std::string::npos) {
        Field port = valueField(*rules, text.substr(colon + 1));
        port.span = span;
        set(i, prefix + ".ports[0]", port);
      }
    }
  }
};

}  // namespace

void lower(const script::Script& script, const SourceFile& file, Graph& graph,
           std::vector<Finding>& diags) {
  Lowerer l{file, graph, diags, {}, {}, {}, {}, {}, 0, {}, &script, false};
  for (const Command& c : script.commands) {
    l.lane = c.lane;
    l.command(c);
  }
}

void readPolicyFiles(Graph& graph, SourceManager& sources, std::vector<Finding>& findings) {
  namespace fs = std::filesystem;
  const size_t n = graph.size();
  for (size_t i = 0; i < n; ++i) {
    const Resource& r = graph.at(static_cast<int32_t>(i));
    if (r.id.kind != Kind::IamMember || r.format != kFormat) continue;
    const Field& path = r.field("policyFile");
    if (path.state != State::Known) continue;
    // Among the inputs, else on disk next to the script; unreadable: nothing is known.
    const SourceFile* policy = nullptr;
    for (uint32_t k = 0; k < sources.size() && !policy; ++k)
      if (fs::path(sources.get(k).path()).lexically_normal().generic_string() == path.text)
        policy = &sources.get(k);
    bool wasInput = policy != nullptr;
    if (!policy) {
      std::error_code ec;
      if (!fs::is_regular_file(path.text.str(), ec) ||
          fs::file_size(path.text.str(), ec) > (1u << 20))
        continue;
      std::ifstream in(path.text, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) continue;
      policy = &sources.add(path.text, std::move(bytes));
    }
    std::vector<std::unique_ptr<json::Document>> docs;
    json::ParseError err;
    const std::string_view text = policy->text();
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '{') {
      if (auto doc = json::parse(*policy, json::Limits{}, &err)) docs.push_back(std::move(doc));
    } else if (yaml::parse(*policy, yaml::Limits{}, &docs, &err)) {
      docs.clear();
    }
    if (docs.empty() || !docs.front()->root().isObject()) continue;
    const auto bindings =
        lower::readIamBindings(docs.front()->root().get("bindings"), "bindings", true);
    if (bindings.empty()) continue;
    std::vector<Resource> grants;
    lower::iamGrants(graph.at(static_cast<int32_t>(i)), bindings, grants);
    graph.at(static_cast<int32_t>(i)) = std::move(grants.front());
    for (size_t k = 1; k < grants.size(); ++k) graph.add(std::move(grants[k]));
    // Read as the policy of set-iam-policy: not a skipped file.
    if (wasInput)
      findings.erase(std::remove_if(findings.begin(), findings.end(),
                                    [&](const Finding& f) {
                                      return f.ruleId == diag::kSkipped &&
                                             f.span.file == policy->id();
                                    }),
                     findings.end());
  }
}

void load(const SourceFile& file, bool markdown, Graph& graph, std::vector<Finding>& diags) {
  load(file, markdown ? script::markdownBlocks(file.text()) : script::wholeFile(file.text()), graph,
       diags);
}

script::Script parse(const SourceFile& file, const std::vector<script::Chunk>& chunks,
                     std::vector<Finding>& diags) {
  return parse(file, chunks, script::Environment{}, diags);
}

std::vector<const script::Heredoc*> importedHeredocs(const script::Script& script) {
  std::vector<const script::Heredoc*> out;
  auto base = [](std::string_view p) {
    const size_t slash = p.rfind('/');
    return slash == std::string_view::npos ? p : p.substr(slash + 1);
  };
  for (uint32_t c = 0; c < script.commands.size(); ++c) {
    const auto& w = script.commands[c].words;
    if (w.empty() || base(w[0].text) != "gcloud") continue;
    bool import = false;
    std::string source;
    bool known = false;
    for (size_t k = 1; k < w.size(); ++k) {
      if (w[k].text == "import") import = true;
      for (std::string_view flag : {"--source", "--file"}) {
        if (w[k].text == flag && k + 1 < w.size()) {
          source = w[k + 1].text;
          known = !w[k + 1].unknown;
        } else if (w[k].text.rfind(std::string(flag) + "=", 0) == 0) {
          source = w[k].text.substr(flag.size() + 1);
          known = !w[k].unknown;
        }
      }
    }
    if (!import || !known || source.empty()) continue;
    const script::Heredoc* found = nullptr;
    for (const script::Heredoc& h : script.heredocs) {
      if (source == "/dev/stdin" || source == "-") {
        if (h.command == c) found = &h;
      } else if (h.command != UINT32_MAX && h.command < c && !h.target.empty() &&
                 (h.target == source || base(h.target) == base(source))) {
        found = &h;  // the latest one written before the import
      }
    }
    if (found && std::find(out.begin(), out.end(), found) == out.end()) out.push_back(found);
  }
  return out;
}

script::SourceReader sourcesNextTo(const std::string& scriptPath) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(scriptPath).parent_path();
  return [dir](std::string_view path) -> std::optional<std::string> {
    if (path.empty()) return std::nullopt;
    std::error_code ec;
    const fs::path p = fs::path(path).is_absolute() ? fs::path(path) : dir / fs::path(path);
    if (!fs::is_regular_file(p, ec) || ec) return std::nullopt;
    const auto size = fs::file_size(p, ec);
    if (ec || size > (1u << 20)) return std::nullopt;
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(static_cast<size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
  };
}

script::Script parse(const SourceFile& file, const std::vector<script::Chunk>& chunks,
                     const script::Environment& environment, std::vector<Finding>& diags,
                     const script::SourceReader& sources) {
  script::Script s = script::read(file, chunks, environment, sources);
  for (const auto& p : s.problems)
    diags.push_back(makeDiagnostic(diag::kSyntax, Severity::Error, p.span, p.message, p.help));
  return s;
}

void load(const SourceFile& file, const std::vector<script::Chunk>& chunks, Graph& graph,
          std::vector<Finding>& diags) {
  const script::Script s = parse(file, chunks, diags);
  lower(s, file, graph, diags);
}

}  // namespace lbcheck::gcloud
