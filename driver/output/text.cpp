#include <algorithm>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "driver/output/report.h"

namespace lbcheck {

namespace {

struct Colors {
  const char* bold = "";
  const char* red = "";
  const char* yellow = "";
  const char* cyan = "";
  const char* green = "";
  const char* reset = "";
};

const char* severityColor(Severity s, const Colors& c) {
  switch (s) {
    case Severity::Error:
      return c.red;
    case Severity::Warning:
      return c.yellow;
    case Severity::Note:
      return c.cyan;
  }
  return "";
}

std::string locationText(const SourceManager& sources, Span span) {
  const SourceFile* file = sources.find(span.file);
  if (!file) return "<unknown>";
  const Location loc = file->locate(span.begin);
  return file->path() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

/// Length of the valid UTF-8 sequence at s[i], or 0.
size_t utf8Sequence(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const size_t n = (b >= 0xF0 && b <= 0xF4)   ? 4
                   : (b >= 0xE0 && b <= 0xEF) ? 3
                   : (b >= 0xC2 && b <= 0xDF) ? 2
                                              : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

/// Replaces control characters so a hostile file cannot drive the terminal.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '\t') {
      out += ' ';
    } else if (u < 0x20 || u == 0x7F) {
      out += '?';
    } else if (u < 0x80) {
      out += c;
    } else if (const size_t n = utf8Sequence(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n - 1;
    } else {
      out += '?';  // invalid UTF-8 is never copied to the terminal
    }
  }
  return out;
}

/// The source line with a caret under the span. Long (minified) lines are cut
/// to a window around the span so one-line plans stay readable.
void appendSnippet(std::string& out, const SourceManager& sources, Span span, const Colors& c) {
  const SourceFile* file = sources.find(span.file);
  if (!file || file->text().empty()) return;
  const Location loc = file->locate(span.begin);
  const std::string_view line = file->lineText(span.begin);
  const uint32_t lineStart = static_cast<uint32_t>(line.data() - file->text().data());
  const uint32_t lineEnd = lineStart + static_cast<uint32_t>(line.size());
  const uint32_t begin = std::min(span.begin, lineEnd);
  const uint32_t end = std::max(begin + 1, std::min(span.end, lineEnd));

  constexpr uint32_t kBefore = 40, kAfter = 60;
  uint32_t from = lineStart, to = lineEnd;
  bool cutLeft = false, cutRight = false;
  if (begin - lineStart > kBefore) {
    uint32_t indent = lineStart;
    while (indent < begin && (file->text()[indent] == ' ' || file->text()[indent] == '\t'))
      ++indent;
    if (begin - indent <= kBefore) {
      from = indent;  // only indentation is cut: no marker needed
    } else {
      from = begin - kBefore;
      while (from < begin && (static_cast<unsigned char>(file->text()[from]) & 0xC0) == 0x80)
        ++from;
      cutLeft = true;
    }
  }
  if (lineEnd > end + kAfter) {
    to = end + kAfter;
    while (to < lineEnd && (static_cast<unsigned char>(file->text()[to]) & 0xC0) == 0x80) ++to;
    cutRight = true;
  }
  const std::string lineNo = std::to_string(loc.line);
  const std::string pad(lineNo.size(), ' ');
  std::string shown = printable(file->masked(from, file->text().substr(from, to - from)));
  out += " " + lineNo + " | " + (cutLeft ? "..." : "") + shown + (cutRight ? "..." : "") + "\n";
  const uint32_t caretCol = file->charCount(from, begin) + (cutLeft ? 3 : 0);
  const uint32_t width = std::max<uint32_t>(1, file->charCount(begin, std::min(end, to)));
  out += " " + pad + " | " + std::string(caretCol, ' ') + c.green + "^" +
         std::string(width - 1, '~') + c.reset + "\n";
}

}  // namespace

void writeText(std::ostream& stream, const SourceManager& sources,
               const std::vector<Finding>& findings, size_t filesRead, const TextStyle& style,
               const std::vector<SkippedFile>& skipped) {
  Colors c;
  if (style.color) {
    c = Colors{"\033[1m", "\033[1;31m", "\033[1;33m", "\033[1;36m", "\033[32m", "\033[0m"};
  }
  std::string out;
  size_t counts[3] = {0, 0, 0};
  std::vector<bool> inFile(sources.size() + 1);  // a finding was shown in file i
  size_t files = 0;
  size_t shown = 0;
  for (const Finding& f : findings) {
    if (!f.active()) continue;  // suppressed or in the baseline: counted in the summary only
    ++shown;
    ++counts[static_cast<int>(f.severity)];
    out += c.bold + locationText(sources, f.span) + ":" + c.reset + " " +
           severityColor(f.severity, c) + std::string(severityName(f.severity)) + "[" + f.ruleId +
           "]" + c.reset + ": " + c.bold + printable(f.message) + c.reset + "\n";
    appendSnippet(out, sources, f.span, c);
    for (const Related& r : f.related) {
      out += "  " + std::string(c.cyan) + "note" + c.reset + ": " + locationText(sources, r.span) +
             ": " + printable(r.message) + "\n";
    }
    if (!f.help.empty()) {
      out += "  " + std::string(c.green) + "help" + c.reset + ": " + printable(f.help) + "\n";
    }
    out += "\n";
    stream << out;  // one finding at a time: a large run's report is never held whole
    out.clear();
    const size_t file = std::min<size_t>(f.span.file, sources.size());
    if (!inFile[file]) inFile[file] = true, ++files;
  }
  auto plural = [](size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  if (shown == 0) {
    out += "lbcheck: no findings in " + plural(filesRead, "file");
  } else {
    out += "lbcheck: " + plural(counts[2], "error") + ", " + plural(counts[1], "warning") + ", " +
           plural(counts[0], "note") + " in " + plural(files, "file") + " (" +
           std::to_string(filesRead) + " read)";
  }
  const std::string hidden = hiddenText(hiddenCounts(findings), "not shown");
  if (!hidden.empty()) out += "; " + hidden;
  stream << out << "\n";
  if (skipped.empty()) return;
  // Files that are not lbcheck's: listed on request, always counted, by reason.
  if (style.listSkipped) {
    for (const SkippedFile& s : skipped) {
      const SourceFile* file = sources.find(s.file);
      stream << "skipped: " << printable(file ? file->path() : std::string("<unknown>")) << ": "
             << skipReasonText(s.why.reason)
             << (s.why.detail.empty() ? "" : " (" + printable(s.why.detail) + ")") << "\n";
    }
  }
  size_t byReason[5] = {0, 0, 0, 0, 0};
  for (const SkippedFile& s : skipped) ++byReason[static_cast<size_t>(s.why.reason) % 5];
  std::string line = "lbcheck: skipped " + plural(skipped.size(), "file") + " (";
  bool first = true;
  for (size_t r = 1; r < 5; ++r) {
    if (byReason[r] == 0) continue;
    line += (first ? "" : ", ") + skipCountText(static_cast<SkipReason>(r), byReason[r]);
    first = false;
  }
  line += style.listSkipped ? ")" : "); --show-skipped lists them";
  stream << line << "\n";
}

std::string renderText(const SourceManager& sources, const std::vector<Finding>& findings,
                       size_t filesRead, const TextStyle& style,
                       const std::vector<SkippedFile>& skipped) {
  std::ostringstream out;
  writeText(out, sources, findings, filesRead, style, skipped);
  return std::move(out).str();
}

}  // namespace lbcheck
