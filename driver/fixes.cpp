#include "driver/fixes.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "engine/json.h"

namespace lbcheck {

const Fix* applicableFix(const Finding& f, bool unsafe) {
  if (!f.active() || f.fixes.empty()) return nullptr;
  const Fix& fix = f.fixes.front();
  if (!fix.complete()) return nullptr;
  const bool safe = fix.safe && f.fixes.size() == 1;
  return safe || unsafe ? &fix : nullptr;
}

namespace {

bool overlaps(const TextEdit& a, const TextEdit& b) {
  // Two insertions at one point, or ranges that share a byte.
  if (a.begin == a.end && b.begin == b.end) return a.begin == b.begin;
  return a.begin < b.end && b.begin < a.end;
}

bool sameEdit(const TextEdit& a, const TextEdit& b) {
  return a.begin == b.begin && a.end == b.end && a.text == b.text;
}

}  // namespace

std::map<uint32_t, std::vector<TextEdit>> fixEdits(const std::vector<Finding>& findings,
                                                   bool unsafe, size_t* fixed, size_t* unsafeLeft) {
  std::map<uint32_t, std::vector<TextEdit>> out;
  size_t taken = 0, left = 0;
  for (const Finding& f : findings) {
    const Fix* fix = applicableFix(f, unsafe);
    if (!fix) {
      if (!unsafe && applicableFix(f, true)) ++left;
      continue;
    }
    std::vector<TextEdit> edits;
    for (const Replacement& r : fix->replacements)
      edits.push_back({r.span.file, r.span.begin, r.span.end, r.text});
    // The whole fix or nothing: none of its edits may clash with one taken.
    bool clash = false, allTaken = true;
    for (const TextEdit& e : edits) {
      bool same = false;
      for (const TextEdit& t : out[e.file]) {
        if (sameEdit(t, e)) {
          same = true;
          continue;
        }
        if (overlaps(t, e)) clash = true;
      }
      allTaken = allTaken && same;
    }
    if (clash) continue;  // the next pass sees what this one changed
    ++taken;
    if (allTaken) continue;
    for (TextEdit& e : edits) {
      auto& list = out[e.file];
      if (std::none_of(list.begin(), list.end(), [&](const TextEdit& t) { return sameEdit(t, e); }))
        list.push_back(std::move(e));
    }
  }
  if (fixed) *fixed = taken;
  if (unsafeLeft) *unsafeLeft = left;
  return out;
}

std::string suppressionComment(std::string_view path, const std::vector<std::string>& ruleIds,
                               std::string_view reason) {
  const bool json = path.size() >= 5 && path.substr(path.size() - 5) == ".json";
  if (json || ruleIds.empty()) return {};
  std::string ids;
  for (const std::string& id : ruleIds) ids += (ids.empty() ? "" : ",") + id;
  return "# lbcheck:ignore " + ids + " -- " + std::string(reason);
}

std::optional<Insertion> suppressionInsertion(std::string_view path, std::string_view text,
                                              uint32_t offset,
                                              const std::vector<std::string>& ruleIds,
                                              std::string_view reason) {
  const std::string comment = suppressionComment(path, ruleIds, reason);
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
  return Insertion{static_cast<uint32_t>(lineStart),
                   std::string(text.substr(lineStart, indentEnd - lineStart)) + comment +
                       (text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n")};
}

std::map<uint32_t, std::vector<TextEdit>> suppressionEdits(const SourceManager& sources,
                                                           const std::vector<Finding>& findings,
                                                           std::string_view reason,
                                                           size_t* unsupported) {
  // (file, insertion offset) -> rule ids, in order: one comment per line.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<std::string>> wanted;
  size_t cannot = 0;
  for (const Finding& f : findings) {
    if (!f.active() || !f.span.valid()) continue;
    const SourceFile* file = sources.find(f.span.file);
    if (!file || file->origin().empty()) continue;
    const auto at =
        suppressionInsertion(file->path(), file->text(), f.span.begin, {f.ruleId}, reason);
    if (!at) {
      ++cannot;
      continue;
    }
    auto& ids = wanted[{file->id(), at->offset}];
    if (std::find(ids.begin(), ids.end(), f.ruleId) == ids.end()) ids.push_back(f.ruleId);
  }
  std::map<uint32_t, std::vector<TextEdit>> out;
  for (const auto& [at, ids] : wanted) {
    const SourceFile* file = sources.find(at.first);
    const auto comment = suppressionInsertion(file->path(), file->text(), at.second, ids, reason);
    out[at.first].push_back({at.first, comment->offset, comment->offset, comment->text});
  }
  if (unsupported) *unsupported = cannot;
  return out;
}

std::string applyEdits(std::string_view text, std::vector<TextEdit> edits) {
  std::sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (const TextEdit& e : edits) {
    if (e.begin < at || e.end > text.size() || e.begin > e.end) continue;  // never overlap
    out.append(text.substr(at, e.begin - at));
    out += e.text;
    at = e.end;
  }
  out.append(text.substr(at));
  return out;
}

namespace {

std::vector<std::string_view> splitKeep(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') {
      lines.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

enum class Op : uint8_t { Same, Del, Add };

/// The shortest edit script from a to b (Myers' greedy algorithm, forward,
/// with the trace kept for the walk back): lines kept, deleted and added.
std::vector<Op> editScript(const std::vector<std::string_view>& a,
                           const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  const long max = n + m;
  std::vector<long> v(2 * max + 2, 0);
  std::vector<std::vector<long>> trace;
  const long off = max + 1;
  long found = -1;
  for (long d = 0; d <= max && found < 0; ++d) {
    trace.push_back(v);
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                        : v[off + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  std::vector<Op> ops;
  long x = n, y = m;
  for (long d = found; d > 0; --d) {
    const std::vector<long>& pv = trace[d];
    const long k = x - y;
    const bool down = k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1]);
    const long pk = down ? k + 1 : k - 1;
    const long px = pv[off + pk], py = px - pk;
    while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0)) {
      ops.push_back(Op::Same);
      --x, --y;
    }
    ops.push_back(down ? Op::Add : Op::Del);
    if (down)
      --y;
    else
      --x;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::Same);
    --x, --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

std::string range(size_t start, size_t count) {
  // Lines are 1-based; an empty range names the line before it.
  const size_t first = count == 0 ? start : start + 1;
  return std::to_string(first) + (count == 1 ? "" : "," + std::to_string(count));
}

void line(std::string& out, char mark, std::string_view l) {
  out += mark;
  out.append(l);
  if (l.empty() || l.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unifiedDiff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return {};
  const auto a = splitKeep(before), b = splitKeep(after);
  const std::vector<Op> ops = editScript(a, b);
  constexpr size_t kContext = 3;
  std::string out = "--- a/" + std::string(path) + "\n+++ b/" + std::string(path) + "\n";
  size_t i = 0;
  while (i < ops.size()) {
    // The next change, and the changes that follow within twice the context.
    size_t first = i;
    while (first < ops.size() && ops[first] == Op::Same) ++first;
    if (first == ops.size()) break;
    size_t last = first;  // one past the last change of the hunk
    for (size_t j = first; j < ops.size();) {
      if (ops[j] != Op::Same) {
        last = ++j;
        continue;
      }
      size_t same = j;
      while (same < ops.size() && ops[same] == Op::Same) ++same;
      if (same == ops.size() || same - j > 2 * kContext) break;
      j = same;
    }
    const size_t from = first >= i + kContext ? first - kContext : i;
    const size_t to = std::min(ops.size(), last + kContext);
    // Where the hunk starts in each file.
    size_t ai = 0, bi = 0;
    for (size_t j = 0; j < from; ++j) {
      if (ops[j] != Op::Add) ++ai;
      if (ops[j] != Op::Del) ++bi;
    }
    size_t an = 0, bn = 0;
    std::string body;
    for (size_t j = from, x = ai, y = bi; j < to; ++j) {
      if (ops[j] == Op::Same) {
        line(body, ' ', a[x++]);
        ++y, ++an, ++bn;
      } else if (ops[j] == Op::Del) {
        line(body, '-', a[x++]);
        ++an;
      } else {
        line(body, '+', b[y++]);
        ++bn;
      }
    }
    out += "@@ -" + range(ai, an) + " +" + range(bi, bn) + " @@\n" + body;
    i = to;
  }
  return out;
}

namespace {

/// Writes into `path` as it is: a device, a pipe, a link that leads nowhere,
/// or writeAtomically's temporary file (which it creates, hence `opening`).
bool writeInPlace(const std::string& path, const std::function<void(std::ostream&)>& write,
                  std::string* error, std::string_view opening = "open") {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    *error = "cannot " + std::string(opening) + " " + path;
    return false;
  }
  write(out);
  out.flush();
  if (!out) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace

bool writeAtomically(const std::string& path, const std::function<void(std::ostream&)>& write,
                     std::string* error) {
  namespace fs = std::filesystem;
  fs::path target(path);
  std::error_code ec;
  // A symbolic link stays: the file it leads to is the one replaced.
  if (fs::is_symlink(fs::symlink_status(target, ec))) {
    fs::path resolved = fs::canonical(target, ec);
    if (ec) return writeInPlace(path, write, error);  // it leads nowhere yet
    target = std::move(resolved);
  }
  const fs::file_status existing = fs::status(target, ec);
  if (fs::is_directory(existing)) {
    *error = path + " is a directory";
    return false;
  }
  // A device, a pipe or a socket (/dev/null, /dev/stdout, a FIFO) is written
  // into: renaming over it would put a plain file in its place.
  if (fs::exists(existing) && !fs::is_regular_file(existing))
    return writeInPlace(target.string(), write, error);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  const fs::path tmp =
      dir / ("." + target.filename().string() + ".lbcheck-" + std::to_string(::getpid()) + ".tmp");
  if (!writeInPlace(tmp.string(), write, error, "create")) {
    fs::remove(tmp, ec);
    return false;
  }
  if (fs::exists(existing)) fs::permissions(tmp, existing.permissions(), ec);
  fs::rename(tmp, target, ec);
  if (ec) {
    *error = "cannot rename to " + path + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

bool replaceFile(const std::string& path, std::string_view text, std::string* error) {
  return writeAtomically(
      path,
      [&](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); },
      error);
}

}  // namespace lbcheck
