// The "suppress with a reason" code action's comment: where and how
// `--add-suppressions` writes it (driver/fixes.h), with a placeholder reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "driver/fixes.h"

namespace lbcheck::lsp {

/// The reason written when the user has not given one yet.
inline constexpr std::string_view kReasonPlaceholder = "TODO: why this is fine";

/// The comment that suppresses `ruleId` for a finding at byte `offset` of an
/// editor's buffer: driver/fixes.h's suppressionInsertion, as `--add-suppressions`
/// places it, with the placeholder reason the user replaces.
inline std::optional<Insertion> suppressionInsertion(std::string_view path, std::string_view text,
                                                     uint32_t offset, std::string_view ruleId,
                                                     std::string_view reason = kReasonPlaceholder) {
  return lbcheck::suppressionInsertion(path, text, offset, {std::string(ruleId)}, reason);
}

}  // namespace lbcheck::lsp
