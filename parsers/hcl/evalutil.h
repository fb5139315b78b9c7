// Helpers the evaluator's function files share (eval.cpp, functions.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "parsers/hcl/eval.h"

namespace lbcheck::hcl::detail {

Val unknownFrom(std::initializer_list<const Val*> vals);
bool equalVals(const Val& a, const Val& b);
/// The items of a list without repeats, in first-seen order (a new list).
Val distinct(const Val& list);
/// A scalar as a string (HCL's automatic conversion).
bool asString(const Val& v, std::string* out);
bool asNumber(const Val& v, double* out);
bool asBool(const Val& v, bool* out);
/// "a.b.c.d/len" (IPv4 only).
bool parseCidr(const std::string& s, uint32_t* addr, int* len);
std::string formatCidr(uint32_t addr, int len);
/// format()'s verbs; `args[0]` is the format itself.
std::string formatString(const std::string& spec, const std::vector<Val>& args, bool* ok);

/// MD5 and SHA-256 of `bytes`, as lowercase hex.
std::string md5Hex(std::string_view bytes);
std::string sha256Hex(std::string_view bytes);
std::string base64(std::string_view bytes);
/// replace() with a /regular expression/ (RE2) and Go's `$1`/`${name}`
/// replacement syntax: 1 with `out` set, 0 when the pattern is not supported
/// (unknown), -1 when the result is too long or the budget (`more`) is spent.
int regexReplace(const std::string& s, const std::string& pattern, const std::string& repl,
                 std::string* out, size_t maxOut, const std::function<bool()>& more);
/// fileset()'s glob: `*`, `?`, `[class]`, `[^class]`, `{a,b}`, and `**` as a
/// whole path component. False for a pattern too large to match safely.
bool globMatch(std::string_view pattern, std::string_view path, bool* ok);

}  // namespace lbcheck::hcl::detail
