// Interned strings. The model repeats a few thousand distinct strings millions of
// times on a large input: field paths ("backends[0].group"), field spellings
// ("load_balancing_scheme"), resource types, format names, reference addresses.
// An Atom is one pointer to the process's single copy of its text, so a field
// carries 8 bytes where a std::string carries 32 plus a heap block for anything
// longer than 15 characters, and two Atoms compare equal by comparing pointers.
//
// Interning is thread-safe (the readers of -j intern concurrently): each thread
// first asks its own cache, then one of 64 shards of the process's table under
// that shard's lock. Interned text is never freed; it lives as long as the process.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace lbcheck {

class Atom {
 public:
  Atom() = default;                                                // the empty string
  Atom(std::string_view text);                                     // NOLINT: reads as a string
  Atom(const std::string& text) : Atom(std::string_view(text)) {}  // NOLINT
  Atom(const char* text) : Atom(std::string_view(text)) {}         // NOLINT

  const std::string& str() const { return text_ != nullptr ? *text_ : none(); }
  operator const std::string&() const { return str(); }  // NOLINT
  operator std::string_view() const { return str(); }    // NOLINT
  std::string_view view() const { return str(); }
  const char* c_str() const { return str().c_str(); }
  const char* data() const { return str().data(); }
  std::string_view::const_iterator begin() const { return view().begin(); }
  std::string_view::const_iterator end() const { return view().end(); }
  char front() const { return str().front(); }
  char back() const { return str().back(); }
  bool empty() const { return text_ == nullptr; }
  void clear() { text_ = nullptr; }
  size_t size() const { return str().size(); }
  // Reads as a const std::string.
  size_t find(std::string_view s, size_t pos = 0) const { return view().find(s, pos); }
  size_t find(char c, size_t pos = 0) const { return view().find(c, pos); }
  size_t rfind(std::string_view s, size_t pos = std::string::npos) const {
    return view().rfind(s, pos);
  }
  size_t rfind(char c, size_t pos = std::string::npos) const { return view().rfind(c, pos); }
  bool starts_with(std::string_view s) const { return view().starts_with(s); }
  bool ends_with(std::string_view s) const { return view().ends_with(s); }
  std::string substr(size_t pos, size_t n = std::string::npos) const {
    return str().substr(pos, n);
  }
  Atom& operator+=(std::string_view s) { return *this = Atom(str() + std::string(s)); }

  friend bool operator==(Atom a, Atom b) { return a.text_ == b.text_; }
  friend bool operator==(Atom a, std::string_view b) { return a.view() == b; }
  friend bool operator==(Atom a, const std::string& b) { return a.view() == b; }
  friend bool operator==(Atom a, const char* b) { return a.view() == b; }
  /// Orders by text (not by pointer), so maps keyed by Atoms iterate as
  /// maps keyed by strings do.
  friend std::strong_ordering operator<=>(Atom a, std::string_view b) { return a.view() <=> b; }

 private:
  static const std::string& none();
  const std::string* text_ = nullptr;  // null for ""
};

inline std::string operator+(const std::string& a, Atom b) { return a + b.str(); }
inline std::string operator+(Atom a, const std::string& b) { return a.str() + b; }
inline std::string operator+(const char* a, Atom b) { return a + b.str(); }
inline std::string operator+(Atom a, const char* b) { return a.str() + b; }
inline std::string operator+(std::string&& a, Atom b) { return std::move(a) + b.str(); }

inline std::ostream& operator<<(std::ostream& out, Atom a) { return out << a.view(); }

/// One of at most 255 distinct texts, in one byte: for the few texts the code
/// itself spells and a large input repeats on many values (who filled a
/// defaulted field in). Interned once per process; reads like an Atom.
class SmallAtom {
 public:
  SmallAtom() = default;             // the empty string
  SmallAtom(std::string_view text);  // NOLINT: reads as a string
  SmallAtom(const std::string& text) : SmallAtom(std::string_view(text)) {}  // NOLINT
  SmallAtom(const char* text) : SmallAtom(std::string_view(text)) {}         // NOLINT

  const std::string& str() const;
  operator const std::string&() const { return str(); }  // NOLINT
  operator std::string_view() const { return str(); }    // NOLINT
  bool empty() const { return index_ == 0; }

  friend bool operator==(SmallAtom a, SmallAtom b) { return a.index_ == b.index_; }
  friend bool operator==(SmallAtom a, std::string_view b) { return a.str() == b; }
  friend bool operator==(SmallAtom a, const char* b) { return a.str() == b; }

 private:
  uint8_t index_ = 0;  // 0 for ""; else 1 + its place in the process's table
};

inline std::string operator+(const std::string& a, SmallAtom b) { return a + b.str(); }
inline std::string operator+(SmallAtom a, const std::string& b) { return a.str() + b; }
inline std::string operator+(const char* a, SmallAtom b) { return a + b.str(); }
inline std::string operator+(SmallAtom a, const char* b) { return a.str() + b; }
inline std::string operator+(std::string&& a, SmallAtom b) { return std::move(a) + b.str(); }

/// Compares Atoms, strings and string_views by text: the comparator of maps
/// keyed by Atoms that are looked up with any string.
struct AtomLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a < b; }
};

}  // namespace lbcheck
