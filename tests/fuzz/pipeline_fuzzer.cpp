// libFuzzer target: the whole pipeline, bytes in -> report out. The first byte
// picks the file name (and so the reader): plan/export JSON, YAML (KRM, gcloud
// YAML, Knative) or an unnamed file sniffed by content.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/output/report.h"
#include "engine/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"plan.json", "stack.krm.yaml", "export.yml", "input"};
  const std::string name = kNames[data[0] % 4];
  lbcheck::Options options;
  lbcheck::RunResult result;
  lbcheck::loadBytes(options, result, name,
                     std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  lbcheck::finish(options, result);
  lbcheck::renderText(result.sources, result.findings, result.filesRead, {});
  lbcheck::renderJson(result.sources, result.findings, result.filesRead);
  lbcheck::renderSarif(result.sources, result.findings);
  lbcheck::renderGraph(result.sources, result.graph);
  return 0;
}
