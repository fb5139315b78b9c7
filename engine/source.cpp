#include "engine/source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace lbcheck {

SourceFile::SourceFile(uint32_t id, std::string path, std::string bytes)
    : id_(id), path_(std::move(path)), bytes_(std::move(bytes)), size_(bytes_.size()) {}

SourceFile::~SourceFile() {
  if (manager_ != nullptr) manager_->forget(*this);
}

const std::string& SourceFile::bytes() const {
  if (released_.load(std::memory_order_acquire) && manager_ != nullptr) manager_->reload(*this);
  return bytes_;
}

void SourceFile::release() const {
  if (origin_.empty() || !resident()) return;
  if (manager_ == nullptr) return drop();
  manager_->releaseFile(*this);
}

void SourceFile::drop() const {
  std::string().swap(bytes_);
  std::vector<uint32_t>().swap(lineStarts_);
  std::vector<uint32_t>().swap(charsBefore_);
  released_.store(true, std::memory_order_release);
}

bool readFileBytes(const std::string& path, std::string* bytes, FileStamp* stamp) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return false;
  }
  const auto size = static_cast<size_t>(st.st_size);
  // Spare room past the end: the simdjson oracle (engine/json_simdjson.cpp) parses
  // in place when the file has its padding.
  bytes->reserve(size + 64);
  bytes->resize(size);
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, bytes->data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes->resize(got);
  if (stamp != nullptr)
    *stamp = FileStamp{static_cast<uint64_t>(st.st_size),
                       int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
  return true;
}

void SourceFile::buildIndex() const {
  lineStarts_.clear();
  lineStarts_.push_back(0);
  const size_t n = bytes_.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = bytes_[i];
    if (c == '\n') {
      lineStarts_.push_back(static_cast<uint32_t>(i + 1));
    } else if (c == '\r') {
      // CRLF counts once; a lone CR is a line end of its own.
      if (i + 1 < n && bytes_[i + 1] == '\n') ++i;
      lineStarts_.push_back(static_cast<uint32_t>(i + 1));
    }
  }
}

uint32_t SourceFile::lineIndexOf(uint32_t offset) const {
  if (lineStarts_.empty()) buildIndex();
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  return static_cast<uint32_t>(it - lineStarts_.begin()) - 1;
}

namespace {
constexpr uint32_t kBlock = 4096;
uint32_t countChars(std::string_view s, uint32_t from, uint32_t to) {
  uint32_t count = 0;
  for (uint32_t i = from; i < to; ++i) {
    // Count every byte that is not a UTF-8 continuation byte.
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}
}  // namespace

uint32_t SourceFile::charsUpTo(uint32_t offset) const {
  const auto size = static_cast<uint32_t>(bytes_.size());
  offset = std::min(offset, size);
  if (charsBefore_.empty()) {
    charsBefore_.reserve(size / kBlock + 1);
    uint32_t total = 0;
    for (uint32_t b = 0; b <= size; b += kBlock) {
      charsBefore_.push_back(total);
      total += countChars(bytes_, b, std::min(size, b + kBlock));
    }
  }
  const uint32_t block = offset / kBlock;
  return charsBefore_[block] + countChars(bytes_, block * kBlock, offset);
}

uint32_t SourceFile::charCount(uint32_t from, uint32_t to) const {
  bytes();
  to = std::min<uint32_t>(to, static_cast<uint32_t>(bytes_.size()));
  if (from >= to) return 0;
  if (to - from <= kBlock) return countChars(bytes_, from, to);
  return charsUpTo(to) - charsUpTo(from);
}

Location SourceFile::locate(uint32_t offset) const {
  bytes();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(bytes_.size()));
  const uint32_t line = lineIndexOf(offset);
  const uint32_t start = lineStarts_[line];
  return Location{line + 1, charCount(start, offset) + 1};
}

