// libFuzzer target: the HCL reader (lexer, parser) on any bytes, then the
// Terraform evaluation, lowering and every rule on what parsed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "driver/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lbcheck::Options options;
  lbcheck::RunResult result;
  lbcheck::loadBytes(options, result, "/nonexistent-lbcheck-fuzz/main.tf",
                     std::string(reinterpret_cast<const char*>(data), size));
  lbcheck::finish(options, result);
  return 0;
}
