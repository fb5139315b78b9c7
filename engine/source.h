// Source files, spans and the line index.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lbcheck {

/// A byte range [begin, end) in one source file. file == kNoFile means "nowhere".
struct Span {
  static constexpr uint32_t kNoFile = UINT32_MAX;
  uint32_t file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file != kNoFile; }
};

/// 1-based line and column; the column counts characters (UTF-8 code points).
struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
};

/// One input file: its bytes (read once) and a line index built on first use.
class SourceFile {
 public:
  SourceFile(uint32_t id, std::string path, std::string bytes);

  uint32_t id() const { return id_; }
  /// The path as the user should see it (relative to the scan root when possible).
  const std::string& path() const { return path_; }
  std::string_view text() const { return bytes_; }
  /// Bytes readable from text().data() on (readers read files with spare room
  /// so that the JSON reader can parse them in place).
  size_t capacity() const { return bytes_.capacity(); }

  /// Byte offset -> 1-based line/column. Offsets past the end clamp to the end.
  Location locate(uint32_t offset) const;
  /// The text of the line holding `offset`, without its line terminator.
  std::string_view lineText(uint32_t offset) const;
  /// Number of characters (code points) in bytes [from, to) of the file.
  uint32_t charCount(uint32_t from, uint32_t to) const;

  /// Marks bytes [begin, end) as sensitive: reporters never show them.
  void redact(uint32_t begin, uint32_t end) const { redactions_.push_back({begin, end}); }
  /// Marks the bytes `view` (another SourceFile over the same offsets, e.g. a
  /// Markdown block read on its own) marked sensitive as sensitive here too.
  void copyRedactions(const SourceFile& view) const {
    redactions_.insert(redactions_.end(), view.redactions_.begin(), view.redactions_.end());
  }
  /// `text` (bytes [from, from + text.size()) of this file) with sensitive bytes masked.
  std::string masked(uint32_t from, std::string_view text) const;

 private:
  void buildIndex() const;
  uint32_t lineIndexOf(uint32_t offset) const;

  uint32_t id_;
  std::string path_;
  std::string bytes_;
  mutable std::vector<uint32_t> lineStarts_;  // empty until first locate()
  // Code points before each 4 KiB block: columns on one-line files stay cheap.
  mutable std::vector<uint32_t> charsBefore_;
  uint32_t charsUpTo(uint32_t offset) const;
  mutable std::vector<std::pair<uint32_t, uint32_t>> redactions_;
};

/// JSON starts with '{' or '[' (after a byte-order mark and white space).
bool looksLikeJson(std::string_view text);

/// Decodes the UTF-8 sequence at s[i]: its length (0 when it is not well-formed:
/// a bad lead or continuation byte, a cut-off, overlong or surrogate sequence, or a
/// code point past U+10FFFF) and, when `cp` is given, its code point.
size_t decodeUtf8(std::string_view s, size_t i, char32_t* cp = nullptr);

/// Owns every loaded file; ids are indexes.
class SourceManager {
 public:
  SourceFile& add(std::string path, std::string bytes);
  /// Takes a file built elsewhere (a reader thread); its id must be size().
  SourceFile& adopt(std::unique_ptr<SourceFile> file);
  const SourceFile& get(uint32_t id) const { return *files_.at(id); }
  const SourceFile* find(uint32_t id) const {
    return id < files_.size() ? files_[id].get() : nullptr;
  }
  size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace lbcheck
