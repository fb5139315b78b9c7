// The evaluator's library functions beyond the basics of eval.cpp: encodings
// (jsonencode/jsondecode, yamlencode/yamldecode, base64encode), hashes (md5,
// sha256, filemd5), sets and lists (range, setunion, setintersection,
// setsubtract, coalescelist, formatlist), regular expressions (regex,
// regexall: RE2, the syntax Terraform's Go regexp uses, linear in time),
// addresses (cidrhost, cidrnetmask), paths (basename, dirname, abspath,
// pathexpand) and files (file, fileexists, fileset, templatefile, filemd5),
// which read only what the FileAccess allows.
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "engine/json.h"
#include "parsers/hcl/eval.h"
#include "parsers/hcl/evalutil.h"
#include "parsers/hcl/parser.h"
#include "parsers/yaml/yaml.h"

namespace lbcheck::hcl {

using T = Val::Type;
using namespace detail;

namespace {

constexpr size_t kMaxRange = 1024;            // Terraform's own limit on range()
constexpr size_t kMaxPattern = 4096;          // bytes of a regular expression
constexpr size_t kMaxDecodeInput = 4u << 20;  // bytes jsondecode/yamldecode parse
constexpr size_t kMaxNesting = 64;            // of values encoded or decoded

// ---- hashes

struct Md5 {
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  void block(const unsigned char* p) {
    static constexpr uint32_t k[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    static constexpr int r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t m[16];
    for (int i = 0; i < 16; ++i)
      m[i] = uint32_t{p[i * 4]} | uint32_t{p[i * 4 + 1]} << 8 | uint32_t{p[i * 4 + 2]} << 16 |
             uint32_t{p[i * 4 + 3]} << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const uint32_t x = a + f + k[i] + m[g];
      a = d;
      d = c;
      c = b;
      b = b + ((x << r[i]) | (x >> (32 - r[i])));
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
};

uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

struct Sha256 {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  void block(const unsigned char* p) {
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = uint32_t{p[i * 4]} << 24 | uint32_t{p[i * 4 + 1]} << 16 | uint32_t{p[i * 4 + 2]} << 8 |
             uint32_t{p[i * 4 + 3]};
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      const uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const uint32_t ch = (e & f) ^ (~e & g);
      const uint32_t t1 = hh + s1 + ch + k[i] + w[i];
      const uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const uint32_t t2 = s0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
};

/// Runs `H` over `bytes` with Merkle-Damgård padding; the length is written
/// little-endian (MD5) or big-endian (SHA-256).
template <typename H>
H digest(std::string_view bytes, bool bigEndian) {
  H h;
  size_t i = 0;
  for (; i + 64 <= bytes.size(); i += 64)
    h.block(reinterpret_cast<const unsigned char*>(bytes.data() + i));
  unsigned char tail[128] = {};
  const size_t rest = bytes.size() - i;
  if (rest) std::memcpy(tail, bytes.data() + i, rest);
  tail[rest] = 0x80;
  const size_t total = rest + 1 + 8 <= 64 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(bytes.size()) * 8;
  for (int b = 0; b < 8; ++b)
    tail[bigEndian ? total - 1 - b : total - 8 + b] = static_cast<unsigned char>(bits >> (8 * b));
  h.block(tail);
  if (total == 128) h.block(tail + 64);
  return h;
}

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

// ---- UTF-8

bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c < 0x80)
      n = 0;
    else if (c >= 0xc2 && c <= 0xdf)
      n = 1;
    else if (c >= 0xe0 && c <= 0xef)
      n = 2;
    else if (c >= 0xf0 && c <= 0xf4)
      n = 3;
    else
      return false;
    if (n > s.size() - i - 1) return false;
    for (size_t k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

/// Bytes of the UTF-8 character at `i` (1 for a stray byte).
size_t charLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  return std::min(n, s.size() - i);
}

// ---- JSON and YAML encoding

void jsonString(std::string_view s, std::string& out) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    char buf[8];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&':  // Go's encoder escapes them for HTML, and Terraform keeps that
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
        break;
      default:
        if (c < 0x20) {
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
                    static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

/// False for a value that is not wholly known, or nested too deeply, or too long.
bool toJson(const Val& v, std::string& out, size_t depth, size_t maxLength) {
  if (depth > kMaxNesting || out.size() > maxLength) return false;
  switch (v.type) {
    case T::Null:
      out += "null";
      return true;
    case T::Bool:
    case T::Number:
      if (v.type == T::Number && !std::isfinite(v.number)) return false;
      out += v.text();
      return true;
    case T::String:
      jsonString(v.str, out);
      return true;
    case T::List: {
      out += '[';
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        if (!toJson(v.items[i], out, depth + 1, maxLength)) return false;
      }
      out += ']';
      return true;
    }
    case T::Object: {
      if (v.open) return false;
      out += '{';
      bool first = true;
      for (const auto& [k, a] : v.attrs) {
        if (!first) out += ',';
        first = false;
        jsonString(k, out);
        out += ':';
        if (!toJson(a, out, depth + 1, maxLength)) return false;
      }
      out += '}';
      return true;
    }
    default:
      return false;
  }
}

/// Terraform's yamlencode: block style, every string and key double-quoted. A
/// multi-line string stays a quoted scalar with `\n` (go-yaml writes a `|-`
/// block): the same value, not the same bytes.
bool toYaml(const Val& v, std::string& out, size_t indent, size_t depth, size_t maxLength) {
  if (depth > kMaxNesting || out.size() > maxLength) return false;
  const std::string pad(indent, ' ');
  auto scalar = [&](const Val& s) {
    if (s.type == T::String) {
      jsonString(s.str, out);
    } else if (s.type == T::Null) {
      out += "null";
    } else if (s.type == T::Number && !std::isfinite(s.number)) {
      return false;
    } else {
      out += s.text();
    }
    return true;
  };
  auto child = [&](const Val& c, bool inList) {
    // After "- " or "key:": a scalar or empty collection on the line, else the block.
    const bool empty = (c.type == T::List && c.items.empty()) ||
                       (c.type == T::Object && c.attrs.empty() && !c.open);
    if (c.type == T::List || c.type == T::Object) {
      if (empty) {
        out += c.type == T::List ? " []\n" : " {}\n";
        return true;
      }
      if (inList && c.type == T::Object) {
        // "- "key": v" then the other keys aligned under the first.
        out += ' ';
        std::string inner;
        if (!toYaml(c, inner, indent + 2, depth + 1, maxLength)) return false;
        out += inner.substr(indent + 2);
        return true;
      }
      out += '\n';
      return toYaml(c, out, inList ? indent + 2 : indent + (c.type == T::List ? 0 : 2), depth + 1,
                    maxLength);
    }
    out += ' ';
    if (!scalar(c)) return false;
    out += '\n';
    return true;
  };
  if (v.type == T::List) {
    if (v.items.empty()) return (out += pad + "[]\n"), true;
    for (const Val& i : v.items) {
      out += pad + "-";
      if (!child(i, true)) return false;
    }
    return true;
  }
  if (v.type == T::Object) {
    if (v.open) return false;
    if (v.attrs.empty()) return (out += pad + "{}\n"), true;
    for (const auto& [k, a] : v.attrs) {
      out += pad;
      jsonString(k, out);
      out += ':';
      if (!child(a, false)) return false;
    }
    return true;
  }
  out += pad;
  if (!scalar(v)) return false;
  out += '\n';
  return true;
}

/// A parsed JSON or YAML node as a value; spans kept when `keepSpans` (the
/// text is a file registered as a source).
bool fromDocument(json::Value n, Val& out, size_t depth, size_t& budget, bool keepSpans) {
  if (depth > kMaxNesting || budget == 0) return false;
  --budget;
  if (keepSpans) out.span = n.span();
  switch (n.type()) {
    case json::Type::Null:
      out.type = T::Null;
      return true;
    case json::Type::Bool:
      out.type = T::Bool;
      out.boolean = n.boolean();
      return true;
    case json::Type::Number:
      out.type = T::Number;
      out.number = n.number();
      return std::isfinite(out.number);
    case json::Type::String:
      out.type = T::String;
      out.str = std::string(n.str());
      return true;
    case json::Type::Array: {
      out.type = T::List;
      bool ok = true;
      n.forEachElement([&](size_t, json::Value e) {
        if (!ok) return;
        Val item;
        ok = fromDocument(e, item, depth + 1, budget, keepSpans);
        out.items.push_back(std::move(item));
      });
      return ok;
    }
    case json::Type::Object: {
      out.type = T::Object;
      bool ok = true;
      n.forEachMember([&](std::string_view key, json::Value e) {
        if (!ok) return;
        Val item;
        ok = fromDocument(e, item, depth + 1, budget, keepSpans);
        out.attrs[std::string(key)] = std::move(item);
      });
      return ok;
    }
  }
  return false;
}

// ---- sets

/// Sorted like Terraform's sets of strings or numbers; other sets keep their order.
void setOrder(Val& list) {
  const auto same = [&](T t) {
    return std::all_of(list.items.begin(), list.items.end(),
                       [&](const Val& v) { return v.type == t; });
  };
  if (same(T::String))
    std::stable_sort(list.items.begin(), list.items.end(),
                     [](const Val& a, const Val& b) { return a.str < b.str; });
  else if (same(T::Number))
    std::stable_sort(list.items.begin(), list.items.end(),
                     [](const Val& a, const Val& b) { return a.number < b.number; });
}

bool contains(const Val& list, const Val& v) {
  return std::any_of(list.items.begin(), list.items.end(),
                     [&](const Val& w) { return equalVals(v, w); });
}

// ---- paths (Go's path/filepath on a slash-separated path)

std::string cleanPath(const std::string& p) {
  if (p.empty()) return ".";
  const bool rooted = p[0] == '/';
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= p.size()) {
    const size_t j = std::min(p.find('/', i), p.size());
    const std::string part = p.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else if (!rooted)
        parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) out += (k ? "/" : "") + parts[k];
  return out.empty() ? "." : out;
}

std::string baseName(std::string p) {
  if (p.empty()) return ".";
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/") return p;
  const size_t at = p.rfind('/');
  return at == std::string::npos ? p : p.substr(at + 1);
}

std::string dirName(const std::string& p) {
  const size_t at = p.rfind('/');
  return cleanPath(at == std::string::npos ? "" : p.substr(0, at + 1));
}

// ---- fileset's glob

/// Expands `{a,b}` alternatives (not nested across components), at most `cap` patterns.
bool expandBraces(const std::string& p, std::vector<std::string>& out, size_t cap, int depth = 0) {
  if (depth > 8) return false;
  const size_t open = p.find('{');
  if (open == std::string::npos) {
    if (out.size() >= cap) return false;
    out.push_back(p);
    return true;
  }
  int level = 0;
  size_t close = std::string::npos;
  std::vector<size_t> commas;
  for (size_t i = open; i < p.size(); ++i) {
    if (p[i] == '{') ++level;
    if (p[i] == '}' && --level == 0) {
      close = i;
      break;
    }
    if (p[i] == ',' && level == 1) commas.push_back(i);
  }
  if (close == std::string::npos) return false;
  size_t from = open + 1;
  commas.push_back(close);
  for (size_t c : commas) {
    const std::string alt = p.substr(0, open) + p.substr(from, c - from) + p.substr(close + 1);
    if (!expandBraces(alt, out, cap, depth + 1)) return false;
    from = c + 1;
  }
  return true;
}

/// One path component against one pattern component (`*`, `?`, classes):
/// dynamic programming, linear in the product of the lengths.
bool matchComponent(std::string_view pat, std::string_view name) {
  // Tokens: a character, '?', '*', or a class.
  struct Tok {
    char kind;          // 'c', '?', '*', '['
    std::string chars;  // 'c': the character; '[': the class body
    bool negate = false;
  };
  std::vector<Tok> toks;
  for (size_t i = 0; i < pat.size(); ++i) {
    if (pat[i] == '*') {
      toks.push_back({'*', "", false});
    } else if (pat[i] == '?') {
      toks.push_back({'?', "", false});
    } else if (pat[i] == '[') {
      size_t j = i + 1;
      bool neg = j < pat.size() && (pat[j] == '^' || pat[j] == '!');
      if (neg) ++j;
      // A `]` first in the class is one of its characters.
      const size_t close = pat.find(']', j < pat.size() && pat[j] == ']' ? j + 1 : j);
      if (close == std::string_view::npos) return false;  // a malformed class matches nothing
      toks.push_back({'[', std::string(pat.substr(j, close - j)), neg});
      i = close;
    } else if (pat[i] == '\\' && i + 1 < pat.size()) {
      toks.push_back({'c', std::string(1, pat[++i]), false});
    } else {
      toks.push_back({'c', std::string(1, pat[i]), false});
    }
  }
  auto one = [](const Tok& t, char c) {
    if (t.kind == '?') return true;
    if (t.kind == 'c') return t.chars[0] == c;
    bool in = false;
    for (size_t k = 0; k < t.chars.size(); ++k) {
      if (k + 2 < t.chars.size() && t.chars[k + 1] == '-') {
        in = in || (c >= t.chars[k] && c <= t.chars[k + 2]);
        k += 2;
      } else {
        in = in || c == t.chars[k];
      }
    }
    return in != t.negate;
  };
  // can[j]: tokens [0, i) can match name [0, j).
  std::vector<char> can(name.size() + 1, 0), next(name.size() + 1, 0);
  can[0] = 1;
  for (const Tok& t : toks) {
    std::fill(next.begin(), next.end(), 0);
    for (size_t j = 0; j <= name.size(); ++j) {
      if (t.kind == '*') {
        if (can[j] || (j > 0 && next[j - 1])) next[j] = 1;
      } else if (j > 0 && can[j - 1] && one(t, name[j - 1])) {
        next[j] = 1;
      }
    }
    can.swap(next);
  }
  return can[name.size()] != 0;
}

bool matchPath(const std::vector<std::string>& pat, const std::vector<std::string_view>& path) {
  // ok[j]: pattern components [0, i) match path components [0, j).
  std::vector<char> ok(path.size() + 1, 0), next(path.size() + 1, 0);
  ok[0] = 1;
  for (const std::string& p : pat) {
    std::fill(next.begin(), next.end(), 0);
    for (size_t j = 0; j <= path.size(); ++j) {
      if (p == "**") {
        if (ok[j] || (j > 0 && next[j - 1])) next[j] = 1;
      } else if (j > 0 && ok[j - 1] && matchComponent(p, path[j - 1])) {
        next[j] = 1;
      }
    }
    ok.swap(next);
  }
  return ok[path.size()] != 0;
}

std::vector<std::string> splitSlash(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    const size_t j = std::min(s.find('/', i), s.size());
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// ---- regular expressions

/// Calls `f()` with `found` holding each match, as Go's FindAll and ReplaceAll
/// make them: left to right, not overlapping, an empty match right after the
/// previous match skipped. False when `more()` says the budget is spent.
template <typename F, typename More>
bool eachMatch(const RE2& re, std::string_view t, std::vector<re2::StringPiece>& found, F&& f,
               More&& more) {
  const re2::StringPiece text(t.data(), t.size());
  const int n = static_cast<int>(found.size());
  size_t pos = 0;
  size_t lastEnd = std::string::npos;
  while (pos <= text.size()) {
    if (!more()) return false;
    if (!re.Match(text, pos, text.size(), RE2::UNANCHORED, found.data(), n)) break;
    const size_t begin = static_cast<size_t>(found[0].data() - text.data());
    const size_t end = begin + found[0].size();
    if (found[0].empty() && begin == lastEnd) {
      if (begin >= text.size()) break;
      pos = begin + charLength(t, begin);
      continue;
    }
    f();
    lastEnd = end;
    if (end > pos)
      pos = end;
    else if (end >= text.size())
      break;
    else
      pos = end + charLength(t, end);
  }
  return true;
}

/// The capture groups' shape: none, unnamed, named; mixed is an error.
Val regexResult(const RE2& re, const std::vector<re2::StringPiece>& groups) {
  const int n = re.NumberOfCapturingGroups();
  if (n == 0) return Val::string(std::string(groups[0].data(), groups[0].size()));
  const auto& names = re.CapturingGroupNames();  // index -> name
  auto group = [&](int i) {
    if (groups[static_cast<size_t>(i)].data() == nullptr) return Val();  // did not take part
    return Val::string(
        std::string(groups[static_cast<size_t>(i)].data(), groups[static_cast<size_t>(i)].size()));
  };
  Val out;
  if (!names.empty()) {
    out.type = T::Object;
    for (const auto& [i, name] : names) out.attrs[name] = group(i);
    return out;
  }
  out.type = T::List;
  for (int i = 1; i <= n; ++i) out.items.push_back(group(i));
  return out;
}

}  // namespace

namespace detail {

std::string md5Hex(std::string_view bytes) {
  const Md5 h = digest<Md5>(bytes, false);
  unsigned char out[16];
  for (int i = 0; i < 16; ++i) out[i] = static_cast<unsigned char>(h.h[i / 4] >> (8 * (i % 4)));
  return hex(out, 16);
}

std::string sha256Hex(std::string_view bytes) {
  const Sha256 h = digest<Sha256>(bytes, true);
  unsigned char out[32];
  for (int i = 0; i < 32; ++i) out[i] = static_cast<unsigned char>(h.h[i / 4] >> (8 * (3 - i % 4)));
  return hex(out, 32);
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = uint32_t{static_cast<unsigned char>(bytes[i])} << 16 |
                       uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8 |
                       uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    for (int k = 3; k >= 0; --k) out += kAlphabet[(v >> (6 * k)) & 63];
  }
  if (const size_t rest = bytes.size() - i) {
    uint32_t v = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

int regexReplace(const std::string& s, const std::string& pattern, const std::string& repl,
                 std::string* out, size_t maxOut, const std::function<bool()>& more) {
  if (pattern.size() > kMaxPattern) return 0;
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);
  const RE2 re(pattern, options);
  if (!re.ok() || re.NumberOfCapturingGroups() > 64) return 0;
  const auto& named = re.NamedCapturingGroups();
  std::vector<re2::StringPiece> found(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1);
  // Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; a name that
  // is no group is empty; a $ that starts no name is itself.
  auto group = [&](const std::string& name) -> std::string_view {
    size_t i = 0;
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) {
      if (name.size() > 3) return {};
      i = static_cast<size_t>(std::stoi(name));
    } else if (auto it = named.find(name); it != named.end()) {
      i = static_cast<size_t>(it->second);
    } else {
      return {};
    }
    if (i >= found.size() || found[i].data() == nullptr) return {};
    return {found[i].data(), found[i].size()};
  };
  auto isName = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  size_t copied = 0;
  bool tooLong = false;
  const bool ok = eachMatch(
      re, s, found,
      [&] {
        const size_t begin = static_cast<size_t>(found[0].data() - s.data());
        out->append(s, copied, begin - copied);
        copied = begin + found[0].size();
        for (size_t i = 0; i < repl.size(); ++i) {
          if (repl[i] != '$' || i + 1 >= repl.size()) {
            *out += repl[i];
            continue;
          }
          if (repl[i + 1] == '$') {
            *out += '$';
            ++i;
            continue;
          }
          std::string name;
          size_t j = i + 1;
          if (repl[j] == '{') {
            const size_t close = repl.find('}', j);
            if (close == std::string::npos ||
                !std::all_of(repl.begin() + static_cast<long>(j) + 1,
                             repl.begin() + static_cast<long>(close), isName) ||
                close == j + 1) {
              *out += '$';
              continue;
            }
            name = repl.substr(j + 1, close - j - 1);
            j = close + 1;
          } else {
            while (j < repl.size() && isName(repl[j])) name += repl[j++];
            if (name.empty()) {
              *out += '$';
              continue;
            }
          }
          *out += group(name);
          i = j - 1;
        }
        tooLong = tooLong || out->size() > maxOut;
      },
      [&] { return !tooLong && more(); });
  if (!ok || tooLong) return -1;
  out->append(s, copied, std::string::npos);
  return out->size() > maxOut ? -1 : 1;
}

bool globMatch(std::string_view pattern, std::string_view path, bool* ok) {
  *ok = true;
  if (pattern.size() > 1024 || path.size() > 4096) {
    *ok = false;
    return false;
  }
  std::vector<std::string> alternatives;
  if (!expandBraces(std::string(pattern), alternatives, 64)) {
    *ok = false;
    return false;
  }
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    const size_t j = std::min(path.find('/', i), path.size());
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  for (const std::string& alt : alternatives)
    if (matchPath(splitSlash(alt), parts)) return true;
  return false;
}

}  // namespace detail

Val Evaluator::decode(const Val& text, bool yaml) {
  if (text.type != T::String) return Val::error("not a string");
  if (text.str.size() > kMaxDecodeInput) return Val::unknown();
  // Text read by file() whole keeps its place: decoded values point into the file.
  const SourceFile* origin = nullptr;
  if (files_ && text.span.valid() && text.span.begin == 0)
    if (const SourceFile* f = files_->registered(text.span.file);
        f && f->size() == text.str.size() && text.span.end == f->size() && f->text() == text.str)
      origin = f;
  SourceFile scratch(Span::kNoFile, "", origin ? std::string() : text.str);
  const SourceFile& src = origin ? *origin : scratch;
  std::vector<std::unique_ptr<json::Document>> docs;
  json::ParseError err;
  if (yaml) {
    yaml::Limits limits;
    limits.maxDepth = kMaxNesting;
    limits.maxNodes = limits_.maxIterations;
    if (yaml::parse(src, limits, &docs, &err)) return Val::error("yamldecode(): " + err.message);
    if (docs.size() > 1) return Val::error("yamldecode(): more than one YAML document");
    if (docs.empty()) return Val();
  } else {
    json::Limits limits;
    limits.maxDepth = kMaxNesting;
    auto doc = json::parse(src, limits, &err);
    if (!doc) return Val::error("jsondecode(): " + err.message);
    docs.push_back(std::move(doc));
  }
  Val out;
  size_t budget = limits_.maxIterations > spent_ ? limits_.maxIterations - spent_ : 0;
  const size_t before = budget;
  const bool ok = fromDocument(docs[0]->root(), out, 0, budget, origin != nullptr);
  spend(before - budget);
  if (!ok) return Val::unknown();  // too deep or too large to copy
  return out;
}

namespace {

/// Names in a template file: its variables only.
class TemplateVars : public Environment {
 public:
  explicit TemplateVars(const Val& vars) : vars_(vars) {}
  Val get(const std::string& root, const std::string& attr, const Expr&) override {
    auto it = vars_.attrs.find(root);
    if (it == vars_.attrs.end()) return Val::error("the template has no variable `" + root + "`");
    if (attr.empty()) return it->second;
    if (it->second.type == T::Unknown) return it->second;
    if (it->second.type != T::Object) return Val::error("not an object");
    auto a = it->second.attrs.find(attr);
    if (a == it->second.attrs.end())
      return it->second.open ? Val::unknown() : Val::error("no attribute `" + attr + "`");
    return a->second;
  }

