// A shell reader for gcloud scripts: enough of POSIX sh / bash to find the
// commands a setup script or a runbook runs, with every word's place in the
// original file. It is not an interpreter: loops, functions and conditionals
// are walked once, in text order, and their bodies read as plain commands.
#pragma once

#include <cstdint>
#include <map>
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
};

struct Problem {
  Span span;
  std::string message;
  std::string help;
};

struct Script {
  std::vector<Command> commands;
  std::vector<Problem> problems;
};

/// A byte range of the file to read as shell. In a `console` block only lines
/// that start with a `$ ` prompt (and their continuation lines) are commands.
struct Chunk {
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// The whole file as one chunk.
std::vector<Chunk> wholeFile(std::string_view text);
/// The fenced code blocks of a Markdown file whose info string is sh, bash,
/// shell, console or zsh; console blocks become one chunk per prompted command.
std::vector<Chunk> markdownBlocks(std::string_view text);
/// True when the first line is a shell shebang (#!/bin/sh, #!/usr/bin/env bash...).
bool hasShellShebang(std::string_view text);

/// Reads the chunks of `file` in order; variables carry over from one chunk to the next.
Script read(const SourceFile& file, const std::vector<Chunk>& chunks);

}  // namespace lbcheck::script
