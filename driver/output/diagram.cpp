// Builds the load-balancer chains of a graph as diagrams, and writes them as
// Mermaid, Graphviz DOT and JSON.
#include "driver/output/diagram.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "engine/chain.h"
#include "engine/topology.h"

namespace lbcheck {

/// The type of the chain that starts at forwarding rule `fr` (Unknown when none is known).
static LbType chainType(const Graph& g, const Resource& fr) {
  for (const LbChain& c : chainsServing(g, fr))
    if (c.rule == &fr) return c.type;
  return LbType::Unknown;
}

namespace {

bool worse(std::optional<Severity> a, std::optional<Severity> b) {
  return a && (!b || static_cast<int>(*a) > static_cast<int>(*b));
}

void raise(std::optional<Severity>& to, std::optional<Severity> s) {
  if (worse(s, to)) to = s;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

/// A node id that Mermaid, DOT and HTML all take as is: the identity's kind and
/// name in [A-Za-z0-9_], and a hash of the whole identity (scope, project) so
/// two resources never share one.
std::string nodeId(std::string_view kind, std::string_view name, std::string_view whole) {
  std::string id;
  for (std::string_view part : {kind, name}) {
    if (!id.empty()) id += '_';
    for (char c : part.substr(0, 40))
      id += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
  }
  char hash[10];
  std::snprintf(hash, sizeof hash, "_%08x", static_cast<unsigned>(fnv1a(whole) & 0xffffffffu));
  return id + hash;
}

std::string identityKey(const Resource& r) {
  return r.id.complete() ? r.id.str() : (r.displayName.empty() ? r.id.name.str() : r.displayName);
}

std::string resourceNodeId(const Resource& r) {
  return nodeId(collectionName(r.id.kind), r.id.name.empty() ? r.displayName : r.id.name.str(),
                objectIdentity(r).str() + "|" + r.displayName);
}

/// Active findings by the identity they were reported against.
class FindingIndex {
 public:
  explicit FindingIndex(const std::vector<Finding>& findings) : findings_(findings) {
    for (size_t i = 0; i < findings.size(); ++i) {
      const Finding& f = findings[i];
      if (!f.active() || f.identity.empty()) continue;
      byIdentity_[f.identity].push_back(i);
    }
  }
  const std::vector<size_t>& of(const Resource& r) const {
    static const std::vector<size_t> kNone;
    auto it = byIdentity_.find(identityKey(r));
    return it == byIdentity_.end() ? kNone : it->second;
  }
  const Finding& at(size_t i) const { return findings_[i]; }

 private:
  const std::vector<Finding>& findings_;
  std::unordered_map<std::string, std::vector<size_t>> byIdentity_;
};

std::string fieldText(const Field& f) {
  if (f.state == State::Unknown) return "(known after apply)";
  if (f.ref->present() && f.ref->identity) return f.ref->identity->name;
  return f.text;
}

/// The last path segment of a reference's text: a name rather than a whole URL.
std::string shortName(const Graph& g, const Field& f) {
  if (const Resource* t = g.target(f))
    return t->id.name.empty() ? t->displayName : t->id.name.str();
  if (f.ref->identity && !f.ref->identity->name.empty()) return f.ref->identity->name;
  if (!f.ref->address.empty()) return f.refAddress();
  std::string t = fieldText(f);
  const size_t slash = t.rfind('/');
  return slash == std::string::npos ? t : t.substr(slash + 1);
}

std::vector<std::string> detailsOf(const Graph& g, const Resource& r) {
  std::vector<std::string> out;
  auto add = [&](std::string_view label, const Field& f) {
    if (f.state == State::Absent) return;
    out.push_back(std::string(label) + ": " + fieldText(f));
  };
  auto addList = [&](std::string_view label, std::string_view path) {
    std::vector<std::string> names;
    forEachField(r, std::string(path) + "[*]",
                 [&](const std::string&, const Field& f) { names.push_back(shortName(g, f)); });
    if (names.empty()) return;
    std::string joined;
    for (size_t i = 0; i < names.size() && i < 3; ++i) joined += (i ? ", " : "") + names[i];
    if (names.size() > 3) joined += ", +" + std::to_string(names.size() - 3);
    out.push_back(std::string(label) + ": " + joined);
  };
  switch (r.id.kind) {
    case Kind::ForwardingRule: {
      const Field& ip = r.field("IPAddress");
      std::string ports = fieldText(r.field("portRange"));
      if (ports.empty()) {
        forEachField(r, "ports[*]", [&](const std::string&, const Field& f) {
          ports += (ports.empty() ? "" : ",") + fieldText(f);
        });
      }
      // A reserved address: its name (its IP is often known only after apply).
      std::string where = ip.state == State::Absent ? "(ephemeral)"
                          : ip.ref->present() && (g.target(ip) || ip.state != State::Known)
                              ? "address " + shortName(g, ip)
                              : fieldText(ip);
      if (!ports.empty()) where += ":" + ports;
      out.push_back(where);
      break;
    }
    case Kind::TargetHttpsProxy:
      addList("certificates", "sslCertificates");
      addList("certificate manager", "certificateManagerCertificates");
      if (const Field& p = r.field("sslPolicy"); p.state != State::Absent)
        out.push_back("SSL policy: " + shortName(g, p));
      break;
    case Kind::BackendService:
      add("protocol", r.field("protocol"));
      if (const Field& p = r.field("securityPolicy"); p.state != State::Absent)
        out.push_back("security policy: " + shortName(g, p));
      if (r.field("enableCDN").is("true")) out.push_back("CDN");
      if (r.field("iap.enabled").is("true")) out.push_back("IAP");
      break;
    case Kind::NetworkEndpointGroup:
      add("type", r.field("networkEndpointType"));
      add("URL mask", r.field("cloudRun.urlMask"));
      break;
    case Kind::RunService:
      add("ingress", r.field("ingress"));
      break;
    case Kind::Subnetwork:
      add("range", r.field("ipCidrRange"));
      add("purpose", r.field("purpose"));
      add("role", r.field("role"));
      break;
    default:
      break;
  }
  if (r.lifecycle != Lifecycle::Static && r.lifecycle != Lifecycle::NoOp)
    out.push_back("[" + std::string(lifecycleName(r.lifecycle)) + "]");
  return out;
}

/// "/api/*" for pathMatchers[i].pathRules[j].service, the hosts for a path
/// matcher's default; "default" for the URL map's own.
std::string urlMapEdgeLabel(const Resource& map, const std::string& path) {
  if (path == "defaultService") return "default";
  const size_t close = path.find(']');
  if (path.rfind("pathMatchers[", 0) != 0 || close == std::string::npos) return path;
  const std::string matcher = path.substr(0, close + 1);  // pathMatchers[i]
  const std::string matcherName = map.field(matcher + ".name").text;
  std::vector<std::string> hosts;
  forEachField(map, "hostRules[*].pathMatcher", [&](const std::string& p, const Field& f) {
    if (f.text != matcherName) return;
    const std::string rule = p.substr(0, p.size() - std::string_view(".pathMatcher").size());
    forEachField(map, rule + ".hosts[*]",
                 [&](const std::string&, const Field& h) { hosts.push_back(h.text); });
  });
  std::string host;
  for (size_t i = 0; i < hosts.size() && i < 2; ++i) host += (i ? ", " : "") + hosts[i];
  if (hosts.size() > 2) host += ", +" + std::to_string(hosts.size() - 2);
  std::string rest = path.substr(close + 2);  // after "pathMatchers[i]."
  std::string what;
  if (rest == "defaultService") {
    what = "*";
  } else if (rest.rfind("pathRules[", 0) == 0) {
    const std::string rule = matcher + "." + rest.substr(0, rest.find(']') + 1);
    std::vector<std::string> paths;
    forEachField(map, rule + ".paths[*]",
                 [&](const std::string&, const Field& p) { paths.push_back(p.text); });
    for (size_t i = 0; i < paths.size() && i < 2; ++i) what += (i ? " " : "") + paths[i];
    if (paths.size() > 2) what += " +" + std::to_string(paths.size() - 2);
  } else if (rest.rfind("routeRules[", 0) == 0) {
    const std::string rule = matcher + "." + rest.substr(0, rest.find(']') + 1);
    const Field& prefix = map.field(rule + ".matchRules[0].prefixMatch");
    const Field& full = map.field(rule + ".matchRules[0].fullPathMatch");
    what = prefix.known() ? prefix.text + "*" : full.known() ? full.text.str() : "route rule";
  }
  if (host.empty()) host = matcherName.empty() ? "" : matcherName;
  return host.empty() ? what : host + " " + what;
}

/// The references one kind of chain node follows, in order.
struct Step {
  Kind from;
  std::string_view pattern;
  bool dependency;  // a subnet: drawn dashed
};
constexpr Step kSteps[] = {
    {Kind::ForwardingRule, "target", false},
    {Kind::ForwardingRule, "subnetwork", true},
    {Kind::TargetHttpProxy, "urlMap", false},
    {Kind::TargetHttpsProxy, "urlMap", false},
    {Kind::UrlMap, "defaultService", false},
    {Kind::UrlMap, "pathMatchers[*].defaultService", false},
    {Kind::UrlMap, "pathMatchers[*].pathRules[*].service", false},
    {Kind::UrlMap, "pathMatchers[*].routeRules[*].service", false},
    {Kind::BackendService, "backends[*].group", false},
    {Kind::NetworkEndpointGroup, "cloudRun.service", false},
};

class Builder {
 public:
  Builder(const SourceManager& sources, const Graph& g, const std::vector<Finding>& findings,
          const DiagramOptions& options)
      : sources_(sources), g_(g), index_(findings), options_(options), subnets_(g) {}

  std::vector<Diagram> build() {
    std::vector<Diagram> out;
    for (int32_t i : g_.ofKind(Kind::ForwardingRule))
      if (live(g_.at(i))) out.push_back(diagramFrom(i));
    for (Kind k : {Kind::TargetHttpProxy, Kind::TargetHttpsProxy, Kind::UrlMap,
                   Kind::BackendService, Kind::NetworkEndpointGroup}) {
      for (int32_t i : g_.ofKind(k))
        if (live(g_.at(i)) && !reached_.count(i)) out.push_back(diagramFrom(i));
    }
    return out;
  }

 private:
  const SourceManager& sources_;
  const Graph& g_;
  FindingIndex index_;
  DiagramOptions options_;
  SubnetsByNetwork subnets_;
  std::set<int32_t> reached_;  // by any diagram so far
  // Per diagram:
  Diagram* d_ = nullptr;
  std::map<std::string, size_t> nodeAt_;

  Diagram diagramFrom(int32_t head) {
    Diagram d;
    d_ = &d;
    nodeAt_.clear();
    const Resource& r = g_.at(head);
    d.id = resourceNodeId(r);
    d.title = std::string(kindLabel(r.id.kind)) + " `" +
              (r.displayName.empty() ? r.id.name.str() : r.displayName) + "`";
    d.label = r.id.kind == Kind::ForwardingRule ? chainLabel(g_, r) : "no forwarding rule";
    if (r.id.kind == Kind::ForwardingRule) d.type = std::string(lbTypeId(chainType(g_, r)));
    visit(head);
    if (r.id.kind == Kind::ForwardingRule) addProxyOnlySubnets(r);
    for (const DiagramNode& n : d.nodes) raise(d.worst, n.worst);
    for (const DiagramEdge& e : d.edges) raise(d.worst, e.severity);
    d_ = nullptr;
    return d;
  }

  /// Adds the node of resource `i` (once) and follows its references.
  std::string visit(int32_t i) {
    const Resource& r = g_.at(i);
    const std::string id = resourceNodeId(r);
    if (nodeAt_.count(id)) return id;
    reached_.insert(i);
    nodeAt_[id] = d_->nodes.size();
    DiagramNode node;
    node.id = id;
    node.kind = std::string(kindLabel(r.id.kind));
    node.name = r.id.name.empty() ? r.displayName : r.id.name.str();
    node.details = detailsOf(g_, r);
    if (r.id.kind == Kind::RunService) addInvokers(i, node);
    if (const SourceFile* file = sources_.find(r.header.file))
      node.where = file->path() + ":" + std::to_string(file->locate(r.header.begin).line);
    for (size_t f : index_.of(r)) {
      const Finding& finding = index_.at(f);
      raise(node.worst, finding.severity);
      node.findings.push_back(f);
      node.rules.push_back(finding.ruleId);
    }
    std::sort(node.findings.begin(), node.findings.end());
    node.findings.erase(std::unique(node.findings.begin(), node.findings.end()),
                        node.findings.end());
    std::sort(node.rules.begin(), node.rules.end());
    node.rules.erase(std::unique(node.rules.begin(), node.rules.end()), node.rules.end());
    d_->nodes.push_back(std::move(node));

    // The references to follow, grouped by the kind they lead to.
    struct Link {
      std::string path;
      const Field* field;
      bool dependency;
      bool flagged;
    };
    std::vector<Link> links;
    for (const Step& s : kSteps) {
      if (s.from != r.id.kind) continue;
      forEachField(r, s.pattern, [&](const std::string& path, const Field& f) {
        if (!f.ref->present() && f.state != State::Unknown) return;
        links.push_back({path, &f, s.dependency, !findingsAt(r, path).empty()});
      });
    }
    // Over the group limit: keep those with findings (or whose target has
    // some), then the first ones; one node stands for the rest.
    if (links.size() > options_.groupLimit) {
      std::stable_partition(links.begin(), links.end(), [&](const Link& l) {
        const Resource* t = g_.target(*l.field);
        return l.flagged || (t && !index_.of(*t).empty());
      });
      const size_t keep = options_.groupLimit - 1;
      std::optional<Severity> rest;
      std::set<std::string> restRules;
      for (size_t k = keep; k < links.size(); ++k) {
        if (const Resource* t = g_.target(*links[k].field))
          for (size_t f : index_.of(*t)) {
            raise(rest, index_.at(f).severity);
            restRules.insert(index_.at(f).ruleId);
          }
      }
      DiagramNode group;
      group.id = id + "_more";
      group.kind = "group";
      group.collapsed = links.size() - keep;
      group.name = std::to_string(group.collapsed) + " more";
      group.worst = rest;
      group.rules.assign(restRules.begin(), restRules.end());
      links.resize(keep);
      std::vector<Link> kept = std::move(links);
      for (const Link& l : kept) follow(i, id, l.path, *l.field, l.dependency);
      nodeAt_[group.id] = d_->nodes.size();
      d_->edges.push_back({id, group.id, "…", false, "", std::nullopt});
      d_->nodes.push_back(std::move(group));
      return id;
    }
    for (const Link& l : links) follow(i, id, l.path, *l.field, l.dependency);
    return id;
  }

  std::vector<size_t> findingsAt(const Resource& r, const std::string& path) const {
    std::vector<size_t> out;
    for (size_t f : index_.of(r))
      if (index_.at(f).fieldPath == path) out.push_back(f);
    return out;
  }

  void follow(int32_t from, const std::string& fromId, const std::string& path, const Field& f,
              bool dependency) {
    const Resource& r = g_.at(from);
    DiagramEdge e;
    e.from = fromId;
    e.dependency = dependency;
    if (r.id.kind == Kind::UrlMap) e.label = urlMapEdgeLabel(r, path);
    if (dependency) e.label = "subnet";
    for (size_t fi : findingsAt(r, path)) {
      const Finding& finding = index_.at(fi);
      if (worse(finding.severity, e.severity)) {
        e.severity = finding.severity;
        e.rule = finding.ruleId;
      }
    }
    const Resource* t = g_.target(f);
    if (t && t->mergedInto >= 0) t = &g_.at(t->mergedInto);
    // The edge first, then what lies behind it: edges read from the head on.
    e.to = t ? resourceNodeId(*t) : missingNode(f);
    d_->edges.push_back(std::move(e));
    if (t) visit(g_.indexOf(*t));
  }

  /// A node for a reference that resolves to nothing in the inputs.
  std::string missingNode(const Field& f) {
    std::string kind = "resource", name, whole;
    if (f.ref->identity) {
      kind = std::string(kindLabel(f.ref->identity->kind));
      name = f.ref->identity->name;
      whole = f.ref->identity->str();
    }
    if (name.empty()) name = !f.ref->address.empty() ? f.refAddress() : fieldText(f);
    if (whole.empty()) whole = name;
    const std::string id = nodeId(
        f.ref->identity ? collectionName(f.ref->identity->kind) : std::string_view("missing"), name,
        "missing|" + whole);
    if (nodeAt_.count(id)) return id;
    DiagramNode node;
    node.id = id;
    node.kind = kind;
    node.name = name;
    node.missing = true;
    node.details.push_back(f.ref->external ? "not in inputs (external)" : "not in inputs");
    nodeAt_[id] = d_->nodes.size();
    d_->nodes.push_back(std::move(node));
    return id;
  }

  /// The live proxy-only subnets in the forwarding rule's network and region.
  void addProxyOnlySubnets(const Resource& fr) {
    const auto network = refIdentity(g_, fr.field("network"));
    if (!network || fr.id.scope.type != Scope::Type::Region) return;
    const std::string frId = resourceNodeId(fr);
    for (const Resource* s : subnets_.candidates(*network, false)) {
      if (!live(*s) || s->id.scope.name != fr.id.scope.name) continue;
      const Field& purpose = s->field("purpose");
      if (!purpose.is("REGIONAL_MANAGED_PROXY") && !purpose.is("INTERNAL_HTTPS_LOAD_BALANCER") &&
          !purpose.is("GLOBAL_MANAGED_PROXY"))
        continue;
      const auto sNet = refIdentity(g_, s->field("network"));
      if (!sNet || !sameObject(*sNet, *network)) continue;
      const std::string id = visit(g_.indexOf(*s));
      d_->edges.push_back({frId, id, "proxy-only subnet", true, "", std::nullopt});
    }
  }

  /// "invoker: allUsers" from the live IAM grants of roles/run.invoker on it,
  /// whose findings the service's node then carries.
  void addInvokers(int32_t run, DiagramNode& node) {
    std::set<std::string> members;
    for (const Graph::Referrer& ref : g_.referrers(run)) {
      if (ref.prior) continue;
      const Resource& grant = g_.at(ref.resource);
      if (grant.id.kind != Kind::IamMember || !live(grant)) continue;
      if (!grant.field("role").is("roles/run.invoker")) continue;
      forEachField(grant, "members[*]",
                   [&](const std::string&, const Field& m) { members.insert(fieldText(m)); });
      if (const Field& m = grant.field("member"); m.known()) members.insert(m.text);
      // The grant is drawn as the service's invokers: its findings are the node's.
      for (size_t f : index_.of(grant)) {
        raise(node.worst, index_.at(f).severity);
        node.findings.push_back(f);
        node.rules.push_back(index_.at(f).ruleId);
      }
    }
    if (members.empty()) return;
    std::string text = "invoker: ";
    size_t n = 0;
    for (const std::string& m : members) {
      if (n == 2) {
        text += ", +" + std::to_string(members.size() - 2);
        break;
      }
      text += (n++ ? ", " : "") + m;
    }
    node.details.push_back(text);
  }
};

// --- Mermaid ---------------------------------------------------------------

/// Text inside a quoted Mermaid label: entity codes for what Mermaid would read.
std::string mermaidText(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '#':
        out += "#35;";
        break;
      case '`':
        out += "#96;";
        break;
      case '|':
        out += "#124;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<std::string> labelLines(const DiagramNode& n) {
  std::vector<std::string> lines;
  lines.push_back(n.kind);
  lines.push_back(n.name);
  for (const std::string& d : n.details) lines.push_back(d);
  if (n.worst) {
    std::string f = severityMarker(*n.worst);
    for (size_t i = 0; i < n.rules.size(); ++i) f += (i ? ", " : ": ") + n.rules[i];
    lines.push_back(f);
  }
  return lines;
}

std::string edgeText(const DiagramEdge& e) {
  std::string t = e.label;
  if (!e.rule.empty() && e.severity) {
    const std::string marker = severityMarker(*e.severity);
    t += (t.empty() ? "" : " ") + marker.substr(0, marker.find(' ')) + " " + e.rule;
  }
  return t;
}

// --- DOT -------------------------------------------------------------------

std::string dotText(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

const char* fillOf(std::optional<Severity> s) {
  if (!s) return "#f4f6f8";
  switch (*s) {
    case Severity::Error:
      return "#fde2e1";
    case Severity::Warning:
      return "#fff1cc";
    case Severity::Note:
      return "#e3eefc";
  }
  return "#f4f6f8";
}

const char* strokeOf(std::optional<Severity> s) {
  if (!s) return "#5f6b7a";
  switch (*s) {
    case Severity::Error:
      return "#c5221f";
    case Severity::Warning:
      return "#b06000";
    case Severity::Note:
      return "#1a5fb4";
  }
  return "#5f6b7a";
}

}  // namespace

std::vector<Diagram> buildDiagrams(const SourceManager& sources, const Graph& graph,
                                   const std::vector<Finding>& findings,
                                   const DiagramOptions& options) {
  DiagramOptions o = options;
  o.groupLimit = std::max<size_t>(o.groupLimit, 2);
  return Builder(sources, graph, findings, o).build();
}

std::string chainLabel(const Graph& g, const Resource& fr) {
  const Field& scheme = fr.field("loadBalancingScheme");
  const LbType type = chainType(g, fr);
  if (type != LbType::Unknown) {
    std::string out(lbTypeName(type));
    out += ", " + (scheme.known() ? scheme.text.str() : std::string("EXTERNAL"));
    if (fr.id.scope.regional()) out += ", " + fr.id.scope.name.str();
    return out;
  }
  std::string out = scheme.known() ? scheme.text : "EXTERNAL (default scheme)";
  if (fr.id.scope.type == Scope::Type::Global)
    out += ", global";
  else if (fr.id.scope.regional())
    out += ", regional (" + fr.id.scope.name.str() + ")";
  return out;
}

std::string severityMarker(Severity s) {
  switch (s) {
    case Severity::Error:
      return "✖ error";
    case Severity::Warning:
      return "▲ warning";
    case Severity::Note:
      return "● note";
  }
  return "";
}

std::string renderMermaid(const Diagram& d) {
  std::string out = "flowchart LR\n";
  out += "  %% " + mermaidText(d.title) + ": " + mermaidText(d.label) + "\n";
  for (const DiagramNode& n : d.nodes) {
    std::string label;
    const auto lines = labelLines(n);
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string line = mermaidText(lines[i]);
      if (i == 1) line = "<b>" + line + "</b>";
      label += (i ? "<br/>" : "") + line;
    }
    out += "  " + n.id + "[\"" + label + "\"]\n";
  }
  size_t index = 0;
  std::string styles;
  for (const DiagramEdge& e : d.edges) {
    const std::string text = edgeText(e);
    out += "  " + e.from + (e.dependency ? " -.->" : " -->") +
           (text.empty() ? std::string() : "|\"" + mermaidText(text) + "\"|") + " " + e.to + "\n";
    if (!e.rule.empty())
      styles += "  linkStyle " + std::to_string(index) + " stroke:" + strokeOf(e.severity) +
                ",stroke-width:3px,color:" + strokeOf(e.severity) + "\n";
    ++index;
  }
  out += styles;
  out += "  classDef error fill:#fde2e1,stroke:#c5221f,stroke-width:3px,color:#000\n";
  out += "  classDef warning fill:#fff1cc,stroke:#b06000,stroke-width:2px,color:#000\n";
  out += "  classDef note fill:#e3eefc,stroke:#1a5fb4,color:#000\n";
  out += "  classDef missing fill:#fff,stroke:#777,stroke-dasharray:5 5,color:#444\n";
  for (const DiagramNode& n : d.nodes) {
    std::string cls = n.missing ? "missing" : "";
    if (n.worst && !n.missing) cls = std::string(severityName(*n.worst));
    if (!cls.empty()) out += "  class " + n.id + " " + cls + "\n";
  }
  return out;
}

std::string renderMermaid(const std::vector<Diagram>& diagrams) {
  std::string out;
  for (size_t i = 0; i < diagrams.size(); ++i) {
    if (i) out += "\n";
    out += renderMermaid(diagrams[i]);
  }
  return out;
}

std::string renderDot(const Diagram& d, std::string_view idPrefix) {
  std::string out = "digraph \"" + d.id + "\" {\n";
  out += "  label=\"" + dotText(d.title + "\n" + d.label) + "\";\n";
  out += "  id=\"" + std::string(idPrefix) + "graph\";\n";
  out += "  labelloc=t;\n  rankdir=LR;\n  fontname=\"Helvetica,Arial,sans-serif\";\n";
  out +=
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica,Arial,sans-serif\", "
      "fontsize=11];\n";
  out += "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, color=\"#5f6b7a\"];\n";
  for (const DiagramNode& n : d.nodes) {
    std::string label;
    const auto lines = labelLines(n);
    for (size_t i = 0; i < lines.size(); ++i) label += (i ? "\n" : "") + lines[i];
    out += "  " + n.id + " [id=\"" + std::string(idPrefix) + n.id + "\", label=\"" +
           dotText(label) + "\"";
    if (n.missing)
      out += ", style=\"rounded,dashed\", color=\"#777777\", fontcolor=\"#444444\"";
    else
      out += std::string(", fillcolor=\"") + fillOf(n.worst) + "\", color=\"" + strokeOf(n.worst) +
             "\"" + (n.worst ? ", penwidth=2" : "");
    if (n.collapsed) out += ", shape=folder";
    out += "];\n";
  }
  size_t edgeIndex = 0;
  for (const DiagramEdge& e : d.edges) {
    out += "  " + e.from + " -> " + e.to;
    std::vector<std::string> attrs;
    attrs.push_back("id=\"" + std::string(idPrefix) + "edge" + std::to_string(++edgeIndex) + "\"");
    const std::string text = edgeText(e);
    if (!text.empty()) attrs.push_back("label=\"" + dotText(text) + "\"");
    if (e.dependency) attrs.push_back("style=dashed");
    if (!e.rule.empty()) {
      attrs.push_back(std::string("color=\"") + strokeOf(e.severity) + "\"");
      attrs.push_back(std::string("fontcolor=\"") + strokeOf(e.severity) + "\"");
      attrs.push_back("penwidth=2");
    }
    out += " [";
    for (size_t i = 0; i < attrs.size(); ++i) out += (i ? ", " : "") + attrs[i];
    out += "]";
    out += ";\n";
  }
  out += "}\n";
  return out;
}

std::string renderDot(const std::vector<Diagram>& diagrams) {
  std::string out;
  for (const Diagram& d : diagrams) out += renderDot(d);
  return out;
}

std::string renderDiagramJson(const std::vector<Diagram>& diagrams) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const Diagram& d : diagrams) {
    nlohmann::ordered_json j;
    j["id"] = d.id;
    j["title"] = d.title;
    j["label"] = d.label;
    if (!d.type.empty()) j["type"] = d.type;
    j["severity"] = d.worst ? nlohmann::ordered_json(severityName(*d.worst)) : nullptr;
    auto& nodes = j["nodes"] = nlohmann::ordered_json::array();
    for (const DiagramNode& n : d.nodes) {
      nlohmann::ordered_json o;
      o["id"] = n.id;
      o["kind"] = n.kind;
      o["name"] = n.name;
      o["details"] = n.details;
      o["inInputs"] = !n.missing;
      if (n.collapsed) o["collapsed"] = n.collapsed;
      if (!n.where.empty()) o["location"] = n.where;
      o["severity"] = n.worst ? nlohmann::ordered_json(severityName(*n.worst)) : nullptr;
      o["rules"] = n.rules;
      nodes.push_back(std::move(o));
    }
    auto& edges = j["edges"] = nlohmann::ordered_json::array();
    for (const DiagramEdge& e : d.edges) {
      nlohmann::ordered_json o;
      o["from"] = e.from;
      o["to"] = e.to;
      o["label"] = e.label;
      o["dependency"] = e.dependency;
      o["rule"] = e.rule.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.rule);
      edges.push_back(std::move(o));
    }
    all.push_back(std::move(j));
  }
  nlohmann::ordered_json root;
  root["diagrams"] = std::move(all);
  return root.dump(2) + "\n";
}

}  // namespace lbcheck
