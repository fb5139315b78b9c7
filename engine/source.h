// Source files, spans and the line index.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
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

/// What a file on disk was when it was read: a file read again later (see
/// SourceFile::release) is compared with it.
struct FileStamp {
  uint64_t size = 0;
  int64_t modifiedNs = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

class SourceManager;

/// One input file: its bytes and a line index built on first use.
///
/// A file read from disk (setOrigin) may give its bytes back once every reader
/// is done with them (SourceManager::release): on a large input the bytes are
/// as large as the input, and after lowering only the reports need them, for
/// the few lines they quote. Any accessor reads the file again when asked;
/// the file's SourceManager keeps a bounded number of files read again (the
/// least recently read go first), so a report that walks every file holds a
/// few at a time. Views returned by text() and lineText() stay valid until
/// the file is released again: at least the last kResidentFiles files read
/// again stay. If the file changed on disk since it was read, a warning is
/// printed once and its new bytes are used (locations may then be off).
class SourceFile {
 public:
  SourceFile(uint32_t id, std::string path, std::string bytes);
  ~SourceFile();
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  uint32_t id() const { return id_; }
  /// The path as the user should see it (relative to the scan root when possible).
  const std::string& path() const { return path_; }
  std::string_view text() const { return bytes(); }
  /// The size in bytes (without reading a released file again).
  size_t size() const { return size_; }
  /// Bytes readable from text().data() on (readers read files with spare room
  /// so that the JSON reader can parse them in place).
  size_t capacity() const { return bytes().capacity(); }
  /// The file on disk these bytes were read from: it can be released.
  /// The file on disk the bytes were read from ("" when none).
  const std::string& origin() const { return origin_; }
  void setOrigin(std::string diskPath, FileStamp stamp) {
    origin_ = std::move(diskPath);
    stamp_ = stamp;
  }
  /// Gives the bytes back if the file was read from disk (setOrigin); they
  /// are read again when asked for (once the file is in a SourceManager).
  /// Call it when no parser or syntax tree refers to the bytes any more.
  void release() const;
  /// The bytes are in memory (not released, or read again since).
  bool resident() const { return !released_.load(std::memory_order_acquire); }
  /// Read again after release(), the file on disk was not the one first read
  /// (changed, or gone): its locations and snippets may be off.
  bool changedOnDisk() const { return changed_; }

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
  friend class SourceManager;
  void buildIndex() const;
  uint32_t lineIndexOf(uint32_t offset) const;
  /// The bytes, read again first if they were released.
  const std::string& bytes() const;
  /// Frees the bytes and the line index (the caller holds the manager's lock).
  void drop() const;

  uint32_t id_;
  std::string path_;
  mutable std::string bytes_;
  size_t size_ = 0;
  std::string origin_;  // the file on disk; empty: the bytes cannot be read again
  FileStamp stamp_;
  mutable std::atomic<bool> released_{false};
  mutable bool changed_ = false;              // read again, it was not what was read first
  SourceManager* manager_ = nullptr;          // the owner, which reads released bytes again
  mutable std::vector<uint32_t> lineStarts_;  // empty until first locate()
  // Code points before each 4 KiB block: columns on one-line files stay cheap.
  mutable std::vector<uint32_t> charsBefore_;
  uint32_t charsUpTo(uint32_t offset) const;
  mutable std::vector<std::pair<uint32_t, uint32_t>> redactions_;
};

/// Reads a whole file with spare room past its end (see SourceFile::capacity)
/// and says what it was; false (with errno set) when it cannot be opened.
bool readFileBytes(const std::string& path, std::string* bytes, FileStamp* stamp);

/// JSON starts with '{' or '[' (after a byte-order mark and white space).
bool looksLikeJson(std::string_view text);

/// Decodes the UTF-8 sequence at s[i]: its length (0 when it is not well-formed:
/// a bad lead or continuation byte, a cut-off, overlong or surrogate sequence, or a
/// code point past U+10FFFF) and, when `cp` is given, its code point.
size_t decodeUtf8(std::string_view s, size_t i, char32_t* cp = nullptr);

/// Owns every loaded file; ids are indexes.
class SourceManager {
 public:
  /// Files read again after release() that stay in memory at least (see SourceFile).
  static constexpr size_t kResidentFiles = 16;
  /// Beyond kResidentFiles, files read again stay while they hold less than this
  /// (the text report walks the findings file by file: it rarely goes back).
  static constexpr size_t kResidentBytes = 1u << 20;

  SourceManager() = default;
  SourceManager(SourceManager&& other) noexcept { *this = std::move(other); }
  SourceManager& operator=(SourceManager&& other) noexcept;
  ~SourceManager();

  SourceFile& add(std::string path, std::string bytes);
  /// Takes a file built elsewhere (a reader thread); its id must be size().
  SourceFile& adopt(std::unique_ptr<SourceFile> file);
  const SourceFile& get(uint32_t id) const { return *files_.at(id); }
  const SourceFile* find(uint32_t id) const {
    return id < files_.size() ? files_[id].get() : nullptr;
  }
  size_t size() const { return files_.size(); }

  /// Gives back the bytes of every file read from disk (SourceFile::setOrigin)
  /// except those `keep` says to keep: they are read again when asked for.
  /// Call it when no parser or syntax tree refers to the bytes any more.
  template <typename Keep>
  void release(Keep keep) {
    for (auto& f : files_)
      if (f->resident() && !keep(*f)) f->release();
  }

 private:
  friend class SourceFile;
  /// Reads a released file again (under the lock), then releases the least
  /// recently read ones over the bounds.
  void reload(const SourceFile& file);
  void forget(const SourceFile& file);       // a file going away
  void releaseFile(const SourceFile& file);  // SourceFile::release
  void unlist(const SourceFile& file);       // off reloaded_ (under the lock)

  std::vector<std::unique_ptr<SourceFile>> files_;
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
  std::list<const SourceFile*> reloaded_;  // most recent first
  size_t reloadedBytes_ = 0;
};

}  // namespace lbcheck
