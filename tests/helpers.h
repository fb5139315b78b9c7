// Shared test helpers: run the pipeline, read files, compare golden files.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "driver/runner.h"

namespace lbcheck::testing {

// Everything a document says, in one string: node types, spans, scalar texts,
// keys and key spans, in tree order (shared alias nodes show as node indexes).
inline std::string describeDocument(const json::Document& d) {
  std::string out;
  for (uint32_t i = 0; i < d.nodeCount(); ++i) {
    const json::Node& n = d.node(i);
    out += std::to_string(i) + ":" + std::to_string(static_cast<int>(n.type)) + "@" +
           std::to_string(n.begin) + "-" + std::to_string(n.end);
    const json::Value v(&d, i);
    if (n.type == json::Type::Object || n.type == json::Type::Array) {
      for (uint32_t m = 0; m < n.count; ++m) {
        const json::Member& mem = d.member(n.first + m);
        const Span key = d.keySpan(mem);
        out += " [" + std::string(d.key(mem)) + "@" + std::to_string(key.begin) + "-" +
               std::to_string(key.end) + "=" + std::to_string(mem.value) + "]";
      }
    } else {
      out += " " + v.text() + (n.type == json::Type::Bool ? (v.boolean() ? "/t" : "/f") : "");
    }
    out += "\n";
  }
  return out;
}

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// Compares `actual` with the golden file; LBCHECK_UPDATE_GOLDEN=1 rewrites it.
inline void expectGolden(const std::string& goldenPath, const std::string& actual) {
  if (const char* u = std::getenv("LBCHECK_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    writeText(goldenPath, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(goldenPath))
      << goldenPath << " is missing; run the tests with LBCHECK_UPDATE_GOLDEN=1 and review it";
  const std::string expected = readText(goldenPath);
  if (expected == actual) return;
  // Report the first differing line only: goldens can be long.
  std::istringstream a(expected), b(actual);
  std::string la, lb;
  size_t line = 0;
  while (true) {
    ++line;
    const bool ga = static_cast<bool>(std::getline(a, la));
    const bool gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) break;
    if (la != lb || ga != gb) {
      ADD_FAILURE() << "golden file " << goldenPath << " differs at line " << line
                    << "\n  expected: " << (ga ? la : "<end>")
                    << "\n  actual:   " << (gb ? lb : "<end>")
                    << "\n(rerun with LBCHECK_UPDATE_GOLDEN=1 and review the diff)";
      return;
    }
  }
}

struct CommandRun {
  int status = -1;
  std::string out;
};

/// Runs a shell command; its standard output (and standard error with 2>&1).
inline CommandRun runCommand(const std::string& cmd) {
  CommandRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

/// The resource whose display name (a Terraform address) is `address`, or null.
inline const Resource* byAddress(const Graph& g, std::string_view address) {
  for (const Resource& r : g.resources())
    if (r.displayName == address) return &r;
  return nullptr;
}

inline RunResult runOn(std::vector<std::string> paths, std::vector<std::string> only = {}) {
  Options o;
  o.paths = std::move(paths);
  o.onlyRules = std::move(only);
  RunResult r;
  run(o, r);
  return r;
}

/// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "lbcheck-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name, const std::string& text) const {
    const auto p = (std::filesystem::path(path_) / name).string();
    writeText(p, text);
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace lbcheck::testing
