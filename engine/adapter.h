// The input adapter interface: one adapter per input format, each in its own
// folder under parsers/, registered with one line (LBCHECK_REGISTER_ADAPTER).
// The driver reads a file, asks the registry which adapter reads it (sniff),
// lets that adapter parse it into its syntax tree (parse: the tree and its
// diagnostics) and lower the tree into resources, a timeline and diagnostics
// that the adapter returns (lower: Lowered); the driver joins them into the
// run's graph. It knows no format by name. parsers/README.md says how to add a
// format.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph.h"
#include "engine/json.h"
#include "engine/rule.h"
#include "engine/skip.h"
#include "engine/source.h"

namespace lbcheck {

/// How sure an adapter is that it reads a file (sniff) or a document (sniffDocument).
/// The highest confidence wins; on a tie the adapter registered with the lower rank.
namespace confidence {
inline constexpr int kCertain =
    100;  // the name says so (`.tf`, `.md`) or a whole-document signature
inline constexpr int kContent = 75;  // the content says so whatever the name (a shell shebang)
inline constexpr int kName = 50;     // a generic name (`.json`, `.yaml`): the documents decide
inline constexpr int kGuess = 25;    // no telling name, but the content looks like the format
inline constexpr int kNone = 0;      // not this adapter's
}  // namespace confidence

/// Settings of the run that adapters read.
struct ReadSettings {
  size_t maxDepth = 512;              // nesting limit of JSON and YAML documents
  size_t maxFileSize = 256u << 20;    // bytes, for files an adapter reads by itself
  std::vector<std::string> varFiles;  // variable files named on the command line (--var-file)
  std::vector<std::string>
      sourceDirs;  // directories that locate other inputs' findings (--tf-source)
  /// The directories the run reads (each path on the command line; a file's
  /// own directory): Terraform's file functions read nothing outside them.
  std::vector<std::string> inputRoots;
};

/// State an adapter keeps across the files of one run (Terraform evaluates a
/// directory of files as one module). Created on first use, one per adapter.
class Project {
 public:
  virtual ~Project() = default;
};

class Adapter;

/// One input file being read.
struct Input {
  SourceFile& file;         // bytes and display path; adapters may record redactions
  std::string_view fsPath;  // where it is on disk (relative files resolve from here)
  bool explicitlyNamed;     // named on the command line rather than found in a walk
};

/// What an adapter produced from one input: returned, not written into the run's graph.
struct Lowered {
  Graph graph;                       // resources, and the timeline of a script
  std::vector<Finding> diagnostics;  // tool diagnostics (LBC…)
  size_t documentsUsed = 0;          // documents that produced resources
  /// Set when the whole file is not lbcheck's (no finding: the run counts and
  /// lists it). The caller moves the tree's here, like its diagnostics.
  Skip skipped;
};

/// What an adapter's parse produced from one input: a subclass holds the
/// format's parsed representation (documents, shell commands, an HCL file...),
/// which refers to the input's bytes rather than copying them. Its diagnostics
/// are the problems parsing found (a syntax error); lower never repeats them.
class SyntaxTree {
 public:
  virtual ~SyntaxTree() = default;
  std::vector<Finding> diagnostics;
  /// Set by a parse that finds the file is not lbcheck's (see Lowered::skipped).
  Skip skipped;
};

/// What a read may use besides the input.
class ReadContext {
 public:
  virtual ~ReadContext() = default;
  virtual const ReadSettings& settings() const = 0;
  /// The run's project of `adapter` (created on first use). Only for inputs the
  /// adapter said needsProject() for: those are read one at a time, in path order.
  virtual Project& project(const Adapter& adapter) = 0;
};

/// The end of the reading phase, once per adapter in rank order.
struct FinishContext {
  const ReadSettings& settings;
  SourceManager& sources;
  Graph& graph;  // every resource read so far
  std::vector<Finding>& diagnostics;
  /// Resources that only locate other inputs' findings (the .tf source of a
  /// plan): findings about the same address are shown at their spans
  /// (Graph::attachLocators).
  std::vector<Locator>& locators;
  size_t& documentsUsed;
  /// How the run shows a path on disk in reports.
  std::function<std::string(const std::string&)> displayPath;
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  /// A short stable name ("terraform-plan", "markdown").
  virtual std::string_view name() const = 0;
  /// The file name extensions (".tf", ".json") a directory walk picks up for
  /// this adapter; files named on the command line are sniffed whatever their name.
  virtual std::vector<std::string_view> extensions() const { return {}; }
  /// Directories a walk does not enter (a tool's cache: ".terraform").
  virtual std::vector<std::string_view> skippedDirectories() const { return {}; }
  /// A broken link with one of these extensions found in a walk gets a note.
  virtual bool notesBrokenLinks() const { return false; }
  /// How sure this adapter is that it reads `bytes`, a file called `fileName`.
  virtual int sniff(std::string_view /*bytes*/, std::string_view /*fileName*/) const {
    return confidence::kNone;
  }
  /// Parses the input into this adapter's syntax tree; problems are the tree's
  /// diagnostics, never exceptions. The default is an empty tree.
  virtual std::unique_ptr<SyntaxTree> parse(const Input& input, ReadContext& context) const;
  /// Lowers a tree this adapter's parse returned for `input` into `out`
  /// (resources, a script's timeline, diagnostics of lowering). `out` does not
  /// get the tree's diagnostics: the caller moves them (read() does).
  virtual void lower(SyntaxTree& /*tree*/, const Input& /*input*/, ReadContext& /*context*/,
                     Lowered& /*out*/) const {}
  /// parse, then lower: the tree's diagnostics first, then what lower adds.
  void read(const Input& input, ReadContext& context, Lowered& out) const;