 private:
  const Val& vars_;
};

}  // namespace

Val Evaluator::templateFile(const std::vector<Val>& args) {
  if (inTemplate_) return Val::error("templatefile() cannot call itself");
  if (args.size() != 2 || args[0].type != T::String || args[1].type != T::Object)
    return Val::error("templatefile(): needs a path and a map of variables");
  if (!files_) return Val::unknown();
  const SourceFile* file = nullptr;
  const auto status = files_->read(args[0].str, &file);
  if (status == FileAccess::Status::Refused) return Val::unknown();
  if (status == FileAccess::Status::Missing)
    return Val::error("templatefile(): no file `" + args[0].str + "`");
  if (!validUtf8(file->text())) return Val::error("templatefile(): the file is not UTF-8");
  SyntaxError err;
  ExprPtr tpl = parseTemplateRange(*file, 0, static_cast<uint32_t>(file->size()), Limits{}, &err);
  if (!tpl) return Val::error("templatefile(): " + err.message);
  if (tpl->kind != ExprKind::Template && tpl->kind != ExprKind::String) return Val::unknown();
  tpl->span = Span{file->id(), 0, static_cast<uint32_t>(file->size())};
  TemplateVars vars(args[1]);
  EvalLimits inner = limits_;
  inner.maxIterations = limits_.maxIterations > spent_ ? limits_.maxIterations - spent_ : 0;
  Evaluator ev(vars, inner, files_);
  ev.inTemplate_ = true;
  ev.depth_ = depth_;
  Val out = tpl->kind == ExprKind::String ? Val::string(tpl->text) : ev.templ(*tpl);
  spend(ev.spent_);
  if (out.type == T::String) out.span = Span{};  // the call's span, not the file's
  return out;
}

bool Evaluator::library(const std::string& fn, std::vector<Val>& args, Val* out) {
  const size_t n = args.size();
  auto fail = [&](std::string message) {
    *out = Val::error(fn + "(): " + std::move(message));
    return true;
  };
  auto give = [&](Val v) {
    *out = std::move(v);
    return true;
  };
  auto str = [&](size_t i, std::string* s) { return i < n && asString(args[i], s); };
  auto list = [&] {
    Val l;
    l.type = T::List;
    return l;
  };
  std::string s, t;

  // ---- encodings and hashes
  if (fn == "jsonencode" && n == 1) {
    std::string j;
    if (!toJson(args[0], j, 0, limits_.maxString)) return give(Val::unknown());
    return give(Val::string(std::move(j)));
  }
  if (fn == "yamlencode" && n == 1) {
    std::string y;
    if (!toYaml(args[0], y, 0, 0, limits_.maxString)) return give(Val::unknown());
    return give(Val::string(std::move(y)));
  }
  if ((fn == "jsondecode" || fn == "yamldecode") && n == 1) {
    if (args[0].type != T::String) return fail("not a string");
    return give(decode(args[0], fn == "yamldecode"));
  }
  if ((fn == "base64encode" || fn == "md5" || fn == "sha256") && n == 1) {
    if (!str(0, &s)) return fail("not a string");
    if (fn == "base64encode") return give(Val::string(base64(s)));
    return give(Val::string(fn == "md5" ? md5Hex(s) : sha256Hex(s)));
  }

  // ---- lists and sets
  if (fn == "range" && n >= 1 && n <= 3) {
    double v[3] = {0, 0, 1};
    for (size_t i = 0; i < n; ++i)
      if (!asNumber(args[i], &v[i]) || !std::isfinite(v[i])) return fail("not a number");
    const double start = n == 1 ? 0 : v[0], limit = n == 1 ? v[0] : v[1];
    const double step = n == 3 ? v[2] : (limit < start ? -1 : 1);
    if (step == 0) return fail("the step must not be zero");
    Val l = list();
    for (double x = start; step > 0 ? x < limit : x > limit; x += step) {
      if (l.items.size() >= kMaxRange) return fail("more than 1024 numbers");
      l.items.push_back(Val::num(x));
    }
    return give(std::move(l));
  }
  if ((fn == "setunion" || fn == "setintersection" || fn == "setsubtract") && n >= 1) {
    if (fn == "setsubtract" && n != 2) return fail("takes two sets");
    for (const Val& a : args)
      if (a.type != T::List) return fail("not a set");
    if (!spend(n * args[0].items.size() + 1)) return fail("evaluation budget exhausted");
    Val l = list();
    if (fn == "setunion") {
      for (const Val& a : args)
        for (const Val& v : a.items) {
          if (!spend()) return fail("evaluation budget exhausted");
          if (!contains(l, v)) l.items.push_back(v);
        }
    } else {
      for (const Val& v : args[0].items) {
        if (!spend(n)) return fail("evaluation budget exhausted");
        bool keep = !contains(l, v);
        for (size_t i = 1; i < n && keep; ++i)
          keep = fn == "setsubtract" ? !contains(args[i], v) : contains(args[i], v);
        if (keep) l.items.push_back(v);
      }
    }
    setOrder(l);
    return give(std::move(l));
  }
  if (fn == "coalescelist" && n >= 1) {
    for (const Val& a : args) {
      if (a.type != T::List) return fail("not a list");
      if (!a.items.empty()) return give(a);
    }
    return fail("every list is empty");
  }
  if (fn == "formatlist" && n >= 1) {
    if (!str(0, &s)) return fail("the format is not a string");
    size_t length = 0;
    bool anyList = false;
    for (size_t i = 1; i < n; ++i) {
      if (args[i].type != T::List) continue;
      if (anyList && args[i].items.size() != length) return fail("lists of different lengths");
      anyList = true;
      length = args[i].items.size();
    }
    Val l = list();
    for (size_t k = 0; k < (anyList ? length : 1); ++k) {
      if (!spend()) return fail("evaluation budget exhausted");
      std::vector<Val> row{args[0]};
      for (size_t i = 1; i < n; ++i)
        row.push_back(args[i].type == T::List ? args[i].items[k] : args[i]);
      bool ok = true;
      std::string line = formatString(s, row, &ok);
      if (!ok) return fail("the arguments do not fit the format");
      l.items.push_back(Val::string(std::move(line)));
    }
    return give(std::move(l));
  }

  // ---- regular expressions: RE2, linear in time; a pattern RE2 rejects
  // (Go's syntax differs in corners) is unknown, not an error.
  if ((fn == "regex" || fn == "regexall") && n == 2) {
    if (!str(0, &s) || !str(1, &t)) return fail("not strings");
    if (s.size() > kMaxPattern) return give(Val::unknown());
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);
    const RE2 re(s, options);
    if (!re.ok()) return give(Val::unknown());
    const int groups = re.NumberOfCapturingGroups();
    if (groups > 64) return give(Val::unknown());
    if (groups > 0 && !re.NamedCapturingGroups().empty() &&
        re.NamedCapturingGroups().size() != static_cast<size_t>(groups))
      return fail("named and unnamed capture groups cannot be mixed");
    std::vector<re2::StringPiece> found(static_cast<size_t>(groups) + 1);
    const re2::StringPiece text(t);
    if (fn == "regex") {
      if (!re.Match(text, 0, text.size(), RE2::UNANCHORED, found.data(), groups + 1))
        return fail("the pattern does not match");
      return give(regexResult(re, found));
    }
    Val l = list();
    if (!eachMatch(
            re, t, found, [&] { l.items.push_back(regexResult(re, found)); },
            [&] { return spend(); }))
      return fail("evaluation budget exhausted");
    return give(std::move(l));
  }

