#include "driver/runner.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <limits>
#include <numeric>
#include <set>
#include <system_error>
#include <unordered_map>

#include "engine/diagnostics.h"
#include "engine/json.h"
#include "engine/parallel.h"
#include "engine/phases.h"
#include "parsers/api/api.h"
#include "parsers/hcl/terraform.h"
#include "parsers/hcl/tfjson.h"
#include "parsers/krm/krm.h"
#include "parsers/script/gcloud.h"
#include "parsers/script/shell.h"
#include "parsers/tfplan/tfplan.h"
#include "parsers/yaml/yaml.h"

namespace lbcheck {

namespace fs = std::filesystem;

namespace {

bool skippedDirectory(const fs::path& p) {
  const std::string name = p.filename().string();
  return name == ".git" || name == ".terraform" || name == "node_modules";
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

/// The extension that picks a file's reader: the last one, except for
/// Terraform's JSON syntax, whose `.tf.json` / `.tfvars.json` names end in `.json`.
std::string inputExtension(const fs::path& p) {
  const std::string name = p.filename().string();
  if (hcl::isTfJsonName(name)) return ".tf.json";
  if (hcl::isTfvarsJsonName(name)) return ".tfvars.json";
  return p.extension().string();
}

/// Files named on the command line are always read; files found in a directory
/// walk are read when their name says JSON.
struct Candidate {
  fs::path path;
  bool explicitlyNamed;
};

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
      const std::string ext = entry.path().extension().string();
      // lbcheck's own files (.lbcheck.yaml, a .lbcheck-baseline.json) are not inputs.
      if (entry.path().filename().string().rfind(".lbcheck", 0) == 0) {
        // skipped
      } else if (ext == ".json" || ext == ".yaml" || ext == ".yml" || ext == ".tf" ||
                 ext == ".tfvars" || ext == ".sh" || ext == ".bash" || ext == ".md")
        out.push_back({entry.path(), false});
    } else if (entry.is_symlink(e2) && !fs::exists(entry.path(), e2)) {
      // A dangling link or a loop of links: say so, read nothing.
      const std::string ext = entry.path().extension().string();
      if (ext == ".json" || ext == ".yaml" || ext == ".yml") {
        auto& file = result.sources.add(displayPath(entry.path()), "");
        result.findings.push_back(makeDiagnostic(
            diag::kUnreadable, Severity::Note, Span{file.id(), 0, 0},
            "broken symbolic link (its target is missing, or links point at each other); skipped"));
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

bool readFile(const fs::path& path, size_t limit, std::string* bytes, std::string* error) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    *error = "not a regular file (devices, FIFOs and sockets are not read)";
    return false;
  }
  const auto size = fs::file_size(path, ec);
  if (ec) {
    *error = ec.message();
    return false;
  }
  if (size > limit) {
    *error = "file is " + std::to_string(size) + " bytes, over the limit of " +
             std::to_string(limit) + " (raise it with --max-file-size)";
    return false;
  }
  // POSIX reads: an ifstream costs a locale and a buffer per file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open file";
    return false;
  }
  // Spare room past the end: the JSON reader parses in place (simdjson's padding).
  bytes->reserve(size + 64);
  bytes->resize(size);
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, bytes->data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes->resize(got);
  return true;
}

/// A UTF-16/32 byte-order mark, or "" for UTF-8 / no mark.
std::string_view foreignEncoding(std::string_view text) {
  if (text.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return "UTF-32 (little-endian)";
  if (text.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return "UTF-32 (big-endian)";
  if (text.substr(0, 2) == "\xFF\xFE") return "UTF-16 (little-endian)";
  if (text.substr(0, 2) == "\xFE\xFF") return "UTF-16 (big-endian)";
  return {};
}

/// A fenced block of a Markdown file being read as a document of its own.
struct FenceContext {
  const SourceFile& markdown;  // the .md file (spans point into it)
  Span opening;                // the opening fence line
  std::string label;           // json, yaml...
  bool relevant = false;       // the file is about Google Cloud: skipped blocks get a note
};

/// Parses `file` as JSON (or YAML) documents and lowers those lbcheck
/// recognises. For a Markdown fence (`fence` set), `file` is a view of the .md
/// holding only the block: a fragment is noted, not an error, and a document
/// lbcheck does not recognise is left alone.
void lowerStructured(const Options& options, RunResult& result, const SourceFile& file, bool yaml,
                     const FenceContext* fence) {
  std::vector<std::unique_ptr<json::Document>> docs;
  json::ParseError perr;
  bool failed = false;
  const std::string what = yaml ? "YAML" : "JSON";
  if (yaml) {
    yaml::Limits limits;
    limits.maxDepth = options.maxDepth;
    failed = yaml::parse(file, limits, &docs, &perr);
  } else {
    json::Limits limits;
    limits.maxDepth = options.maxDepth;
    if (auto doc = json::parse(file, limits, &perr)) {
      docs.push_back(std::move(doc));
    } else {
      // Newline-delimited JSON or concatenated objects (Cloud Asset Inventory).
      json::ParseError many;
      std::vector<std::unique_ptr<json::Document>> values;
      const bool manyFailed = json::parseMany(file, limits, &values, &many);
      if (values.size() > 1) {
        docs = std::move(values);
        failed = manyFailed;
        perr = many;
      } else {
        failed = true;
      }
    }
  }
  if (failed && fence) {
    // A fragment (`"ingress": "internal"`, a block with `...`) is how docs show
    // one setting: not an error in the runbook.
    if (fence->relevant)
      result.findings.push_back(makeDiagnostic(
          diag::kSkipped, Severity::Note, fence->opening,
          "this ```" + fence->label + " block is not a whole " + what + " document (" +
              perr.message + " at line " +
              std::to_string(fence->markdown.locate(perr.offset).line) + "); skipped",
          "lbcheck reads a fenced block that holds a complete document; a fragment is not "
          "checked"));
    return;
  }
  if (failed) {
    result.findings.push_back(makeDiagnostic(diag::kSyntax, Severity::Error,
                                             Span{file.id(), perr.offset, perr.offset + 1},
                                             "invalid " + what + ": " + perr.message));
  }
  size_t understood = 0;
  Span firstSkipped;
  const size_t before = result.graph.size();
  for (const auto& doc : docs) {
    const json::Value root = doc->root();
    if (!root) continue;
    if (tfplan::looksLikePlan(root)) {
      tfplan::lower(*doc, file, result.graph, result.findings);
      ++understood;
      continue;
    }
    bool any = false;
    auto one = [&](json::Value o) {
      // A recognised format whose kind lbcheck does not model (a
      // ComputeInstanceGroup, a compute#instanceTemplate) is understood: silence.
      if (krm::isKrm(o)) {
        krm::lower(o, file, result.graph, result.findings);
        any = true;
      } else if (const auto shape = api::classify(o); shape != api::Shape::None) {
        api::lower(shape, o, file, result.graph, result.findings);
        any = true;
      }
    };
    if (root.isArray()) {
      root.forEachElement([&](size_t, json::Value o) { one(o); });
      if (root.size() == 0) any = true;  // an empty `list` output: nothing to check
    } else {
      one(root);
    }
    if (any) {
      ++understood;
    } else if (!firstSkipped.valid() && !root.isNull()) {
      firstSkipped = Span{file.id(), root.span().begin, root.span().begin + 1};
    }
  }
  if (understood == 0 && firstSkipped.valid() && !failed && !fence) {
    result.findings.push_back(makeDiagnostic(
        diag::kSkipped, Severity::Note, firstSkipped,
        "not a configuration lbcheck reads (a Terraform plan or state, a gcloud export, a Cloud "
        "Run service, a Config Connector object or Cloud Asset Inventory records); skipped",
        "name only the files you want checked, or see the README for the formats lbcheck reads"));
  }
  if (result.graph.size() > before) ++result.documentsUsed;
}

void loadSource(const Options& options, RunResult& result, SourceFile& file, const std::string& ext,
                const fs::path& fsPath, bool explicitlyNamed);

/// What reading one file produced, before it joins the run (files are read in
/// parallel, then joined in path order so the output never depends on timing).
struct Partial {
  std::unique_ptr<SourceFile> file;
  RunResult result;
  const Candidate* deferred = nullptr;  // read, to be loaded when joined (Terraform source)
};

void loadOne(const Candidate& c, const Options& options, uint32_t id, Partial& out) {
  std::string bytes, error;
  const bool ok = readFile(c.path, options.maxFileSize, &bytes, &error);
  out.file = std::make_unique<SourceFile>(id, displayPath(c.path), ok ? std::move(bytes) : "");
  if (!ok) {
    out.result.findings.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error, Span{id, 0, 0},
                                                 "cannot read file: " + error));
    return;
  }
  // Terraform source is evaluated as whole modules (directories): it joins the
  // run's one Terraform project after the parallel phase, in path order.
  const std::string ext = inputExtension(c.path);
  if (ext == ".tf" || ext == ".tfvars" || ext == ".tf.json" || ext == ".tfvars.json" ||
      ((ext == ".md" || ext == ".markdown") && script::hasTerraformFence(out.file->text()))) {
    out.deferred = &c;
    return;
  }
  loadSource(options, out.result, *out.file, ext, c.path, c.explicitlyNamed);
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
/// glibc hands it out. Not under AddressSanitizer (its allocator is not glibc's).
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

/// Reads `todo` with `jobs` threads; results land in `parts` at their index.
void loadAll(const std::vector<const Candidate*>& todo, const Options& options, uint32_t firstId,
             std::vector<Partial>& parts) {
  parts.resize(todo.size());
  forEachOnThreads(todo.size(), options.jobs, 1, [&](size_t i, bool callingThread) {
    loadOne(*todo[i], options, firstId + static_cast<uint32_t>(i), parts[i]);
    thread_local ThreadHeapAdvice advice;  // the calling thread's heap is glibc's main one
    if (!callingThread && options.hugePages) advice.afterFile();
  });
}

hcl::Project& terraformOf(RunResult& result) {
  if (!result.terraform) result.terraform = std::make_shared<hcl::Project>(result.sources);
  return *result.terraform;
}

/// `file`'s bytes with everything outside [begin, end) blanked (line breaks
/// kept): a block of a Markdown file read as a file of its own, at the same
/// offsets, lines and columns.
std::unique_ptr<SourceFile> fenceView(const SourceFile& file, uint32_t begin, uint32_t end) {
  std::string bytes(file.text());
  for (size_t k = 0; k < bytes.size(); ++k)
    if ((k < begin || k >= end) && bytes[k] != '\n') bytes[k] = ' ';
  return std::make_unique<SourceFile>(file.id(), file.path(), std::move(bytes));
}

/// A Markdown runbook or README: its shell blocks (and unlabelled blocks that
/// hold commands) are one gcloud script; json, yaml and hcl blocks that hold a
/// whole document are read as that format, located in the .md.
void loadMarkdown(const Options& options, RunResult& result, SourceFile& file,
                  const fs::path& fsPath) {
  const std::string_view text = file.text();
  // Notes about skipped blocks only where they may have mattered: a file that
  // mentions Google Cloud (a repository's other READMEs stay quiet).
  const bool relevant = text.find("gcloud") != std::string_view::npos ||
                        text.find("google_") != std::string_view::npos ||
                        text.find("googleapis.com") != std::string_view::npos;
  std::vector<script::Chunk> chunks;
  const size_t before = result.graph.size();
  for (const script::Fence& fence : script::markdownFences(text)) {
    const script::FenceUse use = script::fenceUse(fence, text);
    const Span opening{file.id(), fence.open, fence.openEnd};
    switch (use) {
      case script::FenceUse::Shell:
      case script::FenceUse::Console:
        script::appendShellChunks(fence, use, text, chunks);
        break;
      case script::FenceUse::Json:
      case script::FenceUse::Yaml: {
        if (fence.bodyBegin >= fence.bodyEnd) break;
        const auto view = fenceView(file, fence.bodyBegin, fence.bodyEnd);
        const FenceContext ctx{file, opening, fence.label, relevant};
        lowerStructured(options, result, *view, use == script::FenceUse::Yaml, &ctx);
        file.copyRedactions(*view);
        break;
      }
      case script::FenceUse::Terraform: {
        if (fence.bodyBegin >= fence.bodyEnd) break;
        auto view = fenceView(file, fence.bodyBegin, fence.bodyEnd);
        // Each block is a root module of its own, named after its place.
        const std::string dir = fs::absolute(fsPath).lexically_normal().generic_string() + "#L" +
                                std::to_string(file.locate(fence.open).line);
        std::string error;
        if (terraformOf(result).addSnippet(*view, dir, &error)) {
          result.fenceViews.push_back(std::move(view));
        } else if (relevant) {
          result.findings.push_back(makeDiagnostic(
              diag::kSkipped, Severity::Note, opening,
              "this ```" + fence.label + " block is not a whole Terraform file (" + error +
                  "); skipped",
              "lbcheck reads a fenced block that holds complete blocks; a fragment is not "
              "checked"));
        }
        break;
      }
      case script::FenceUse::Skipped:
        if (relevant && fence.bodyBegin < fence.bodyEnd)
          result.findings.push_back(makeDiagnostic(
              diag::kSkipped, Severity::Note, opening,
              std::string(fence.label.empty() ? "this unlabelled block"
                                              : "this ```" + fence.label + " block") +
                  " holds no command (no line starts with `gcloud`, `$ `, `export` or "
                  "`NAME=`); skipped",
              "label a block of commands ```sh so that lbcheck reads it as a script"));
        break;
      case script::FenceUse::Ignored:
        break;
    }
  }
  if (!chunks.empty()) gcloud::load(file, chunks, result.graph, result.findings);
  if (result.graph.size() > before) ++result.documentsUsed;
}

void loadSource(const Options& options, RunResult& result, SourceFile& file, const std::string& ext,
                const fs::path& fsPath, bool explicitlyNamed) {
  ++result.filesRead;
  if (auto enc = foreignEncoding(file.text()); !enc.empty()) {
    result.findings.push_back(
        makeDiagnostic(diag::kEncoding, Severity::Error, Span{file.id(), 0, 2},
                       "the file is encoded as " + std::string(enc) + "; lbcheck reads UTF-8",
                       "convert it, for example: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8"));
    return;
  }
  if (ext == ".tf" || ext == ".tf.json") {
    terraformOf(result).addFile(file, fsPath.string(), result.findings);
    return;
  }
  if (ext == ".tfvars" || ext == ".tfvars.json") {
    std::string name = fsPath.filename().string();
    if (ext == ".tfvars.json") name.resize(name.size() - 5);  // the same names, plus .json
    const bool autoLoaded = name == "terraform.tfvars" ||
                            (name.size() > 13 && name.substr(name.size() - 13) == ".auto.tfvars");
    if (!autoLoaded && !explicitlyNamed) {
      result.findings.push_back(makeDiagnostic(
          diag::kSkipped, Severity::Note, Span{file.id(), 0, file.text().empty() ? 0u : 1u},
          "Terraform does not load this variables file by itself; skipped",
          "pass it with --var-file FILE, or name it *.auto.tfvars"));
      return;
    }
    terraformOf(result).addVarFile(file, fsPath.string(), autoLoaded, result.findings);
    return;
  }
  const bool markdown = ext == ".md" || ext == ".markdown";
  if (markdown) {
    loadMarkdown(options, result, file, fsPath);
    return;
  }
  if (ext == ".sh" || ext == ".bash" || script::hasShellShebang(file.text())) {
    // gcloud scripts and runbooks: the commands become resources and a timeline.
    const size_t before = result.graph.size();
    gcloud::load(file, markdown, result.graph, result.findings);
    if (result.graph.size() > before) ++result.documentsUsed;
    return;
  }
  const bool yamlFile = ext == ".yaml" || ext == ".yml";
  if (!yamlFile && ext != ".json" && !looksLikeJson(file.text())) {
    // Named on the command line, but neither JSON nor YAML by name or content.
    result.findings.push_back(makeDiagnostic(
        diag::kSkipped, Severity::Note, Span{file.id(), 0, file.text().empty() ? 0u : 1u},
        "not a format lbcheck reads (it reads .json, .yaml, .yml, .tf and .tfvars files, shell "
        "scripts and Markdown runbooks); skipped",
        "see the README for the formats lbcheck reads"));
    return;
  }
  lowerStructured(options, result, file,
                  yamlFile || (ext != ".json" && !looksLikeJson(file.text())), nullptr);
}

}  // namespace

std::vector<Finding> checkGraph(const Graph& graph, const std::vector<std::string>& onlyRules,
                                const RuleOptions* options, size_t jobs) {
  std::vector<const Rule*> rules;
  for (const Rule* rule : allRules()) {
    if (rule->info().diagnostic) continue;
    if (!onlyRules.empty() &&
        std::find(onlyRules.begin(), onlyRules.end(), rule->info().id) == onlyRules.end())
      continue;
    rules.push_back(rule);
  }
  // Rules only read the graph: they run side by side, each into its own list,
  // and the lists join in rule order (the same output as one thread). A small
  // graph is checked faster than a thread starts (the pre-commit case).
  if (graph.size() < 2048) jobs = 1;
  std::vector<std::vector<Finding>> found(rules.size());
  forEachOnThreads(rules.size(), jobs, 1, [&](size_t i, bool) {
    Reporter reporter(rules[i]->info(), &found[i], options);
    rules[i]->check(graph, reporter);
    if (phases::enabled()) phases::mark(std::string("rule ") + std::string(rules[i]->info().id));
  });
  std::vector<Finding> out;
  for (auto& list : found)
    for (Finding& f : list) out.push_back(std::move(f));
  return out;
}

void sortFindings(const SourceManager& sources, std::vector<Finding>& findings) {
  // Order: file path, offset, rule, message, field. Files are ranked by path once
  // and indexes are sorted, not the findings (a Finding is a few hundred bytes).
  std::vector<uint32_t> fileRank(sources.size(), 0);
  {
    std::vector<uint32_t> ids(sources.size());
    std::iota(ids.begin(), ids.end(), 0u);
    std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
      return sources.get(a).path() < sources.get(b).path();
    });
    // Equal paths rank equal; a file missing from `sources` ranks as the empty path.
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
    return a.fieldPath < b.fieldPath;
  });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (uint32_t i : order) sorted.push_back(std::move(findings[i]));
  findings = std::move(sorted);
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.ruleId == b.ruleId && a.span.file == b.span.file &&
                                      a.span.begin == b.span.begin && a.message == b.message;
                             }),
                 findings.end());
}

