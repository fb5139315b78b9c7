// nlohmann::json DOM parse of every JSON file (a baseline of bench/run.sh).
//
//   nlohmann_parse FILE|DIR...   (directories: every *.json below them)
#include <cstdio>
#include <nlohmann/json.hpp>

#include "files.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: nlohmann_parse FILE|DIR...\n");
    return 2;
  }
  size_t bytes = 0;
  size_t top = 0;
  const auto files = bench::collect(argc, argv, {".json"});
  std::string text;
  for (const auto& path : files) {
    if (!bench::slurp(path, text)) {
      std::fprintf(stderr, "%s: cannot read\n", path.c_str());
      return 1;
    }
    bytes += text.size();
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      std::fprintf(stderr, "%s: invalid JSON\n", path.c_str());
      return 1;
    }
    top += j.size();
  }
  std::printf("files %zu bytes %zu top-level members %zu\n", files.size(), bytes, top);
  return 0;
}