  // ---- addresses (IPv4; IPv6 is not evaluated)
  if ((fn == "cidrhost" && n == 2) || (fn == "cidrnetmask" && n == 1)) {
    uint32_t addr;
    int len;
    if (!str(0, &s) || !parseCidr(s, &addr, &len)) return give(Val::unknown());
    const uint32_t mask = len == 0 ? 0 : ~uint32_t{0} << (32 - len);
    if (fn == "cidrnetmask") {
      const std::string m = formatCidr(mask, 0);
      return give(Val::string(m.substr(0, m.find('/'))));
    }
    double host;
    if (!asNumber(args[1], &host) || host != std::floor(host)) return fail("not a whole number");
    const double size = std::ldexp(1.0, 32 - len);
    if (host < 0) host += size;  // -1 is the last address
    if (!(host >= 0 && host < size)) return fail("the host number does not fit the prefix");
    const uint32_t ip = (addr & mask) | static_cast<uint32_t>(host);
    const std::string c = formatCidr(ip, 0);
    return give(Val::string(c.substr(0, c.find('/'))));
  }

  // ---- paths
  if ((fn == "basename" || fn == "dirname" || fn == "pathexpand" || fn == "abspath") && n == 1) {
    if (!str(0, &s)) return fail("not a string");
    if (fn == "basename") return give(Val::string(baseName(s)));
    if (fn == "dirname") return give(Val::string(dirName(s)));
    if (fn == "pathexpand") {
      // The home directory of whoever runs Terraform is not in the configuration.
      if (s == "~" || s.starts_with("~/")) return give(Val::unknown());
      return give(Val::string(s));
    }
    if (!files_) return give(Val::unknown());
    return give(
        Val::string(cleanPath(s.starts_with("/") ? s : files_->workingDirectory() + "/" + s)));
  }