void loadBytes(const Options& options, RunResult& result, std::string path, std::string bytes) {
  const std::string ext = inputExtension(fs::path(path));
  const fs::path fsPath(path);
  SourceFile& file = result.sources.add(std::move(path), std::move(bytes));
  loadSource(options, result, file, ext, fsPath, true);
}

namespace {

std::string canonical(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).generic_string();
}

/// Evaluates the .tf roots. A root that a plan among the inputs (or
/// --tf-source) comes from is not checked itself: it locates the plan's findings.
void lowerTerraform(const Options& options, RunResult& result) {
  std::set<std::string> forced;
  for (const std::string& dir : options.tfSource) {
    const std::string c = canonical(dir);
    forced.insert(c);
    if (terraformOf(result).module(c, result.findings).empty()) {
      auto& file = result.sources.add(dir, "");
      result.findings.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error,
                                               Span{file.id(), 0, 0},
                                               "--tf-source: no .tf files in this directory"));
    }
  }
  for (const std::string& path : options.varFiles) {
    std::string bytes, error;
    const bool ok = readFile(path, options.maxFileSize, &bytes, &error);
    SourceFile& file = result.sources.add(displayPath(path), ok ? std::move(bytes) : "");
    if (!ok) {
      result.findings.push_back(makeDiagnostic(diag::kUnreadable, Severity::Error,
                                               Span{file.id(), 0, 0},
                                               "cannot read the --var-file: " + error));
      continue;
    }
    terraformOf(result).addVarFile(file, path, false, result.findings);
  }
  if (!result.terraform) return;
  std::set<std::string> planAddresses;
  for (const Resource& r : result.graph.resources())
    if (r.format == "terraform-plan") planAddresses.insert(r.displayName);
  for (hcl::Project::Root& root : result.terraform->evaluate(result.findings)) {
    bool source = forced.count(root.dir) > 0;
    for (const Resource& r : root.resources) source = source || planAddresses.count(r.displayName);
    for (Resource& r : root.resources) {
      if (source)
        result.tfSource.push_back(std::move(r));
      else
        result.graph.add(std::move(r));
    }
    if (!source && !root.resources.empty()) ++result.documentsUsed;
  }
  for (const auto& view : result.fenceViews) result.sources.get(view->id()).copyRedactions(*view);
}

