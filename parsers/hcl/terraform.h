// Terraform configuration (.tf files) as input: modules are directories of
// parsed files; each root module is evaluated (variables from defaults and
// .tfvars, locals, local modules, count/for_each) and its google resources
// are lowered into canonical resources like a plan's.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule.h"
#include "engine/source.h"
#include "parsers/hcl/ast.h"
#include "parsers/hcl/eval.h"
#include "parsers/hcl/parser.h"

namespace lbcheck::hcl {

/// Parses a .tf (or *.tf.json) file found at `fsPath`: null, with an LBC001
/// finding in `out`, when it does not parse.
std::unique_ptr<File> parseConfigFile(const SourceFile& file, const std::string& fsPath,
                                      const Limits& limits, std::vector<Finding>& out);
/// Likewise a .tfvars (or *.tfvars.json) file.
std::unique_ptr<File> parseVarFile(const SourceFile& file, const std::string& fsPath,
                                   const Limits& limits, std::vector<Finding>& out);

/// Every .tf and .tfvars file of a run, and what their evaluation produced.
class Project {
 public:
  struct ParsedFile {
    const SourceFile* source;
    std::string dir;   // canonical directory
    std::string name;  // file name in `dir`
    std::unique_ptr<File> file;
  };
  explicit Project(SourceManager& sources) : sources_(sources) {}

  /// Parses a .tf file found at `fsPath`; a syntax error becomes an LBC001 finding.
  void addFile(const SourceFile& file, const std::string& fsPath, std::vector<Finding>& out);
  /// Adds a .tf file that parseConfigFile parsed (not null).
  void addParsedFile(const SourceFile& file, const std::string& fsPath,
                     std::unique_ptr<File> parsed);
  /// A variable definitions file: `autoLoaded` for terraform.tfvars and
  /// *.auto.tfvars (they apply to the root module in their directory), else a
  /// -var-file (it applies to every root module).
  void addVarFile(const SourceFile& file, const std::string& fsPath, bool autoLoaded,
                  std::vector<Finding>& out);
  /// Adds a variables file that parseVarFile parsed (not null).
  void addParsedVarFile(const SourceFile& file, const std::string& fsPath, bool autoLoaded,
                        std::unique_ptr<File> parsed);
  /// A Terraform block of a Markdown file (`view` holds only the block, at its
  /// offsets in the .md): its own root module `dir`, whose local module calls are
  /// not followed. False (nothing added) when it does not parse: a fragment.
  bool addSnippet(const SourceFile& view, const std::string& dir, std::string* error);
  bool empty() const { return files_.empty(); }
  /// The directories file(), fileset() and the other file functions may read
  /// inside (the scanned inputs); with none they give unknown.
  void setFileRoots(std::vector<std::string> roots) { fileRoots_ = std::move(roots); }
  /// The sources the file functions read (data files, templates).
  const std::set<uint32_t>& dataFiles() const { return fileState_.read; }
  /// The .tf files of `dir` (canonical): those among the inputs, else read from disk.
  const std::vector<const ParsedFile*>& module(const std::string& dir,
                                               std::vector<Finding>& diagnostics);
  const SourceFile* sourcesFile(uint32_t id) const;
  /// True the first time it is asked about `dir`: a module's duplicate
  /// declarations are reported once, however often the module is instantiated.
  bool firstIndex(const std::string& dir) { return indexed_.insert(dir).second; }

  /// Where `terraform init` installed module call `key` ("lb", or "lb.negs" for
  /// a call inside module lb) of the root module in `rootDir`, as its
  /// `.terraform/modules/modules.json` records it: the module's canonical
  /// directory, or "" when the manifest or the entry is missing. A manifest
  /// that cannot be read is reported once, in `diagnostics`.
  std::string installedModule(const std::string& rootDir, const std::string& key,
                              std::vector<Finding>& diagnostics);
  /// True the first time `source` is noted as a module lbcheck cannot read: a
  /// source called from many places is noted once.
  bool firstUnreadSource(const std::string& source) { return unreadSources_.insert(source).second; }
  /// True the first time a validation of variable `name` fails at `at`: a
  /// module called many times with one value is reported once.
  bool firstValidationFailure(Span at, const std::string& name) {
    return validationFailures_.insert({at.file, at.begin, name}).second;
  }
  /// True the first time the `count`/`for_each` at `at` is found unknown: a
  /// module evaluated many times says it once.
  bool firstUnknownInstances(Span at) {
    return unknownInstances_.insert({at.file, at.begin}).second;
  }

  /// One evaluated root module.
  struct Root {
    std::string dir;
    uint32_t document = 0;  // shared by its resources: addresses resolve within it
    std::vector<Resource> resources;
  };
  /// Evaluates every root module (a directory of .tf files that no other one
  /// calls as a local module). Local modules are read from disk when they were
  /// not among the inputs; remote ones are noted and not followed.
  std::vector<Root> evaluate(std::vector<Finding>& diagnostics);

  struct VarFile {
    const SourceFile* source;
    std::string dir;
    bool autoLoaded;
    std::unique_ptr<File> file;
  };

 private:
  SourceManager& sources_;
  Limits limits_;
  std::vector<std::unique_ptr<ParsedFile>> files_;
  std::vector<VarFile> varFiles_;
  std::map<std::string, std::vector<const ParsedFile*>> byDir_;
  std::map<std::string, bool> loadedFromDisk_;
  std::set<std::string> indexed_;
  std::set<std::string> snippets_;  // the directories of addSnippet
  std::vector<std::string> fileRoots_;
  FileState fileState_;  // shared by every root's file functions
  // root directory -> module key -> installed directory (empty: no manifest)
  std::map<std::string, std::map<std::string, std::string>> manifests_;
  std::set<std::string> unreadSources_;
  std::set<std::tuple<uint32_t, uint32_t, std::string>> validationFailures_;
  std::set<std::pair<uint32_t, uint32_t>> unknownInstances_;
};

}  // namespace lbcheck::hcl