  // ---- files: only what FileAccess allows; anything else is unknown
  if ((fn == "file" || fn == "filemd5" || fn == "fileexists") && n == 1) {
    if (!str(0, &s)) return fail("not a string");
    if (!files_) return give(Val::unknown());
    if (fn == "fileexists") {
      const auto status = files_->exists(s);
      if (status == FileAccess::Status::Refused) return give(Val::unknown());
      return give(Val::boolean_(status == FileAccess::Status::Found));
    }
    const SourceFile* file = nullptr;
    const auto status = files_->read(s, &file);
    if (status == FileAccess::Status::Refused) return give(Val::unknown());
    if (status == FileAccess::Status::Missing) return fail("no file `" + s + "`");
    if (fn == "filemd5") return give(Val::string(md5Hex(file->text())));
    if (!validUtf8(file->text())) return fail("the file is not UTF-8 (filebase64 reads bytes)");
    if (file->size() > limits_.maxString) return give(Val::unknown());
    // The span covers the whole file: yamldecode()/jsondecode() keep their places in it.
    return give(Val::string(std::string(file->text()),
                            Span{file->id(), 0, static_cast<uint32_t>(file->size())}));
  }
  if (fn == "fileset" && n == 2) {
    if (!str(0, &s) || !str(1, &t)) return fail("not strings");
    if (!files_) return give(Val::unknown());
    std::vector<std::string> found;
    if (!files_->glob(s, t, &found)) return give(Val::unknown());
    Val l = list();
    for (std::string& f : found) l.items.push_back(Val::string(std::move(f)));
    return give(std::move(l));
  }
  if (fn == "templatefile") return give(templateFile(args));
  return false;
}

// ---------------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxFileBytes = 4u << 20;
constexpr size_t kMaxWalk = 20000;  // directory entries one fileset() looks at
constexpr size_t kMaxFound = 1000;  // files one fileset() returns

class DiskFiles : public FileAccess {
 public:
  DiskFiles(SourceManager& sources, std::vector<std::string> roots, std::string cwd,
            FileState* state)
      : sources_(sources), roots_(std::move(roots)), cwd_(std::move(cwd)), state_(state) {
    if (!state_) state_ = &own_;
  }

