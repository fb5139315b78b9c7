#include "driver/runner.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <system_error>
#include <unordered_map>

#include "driver/paths.h"
#include "engine/adapter.h"
#include "engine/diagnostics.h"
#include "engine/json.h"
#include "engine/parallel.h"
#include "engine/phases.h"

namespace lbcheck {

namespace fs = std::filesystem;

/// One file's reading, as loadOne() left it before the join, by file id.
class ReadCache {
 public:
  struct Entry {
    std::string path;   // the display path
    std::string bytes;  // what was read
    const Adapter* adapter = nullptr;
    std::vector<Resource> resources;
    std::vector<Finding> findings;
    std::vector<SkippedFile> skipped;
    size_t filesRead = 0;
    size_t documentsUsed = 0;
  };
  std::vector<std::unique_ptr<Entry>> entries;  // by file id (null: none)
  std::mutex mutex;                             // loadOne() runs on several threads
};

std::shared_ptr<ReadCache> newReadCache() { return std::make_shared<ReadCache>(); }

namespace {

bool skippedDirectory(const fs::path& p) {
  const std::string name = p.filename().string();
  return name == ".git" || name == "node_modules" ||
         AdapterRegistry::instance().skipsDirectory(name);
}

/// The working directory, read once per run() rather than once per file.
const fs::path* runCwd = nullptr;

std::string displayPath(const fs::path& p) {
  std::error_code ec;
  const fs::path cwd = runCwd ? *runCwd : fs::current_path(ec);
  if (!ec && p.is_absolute()) {
    const fs::path rel = p.lexically_relative(cwd);
    if (!rel.empty() && rel.native().rfind("..", 0) != 0) return rel.generic_string();
  }
  std::string s = p.lexically_normal().generic_string();
  if (s.rfind("./", 0) == 0) s = s.substr(2);
  return s;
}

/// Files named on the command line are always read; files found in a directory
/// walk are read when an adapter reads their extension.
struct Candidate {
  fs::path path;
  bool explicitlyNamed;
};

/// Stands for a skipped file among the findings until every adapter has
/// finished: an adapter that reads the file after all (a script's policy file)
/// drops the file's LBC004 note, and the file is then not skipped.
constexpr std::string_view kSkipMarker = "lbcheck: skipped file";

/// Whether `file` was skipped by its adapter (and is then recorded as such).
bool recordSkip(RunResult& result, const SourceFile& file, Lowered& lowered) {
  if (!lowered.skipped) return false;
  result.skipped.push_back({file.id(), std::move(lowered.skipped)});
  result.findings.push_back(makeDiagnostic(diag::kSkipped, Severity::Note, Span{file.id(), 0, 0},
                                           std::string(kSkipMarker)));
  return true;
}

/// A file a directory scan reads: an extension lbcheck walks, and not one of
/// lbcheck's own files (.lbcheck.yaml, a .lbcheck-baseline.json).
bool walkedFile(const fs::path& p) {
  return p.filename().string().rfind(".lbcheck", 0) != 0 &&
         AdapterRegistry::instance().walked(p.extension().string());
}

void discover(const std::string& arg, std::vector<Candidate>& out, RunResult& result) {
  const fs::path root(arg);
  std::error_code ec;
  const auto status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    auto& file = result.sources.add(displayPath(root), "");
    result.findings.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error,
                                             Span{file.id(), 0, 0}, "no such file or directory"));
    return;
  }
  if (!fs::is_directory(status)) {
    out.push_back({root, true});
    return;
  }
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  const fs::recursive_directory_iterator end;
  while (!ec && it != end) {
    const fs::directory_entry& entry = *it;
    std::error_code e2;
    if (entry.is_directory(e2) && !entry.is_symlink(e2) && skippedDirectory(entry.path())) {
      it.disable_recursion_pending();
    } else if (entry.is_regular_file(e2)) {
      if (walkedFile(entry.path())) out.push_back({entry.path(), false});
    } else if (entry.is_symlink(e2) && !fs::exists(entry.path(), e2)) {
      // A dangling link or a loop of links: say so, read nothing.
      if (AdapterRegistry::instance().notesBrokenLink(entry.path().extension().string())) {
        auto& file = result.sources.add(displayPath(entry.path()), "");
        Lowered link;
        link.skipped =
            Skip{SkipReason::BrokenLink, "its target is missing, or links point at each other"};
        recordSkip(result, file, link);
      }
    }
    it.increment(ec);
  }
  if (ec) {
    auto& file = result.sources.add(displayPath(root), "");
    result.findings.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error,
                                             Span{file.id(), 0, 0},
                                             "cannot read directory: " + ec.message()));
  }
}

