// yaml-cpp YAML::LoadAll of every YAML file (a baseline of bench/run.sh).
//
//   yamlcpp_parse FILE|DIR...   (directories: every *.yaml and *.yml below them)
#include <yaml-cpp/yaml.h>

#include <cstdio>

#include "files.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: yamlcpp_parse FILE|DIR...\n");
    return 2;
  }
  size_t bytes = 0;
  size_t documents = 0;
  const auto files = bench::collect(argc, argv, {".yaml", ".yml"});
  std::string text;
  for (const auto& path : files) {
    if (!bench::slurp(path, text)) {
      std::fprintf(stderr, "%s: cannot read\n", path.c_str());
      return 1;
    }
    bytes += text.size();
    try {
      documents += YAML::LoadAll(text).size();
    } catch (const YAML::Exception& e) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
      return 1;
    }
  }
  std::printf("files %zu bytes %zu documents %zu\n", files.size(), bytes, documents);
  return 0;
}
