// The inline suppression comment for a finding (`# lbcheck:ignore RULE --
// reason`, the syntax driver/policy.cpp reads), as an insertion into a text
// (an editor's buffer: driver/fixes.h's suppressionEdits edits files read from
// disk; both write the comment with suppressionComment).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lbcheck::lsp {

/// The reason written when the user has not given one yet.
inline constexpr std::string_view kReasonPlaceholder = "TODO: why this is fine";

/// Insert `text` at byte `offset` of the file.
struct Insertion {
  uint32_t offset = 0;
  std::string text;
};

/// The comment line that suppresses `ruleId` on the line holding `offset`:
/// `# lbcheck:ignore RULE -- reason` on a line of its own just above it, with
/// that line's indentation (above the first line of a command continued with
/// `\`, which covers the resource it creates). None when the file cannot hold
/// the comment (JSON, by name or content). Lines end as the text's do.
std::optional<Insertion> suppressionInsertion(std::string_view path, std::string_view text,
                                              uint32_t offset, std::string_view ruleId,
                                              std::string_view reason = kReasonPlaceholder);

}  // namespace lbcheck::lsp
