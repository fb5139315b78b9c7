#include "driver/lsp/suppress.h"

#include <algorithm>

#include "driver/fixes.h"
#include "engine/source.h"

namespace lbcheck::lsp {

std::optional<Insertion> suppressionInsertion(std::string_view path, std::string_view text,
                                              uint32_t offset, std::string_view ruleId,
                                              std::string_view reason) {
  // The comment as `--add-suppressions` writes it (none in JSON).
  const std::string comment = suppressionComment(path, {std::string(ruleId)}, reason);
  if (comment.empty() || looksLikeJson(text)) return std::nullopt;
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  const size_t newline = text.rfind('\n', offset == 0 ? std::string_view::npos : offset - 1);
  size_t lineStart = offset == 0 || newline == std::string_view::npos ? 0 : newline + 1;
  // A line that continues the one before it (a shell command over several
  // lines): the comment goes above the command's first line, where it cannot
  // cut the command, and covers the resource the command creates.
  while (lineStart > 0) {
    size_t end = lineStart - 1;  // the previous line's '\n'
    if (end > 0 && text[end - 1] == '\r') --end;
    size_t last = end;
    while (last > 0 && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
    if (last == 0 || text[last - 1] != '\\') break;
    const size_t before = text.rfind('\n', last - 1);
    lineStart = before == std::string_view::npos ? 0 : before + 1;
  }
  size_t indentEnd = lineStart;
  while (indentEnd < text.size() && (text[indentEnd] == ' ' || text[indentEnd] == '\t'))
    ++indentEnd;
  Insertion insertion;
  insertion.offset = static_cast<uint32_t>(lineStart);
  insertion.text = std::string(text.substr(lineStart, indentEnd - lineStart)) + comment +
                   (text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n");
  return insertion;
}

}  // namespace lbcheck::lsp