  Status read(const std::string& path, const SourceFile** file) override {
    std::string full;
    const Status s = locate(path, &full);
    if (s != Status::Found) return s;
    if (auto it = cache_.find(full); it != cache_.end()) {
      *file = it->second;
      return Status::Found;
    }
    // An input of the run (a YAML file the walk found): the same source, so
    // that it is no longer counted as skipped and spans point into it.
    if (!state_->indexed) {
      state_->indexed = true;
      for (uint32_t id = 0; id < sources_.size(); ++id) {
        const SourceFile& f = sources_.get(id);
        if (f.origin().empty()) continue;
        std::error_code ec;
        const fs::path c = fs::weakly_canonical(f.origin(), ec);
        if (!ec) state_->inputs.emplace(c.generic_string(), &f);
      }
    }
    if (auto it = state_->inputs.find(full); it != state_->inputs.end()) {
      return remember(full, *it->second, file);
    }
    std::string bytes;
    FileStamp stamp;
    if (!readFileBytes(full, &bytes, &stamp)) return Status::Refused;
    std::error_code ec;
    const fs::path shown = fs::relative(full, fs::current_path(ec), ec);
    SourceFile& f =
        sources_.add(ec || shown.empty() ? full : shown.generic_string(), std::move(bytes));
    cache_[full] = &f;
    registered_[f.id()] = &f;
    *file = &f;
    return Status::Found;
  }