std::string_view withoutIndex(std::string_view address) {
  if (address.empty() || address.back() != ']') return address;
  const size_t open = address.rfind('[');
  return open == std::string_view::npos ? address : address.substr(0, open);
}

/// Points each plan finding at the .tf attribute it comes from; the plan's
/// location becomes a related location.
void mapToSource(const RunResult& result, std::vector<Finding>& findings) {
  if (result.tfSource.empty()) return;
  std::unordered_map<std::string, const Resource*> byAddress;
  for (const Resource& r : result.tfSource) byAddress.emplace(r.displayName, &r);
  for (Finding& f : findings) {
    if (f.resource.empty()) continue;
    auto it = byAddress.find(f.resource);
    if (it == byAddress.end()) it = byAddress.find(std::string(withoutIndex(f.resource)) + "[*]");
    if (it == byAddress.end()) continue;
    const Resource& tf = *it->second;
    Span span = tf.header;
    if (!f.fieldPath.empty()) {
      const Field& field = tf.field(f.fieldPath);
      if (field.span.valid() && field.state != State::Absent && field.state != State::Defaulted)
        span = field.span;
    }
    f.related.insert(f.related.begin(), Related{f.span, "the value in the plan"});
    f.span = span;
  }
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
  lowerTerraform(options, result);
  gcloud::readPolicyFiles(result.graph, result.sources, result.findings);
  phases::mark("Terraform source evaluated");
  result.graph.merge(result.findings);
  phases::mark("merged");
  result.graph.resolve(options.jobs == 0 ? 1 : options.jobs);
  phases::mark("references resolved");
  // Every configuration is loaded before the rules run (they may run on several threads).
  for (const Resource& r : result.graph.resources())
    result.configs->governingFile(r.header.file, result.sources, result.findings);
  const ConfiguredOptions ruleOptions(result);
  phases::mark("configurations loaded");
  auto findings = checkGraph(result.graph, options.onlyRules, &ruleOptions, options.jobs);
  phases::mark("rules");
  mapToSource(result, findings);
  for (auto& f : findings) result.findings.push_back(std::move(f));
  applyPolicy(result.graph, result.tfSource, options.onlyRules, *result.configs, result.sources,
              result.findings);
  phases::mark("suppressions and policies");
  sortFindings(result.sources, result.findings);
  phases::mark("findings sorted");
  if (phases::enabled()) {
    size_t fields = 0, prior = 0;
    for (const Resource& r : result.graph.resources())
      fields += r.fields.size(), prior += r.prior.size();
    size_t text = 0;
    for (uint32_t i = 0; i < result.sources.size(); ++i)
      text += result.sources.get(i).text().size();
    phases::mark(std::to_string(result.graph.size()) + " resources, " + std::to_string(fields) +
                 " fields, " + std::to_string(prior) + " prior fields, " + std::to_string(text) +
                 " bytes of source kept");
  }
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
  // On huge pages, heaps grow 8 MiB past what is asked, so that a fault lands in
  // a 2 MiB range the heap already covers (the kernel gives a huge page only then).
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
  for (const auto& p : options.paths) discover(p, candidates, result);
  // `exclude` patterns of the configuration governing each file.
  std::erase_if(candidates, [&](const Candidate& c) {
    const Config* config =
        result.configs->governing(c.path.string(), result.sources, result.findings);
    std::error_code ec;
    const fs::path abs = fs::absolute(c.path, ec).lexically_normal();
    const bool out = config && config->excludes(abs.generic_string());
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
          "raise the limit with --timeout SECONDS, or check fewer paths at once"));
      break;
    }
    const std::vector<const Candidate*> slice(
        todo.begin() + static_cast<long>(at),
        todo.begin() + static_cast<long>(std::min(todo.size(), at + batch)));
    std::vector<Partial> parts;
    loadAll(slice, options, static_cast<uint32_t>(result.sources.size()), parts);
    phases::mark("files read and parsed");
    size_t joining = result.graph.size();
    for (const Partial& part : parts) joining += part.result.graph.size();
    result.graph.reserve(joining);
    for (Partial& part : parts) {
      SourceFile& file = result.sources.adopt(std::move(part.file));
      if (part.deferred)
        loadSource(options, result, file, inputExtension(part.deferred->path), part.deferred->path,
                   part.deferred->explicitlyNamed);
      // Join the file's resources and its script timeline (whose resource
      // indexes shift by the resources already in the run).
      const auto offset = static_cast<int32_t>(result.graph.size());
      for (Resource& r : part.result.graph.release()) result.graph.add(std::move(r));
      for (Operation op : part.result.graph.timeline()) {
        if (op.resource >= 0) op.resource += offset;
        result.graph.addOperation(std::move(op));
      }
      for (Finding& f : part.result.findings) result.findings.push_back(std::move(f));
      result.filesRead += part.result.filesRead;
      result.documentsUsed += part.result.documentsUsed;
    }
  }
  phases::mark("files joined");
  finish(options, result);
}

}  // namespace lbcheck
