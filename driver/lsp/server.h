// `lbcheck lsp`: a Language Server (LSP 3.17) over JSON-RPC. The workspace is
// one graph: a whole check reads the workspace folders as `lbcheck DIR` does,
// with the open documents' texts standing for their files, and publishes the
// findings of every file; after an edit, only the files it can reach (Reach)
// are checked again and the others keep their findings.
#pragma once

#include <cstdint>
#include <iostream>
#include <istream>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "driver/lsp/reach.h"
#include "driver/runner.h"

namespace lbcheck::lsp {

/// A position in the protocol's terms: 0-based line, UTF-16 code units.
struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

/// Line starts of a text (lines end with LF, CRLF or CR), converting byte
/// offsets to and from protocol positions.
class LineMap {
 public:
  explicit LineMap(std::string_view text);
  Position position(std::string_view text, uint32_t offset) const;
  /// A position past the end of its line is the line's end; past the last
  /// line, the end of the text.
  uint32_t offset(std::string_view text, Position p) const;

 private:
  uint32_t lineEnd(std::string_view text, uint32_t line) const;
  std::vector<uint32_t> starts_;
};

/// `file:///a%20b` <-> `/a b` (file URIs only; "" when not one).
std::string uriToPath(std::string_view uri);
std::string pathToUri(std::string_view path);

/// The documentation link of a rule (as SARIF's helpUri).
std::string ruleHelpUri(std::string_view ruleId);

class Server {
 public:
  /// `base`: the check's options (--config, --rule...); its paths are replaced
  /// by the workspace folders.
  Server(std::istream& in, std::ostream& out, Options base = {});
  ~Server();

  /// Serves until `exit` or the end of input: the exit status (0 when
  /// `shutdown` came first, else 1).
  int run();
  /// Handles the messages that can be read without blocking, then checks if a
  /// document changed (tests drive the server with this).
  void pump();
  bool exited() const { return exited_; }
  /// How many checks read the whole workspace, and how many only the files
  /// an edit reaches (tests).
  struct Checks {
    size_t whole = 0;
    size_t partial = 0;
  };
  const Checks& checks() const { return checks_; }
  int exitCode() const { return exitCode_; }
  /// Largest message body read (larger ones are answered with an error and skipped).
  size_t maxMessage = size_t{64} << 20;
  /// Where problems are told (messages that cannot be handled, a failed check):
  /// never the protocol's stream.
  std::ostream* log = &std::cerr;

 private:
  struct Document {
    std::string uri;
    std::string text;
  };

  bool step();  // reads and handles one frame; false at the end of input
  void handle(const nlohmann::json& message);
  nlohmann::json request(const std::string& method, const nlohmann::json& params);
  void notification(const std::string& method, const nlohmann::json& params);
  void respond(const nlohmann::json& id, nlohmann::json result);
  void respondError(const nlohmann::json& id, int code, const std::string& message);
  void send(const nlohmann::json& message);

  nlohmann::json initialize(const nlohmann::json& params);
  nlohmann::json hover(const nlohmann::json& params);
  nlohmann::json codeActions(const nlohmann::json& params);

  /// What the checks say of one file: the check that read it last (a whole
  /// check, or one of the files an edit reaches), its id there, and its
  /// active findings.
  struct FileState {
    std::shared_ptr<const RunResult> result;
    uint32_t id = 0;
    std::vector<const Finding*> findings;
    std::string signature;  // what the findings say (publish() compares it)
  };

  /// Checks again what the changes since the last check can affect (the
  /// whole workspace when that is not known) and publishes what changed.
  void check();
  /// Checks every file of the workspace.
  void checkWhole();
  /// Checks only the files that the changed documents reach (Reach), and
  /// takes their findings; false when that needs a whole check.
  bool checkPart(const std::vector<std::string>& changed);
  /// Takes what `result` says of its files (of `only` of them, when given).
  void take(const std::shared_ptr<const RunResult>& result, const std::set<std::string>* only);
  void publish();
  /// The diagnostics of one finding of `result`.
  nlohmann::json diagnostic(const RunResult& result, const Finding& f);
  nlohmann::json range(const RunResult& result, uint32_t file, uint32_t begin, uint32_t end);
  nlohmann::json location(const RunResult& result, const Span& span);
  std::string uriOf(const RunResult& result, uint32_t file);
  /// The document's uri at an absolute path, or the file uri of the path.
  std::string uriOfPath(const std::string& path) const;
  /// What the checks say of the file at `uri` (null when none read it).
  const FileState* fileAt(const std::string& uri);
  std::string_view textOf(const RunResult& result, uint32_t file);
  const LineMap& linesOf(const RunResult& result, uint32_t file);

  std::istream& in_;
  std::ostream& out_;
  Options base_;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
  int exitCode_ = 1;
  std::vector<std::string> roots_;             // absolute workspace folders
  std::map<std::string, Document> documents_;  // by absolute path
  bool dirty_ = false;
  std::set<std::string> touched_;  // documents changed since the last check: always published
  bool wholeCheck_ = true;         // the next check reads the whole workspace
  Checks checks_;
  std::map<std::string, FileState> files_;  // by absolute path
  Reach reach_;                             // what links the files of the last checks
  std::shared_ptr<ReadCache> partCache_;    // the reading cache of partial checks
  std::map<std::pair<const RunResult*, uint32_t>, LineMap> lineMaps_;
  std::map<std::string, std::string> published_;  // uri -> the signature published (not empty)
};

}  // namespace lbcheck::lsp