/// A UTF-16/32 byte-order mark, or "" for UTF-8 / no mark.
std::string_view foreignEncoding(std::string_view text) {
  if (text.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return "UTF-32 (little-endian)";
  if (text.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return "UTF-32 (big-endian)";
  if (text.substr(0, 2) == "\xFF\xFE") return "UTF-16 (little-endian)";
  if (text.substr(0, 2) == "\xFE\xFF") return "UTF-16 (big-endian)";
  return {};
}

ReadSettings settingsOf(const Options& options) {
  ReadSettings settings;
  settings.maxDepth = options.maxDepth;
  settings.maxFileSize = options.maxFileSize;
  settings.varFiles = options.varFiles;
  settings.sourceDirs = options.sourceDirs;
  for (const std::string& p : options.paths) {
    std::error_code ec;
    const fs::path path(p);
    settings.inputRoots.push_back(fs::is_directory(path, ec) ? p
                                  : path.has_parent_path()   ? path.parent_path().string()
                                                             : std::string("."));
  }
  for (const std::string& d : options.sourceDirs) settings.inputRoots.push_back(d);
  return settings;
}

/// Reads through the run: an adapter's project lives in `result`.
class RunReadContext : public ReadContext {
 public:
  RunReadContext(const ReadSettings& settings, RunResult& result)
      : settings_(settings), result_(result) {}
  const ReadSettings& settings() const override { return settings_; }
  Project& project(const Adapter& adapter) override {
    std::shared_ptr<Project>& slot = result_.projects[&adapter];
    if (!slot) slot = adapter.newProject(result_.sources);
    return *slot;
  }

 private:
  const ReadSettings& settings_;
  RunResult& result_;
};

/// Adds what an adapter read to the run: its resources, its timeline (whose
/// resource indexes shift by the resources already in the run), its
/// diagnostics.
void join(RunResult& result, Lowered& lowered) {
  result.graph.absorb(lowered.graph);
  for (Finding& f : lowered.diagnostics) result.findings.push_back(std::move(f));
  result.documentsUsed += lowered.documentsUsed;
}

void loadSource(const ReadSettings& settings, RunResult& result, SourceFile& file,
                const fs::path& fsPath, bool explicitlyNamed, const Adapter* adapter);

/// What reading one file produced, before it joins the run (files are read in
/// parallel, then joined in path order so the output never depends on timing).
struct Partial {
  std::unique_ptr<SourceFile> file;
  RunResult result;
  std::optional<Candidate> deferred;  // read, to be loaded when joined (it needs a project)
  const Adapter* adapter = nullptr;   // the adapter that reads it (null: none does)
};

/// The key of `p` in Options::overlay.
std::string overlayKey(const fs::path& p) { return absolutePath(p.native()); }

void loadOne(const Candidate& c, const Options& options, const ReadSettings& settings, uint32_t id,
             Partial& out) {
  std::string bytes, error;
  FileStamp stamp;
  const auto overlaid =
      options.overlay.empty() ? options.overlay.end() : options.overlay.find(overlayKey(c.path));
  const bool inMemory = overlaid != options.overlay.end();
  const bool ok =
      inMemory || readInputFile(c.path.string(), options.maxFileSize, &bytes, &error, &stamp);
  if (inMemory) bytes = overlaid->second;  // never released: there is no file to read again
  out.file = std::make_unique<SourceFile>(id, displayPath(c.path), ok ? std::move(bytes) : "");
  if (ok && !inMemory) out.file->setOrigin(c.path.string(), stamp);
  if (!ok) {
    out.result.findings.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error, Span{id, 0, 0},
                                                 "cannot read file: " + error));
    return;
  }
  // Read the same in the last run: what it gave then.
  if (options.cache) {
    const ReadCache::Entry* hit = nullptr;
    {
      std::lock_guard<std::mutex> lock(options.cache->mutex);
      if (id < options.cache->entries.size()) hit = options.cache->entries[id].get();
    }
    if (hit && hit->path == out.file->path() && hit->bytes == out.file->text()) {
      out.adapter = hit->adapter;
      for (const Resource& r : hit->resources) out.result.graph.add(r);
      out.result.findings = hit->findings;
      out.result.skipped = hit->skipped;
      out.result.filesRead = hit->filesRead;
      out.result.documentsUsed = hit->documentsUsed;
      if (!mayHoldSuppressions(*out.file)) out.file->release();
      return;
    }
  }
  // An input that joins its adapter's project (Terraform evaluates whole
  // directories) is read after the parallel phase, in path order.
  const std::string name = c.path.filename().string();
  out.adapter = AdapterRegistry::instance().pick(out.file->text(), name);
  if (out.adapter && out.adapter->needsProject(out.file->text(), name)) {
    out.deferred = c;
    return;
  }
  loadSource(settings, out.result, *out.file, c.path, c.explicitlyNamed, out.adapter);
  // Kept for the next run, unless the file has a timeline (a script's
  // operations refer to resources by index) or lane orders.
  if (options.cache && out.result.graph.timeline().empty() && !out.result.graph.laneOrder(id)) {
    auto entry = std::make_unique<ReadCache::Entry>();
    entry->path = out.file->path();
    entry->bytes = std::string(out.file->text());
    entry->adapter = out.adapter;
    entry->resources = out.result.graph.resources();
    entry->findings = out.result.findings;
    entry->skipped = out.result.skipped;
    entry->filesRead = out.result.filesRead;
    entry->documentsUsed = out.result.documentsUsed;
    std::lock_guard<std::mutex> lock(options.cache->mutex);
    if (options.cache->entries.size() <= id) options.cache->entries.resize(id + 1);
    options.cache->entries[id] = std::move(entry);
  }
  // Its resources are lowered: the bytes go (read again for the report's
  // quotes), unless the policy will read the file's suppressions.
  if (!mayHoldSuppressions(*out.file)) out.file->release();
  out.result.graph.shrinkToFit();
  out.result.findings.shrink_to_fit();
}

