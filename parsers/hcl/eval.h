// Static evaluation of HCL expressions, good enough for lint: literals,
// operators, templates, collections, for expressions, splats and a set of
// pure functions. Whatever depends on apply-time values is Unknown and
// remembers which resources it came from (the graph's edges).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/source.h"
#include "parsers/hcl/ast.h"

namespace lbcheck::hcl {

struct Val {
  enum class Type : uint8_t { Unknown, Null, Bool, Number, String, List, Object, Error };
  Type type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string str;                   // String; Error: the message
  std::vector<Val> items;            // List (tuples, lists and sets alike)
  std::map<std::string, Val> attrs;  // Object (objects and maps alike)
  bool open = false;  // Object: attributes not listed are unknown (a resource instance)
  Span span;          // where the value was written
  /// Where the value itself was written when `span` was moved to the
  /// expression that uses it (a .tfvars value, a variable's default, a module
  /// argument): the literal a fix edits.
  Span origin;
  std::vector<std::string> refs;  // resource addresses the value comes from

  static Val unknown(std::vector<std::string> refs = {}) {
    Val v;
    v.type = Type::Unknown;
    v.refs = std::move(refs);
    return v;
  }
  static Val error(std::string message) {
    Val v;
    v.type = Type::Error;
    v.str = std::move(message);
    return v;
  }
  static Val string(std::string s, Span span = {}) {
    Val v;
    v.type = Type::String;
    v.str = std::move(s);
    v.span = span;
    return v;
  }
  static Val num(double n, Span span = {}) {
    Val v;
    v.type = Type::Number;
    v.number = n;
    v.span = span;
    return v;
  }
  static Val boolean_(bool b, Span span = {}) {
    Val v;
    v.type = Type::Bool;
    v.boolean = b;
    v.span = span;
    return v;
  }
  bool known() const { return type != Type::Unknown && type != Type::Error; }
  /// Known all the way down (no unknown element or attribute).
  bool wholly() const;
  bool isScalar() const {
    return type == Type::Bool || type == Type::Number || type == Type::String;
  }
  /// A scalar as text: "80" (not "80.0"), "true".
  std::string text() const;
};

/// What names mean where an expression is evaluated (a module instance).
class Environment {
 public:
  virtual ~Environment() = default;
  /// `root.attr` for a root name (var, local, module, each, count, path,
  /// terraform, data, a resource type); `attr` is empty for a bare name.
  virtual Val get(const std::string& root, const std::string& attr, const Expr& at) = 0;
};

/// The files the file functions (file, fileexists, fileset, templatefile,
/// filemd5) and abspath see. Without one they give unknown.
class FileAccess {
 public:
  virtual ~FileAccess() = default;
  enum class Status : uint8_t { Found, Missing, Refused };
  /// The file at `path` (a relative path is relative to the root module's
  /// directory, where `terraform` runs), registered as a source so that spans
  /// can point into it: Found (`*file` set), Missing (no such file inside the
  /// readable roots), or Refused (outside them, too large, not a regular file:
  /// the value is unknown and nothing is read).
  virtual Status read(const std::string& path, const SourceFile** file) = 0;
  /// Whether a regular file exists at `path` (Refused: outside the roots).
  virtual Status exists(const std::string& path) = 0;
  /// The regular files under directory `base` whose path relative to it (with
  /// `/`) matches `pattern` (fileset's glob), sorted; false when refused.
  virtual bool glob(const std::string& base, const std::string& pattern,
                    std::vector<std::string>* out) = 0;
  /// The directory relative paths start from (absolute).
  virtual std::string workingDirectory() const = 0;
  /// A file registered by read(), by its id (null for any other).
  virtual const SourceFile* registered(uint32_t id) const = 0;
};

struct EvalLimits {
  size_t maxIterations = 100000;  // for expressions, template loops, function work
  size_t maxString = 1u << 20;    // bytes in one computed string
  size_t maxDepth = 64;           // nested evaluation (calls through locals, variables)
};

class Evaluator {
 public:
  explicit Evaluator(Environment& scope, EvalLimits limits = {}, FileAccess* files = nullptr)
      : scope_(scope), limits_(limits), files_(files) {}
  Val eval(const Expr& e);

 private:
  Val evalInner(const Expr& e);
  Val call(const Expr& e);
  Val traverse(const Val& v, const std::string& attr, const Expr& at);
  Val index(const Val& v, const Val& key, const Expr& at);
  Val templ(const Expr& e);
  Val forExpr(const Expr& e);
  bool spend(size_t n = 1);
  /// The functions of functions.cpp (encodings, hashes, sets, regular
  /// expressions, paths and files); false when `fn` is none of them.
  bool library(const std::string& fn, std::vector<Val>& args, Val* out);
  Val templateFile(const std::vector<Val>& args);
  Val decode(const Val& text, bool yaml);

  Environment& scope_;
  EvalLimits limits_;
  FileAccess* files_;
  bool inTemplate_ = false;  // evaluating templatefile(): it may not call itself
  size_t spent_ = 0;
  size_t depth_ = 0;
  std::vector<std::pair<std::string, Val>> locals_;  // for-expression variables
  std::vector<const Val*> splatItem_;
};

/// What the file functions of a run share: the ids of the files they read,
/// and the run's own inputs by canonical path (built on first use).
struct FileState {
  std::set<uint32_t> read;
  std::map<std::string, const SourceFile*> inputs;
  bool indexed = false;
};

/// Reads files for FileAccess from disk: only inside `roots` (canonical
/// directories: the scanned inputs), relative paths from `workingDirectory`;
/// files are registered in `sources` once each (an input of the run is used as
/// it is), and recorded in `state` when given.
std::unique_ptr<FileAccess> diskFiles(SourceManager& sources, std::vector<std::string> roots,
                                      std::string workingDirectory, FileState* state = nullptr);

/// Merges the refs of `from` into `into` (deduplicated, bounded).
void addRefs(std::vector<std::string>& into, const std::vector<std::string>& from);

}  // namespace lbcheck::hcl
