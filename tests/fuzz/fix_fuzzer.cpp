// libFuzzer target: fixes. The first byte picks the input's syntax (.tf,
// Config Connector YAML, a gcloud script, a Markdown runbook); every fix the
// findings propose is applied (unsafe ones too), and the result is read again.
// It must read as well as before (no new syntax error) and hold the same
// resources with the same written fields, except the fields the fixes edit:
// a fix takes out or changes what it says and nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "driver/fixes.h"
#include "driver/runner.h"
#include "engine/diagnostics.h"

namespace {

using namespace lbcheck;

struct Read {
  RunResult result;
  size_t syntaxErrors = 0;
};

void readInto(Read& out, const std::string& name, std::string bytes) {
  Options options;
  loadBytes(options, out.result, name, std::move(bytes));
  finish(options, out.result);
  for (const Finding& f : out.result.findings) out.syntaxErrors += f.ruleId == diag::kSyntax;
}

/// Resource key -> its written fields (path -> state and value).
std::map<std::string, std::map<std::string, std::string>> writtenFields(const Graph& g) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const Resource& r : g.resources()) {
    if (r.mergedInto >= 0) continue;
    // By kind and name: a fix may change a resource's scope (drop --zone).
    auto& fields = out[std::string(kindLabel(r.id.kind)) + " " + r.id.name];
    for (const auto& [path, f] : r.fields)
      if (f.authored) fields[path.str()] = std::to_string(static_cast<int>(f.state)) + f.text;
  }
  return out;
}

/// Whether two resources share a kind and a name (in two scopes). A fix that
/// moves one into the other's scope (drops `--zone`) makes them one resource:
/// its fields merge and the script's second create fails, rightly.
bool twoScopesOfOneName(const Graph& g) {
  std::set<std::string> seen;
  for (const Resource& r : g.resources())
    if (r.mergedInto < 0 &&
        !seen.insert(std::string(kindLabel(r.id.kind)) + " " + r.id.name).second)
      return true;
  return false;
}

bool edited(const std::string& path, const std::vector<std::string>& fields) {
  for (const std::string& e : fields)
    if (path.compare(0, e.size(), e) == 0) return true;  // and what is read with it
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"/nonexistent-lbcheck-fuzz/main.tf", "stack.krm.yaml",
                                       "deploy.sh", "runbook.md"};
  const std::string name = kNames[data[0] % 4];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  Read before;
  readInto(before, name, text);
  // Each file of the run is the one input: every edit is in it.
  size_t fixed = 0;
  const auto edits = fixEdits(before.result.findings, true, &fixed, nullptr);
  // Resources are compared by kind and name; two of one name cannot be told apart.
  if (edits.empty() || twoScopesOfOneName(before.result.graph)) return 0;
  std::vector<std::string> editedFields;
  for (const Finding& f : before.result.findings)
    if (const Fix* fix = applicableFix(f, true))
      for (const Edit& e : fix->edits) editedFields.push_back(e.field);
  std::string after = text;
  for (const auto& [file, list] : edits) {
    if (before.result.sources.get(file).text() != text) continue;  // not the input
    after = applyEdits(text, list);
  }
  Read again;
  readInto(again, name, after);
  if (again.syntaxErrors > before.syntaxErrors) std::abort();  // a fix broke the syntax
  const auto a = writtenFields(before.result.graph), b = writtenFields(again.result.graph);
  for (const auto& [key, fields] : a) {
    const auto it = b.find(key);
    if (it == b.end()) std::abort();  // a fix lost a resource
    for (const auto& [path, value] : fields) {
      if (edited(path, editedFields)) continue;
      const auto f = it->second.find(path);
      if (f == it->second.end() || f->second != value) std::abort();  // a fix changed another field
    }
  }
  return 0;
}