/// With glibc.malloc.hugetlb=1 glibc puts the main thread's heap on huge pages,
/// but not a reader thread's: those arenas live in heaps of 64 MiB (glibc's
/// HEAP_MAX_SIZE on 64-bit), each aligned to its size, reserved without access
/// and opened a few pages at a time, so every fault is at the open end and gets
/// a small page. At -j2 the second reader took 36,000 page faults on the
/// 100,008-resource tree. After each file, the heap a fresh 256 KiB block comes
/// from (the arena's top, its newest heap) is advised huge pages and opened
/// whole, once, if /proc/self/maps shows that window as anonymous memory and
/// nothing else; otherwise it is left alone. Memory is still only used when
/// glibc hands it out. Not under AddressSanitizer (its allocator is not
/// glibc's).
class ThreadHeapAdvice {
 public:
  void afterFile() {
#if !defined(__SANITIZE_ADDRESS__)
    constexpr uintptr_t kHeap = uintptr_t{64} << 20;
    void* probe = std::malloc(256 << 10);
    if (probe == nullptr) return;
    const uintptr_t base = reinterpret_cast<uintptr_t>(probe) & ~(kHeap - 1);
    std::free(probe);
    if (base == last_) return;
    last_ = base;
    if (!onlyAnonymous(base, base + kHeap)) return;
    ::madvise(reinterpret_cast<void*>(base), kHeap, MADV_HUGEPAGE);
    ::mprotect(reinterpret_cast<void*>(base), kHeap, PROT_READ | PROT_WRITE);
#endif
  }

 private:
  /// [from, to) is covered by private anonymous mappings only (no file, no
  /// [stack] or other named region, no gap).
  static bool onlyAnonymous(uintptr_t from, uintptr_t to) {
    FILE* maps = std::fopen("/proc/self/maps", "r");
    if (maps == nullptr) return false;
    uintptr_t covered = from;
    char line[512];
    bool ok = true;
    while (ok && covered < to && std::fgets(line, sizeof line, maps)) {
      unsigned long lo = 0, hi = 0, offset = 0, inode = 0;
      char perms[8] = {}, dev[16] = {};
      int nameAt = 0;
      if (std::sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &lo, &hi, perms, &offset, dev, &inode,
                      &nameAt) < 6)
        continue;
      if (hi <= covered || lo >= to) continue;
      const bool anonymous = inode == 0 && perms[3] == 'p' &&
                             (nameAt == 0 || line[nameAt] == '\n' || line[nameAt] == '\0');
      ok = anonymous && lo <= covered;
      covered = hi;
    }
    std::fclose(maps);
    return ok && covered >= to;
  }

  uintptr_t last_ = 0;
};