std::string_view SourceFile::lineText(uint32_t offset) const {
  bytes();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(bytes_.size()));
  const uint32_t line = lineIndexOf(offset);
  const uint32_t start = lineStarts_[line];
  // The next line's start, less its terminator (CRLF, LF or CR).
  uint32_t end =
      line + 1 < lineStarts_.size() ? lineStarts_[line + 1] : static_cast<uint32_t>(bytes_.size());
  while (end > start && (bytes_[end - 1] == '\n' || bytes_[end - 1] == '\r')) --end;
  return std::string_view(bytes_).substr(start, end - start);
}

std::string SourceFile::masked(uint32_t from, std::string_view text) const {
  bytes();
  std::string out(text);
  const uint32_t to = from + static_cast<uint32_t>(text.size());
  for (const auto& [b, e] : redactions_) {
    if (e <= from || b >= to) continue;
    for (uint32_t i = std::max(b, from); i < std::min(e, to); ++i) {
      // Keep the quotes of a string so the line still reads as JSON.
      if ((i == b || i + 1 == e) && bytes_[i] == '"') continue;
      out[i - from] = '*';
    }
  }
  return out;
}

SourceManager::~SourceManager() {
  for (auto& f : files_) f->manager_ = nullptr;
}

SourceManager& SourceManager::operator=(SourceManager&& other) noexcept {
  if (this == &other) return *this;
  for (auto& f : files_) f->manager_ = nullptr;
  files_ = std::move(other.files_);
  reloaded_ = std::move(other.reloaded_);
  reloadedBytes_ = other.reloadedBytes_;
  other.files_.clear();
  other.reloaded_.clear();
  other.reloadedBytes_ = 0;
  for (auto& f : files_) f->manager_ = this;
  return *this;
}

void SourceManager::reload(const SourceFile& file) {
  const std::lock_guard<std::mutex> lock(*mutex_);
  if (!file.released_.load(std::memory_order_relaxed)) return;  // another thread did
  FileStamp now;
  std::string bytes;
  if (!readFileBytes(file.origin_, &bytes, &now)) bytes.clear();
  if (now != file.stamp_) file.changed_ = true;
  file.bytes_ = std::move(bytes);
  file.released_.store(false, std::memory_order_release);
  reloaded_.push_front(&file);
  reloadedBytes_ += file.bytes_.size();
  while (reloaded_.size() > kResidentFiles && reloadedBytes_ > kResidentBytes) {
    const SourceFile* old = reloaded_.back();
    reloaded_.pop_back();
    reloadedBytes_ -= old->bytes_.size();
    old->drop();
  }
}

void SourceManager::unlist(const SourceFile& file) {
  for (auto it = reloaded_.begin(); it != reloaded_.end(); ++it)
    if (*it == &file) {
      reloadedBytes_ -= file.bytes_.size();
      reloaded_.erase(it);
      return;
    }
}

void SourceManager::forget(const SourceFile& file) {
  const std::lock_guard<std::mutex> lock(*mutex_);
  unlist(file);
}

void SourceManager::releaseFile(const SourceFile& file) {
  const std::lock_guard<std::mutex> lock(*mutex_);
  unlist(file);
  file.drop();
}

SourceFile& SourceManager::adopt(std::unique_ptr<SourceFile> file) {
  if (file->id() != files_.size()) std::abort();  // ids are assigned in path order
  file->manager_ = this;
  files_.push_back(std::move(file));
  return *files_.back();
}

SourceFile& SourceManager::add(std::string path, std::string bytes) {
  const auto id = static_cast<uint32_t>(files_.size());
  files_.push_back(std::make_unique<SourceFile>(id, std::move(path), std::move(bytes)));
  files_.back()->manager_ = this;
  return *files_.back();
}

bool looksLikeJson(std::string_view text) {
  size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
    ++i;
  return i < text.size() && (text[i] == '{' || text[i] == '[');
}

size_t decodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    if (cp) *cp = b;
    return 1;
  }
  size_t n;
  char32_t v;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    v = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    v = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    v = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    v = (v << 6) | (c & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
  if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  if (cp) *cp = v;
  return n;
}

}  // namespace lbcheck
