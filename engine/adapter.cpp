#include "engine/adapter.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace lbcheck {

std::unique_ptr<SyntaxTree> Adapter::parse(const Input&, ReadContext&) const {
  return std::make_unique<SyntaxTree>();
}

void Adapter::read(const Input& input, ReadContext& context, Lowered& out) const {
  std::unique_ptr<SyntaxTree> tree = parse(input, context);
  for (Finding& f : tree->diagnostics) out.diagnostics.push_back(std::move(f));
  tree->diagnostics.clear();
  if (tree->skipped) out.skipped = std::move(tree->skipped);
  lower(*tree, input, context, out);
}

std::string fileExtension(std::string_view fileName) {
  return std::filesystem::path(fileName).extension().string();
}

bool readInputFile(const std::string& path, size_t limit, std::string* bytes, std::string* error,
                   FileStamp* stamp) {
  // One stat before the open: opening a FIFO would wait for a writer.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    *error = "not a regular file (devices, FIFOs and sockets are not read)";
    return false;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > limit) {
    *error = "file is " + std::to_string(size) + " bytes, over the limit of " +
             std::to_string(limit) + " (raise it with --max-file-size)";
    return false;
  }
  // POSIX reads: an ifstream costs a locale and a buffer per file.
  if (!readFileBytes(path, bytes, stamp)) {
    *error = "cannot open file";
    return false;
  }
  return true;
}

AdapterRegistry& AdapterRegistry::instance() {
  static auto* registry = new AdapterRegistry;  // never destroyed, as the rules (engine/rule.cpp)
  return *registry;
}

void AdapterRegistry::add(std::unique_ptr<Adapter> adapter, int rank) {
  const auto at = std::upper_bound(entries_.begin(), entries_.end(), rank,
                                   [](int r, const Entry& e) { return r < e.rank; });
  entries_.insert(at, Entry{rank, std::move(adapter)});
}

std::vector<const Adapter*> AdapterRegistry::all() const {
  std::vector<const Adapter*> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.adapter.get());
  return out;
}

const Adapter* AdapterRegistry::byName(std::string_view name) const {
  for (const Entry& e : entries_)
    if (e.adapter->name() == name) return e.adapter.get();
  return nullptr;
}

const Adapter* AdapterRegistry::pick(std::string_view bytes, std::string_view fileName,
                                     const Adapter* except) const {
  const Adapter* best = nullptr;
  int bestConfidence = confidence::kNone;
  for (const Entry& e : entries_) {
    if (e.adapter.get() == except) continue;
    const int c = e.adapter->sniff(bytes, fileName);
    if (c > bestConfidence) best = e.adapter.get(), bestConfidence = c;
    if (bestConfidence >= confidence::kCertain) break;  // no one is surer
  }
  return best;
}

const Adapter* AdapterRegistry::pickDocument(json::Value value, bool whole) const {
  const Adapter* best = nullptr;
  int bestConfidence = confidence::kNone;
  for (const Entry& e : entries_) {
    const int c = e.adapter->sniffDocument(value, whole);
    if (c > bestConfidence) best = e.adapter.get(), bestConfidence = c;
    if (bestConfidence >= confidence::kCertain) break;  // no one is surer
  }
  return best;
}

const Adapter* AdapterRegistry::fallback() const {
  for (const Entry& e : entries_)
    if (e.adapter->fallback()) return e.adapter.get();
  return nullptr;
}

bool AdapterRegistry::walked(std::string_view extension) const {
  for (const Entry& e : entries_)
    for (std::string_view x : e.adapter->extensions())
      if (x == extension) return true;
  return false;
}

bool AdapterRegistry::skipsDirectory(std::string_view name) const {
  for (const Entry& e : entries_)
    for (std::string_view d : e.adapter->skippedDirectories())
      if (d == name) return true;
  return false;
}

bool AdapterRegistry::notesBrokenLink(std::string_view extension) const {
  for (const Entry& e : entries_)
    if (e.adapter->notesBrokenLinks())
      for (std::string_view x : e.adapter->extensions())
        if (x == extension) return true;
  return false;
}

}  // namespace lbcheck