  /// True when reading this input needs the run's project (see ReadContext).
  virtual bool needsProject(std::string_view /*bytes*/, std::string_view /*fileName*/) const {
    return false;
  }
  virtual std::shared_ptr<Project> newProject(SourceManager& /*sources*/) const { return nullptr; }
  /// After every file is read: `project` is this adapter's (null when no input
  /// used it; the adapter may create one).
  virtual void finish(std::shared_ptr<Project>& /*project*/, FinishContext& /*context*/) const {}

  /// Formats that are JSON or YAML documents of a given shape (a plan, a KRM
  /// object): the JSON and YAML readers parse the file and hand each document
  /// (`whole`) and then each object of it (a document or an element of a
  /// top-level array) to the adapter sure of it.
  virtual int sniffDocument(json::Value /*value*/, bool /*whole*/) const {
    return confidence::kNone;
  }
  virtual void lowerDocument(const json::Document& /*doc*/, json::Value /*value*/,
                             const SourceFile& /*file*/, Lowered& /*out*/) const {}

  /// The adapter for inputs no other one reads (it says so); at most one.
  virtual bool fallback() const { return false; }
};

/// The extension of a file name as std::filesystem says it (".json"; "" for ".profile").
std::string fileExtension(std::string_view fileName);

/// Reads a regular file of at most `limit` bytes (with spare room past the end
/// for the JSON reader); false with `error` set when it cannot. `stamp`, when
/// given, says what the file was (SourceFile::setOrigin).
bool readInputFile(const std::string& path, size_t limit, std::string* bytes, std::string* error,
                   FileStamp* stamp = nullptr);

/// Every registered adapter, by rank.
class AdapterRegistry {
 public:
  static AdapterRegistry& instance();
  void add(std::unique_ptr<Adapter> adapter, int rank);
  std::vector<const Adapter*> all() const;
  const Adapter* byName(std::string_view name) const;
  /// The adapter most sure it reads the file (null when none is), leaving
  /// out `except` (an adapter that claimed the file and gives it back).
  const Adapter* pick(std::string_view bytes, std::string_view fileName,
                      const Adapter* except = nullptr) const;
  /// The adapter most sure of a document or object (null when none is).
  const Adapter* pickDocument(json::Value value, bool whole) const;
  const Adapter* fallback() const;
  /// A directory walk reads a file with this extension (".json").
  bool walked(std::string_view extension) const;
  /// Some adapter says a walk does not enter a directory of this name.
  bool skipsDirectory(std::string_view name) const;
  /// A broken link with this extension is noted.
  bool notesBrokenLink(std::string_view extension) const;

 private:
  struct Entry {
    int rank;
    std::unique_ptr<Adapter> adapter;
  };
  std::vector<Entry> entries_;
};

namespace detail {
struct AdapterRegistration {
  AdapterRegistration(std::unique_ptr<Adapter> adapter, int rank) {
    AdapterRegistry::instance().add(std::move(adapter), rank);
  }
};
}  // namespace detail

}  // namespace lbcheck

/// Registers an adapter class (default-constructible) at `rank` (lower ranks
/// win ties and finish first).
#define LBCHECK_REGISTER_ADAPTER(Class, rank)                                            \
  static const ::lbcheck::detail::AdapterRegistration lbcheckAdapterRegistration##Class( \
      std::make_unique<Class>(), rank)
