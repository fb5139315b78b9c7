// `lbcheck lsp`: a Language Server (LSP 3.17) over JSON-RPC. The workspace is
// one graph: every check reads the workspace folders as `lbcheck DIR` does,
// with the open documents' texts standing for their files, and publishes the
// findings of every file.
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

  /// Checks the workspace again and publishes what changed.
  void check();
  void publish();
  /// The diagnostics of one file of the last check.
  nlohmann::json diagnostic(const Finding& f);
  nlohmann::json range(uint32_t file, uint32_t begin, uint32_t end);
  nlohmann::json location(const Span& span);
  std::string uriOf(uint32_t file);
  /// The file of the last check at `uri` (Span::kNoFile when none).
  uint32_t fileAt(const std::string& uri);
  std::string_view textOf(uint32_t file);
  const LineMap& linesOf(uint32_t file);

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
  std::unique_ptr<RunResult> result_;
  std::vector<std::string> paths_;                        // absolute path of each file id
  std::unordered_map<std::string, uint32_t> fileByPath_;  // the first file id of each path
  std::unordered_map<uint32_t, LineMap> lineMaps_;
  std::map<std::string, std::string> published_;  // uri -> what its findings said (not empty)
};

}  // namespace lbcheck::lsp
