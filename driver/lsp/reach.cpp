#include "driver/lsp/reach.h"

#include <filesystem>

#include "driver/runner.h"
#include "engine/views.h"

namespace lbcheck::lsp {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kEverything = "*";
// One-sided keys: a URL mask reaches every service, services do not reach
// one another through it.
constexpr std::string_view kService = "@service";
constexpr std::string_view kUrlMask = "@url-mask";

/// The key whose files a file with `key` reaches.
std::string_view partner(std::string_view key) {
  if (key == kService) return kUrlMask;
  if (key == kUrlMask) return kService;
  return key;
}

bool endsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

/// A file whose effect no key describes: Terraform's (a root module is a
/// directory, with its modules, variables, state and plans) and lbcheck's
/// own configuration.
bool reachesEverything(std::string_view path) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  for (std::string_view tail : {".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars",
                                ".tfvars.json", ".tfstate", ".hcl"})
    if (endsWith(name, tail)) return true;
  return name.rfind(".lbcheck", 0) == 0;
}

/// The name a `krm:namespace/collection/name` address or a link ends with.
std::string_view lastSegment(std::string_view s) { return s.substr(s.rfind('/') + 1); }

void addName(std::set<std::string>& keys, std::string_view name) {
  if (!name.empty()) keys.insert("n:" + std::string(name));
}

void addRef(std::set<std::string>& keys, const Ref& ref) {
  if (ref.identity) addName(keys, ref.identity->name);
  if (ref.address.empty()) return;
  if (ref.address.view().rfind("krm:", 0) == 0)
    addName(keys, lastSegment(ref.address.view()));
  else
    keys.insert(std::string(kEverything));  // a Terraform address
}

void addResource(std::set<std::string>& keys, const Resource& r) {
  if (r.format.view().rfind("terraform", 0) == 0 || r.locator != nullptr || r.calledFrom.valid())
    keys.insert(std::string(kEverything));  // and its names: what links to it needs a whole check too
  addName(keys, r.id.name);
  if (!r.krmKey.empty()) addName(keys, lastSegment(r.krmKey));
  bool namesNetwork = false;
  auto fieldsOf = [&](const Fields& fields) {
    for (const auto& [path, f] : fields) {
      if (!f.ref.present()) continue;
      addRef(keys, f.ref);
      if (f.ref.identity && f.ref.identity->kind == Kind::Network) namesNetwork = true;
    }
  };
  fieldsOf(r.fields);
  if (r.hasPrior()) fieldsOf(r.priorFields());
  switch (r.id.kind) {
    case Kind::ForwardingRule:
    case Kind::Subnetwork:
    case Kind::Instance:
    case Kind::Firewall:
      if (!namesNetwork) addName(keys, "default");
      break;
    case Kind::RunService:
      keys.insert(std::string(kService));
      break;
    case Kind::NetworkEndpointGroup:
      if (r.field(ServerlessNegView::kCloudRunUrlMask).state != State::Absent)
        keys.insert(std::string(kUrlMask));
      break;
    default:
      break;
  }
  if (r.lifecycle != Lifecycle::Static) keys.insert("@changes");
}

}  // namespace

std::string workspacePath(const SourceFile& file) {
  std::error_code ec;
  const std::string& path = file.origin().empty() ? file.path() : file.origin();
  return fs::absolute(fs::path(path), ec).lexically_normal().generic_string();
}

void Reach::clear() {
  keys_.clear();
  files_.clear();
}

void Reach::record(const RunResult& result) {
  std::vector<std::set<std::string>> keys(result.sources.size());
  auto at = [&](uint32_t file) -> std::set<std::string>* {
    return file < keys.size() ? &keys[file] : nullptr;
  };
  for (const Resource& r : result.graph.resources()) {
    // The resource's keys go to every file it was read from: a script's IAM
    // policy file, a YAML file a Terraform module decodes, a .tfvars value.
    std::set<std::string> own;
    addResource(own, r);
    std::set<uint32_t> files{r.header.file, r.calledFrom.file, r.lifecycleSpan.file};
    auto spansOf = [&](const Fields& fields) {
      for (const auto& [path, f] : fields) files.insert(f.span.file);
    };
    spansOf(r.fields);
    if (r.hasPrior()) spansOf(r.priorFields());
    if (r.writtenAt)
      for (const auto& [path, span] : *r.writtenAt) files.insert(span.file);
    for (const uint32_t file : files)
      if (auto* k = at(file)) k->insert(own.begin(), own.end());
  }
  for (const Operation& op : result.graph.timeline()) {
    auto* k = at(op.document);
    if (!k) continue;
    k->insert("@changes");
    addName(*k, op.target.name);
    for (const Operation::Ref& ref : op.refs) addName(*k, ref.to.name);
    for (const Operation::Ref& ref : op.removed) addName(*k, ref.to.name);
  }
  // A file that is not one of lbcheck's formats (a directory scan passes it
  // by quietly) is read differently when named alone: only a whole check.
  for (const SkippedFile& skipped : result.skipped)
    if (auto* k = at(skipped.file)) k->insert(std::string(kEverything));
  for (uint32_t i = 0; i < result.sources.size(); ++i) {
    const std::string path = workspacePath(result.sources.get(i));
    if (reachesEverything(path)) keys[i].insert(std::string(kEverything));
    if (const auto old = keys_.find(path); old != keys_.end())
      for (const std::string& key : old->second) files_[key].erase(path);
    for (const std::string& key : keys[i]) files_[key].insert(path);
    keys_[path] = std::move(keys[i]);
  }
}

std::optional<std::vector<std::string>> Reach::closure(
    const std::vector<std::string>& changed) const {
  std::set<std::string> seen;
  std::vector<std::string> todo;
  for (const std::string& path : changed) {
    if (!knows(path)) return std::nullopt;
    if (seen.insert(path).second) todo.push_back(path);
  }
  std::set<std::string_view> keysSeen;
  while (!todo.empty()) {
    const std::string path = std::move(todo.back());
    todo.pop_back();
    for (const std::string& key : keys_.at(path)) {
      if (key == kEverything) return std::nullopt;
      if (!keysSeen.insert(key).second) continue;
      const auto linked = files_.find(std::string(partner(key)));
      if (linked == files_.end()) continue;
      for (const std::string& other : linked->second)
        if (seen.insert(other).second) todo.push_back(other);
    }
  }
  return std::vector<std::string>(seen.begin(), seen.end());
}

const std::set<std::string>* Reach::keysOf(const std::string& path) const {
  const auto it = keys_.find(path);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace lbcheck::lsp
