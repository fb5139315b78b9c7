#include "driver/lsp/suppress.h"

#include <algorithm>

#include "engine/source.h"

namespace lbcheck::lsp {

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool takesHashComments(std::string_view path, std::string_view text) {
  if (looksLikeJson(text)) return false;
  for (std::string_view ext : {".tf", ".tfvars", ".hcl", ".yaml", ".yml", ".sh", ".md"})
    if (endsWith(path, ext)) return true;
  return false;
}

std::optional<Insertion> suppressionInsertion(std::string_view path, std::string_view text,
                                              uint32_t offset, std::string_view ruleId,
                                              std::string_view reason) {
  if (!takesHashComments(path, text)) return std::nullopt;
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
  insertion.text = std::string(text.substr(lineStart, indentEnd - lineStart)) +
                   "# lbcheck:ignore " + std::string(ruleId) + " -- " + std::string(reason) + "\n";
  return insertion;
}

}  // namespace lbcheck::lsp