/// Reads `todo` with `jobs` threads and hands what each file gave to `join`,
/// in `todo`'s order, on the calling thread, as soon as that file and every
/// one before it are read: the files' own lists of resources and findings do
/// not pile up beside the run's (on the 100,008-resource tree they were 24 MB
/// of the run's highest point).
template <typename Join>
void loadAll(const std::vector<const Candidate*>& todo, const Options& options,
             const ReadSettings& settings, uint32_t firstId, Join&& join) {
  const size_t count = todo.size();
  std::vector<std::unique_ptr<Partial>> parts(count);
  const auto done = std::make_unique<std::atomic<bool>[]>(count);
  size_t joined = 0;
  auto joinReady = [&] {
    while (joined < count && done[joined].load(std::memory_order_acquire)) {
      join(*parts[joined]);
      parts[joined].reset();
      ++joined;
    }
  };
  forEachOnThreads(count, options.jobs, 1, [&](size_t i, bool callingThread) {
    auto part = std::make_unique<Partial>();
    loadOne(*todo[i], options, settings, firstId + static_cast<uint32_t>(i), *part);
    parts[i] = std::move(part);
    done[i].store(true, std::memory_order_release);
    thread_local ThreadHeapAdvice advice;  // the calling thread's heap is glibc's main one
    if (!callingThread && options.hugePages) advice.afterFile();
    if (callingThread) joinReady();
  });
  joinReady();  // what the other threads read last
}

/// One file through its adapter (`adapter`: the one sniff picked): parse, then
/// lower, then merge into the run.
void loadSource(const ReadSettings& settings, RunResult& result, SourceFile& file,
                const fs::path& fsPath, bool explicitlyNamed, const Adapter* adapter) {
  if (auto enc = foreignEncoding(file.text()); !enc.empty()) {
    result.findings.push_back(
        makeDiagnostic(diag::kEncoding, Severity::Error, Span{file.id(), 0, 2},
                       "the file is encoded as " + std::string(enc) + "; lbcheck reads UTF-8",
                       "convert it, for example: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8"));
    ++result.filesRead;
    return;
  }
  // Named on the command line, but no adapter reads it: the fallback says so.
  if (!adapter) adapter = AdapterRegistry::instance().fallback();
  if (!adapter) return;
  RunReadContext context(settings, result);
  Lowered lowered;
  const std::string path = fsPath.string();
  const Input input{file, path, explicitlyNamed};
  {
    // parse, then lower: the tree (which refers to the file's bytes) is gone
    // before what it lowered to joins the run.
    std::unique_ptr<SyntaxTree> tree = adapter->parse(input, context);
    lowered.diagnostics = std::move(tree->diagnostics);
    tree->diagnostics.clear();
    lowered.skipped = std::move(tree->skipped);
    adapter->lower(*tree, input, context, lowered);
  }
  // A file that is not lbcheck's is counted and listed, not read.
  if (!recordSkip(result, file, lowered)) ++result.filesRead;
  join(result, lowered);
}

}  // namespace

bool scanned(const std::string& path, const std::vector<std::string>& roots) {
  const fs::path p(path);
  if (!walkedFile(p)) return false;
  for (const std::string& root : roots) {
    if (path == root) return true;  // a file named as a root
    if (path.size() <= root.size() || path.compare(0, root.size(), root) != 0 ||
        (root.back() != '/' && path[root.size()] != '/'))
      continue;
    bool skipped = false;
    for (fs::path dir = p.parent_path(); dir.generic_string().size() > root.size();
         dir = dir.parent_path())
      skipped |= skippedDirectory(dir);
    if (!skipped) return true;
  }
  return false;
}

