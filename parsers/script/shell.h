// A shell reader for gcloud scripts: enough of POSIX sh / bash to find the
// commands a setup script or a runbook runs, with every word's place in the
// original file. It is not an interpreter: loops, functions and conditionals
// are walked once, in text order, and their bodies read as plain commands.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/source.h"

namespace lbcheck::script {

/// One word of a command after quote removal and variable expansion.
struct Word {
  std::string text;
  Span span;             // the word as written (quotes included)
  bool unknown = false;  // holds an expansion lbcheck cannot resolve ($(...), an unset $VAR)
};

struct Command {
  std::vector<Word> words;  // assignments and keywords (if, do, then...) removed
  Span span;                // first word to last word
  /// Variables in effect when the command runs (known values only).
  std::map<std::string, std::string, std::less<>> vars;
  /// Commands (indexes in Script::commands, all earlier) whose outcome decides
  /// whether this one runs: the left side of `||`, the conditions of the `if`,
  /// `while` or `until` it is in. `gcloud ... describe X || gcloud ... create X`.
  std::vector<uint32_t> guards;
  /// The part of its document it runs in: a Cloud Build step (engine LaneOrder); 0 in a script.
  uint32_t lane = 0;
};

struct Problem {
  Span span;
  std::string message;
  std::string help;
};

/// A here-document: `cat > url-map.yaml <<YAML ... YAML`, or one fed to a
/// command's standard input (`gcloud ... import NAME --source=/dev/stdin <<EOF`).
struct Heredoc {
  std::string target;  // the file its line writes (`> FILE`), "" when none is known
  Span body;           // the lines between the operator's line and the delimiter
  /// Index in Script::commands of the last command of its line (npos when none).
  uint32_t command = UINT32_MAX;
  bool expands = false;  // an unquoted delimiter and a `$` or backquote in the body
};

struct Script {
  std::vector<Command> commands;
  std::vector<Problem> problems;
  std::vector<Heredoc> heredocs;
};

/// A byte range of the file to read as shell. In a `console` block only lines
/// that start with a `$ ` prompt (and their continuation lines) are commands.
struct Chunk {
  uint32_t begin = 0;
  uint32_t end = 0;
  /// The chunk's lines are indented by this many columns that are not the
  /// script's (a YAML block scalar): a here-document's closing word may follow them.
  uint32_t indent = 0;
};

/// The whole file as one chunk.
std::vector<Chunk> wholeFile(std::string_view text);

/// One fenced code block of a Markdown file.
struct Fence {
  std::string label;  // the info string's first word, lower-cased; "" when unlabelled
  uint32_t open = 0;  // the opening fence line: [open, openEnd)
  uint32_t openEnd = 0;
  uint32_t bodyBegin = 0;  // the block's content: [bodyBegin, bodyEnd)
  uint32_t bodyEnd = 0;
};

/// How lbcheck reads a fence.
enum class FenceUse : uint8_t {
  Shell,      // sh, bash, shell, zsh; or unlabelled / unknown label holding commands
  Console,    // console, shell-session; or unlabelled with `$ ` prompts: prompted lines only
  Json,       // json
  Yaml,       // yaml, yml
  Terraform,  // hcl, terraform, tf
  Skipped,    // unlabelled or unknown label, and nothing in it looks like a command
  Ignored,    // a language lbcheck never reads as commands (python, go, ...)
};

/// The fenced code blocks of a Markdown file, in order (an unclosed fence runs
/// to the end of the file, as CommonMark reads it).
std::vector<Fence> markdownFences(std::string_view text);
/// How to read `fence`: by its label; an unlabelled fence, or one whose label
/// names no language lbcheck knows (`text`, `terminal`, `fish`...), is read as
/// shell when a line of it looks like a command: it starts with `gcloud `,
/// `$ `, `export ` or `NAME=`.
FenceUse fenceUse(const Fence& fence, std::string_view text);
/// The chunks to read as shell for `fence` (console: one per prompted command).
void appendShellChunks(const Fence& fence, FenceUse use, std::string_view text,
                       std::vector<Chunk>& out);
/// The shell chunks of a Markdown file: every Shell and Console fence.
std::vector<Chunk> markdownBlocks(std::string_view text);
/// True when some fence of the Markdown `text` is labelled hcl, terraform or tf.
bool hasTerraformFence(std::string_view text);
/// True when the first line is a shell shebang (#!/bin/sh, #!/usr/bin/env bash...).
bool hasShellShebang(std::string_view text);

/// Variables set before a script runs: name -> value.
using Environment = std::map<std::string, std::string, std::less<>>;

/// The text of a file a script sources (`source FILE`, `. FILE`; `path` as the
/// script spells it, or only its last component when the folder is an
/// expansion lbcheck cannot know); nullopt when it is not read. Only the
/// variables and arrays it sets are kept.
using SourceReader = std::function<std::optional<std::string>(std::string_view path)>;

/// Reads the chunks of `file` in order; variables carry over from one chunk to the next.
Script read(const SourceFile& file, const std::vector<Chunk>& chunks);
/// Likewise, with the variables of `environment` set (known values) before the first chunk:
/// a CI step's environment, a build's substitutions.
Script read(const SourceFile& file, const std::vector<Chunk>& chunks,
            const Environment& environment, const SourceReader& sources = {});

}  // namespace lbcheck::script
