// libFuzzer target: the whole pipeline, bytes in -> report out. The first byte
// picks the file name (and so the reader): plan/export JSON, YAML (KRM, gcloud
// YAML, Knative), an unnamed file sniffed by content, or Terraform's JSON
// syntax (a .tf.json module file, a terraform.tfvars.json).
#include <cstddef>
#include <cstdint>
#include <string>

#include "driver/output/report.h"
#include "driver/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // Terraform files sit in a directory that does not exist: local module
  // calls read nothing from disk.
  static const char* const kNames[] = {"plan.json",
                                       "stack.krm.yaml",
                                       "export.yml",
                                       "input",
                                       "/nonexistent-lbcheck-fuzz/main.tf.json",
                                       "/nonexistent-lbcheck-fuzz/terraform.tfvars.json"};
  const std::string name = kNames[data[0] % 6];
  lbcheck::Options options;
  lbcheck::RunResult result;
  lbcheck::loadBytes(options, result, name,
                     std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  lbcheck::finish(options, result);
  lbcheck::renderText(result.sources, result.findings, result.filesRead, {true, true},
                      result.skipped);
  lbcheck::renderJson(result.sources, result.findings, result.filesRead, result.skipped);
  lbcheck::renderSarif(result.sources, result.findings, {}, false, {}, result.skipped);
  lbcheck::renderGraph(result.sources, result.graph);
  return 0;
}