void sortFindings(const SourceManager& sources, std::vector<Finding>& findings) {
  // Order: file path, offset, rule, message, field. Files are ranked by path
  // once and indexes are sorted, not the findings (a Finding is a few hundred
  // bytes).
  std::vector<uint32_t> fileRank(sources.size(), 0);
  {
    std::vector<uint32_t> ids(sources.size());
    std::iota(ids.begin(), ids.end(), 0u);
    std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
      return sources.get(a).path() < sources.get(b).path();
    });
    // Equal paths rank equal; a file missing from `sources` ranks as the empty
    // path.
    std::string_view previous;
    uint32_t rank = 0;
    for (uint32_t id : ids) {
      const std::string_view path = sources.get(id).path();
      if (path != previous) ++rank, previous = path;
      fileRank[id] = rank;
    }
  }
  auto rankOf = [&](const Finding& f) {
    return f.span.file < sources.size() ? fileRank[f.span.file] : 0;
  };
  std::vector<uint32_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const Finding& a = findings[x];
    const Finding& b = findings[y];
    if (const uint32_t ra = rankOf(a), rb = rankOf(b); ra != rb) return ra < rb;
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    if (a.ruleId != b.ruleId) return a.ruleId < b.ruleId;
    if (a.message != b.message) return a.message < b.message;
    if (a.fieldPath != b.fieldPath) return a.fieldPath < b.fieldPath;
    // Then in the order found: which of two duplicates stays (below) must not
    // depend on how many other findings the sort moved around them.
    return x < y;
  });
  // Into that order in place, cycle by cycle (a second list of findings would
  // be the run's largest transient allocation): slot i takes findings[order[i]].
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    Finding held = std::move(findings[i]);
    size_t at = i;
    while (order[at] != i) {
      const size_t from = order[at];
      findings[at] = std::move(findings[from]);
      order[at] = static_cast<uint32_t>(at);
      at = from;
    }
    findings[at] = std::move(held);
    order[at] = static_cast<uint32_t>(at);
  }
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.ruleId == b.ruleId && a.span.file == b.span.file &&
                                      a.span.begin == b.span.begin && a.message == b.message;
                             }),
                 findings.end());
}

void loadBytes(const Options& options, RunResult& result, std::string path, std::string bytes) {
  const fs::path fsPath(path);
  SourceFile& file = result.sources.add(std::move(path), std::move(bytes));
  const Adapter* adapter =
      AdapterRegistry::instance().pick(file.text(), fsPath.filename().string());
  loadSource(settingsOf(options), result, file, fsPath, true, adapter);
}

namespace {

/// The end of reading: each adapter finishes its project (Terraform evaluates
/// its root modules), in rank order.
void finishAdapters(const Options& options, RunResult& result) {
  const ReadSettings settings = settingsOf(options);
  std::vector<Locator> locators;
  for (const Adapter* adapter : AdapterRegistry::instance().all()) {
    FinishContext context{settings,
                          result.sources,
                          result.graph,
                          result.findings,
                          locators,
                          result.documentsUsed,
                          [](const std::string& p) { return displayPath(p); }};
    adapter->finish(result.projects[adapter], context);
  }
  // Findings about a generated resource point at its source from the start:
  // nothing is moved after the rules.
  result.graph.attachLocators(std::move(locators));
}

/// Rule options from the configuration that governs each resource's file.
class ConfiguredOptions : public RuleOptions {
 public:
  explicit ConfiguredOptions(RunResult& result) : result_(result) {}
  json::Value get(std::string_view ruleId, const Resource& r, std::string_view key) const override {
    const Config* config =
        result_.configs->governingFile(r.header.file, result_.sources, result_.findings);
    if (!config) return {};
    const auto it = config->options.find(ruleId);
    return it == config->options.end() ? json::Value() : it->second.get(key);
  }

 private:
  RunResult& result_;
};

}  // namespace

