// libFuzzer target: the shell reader, the Markdown block extraction and the
// gcloud mapping, then the rules. The first byte picks a shell script or a
// Markdown runbook.
#include <cstddef>
#include <cstdint>
#include <string>

#include "driver/output/report.h"
#include "driver/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string name = (data[0] & 1) ? "runbook.md" : "setup.sh";
  lbcheck::Options options;
  lbcheck::RunResult result;
  lbcheck::loadBytes(options, result, name,
                     std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  lbcheck::finish(options, result);
  lbcheck::renderText(result.sources, result.findings, result.filesRead, {true, true},
                      result.skipped);
  lbcheck::renderJson(result.sources, result.findings, result.filesRead, result.skipped);
  lbcheck::renderGraph(result.sources, result.graph);
  return 0;
}
