#include "driver/lsp/reach.h"

#include <filesystem>

#include "driver/paths.h"
#include "driver/runner.h"
#include "engine/views.h"

namespace lbcheck::lsp {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kEverything = "*";
// One-sided keys: a URL mask, or an IAM grant on a whole project, reaches
// every Cloud Run service; services do not reach one another through it.
constexpr std::string_view kService = "@service";
constexpr std::string_view kAnyService = "@any-service";

// A .tf root is the source of a plan when the plan holds most of its
// addresses: plans and .tf files link by address, .tf files do not link to
// one another so (every stack of a monorepo has `google_compute_network.default`).
constexpr std::string_view kPlanAddress = "ap:";
constexpr std::string_view kTfAddress = "at:";

/// The key whose files a file with `key` reaches.
std::string partner(std::string_view key) {
  if (key == kService) return std::string(kAnyService);
  if (key == kAnyService) return std::string(kService);
  if (key.substr(0, 3) == kPlanAddress) return std::string(kTfAddress) + std::string(key.substr(3));
  if (key.substr(0, 3) == kTfAddress) return std::string(kPlanAddress) + std::string(key.substr(3));
  return std::string(key);
}

/// A Terraform address without its instance key.
std::string_view withoutIndex(std::string_view address) {
  if (address.empty() || address.back() != ']') return address;
  const size_t open = address.rfind('[');
  return open == std::string_view::npos ? address : address.substr(0, open);
}

bool endsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

/// lbcheck's own configuration: it changes how every file is read and
/// reported.
bool reachesEverything(std::string_view path) {
  return path.substr(path.rfind('/') + 1).rfind(".lbcheck", 0) == 0;
}

/// Terraform's files: a root module is every such file of a directory (with
/// its variables, state and the plans made of it).
bool isTerraform(std::string_view path) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  for (std::string_view tail :
       {".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars", ".tfvars.json", ".tfstate", ".hcl"})
    if (endsWith(name, tail)) return true;
  return false;
}

void addName(std::set<std::string>& keys, std::string_view name) {
  if (!name.empty()) keys.insert("n:" + std::string(name));
}

void addRef(std::set<std::string>& keys, const Field& f) {
  const Ref& ref = f.ref.get();
  if (ref.identity) addName(keys, ref.identity->name);
  // A Terraform address names a resource of the same document (a plan) or
  // root module (its directory, linked below).
  if (isKrmKey(ref.address)) addName(keys, f.text);  // the key's name
}

void addResource(std::set<std::string>& keys, const Resource& r) {
  if (r.format == "terraform-plan")
    keys.insert(std::string(kPlanAddress) + std::string(withoutIndex(r.displayName)));
  else if (r.format == "terraform")
    keys.insert(std::string(kTfAddress) + std::string(withoutIndex(r.displayName)));
  addName(keys, r.id.name);
  addName(keys, r.krmName);
  bool namesNetwork = false, namesService = false;
  auto fieldsOf = [&](const Fields& fields) {
    for (const auto& [path, f] : fields) {
      // A network or subnet written in any form (a link, a name, a Terraform
      // reference, unknown until apply): not the default network.
      const std::string_view p = path.view();
      const std::string_view last = p.substr(p.rfind('.') + 1);
      if ((last == "network" || last == "subnetwork") && f.state != State::Absent)
        namesNetwork = true;
      if (!f.ref->present()) continue;
      addRef(keys, f);
      if (f.ref->identity && f.ref->identity->kind == Kind::RunService) namesService = true;
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
    case Kind::IamMember:
      if (!namesService) keys.insert(std::string(kAnyService));
      break;
    case Kind::NetworkEndpointGroup:
      if (r.field(ServerlessNegView::kCloudRunUrlMask).state != State::Absent)
        keys.insert(std::string(kAnyService));
      break;
    default:
      break;
  }
  if (r.lifecycle != Lifecycle::Static) keys.insert("@changes");
}

}  // namespace

std::string workspacePath(const SourceFile& file) {
  return absolutePath(file.origin().empty() ? file.path() : file.origin());
}

void Reach::clear() {
  keys_.clear();
  files_.clear();
}

void Reach::record(const RunResult& result) {
  std::vector<std::string> paths;
  paths.reserve(result.sources.size());
  for (uint32_t i = 0; i < result.sources.size(); ++i)
    paths.push_back(workspacePath(result.sources.get(i)));
  std::vector<std::set<std::string>> keys(result.sources.size());
  std::vector<bool> planOrState(result.sources.size(), false);
  auto at = [&](uint32_t file) -> std::set<std::string>* {
    return file < keys.size() ? &keys[file] : nullptr;
  };
  // A resource's keys go to every file it was read from: a script's IAM
  // policy file, a YAML file a Terraform module decodes, a .tfvars value.
  auto addRead = [&](const Resource& r) {
    std::set<std::string> own;
    addResource(own, r);
    std::set<uint32_t> files{r.header.file, r.calledFrom().file, r.lifecycleSpan().file};
    auto spansOf = [&](const Fields& fields) {
      for (const auto& [path, f] : fields) files.insert(f.span.file);
    };
    spansOf(r.fields);
    if (r.hasPrior()) spansOf(r.priorFields());
    for (const auto& [path, span] : r.writtenAt()) files.insert(span.file);
    // A module's resource and the root module that calls it (a root's
    // resources belong to the document of the root's first file).
    if (r.format == "terraform") files.insert(r.document);
    if (r.locator) {  // a plan's resource and the .tf resource it was planned from
      files.insert(r.locator->source.header.file);
      spansOf(r.locator->source.fields);
    }
    files.erase(Span::kNoFile);
    // The files one resource was read from go together (a module's file and
    // the call in the root module, a plan and its .tf).
    if (files.size() > 1 && *files.begin() < paths.size()) own.insert("r:" + paths[*files.begin()]);
    for (const uint32_t file : files)
      if (auto* k = at(file)) k->insert(own.begin(), own.end());
  };
  for (const Resource& r : result.graph.resources()) {
    addRead(r);
    if (r.format.view().rfind("terraform", 0) == 0 && r.header.file < planOrState.size())
      planOrState[r.header.file] = true;
  }
  // The .tf resources a plan was made from (they locate its findings).
  for (const Locator& l : result.graph.locators()) addRead(l.source);
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
    const std::string& path = paths[i];
    if (reachesEverything(path)) keys[i].insert(std::string(kEverything));
    if (isTerraform(path) || planOrState[i]) keys[i].insert("d:" + path.substr(0, path.rfind('/')));
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
      const auto linked = files_.find(partner(key));
      if (linked == files_.end()) continue;
      for (const std::string& other : linked->second)
        if (seen.insert(other).second) todo.push_back(other);
    }
  }
  return std::vector<std::string>(seen.begin(), seen.end());
}

std::vector<std::string> Reach::named(const std::vector<std::string>& part,
                                      const std::vector<std::string>& roots,
                                      const std::set<std::string>& documents) {
  std::vector<std::string> out;
  for (const std::string& path : part)
    if (documents.count(path) || scanned(path, roots)) out.push_back(path);
  return out;
}

const std::set<std::string>* Reach::keysOf(const std::string& path) const {
  const auto it = keys_.find(path);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace lbcheck::lsp