void finish(const Options& options, RunResult& result) {
  finishAdapters(options, result);
  // A file skipped when it was read alone, that an adapter read once every
  // file was read (a policy file a script applies), was not skipped: the
  // adapter dropped its note (kSkipMarker).
  if (!result.skipped.empty()) {
    std::vector<bool> marked(result.sources.size());
    std::erase_if(result.findings, [&](const Finding& f) {
      const bool marker = f.ruleId == diag::kSkipped && f.message == kSkipMarker;
      if (marker && f.span.file < marked.size()) marked[f.span.file] = true;
      return marker;
    });
    const size_t before = result.skipped.size();
    std::erase_if(result.skipped,
                  [&](const SkippedFile& s) { return s.file < marked.size() && !marked[s.file]; });
    result.filesRead += before - result.skipped.size();
    std::stable_sort(result.skipped.begin(), result.skipped.end(),
                     [&](const SkippedFile& a, const SkippedFile& b) {
                       return result.sources.get(a.file).path() < result.sources.get(b.file).path();
                     });
  }
  phases::mark("adapters finished (Terraform source evaluated)");
  // No parser refers to the inputs' bytes any more: give them back (the
  // reports read the lines they quote again). Files with inline suppressions
  // stay: the policy reads them whole.
  result.sources.release([](const SourceFile& f) { return mayHoldSuppressions(f); });
  phases::mark("source released");
  result.graph.merge(result.findings);
  phases::mark("merged");
  result.graph.resolve(options.jobs == 0 ? 1 : options.jobs);
  phases::mark("references resolved");
  // Every configuration is loaded before the rules run (they may run on several
  // threads).
  for (const Resource& r : result.graph.resources())
    result.configs->governingFile(r.header.file, result.sources, result.findings);
  const ConfiguredOptions ruleOptions(result);
  // Organisation policies are rules of the configuration; --rule selects
  // built-in rules only.
  std::vector<std::unique_ptr<Rule>> policies;
  if (options.onlyRules.empty())
    policies = policyRules(result.graph, *result.configs, result.sources, result.findings);
  std::vector<const Rule*> extra;
  for (const auto& rule : policies) extra.push_back(rule.get());
  phases::mark("configurations loaded");
  checkGraph(result.graph, options.onlyRules, &ruleOptions, options.jobs, extra, result.findings);
  phases::mark("rules");
  applyPolicy(result.graph, options.onlyRules, *result.configs, result.sources, result.findings);
  phases::mark("suppressions and policies");
  sortFindings(result.sources, result.findings);
  phases::mark("findings sorted");
  settleFixes(result.sources, result.findings);
  phases::mark("fixes settled");
  if (phases::enabled()) {
    size_t fields = 0, prior = 0;
    for (const Resource& r : result.graph.resources())
      fields += r.fields.size(), prior += r.prior ? r.prior->size() : 0;
    size_t text = 0;
    for (uint32_t i = 0; i < result.sources.size(); ++i)
      if (result.sources.get(i).resident()) text += result.sources.get(i).size();
    phases::mark(std::to_string(result.graph.size()) + " resources, " + std::to_string(fields) +
                 " fields, " + std::to_string(prior) + " prior fields stored, " +
                 std::to_string(text) + " bytes of source kept");
  }
}

void releaseGraph(RunResult& result) {
  { std::vector<Resource> gone = result.graph.release(); }
  malloc_trim(0);
  phases::mark("graph released");
}