  Status exists(const std::string& path) override {
    std::string full;
    return locate(path, &full);
  }

  bool glob(const std::string& base, const std::string& pattern,
            std::vector<std::string>* out) override {
    std::string dir;
    if (!inside(base, &dir)) return false;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return true;  // Terraform: an empty set
    size_t seen = 0;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
         !ec && it != end; it.increment(ec)) {
      if (++seen > kMaxWalk || it.depth() > 32) return false;
      std::error_code e2;
      if (!it->is_regular_file(e2) || it->is_symlink(e2)) continue;
      const std::string rel = it->path().lexically_relative(dir).generic_string();
      bool ok = true;
      if (globMatch(pattern, rel, &ok)) out->push_back(rel);
      if (!ok) return false;
      if (out->size() > kMaxFound) return false;
    }
    if (ec) return false;
    std::sort(out->begin(), out->end());
    return true;
  }

  std::string workingDirectory() const override { return cwd_; }

  const SourceFile* registered(uint32_t id) const override {
    auto it = registered_.find(id);
    return it == registered_.end() ? nullptr : it->second;
  }

 private:
  /// The canonical path of `path` when it lies inside a root (symbolic links
  /// resolved first, so none leads out).
  bool inside(const std::string& path, std::string* full) const {
    if (path.empty() || path.size() > 4096 || path.find('\0') != std::string::npos) return false;
    fs::path p(path);
    if (p.is_relative()) p = fs::path(cwd_) / p;
    std::error_code ec;
    const fs::path c = fs::weakly_canonical(p, ec);
    if (ec) return false;
    const std::string s = c.generic_string();
    for (const std::string& root : roots_) {
      if (s == root || (s.size() > root.size() && s.compare(0, root.size(), root) == 0 &&
                        (root.back() == '/' || s[root.size()] == '/'))) {
        *full = s;
        return true;
      }
    }
    return false;
  }

