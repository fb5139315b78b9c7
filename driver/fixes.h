// Applying what the findings propose to the files they were read from:
// `--fix` / `--unsafe-fixes` (the fixes' replacements), `--diff` (the same as
// a unified diff) and `--add-suppressions REASON` (a suppression comment above
// each finding). Generated inputs (plans, exports) are never edited: a fix has
// replacements only in hand-written files (Dialect::replacement).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"
#include "engine/source.h"

namespace lbcheck {

/// Replace bytes [begin, end) of file `file` with `text`.
struct TextEdit {
  uint32_t file = 0;
  uint32_t begin = 0, end = 0;
  std::string text;
};

/// The fix `--fix` applies to `f` (`unsafe`: `--unsafe-fixes`), or null: the
/// finding is active, its first fix is complete (every edit has its bytes),
/// and it is safe, or `unsafe` is set. A safe fix among alternatives is a
/// choice, so it counts as unsafe.
const Fix* applicableFix(const Finding& f, bool unsafe);

/// The edits of the fixes `--fix` applies to `findings`, by file; an edit that
/// overlaps one already taken waits for the next pass (the same edit twice is
/// taken once). `fixed` counts the findings whose fix was taken, `unsafeLeft`
/// those whose fix only `--unsafe-fixes` would apply.
std::map<uint32_t, std::vector<TextEdit>> fixEdits(const std::vector<Finding>& findings,
                                                   bool unsafe, size_t* fixed, size_t* unsafeLeft);

/// The comment that suppresses `ruleIds` with `reason` in `path`'s syntax
/// (`# lbcheck:ignore LB006 -- reason`), or "" when the file holds no comments
/// (JSON).
std::string suppressionComment(std::string_view path, const std::vector<std::string>& ruleIds,
                               std::string_view reason);

/// Insert `text` at byte `offset` of a file.
struct Insertion {
  uint32_t offset = 0;
  std::string text;
};

/// Where and how the comment suppressing `ruleIds` goes for a finding at byte
/// `offset` of `text` (the file at `path`): on a line of its own just above the
/// finding's line, with that line's indentation (above the first line of a
/// command continued with `\`, which covers the resource it creates); its
/// line ends as the text's do. None when the file holds no comments (JSON, by
/// name or content).
std::optional<Insertion> suppressionInsertion(std::string_view path, std::string_view text,
                                              uint32_t offset,
                                              const std::vector<std::string>& ruleIds,
                                              std::string_view reason);

/// The edits that add a suppression comment for every active finding, on a
/// line of its own above the finding's line (above the command's first line
/// when the finding is on a continued command line), with the line's
/// indentation; one comment per line lists every rule id. `unsupported`
/// counts the findings in files that hold no comments.
std::map<uint32_t, std::vector<TextEdit>> suppressionEdits(const SourceManager& sources,
                                                           const std::vector<Finding>& findings,
                                                           std::string_view reason,
                                                           size_t* unsupported);

/// `text` with `edits` (non-overlapping, any order) applied.
std::string applyEdits(std::string_view text, std::vector<TextEdit> edits);

/// A unified diff (`--- a/PATH`, `+++ b/PATH`, hunks with 3 lines of context)
/// from `before` to `after`, both split at '\n'; "" when they are equal.
std::string unifiedDiff(std::string_view path, std::string_view before, std::string_view after);

/// Writes to `path` what `write` puts into the stream it is given, through a
/// temporary file beside it renamed over it, keeping an existing file's
/// permissions. A symbolic link is followed (the link stays); a device, a pipe
/// or a socket (`-o /dev/stdout`, `-o /dev/null`) is written into, never
/// replaced. False (with `error` set) when it cannot.
bool writeAtomically(const std::string& path, const std::function<void(std::ostream&)>& write,
                     std::string* error);
/// The same with `text`.
bool replaceFile(const std::string& path, std::string_view text, std::string* error);

}  // namespace lbcheck