void run(const Options& options, RunResult& result) {
  const auto started = std::chrono::steady_clock::now();
  // Keep freed memory for the next file instead of handing it back to the
  // kernel and faulting it in again (a page fault is the single largest cost
  // of a large plan on a VM): the peak is the same, only the trimming goes.
  static const bool keepFreedMemory = [] {
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest; fixed, not adaptive
    return true;
  }();
  (void)keepFreedMemory;
  // On huge pages, heaps grow 8 MiB past what is asked, so that a fault lands
  // in a 2 MiB range the heap already covers (the kernel gives a huge page only
  // then).
  if (options.hugePages) mallopt(M_TOP_PAD, 8 << 20);
  std::error_code cwdError;
  const fs::path cwd = fs::current_path(cwdError);
  struct CwdScope {
    explicit CwdScope(const fs::path* p) { runCwd = p; }
    ~CwdScope() { runCwd = nullptr; }
  } cwdScope(cwdError ? nullptr : &cwd);
  phases::mark("start");
  std::vector<Candidate> candidates;
  if (options.noConfig)
    result.configs->disable();
  else if (!options.configFile.empty())
    result.configs->force(options.configFile, result.sources, result.findings);
  for (const auto& p : options.paths) {
    // A named file an editor holds is read from its buffer, on disk or not.
    if (!options.overlay.empty() && options.overlay.count(overlayKey(fs::path(p))))
      candidates.push_back({fs::path(p), true});
    else
      discover(p, candidates, result);
  }
  if (!options.overlay.empty()) {
    std::set<std::string> found;
    for (const Candidate& c : candidates) found.insert(overlayKey(c.path));
    for (const auto& [path, text] : options.overlay)
      if (!found.count(path)) candidates.push_back({fs::path(path), true});
  }
  // `exclude` patterns of the configuration governing each file.
  std::erase_if(candidates, [&](const Candidate& c) {
    const Config* config =
        result.configs->governing(c.path.string(), result.sources, result.findings);
    if (!config) return false;
    std::error_code ec;
    const fs::path abs = fs::absolute(c.path, ec).lexically_normal();
    const bool out = config->excludes(abs.generic_string());
    result.excluded += out;
    return out;
  });
  // Deterministic order whatever the directory order, and each file once: a
  // file named twice, or reached through a link, is the same device and inode.
  // (Each path is normalised once, not once per comparison, and a `stat` is one
  // system call where resolving a canonical path is one per path component.)
  phases::mark("files found");
  std::vector<std::pair<std::string, const Candidate*>> ordered;
  ordered.reserve(candidates.size());
  for (const auto& c : candidates)
    ordered.emplace_back(c.path.lexically_normal().generic_string(), &c);
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second->explicitlyNamed > b.second->explicitlyNamed;  // a named file is read as named
  });
  std::set<std::pair<dev_t, ino_t>> seenFiles;
  std::set<std::string> seenPaths;  // files `stat` cannot see (they will fail to read)
  std::vector<const Candidate*> todo;
  todo.reserve(ordered.size());
  uint64_t bytes = 0;
  for (const auto& [key, c] : ordered) {
    struct stat st {};
    const bool found = ::stat(c->path.c_str(), &st) == 0;
    const bool fresh =
        found ? seenFiles.emplace(st.st_dev, st.st_ino).second : seenPaths.insert(key).second;
    if (!fresh) continue;
    todo.push_back(c);
    if (found) bytes += static_cast<uint64_t>(st.st_size);
  }
  if (options.beforeReading) options.beforeReading(bytes);
  phases::mark("files ordered");
  const ReadSettings settings = settingsOf(options);  // once: it stats every input root
  // Read in batches so the time limit is checked as files come in.
  const size_t batch =
      options.timeLimitSeconds > 0 ? std::max<size_t>(options.jobs, 1) : todo.size();
  for (size_t at = 0; at < todo.size(); at += batch) {
    if (options.timeLimitSeconds > 0 && at > 0 &&
        std::chrono::steady_clock::now() - started >
            std::chrono::duration<double>(options.timeLimitSeconds)) {
      auto& file = result.sources.add(displayPath(todo[at]->path), "");
      result.findings.push_back(makeDiagnostic(
          diag::kLimit, Severity::Error, Span{file.id(), 0, 0},
          "stopped reading after " + std::to_string(options.timeLimitSeconds) + " s (--timeout): " +
              std::to_string(todo.size() - at) + " files from here on were not checked",
          "raise the limit with --timeout SECONDS, or check fewer paths at "
          "once"));
      break;
    }
    const std::vector<const Candidate*> slice(
        todo.begin() + static_cast<long>(at),
        todo.begin() + static_cast<long>(std::min(todo.size(), at + batch)));
    loadAll(slice, options, settings, static_cast<uint32_t>(result.sources.size()),
            [&](Partial& part) {
              SourceFile& file = result.sources.adopt(std::move(part.file));
              if (part.deferred)
                loadSource(settings, result, file, part.deferred->path,
                           part.deferred->explicitlyNamed, part.adapter);
              result.graph.absorb(part.result.graph);
              for (Finding& f : part.result.findings) result.findings.push_back(std::move(f));
              result.filesRead += part.result.filesRead;
              for (SkippedFile& skipped : part.result.skipped)
                result.skipped.push_back(std::move(skipped));
              result.documentsUsed += part.result.documentsUsed;
            });
    if (at + batch >= todo.size()) {
      // What found and ordered the files goes before the rules: a path is a
      // list of components on the heap, about 800 bytes a file in all.
      std::vector<const Candidate*>().swap(todo);
      decltype(ordered)().swap(ordered);
      std::vector<Candidate>().swap(candidates);
      seenFiles.clear();
      seenPaths.clear();
    }
  }
  phases::mark("files read, parsed and joined");
  finish(options, result);
}

}  // namespace lbcheck
