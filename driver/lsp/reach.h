// Which files of a workspace an edit can affect: the language server checks
// only those again after a change, not the whole workspace.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace lbcheck {
struct RunResult;
class SourceFile;
}  // namespace lbcheck

namespace lbcheck::lsp {

/// The absolute, normalised path of a file a run read (its origin on disk
/// when it was read from an editor's buffer).
std::string workspacePath(const SourceFile& file);

/// Link keys of the files a check read. Two files share a key when something
/// in one can take part in a finding about something in the other:
///  - a name: every resource's own name and the name of everything it refers
///    to (references resolve by name; the same resource in two inputs merges by
///    it), kind, project and region left out, so that keys only over-link;
///  - the files one resource was read from (a module's file and the call that
///    brings it in, a .tfvars value, a file a script loads, a plan's .tf);
///  - a Terraform root module's directory (all its .tf and .tfvars files);
///  - a Terraform address between plans and .tf files (a .tf root that a plan
///    holds most addresses of locates the plan's findings instead of being
///    checked), but not between two .tf roots;
///  - the implicit `default` network of a forwarding rule, subnet, instance or
///    firewall that names none;
///  - a NEG with a URL mask or an IAM grant on a whole project reaches every
///    Cloud Run service and back; services do not reach each other so;
///  - `@changes`: every document with lifecycle or script operations (the
///    ordering rules compare operations across documents).
/// lbcheck's configuration and a file a scan passes by (not one of lbcheck's
/// formats) reach everything: only a whole check is right after they change.
/// A missed relation would show stale findings until the next whole check
/// (on save), so the keys are tested against whole checks of every fixture
/// directory (tests/lsp_reach_test.cpp).
class Reach {
 public:
  /// Records the keys of every file `result` read, replacing what was known of them.
  void record(const RunResult& result);
  /// Forgets everything.
  void clear();
  bool knows(const std::string& path) const { return keys_.count(path) != 0; }
  /// The files whose findings a change to `changed` can alter: `changed` and
  /// every known file that shares a key with one of them, transitively, in
  /// path order. nullopt when only a whole check is right: a file among them
  /// reaches everything, or a changed file is not known.
  std::optional<std::vector<std::string>> closure(const std::vector<std::string>& changed) const;

  /// The paths a check of `part` names: those a scan of `roots` reads (the
  /// others, such as a module's copy under `.terraform`, are read through the
  /// files that use them, as in a whole check) and the editor's documents.
  static std::vector<std::string> named(const std::vector<std::string>& part,
                                        const std::vector<std::string>& roots,
                                        const std::set<std::string>& documents);

  /// The keys of one file (tests).
  const std::set<std::string>* keysOf(const std::string& path) const;

 private:
  std::map<std::string, std::set<std::string>> keys_;             // path -> keys
  std::unordered_map<std::string, std::set<std::string>> files_;  // key -> paths
};

}  // namespace lbcheck::lsp
