// Shared by the baseline tools: the files to read (directories walked recursively, sorted)
// and their bytes.
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

inline std::vector<std::string> collect(int argc, char** argv,
                                        std::initializer_list<std::string_view> exts) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    const fs::path root(argv[i]);
    if (!fs::is_directory(root)) {
      out.push_back(root.string());
      continue;
    }
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      const std::string ext = e.path().extension().string();
      if (std::find(exts.begin(), exts.end(), ext) != exts.end()) out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline bool slurp(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  bytes = std::move(ss).str();
  return true;
}

}  // namespace bench
