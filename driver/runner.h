// Discover -> load -> parse -> graph -> rules -> sorted findings.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/policy.h"
#include "engine/check.h"  // checkGraph(): the rule runner
#include "engine/graph.h"
#include "engine/rule.h"
#include "engine/skip.h"
#include "engine/source.h"

namespace lbcheck {

class Adapter;
class Project;
class ReadCache;

struct Options {
  std::vector<std::string> paths;
  size_t maxFileSize = 256u << 20;     // bytes
  size_t maxDepth = 512;               // JSON nesting
  std::vector<std::string> onlyRules;  // empty: every rule
  double timeLimitSeconds = 0;         // 0: no limit; files not read by then are reported
  size_t jobs = 1;                     // threads reading and parsing files
  std::vector<std::string> varFiles;   // Terraform -var-file files for every root module
  std::vector<std::string>
      sourceDirs;          // --tf-source: directories that locate other inputs' findings
  std::string configFile;  // --config: one .lbcheck.yaml for every input
  bool noConfig = false;   // --no-config: read no configuration file
  /// Called once the files to read are known, with their total size, before
  /// any is read (main() restarts the process on huge pages for large inputs).
  std::function<void(uint64_t bytes)> beforeReading;
  /// glibc's heap is on transparent huge pages (glibc.malloc.hugetlb=1): reader
  /// threads advise their arenas' heaps likewise.
  bool hugePages = false;
  /// In-memory texts that stand for files (an editor's unsaved buffers), by
  /// absolute, normalised path: read instead of the file on disk. An entry no
  /// input path reaches is read as well, as if named on the command line.
  std::map<std::string, std::string> overlay;
  /// What reading each file gave, kept from one run to the next (the language
  /// server checks again after every edit): a file with the same id, path and
  /// bytes as in the last run is not parsed again. Null: no cache. Made by
  /// newReadCache(); one run at a time may use it.
  std::shared_ptr<ReadCache> cache;
};

/// An empty cache for Options::cache.
std::shared_ptr<ReadCache> newReadCache();

struct RunResult {
  SourceManager sources;
  Graph graph;
  std::vector<Finding> findings;  // sorted: file, line, column, rule id
  size_t filesRead = 0;           // files read as one of lbcheck's formats (skipped ones are not)
  /// Files that are not lbcheck's, in the order read (not findings: reports
  /// count and list them).
  std::vector<SkippedFile> skipped;
  size_t documentsUsed = 0;  // documents that produced resources
  /// Each adapter's per-run project (the .tf and .tfvars files read so far);
  /// no entry, or null, when no input used it.
  std::map<const Adapter*, std::shared_ptr<Project>> projects;
  /// The configuration files read (by discovery, then by the policy stage).
  std::shared_ptr<ConfigSet> configs = std::make_shared<ConfigSet>();
  size_t excluded = 0;  // files left out by `exclude` patterns
};

/// Runs the whole pipeline. Never throws on bad input: problems are findings.
void run(const Options& options, RunResult& result);

/// Frees the graph of a finished run and hands the freed memory back to the
/// kernel, for reports that need only the findings: they read released files
/// again (a large plan's 100 MB), which then take the graph's place instead of
/// adding to the peak.
void releaseGraph(RunResult& result);

/// Reads one in-memory input as if it were a file at `path` (tests, fuzzing).
void loadBytes(const Options& options, RunResult& result, std::string path, std::string bytes);
/// The end of run(): merge duplicates, resolve references, run the rules, sort.
void finish(const Options& options, RunResult& result);

/// A scan of `roots` (absolute, normalised paths) reads this file: it is
/// under one of them, its extension is one lbcheck walks, it is not one of
/// lbcheck's own files, and no directory between the root and the file is one
/// a scan skips (`.terraform`, `.git`...). Other files are read only when named
/// or through another input (a module's installed copy, a file a script loads).
bool scanned(const std::string& path, const std::vector<std::string>& roots);

/// Sorts findings deterministically and removes exact duplicates.
void sortFindings(const SourceManager& sources, std::vector<Finding>& findings);

}  // namespace lbcheck
