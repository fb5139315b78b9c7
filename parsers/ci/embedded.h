// Scripts and commands held in a YAML file (a Cloud Build config, a GitHub
// Actions workflow, a GitLab CI file): read as one gcloud script, in the order
// they run, with every word located in the YAML file itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/adapter.h"
#include "engine/json.h"
#include "parsers/script/shell.h"

namespace lbcheck::ci {

/// The bytes of a YAML string as written in the file: a block scalar's body
/// (`|`, `>`), the inside of a quoted scalar, or a plain scalar.
struct Content {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t indent = 0;  // a block scalar's indentation (0 otherwise)
  bool block = false;
  bool folded = false;  // `>`: its line breaks read as spaces
  bool quoted = false;
};

/// Where `value`'s text is in `text` (the file); nullopt when it is not a
/// string, number or bool.
std::optional<Content> contentOf(json::Value value, std::string_view text);

/// `value`'s text split at white space, each piece with its span in the file
/// (quotes around a piece removed): `flags: --ingress=internal --no-allow-unauthenticated`.
std::vector<script::Word> splitWords(json::Value value, const SourceFile& file);

/// A value as text: a string, a number or a bool as written; "" otherwise.
std::string scalarText(json::Value value);

/// A YAML file's scripts and commands, queued in the order they run, then read
/// and lowered as one script over a copy of the file (same offsets, lines and
/// columns: a multi-line quoted scalar's line breaks become spaces in the copy).
class EmbeddedScripts {
 public:
  explicit EmbeddedScripts(const SourceFile& file);

  /// Queues the script held by each of `values` (YAML strings), read as one
  /// shell script with `environment` set. False when none holds text.
  bool addScript(const std::vector<json::Value>& values, const script::Environment& environment);
  /// Queues a command already split into words (a Cloud Build step's `args`).
  void addCommand(script::Command command);
  /// What is queued from now on runs in lane `lane` (a Cloud Build step).
  void lane(uint32_t lane) { lane_ = lane; }
  /// The lanes may run at the same time: after[b] lists every lane b waits for
  /// (see engine LaneOrder). Without it the queued items run in order.
  void laneOrder(std::vector<std::vector<uint32_t>> after) { after_ = std::move(after); }
  /// GitHub's `${{ ... }}` expressions are substituted before the shell runs:
  /// `${{ env.X }}` takes X's value from `environment` when known; any other
  /// makes the word holding it unknown.
  void githubExpressions(bool on) { githubExpressions_ = on; }

  /// Reads the queued scripts and lowers every gcloud command, in order, into `out`.
  void lower(Lowered& out);

  const SourceFile& file() const { return file_; }

 private:
  struct Item {
    bool isScript = false;
    std::vector<script::Chunk> chunks;
    script::Environment environment;
    script::Command command;
    uint32_t lane = 0;
  };
  void rewriteExpressions(const Content& c, const script::Environment& environment);

  const SourceFile& file_;
  std::string bytes_;
  std::vector<Item> items_;
  bool githubExpressions_ = false;
  uint32_t lane_ = 0;
  std::optional<std::vector<std::vector<uint32_t>>> after_;
};

/// `${{ env.NAME }}` (spaces optional) -> NAME; "" for any other expression.
std::string githubEnvName(std::string_view expression);

/// Resolves a GitHub `${{ env.X }}` in `text` from `environment`; false when
/// some expression cannot be resolved.
bool resolveGithub(std::string_view text, const script::Environment& environment, std::string* out);

}  // namespace lbcheck::ci
