#include "engine/model.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <system_error>
#include <utility>

namespace lbcheck {

namespace {

struct KindInfo {
  Kind kind;
  std::string_view collection;
  std::string_view label;
};

constexpr std::array<KindInfo, 20> kKinds{{
    {Kind::Network, "networks", "network"},
    {Kind::Subnetwork, "subnetworks", "subnet"},
    {Kind::NetworkEndpointGroup, "networkEndpointGroups", "network endpoint group"},
    {Kind::BackendService, "backendServices", "backend service"},
    {Kind::UrlMap, "urlMaps", "URL map"},
    {Kind::TargetHttpProxy, "targetHttpProxies", "target HTTP proxy"},
    {Kind::TargetHttpsProxy, "targetHttpsProxies", "target HTTPS proxy"},
    {Kind::SslCertificate, "sslCertificates", "SSL certificate"},
    {Kind::SslPolicy, "sslPolicies", "SSL policy"},
    {Kind::ForwardingRule, "forwardingRules", "forwarding rule"},
    {Kind::Firewall, "firewalls", "firewall rule"},
    {Kind::Instance, "instances", "VM instance"},
    {Kind::InstanceGroup, "instanceGroups", "instance group"},
    {Kind::HealthCheck, "healthChecks", "health check"},
    {Kind::Address, "addresses", "address"},
    {Kind::BackendBucket, "backendBuckets", "backend bucket"},
    {Kind::CertificateManagerCertificate, "certificates", "Certificate Manager certificate"},
    {Kind::IamMember, "iamMembers", "IAM grant"},
    {Kind::RunService, "services", "Cloud Run service"},
    {Kind::SecurityPolicy, "securityPolicies", "security policy"},
}};

}  // namespace

std::string_view collectionName(Kind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.collection;
  return "unknown";
}

std::string_view kindLabel(Kind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.label;
  return "resource";
}

Kind kindFromCollection(std::string_view collection) {
  for (const auto& k : kKinds)
    if (k.collection == collection && k.kind != Kind::RunService &&
        k.kind != Kind::CertificateManagerCertificate && k.kind != Kind::IamMember)
      return k.kind;
  if (collection == "globalForwardingRules") return Kind::ForwardingRule;
  return Kind::Unknown;
}

std::string Scope::str() const {
  switch (type) {
    case Type::Global:
      return "global";
    case Type::Region:
      return "regions/" + name;
    case Type::Zone:
      return "zones/" + name;
    case Type::Location:
      return "locations/" + name;
    case Type::Unknown:
      break;
  }
  return "?";
}

std::string Identity::str() const {
  std::string out = "projects/" + (project.empty() ? std::string("?") : project.str()) + "/" +
                    scope.str() + "/" + std::string(collectionName(kind)) + "/" + name;
  return out;
}

std::string_view lifecycleName(Lifecycle l) {
  switch (l) {
    case Lifecycle::Static:
      return "static";
    case Lifecycle::NoOp:
      return "no-op";
    case Lifecycle::Create:
      return "create";
    case Lifecycle::Read:
      return "read";
    case Lifecycle::Update:
      return "update";
    case Lifecycle::Delete:
      return "delete";
    case Lifecycle::ReplaceDeleteFirst:
      return "replace (delete first)";
    case Lifecycle::ReplaceCreateFirst:
      return "replace (create first)";
  }
  return "?";
}

namespace {
bool pathLess(const Fields::value_type& p, std::string_view path) { return p.first.view() < path; }
}  // namespace

Fields::Items& Fields::sorted() const {
  if (tail_ != 0) mergeTail();
  return items_;
}

void Fields::mergeTail() const {
  const auto mid = items_.end() - static_cast<std::ptrdiff_t>(tail_);
  auto less = [](const value_type& a, const value_type& b) {
    return a.first.view() < b.first.view();
  };
  std::sort(mid, items_.end(), less);
  std::inplace_merge(items_.begin(), mid, items_.end(), less);
  tail_ = 0;
}

size_t Fields::locate(std::string_view path) const {
  const auto head = items_.end() - static_cast<std::ptrdiff_t>(tail_);
  auto it = std::lower_bound(items_.begin(), head, path, pathLess);
  if (it != head && it->first.view() == path) return static_cast<size_t>(it - items_.begin());
  for (auto t = head; t != items_.end(); ++t)
    if (t->first.view() == path) return static_cast<size_t>(t - items_.begin());
  return kNotFound;
}

Fields::iterator Fields::find(std::string_view path) {
  Items& items = sorted();
  auto it = std::lower_bound(items.begin(), items.end(), path, pathLess);
  return it != items.end() && it->first.view() == path ? it : items.end();
}

Fields::const_iterator Fields::find(std::string_view path) const {
  return const_cast<Fields*>(this)->find(path);
}

Fields::iterator Fields::lower_bound(std::string_view path) {
  Items& items = sorted();
  return std::lower_bound(items.begin(), items.end(), path, pathLess);
}

Fields::const_iterator Fields::lower_bound(std::string_view path) const {
  return const_cast<Fields*>(this)->lower_bound(path);
}

Field& Fields::operator[](std::string_view path) {
  if (size_t at = locate(path); at != kNotFound) return items_[at].second;
  items_.emplace_back(Atom(path), Field{});
  ++tail_;
  // Merge once the tail is a fraction of the whole: lookups scan the tail, and
  // merging geometrically keeps building a resource O(n log n).
  if (tail_ > 8 + items_.size() / 8) {
    mergeTail();
    return items_[locate(path)].second;
  }
  return items_.back().second;
}

Fields::iterator Fields::erase(const_iterator it) {
  sorted();
  return items_.erase(it);
}

size_t Fields::erase(std::string_view path) {
  auto it = find(path);
  if (it == items_.end()) return 0;
  items_.erase(it);
  return 1;
}

void Fields::shrink() {
  sorted();
  items_.shrink_to_fit();
}

namespace {
const Field kAbsent{};

size_t countList(const Fields& fields, std::string_view path) {
  // Elements are stored as "path[i]..." keys; find the largest index present.
  std::string prefix(path);
  prefix += '[';
  size_t n = 0;
  for (auto it = fields.lower_bound(prefix); it != fields.end(); ++it) {
    std::string_view key = it->first;
    if (key.substr(0, prefix.size()) != prefix) break;
    size_t idx = 0;
    size_t i = prefix.size();
    while (i < key.size() && key[i] >= '0' && key[i] <= '9') {
      idx = idx * 10 + static_cast<size_t>(key[i] - '0');
      ++i;
    }
    if (i < key.size() && key[i] == ']') n = std::max(n, idx + 1);
  }
  return n;
}
}  // namespace

double Field::number() const {
  if (!isNumber) return 0;
  double d = 0;
  const std::string& t = text.str();
  const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (error == std::errc::result_out_of_range) return std::strtod(t.c_str(), nullptr);  // +-inf, 0
  return error == std::errc() ? d : 0;
}

std::string Field::refAddress() const {
  const Atom& a = ref->address;
  return isKrmKey(a) && a.view().ends_with('/') ? a + text.str() : a.str();
}

const Ref& RefBox::none() {
  static const Ref* none = new Ref();
  return *none;
}

const Field& Resource::field(std::string_view path) const {
  static const Field kUnknown = [] {
    Field f;
    f.state = State::Unknown;
    return f;
  }();
  auto it = fields.find(path);
  if (it != fields.end()) return it->second;
  return partial ? kUnknown : kAbsent;
}

const Fields& Resource::priorFields() const {
  static const Fields kNone;
  if (prior) return *prior;
  return priorIsFields() ? fields : kNone;
}

const Field& Resource::priorField(std::string_view path) const {
  const Fields& before = priorFields();
  auto it = before.find(path);
  return it == before.end() ? kAbsent : it->second;
}

size_t Resource::listSize(std::string_view path) const { return countList(fields, path); }
size_t Resource::priorListSize(std::string_view path) const {
  return countList(priorFields(), path);
}

const Field& Resource::regionField() const {
  if (id.kind == Kind::RunService) return field("location");
  return field("region");
}

}  // namespace lbcheck

namespace lbcheck {
const std::optional<std::vector<std::string>>& Resource::dependsOn() const {
  static const std::optional<std::vector<std::string>> kNone;
  return rare ? rare->dependsOn : kNone;
}

const std::vector<std::pair<Atom, Span>>& Resource::writtenAt() const {
  static const std::vector<std::pair<Atom, Span>> kNone;
  return rare ? rare->writtenAt : kNone;
}

Span Resource::valueWrittenAt(std::string_view path) const {
  for (const auto& [p, span] : writtenAt())
    if (p.view() == path) return span;
  return field(path).span;
}

}  // namespace lbcheck