  Status remember(const std::string& full, const SourceFile& f, const SourceFile** file) {
    cache_[full] = &f;
    registered_[f.id()] = &f;
    state_->read.insert(f.id());
    state_->inputs.emplace(full, &f);  // another root reads the same source
    *file = &f;
    return Status::Found;
  }

  Status locate(const std::string& path, std::string* full) const {
    if (!inside(path, full)) return Status::Refused;
    std::error_code ec;
    const auto st = fs::status(*full, ec);
    if (ec || !fs::exists(st)) return Status::Missing;
    if (!fs::is_regular_file(st)) return Status::Refused;
    const auto size = fs::file_size(*full, ec);
    if (ec || size > kMaxFileBytes) return Status::Refused;
    return Status::Found;
  }

  SourceManager& sources_;
  std::vector<std::string> roots_;
  std::string cwd_;
  FileState own_;
  FileState* state_;
  std::map<std::string, const SourceFile*> cache_;
  std::map<uint32_t, const SourceFile*> registered_;
};

}  // namespace

std::unique_ptr<FileAccess> diskFiles(SourceManager& sources, std::vector<std::string> roots,
                                      std::string workingDirectory, FileState* state) {
  for (std::string& r : roots) {
    std::error_code ec;
    const fs::path c = fs::weakly_canonical(r, ec);
    if (!ec)
      r = c.generic_string();
    else
      r.clear();
  }
  std::erase_if(roots, [](const std::string& r) { return r.empty(); });
  return std::make_unique<DiskFiles>(sources, std::move(roots), std::move(workingDirectory), state);
}

}  // namespace lbcheck::hcl
