// libFuzzer target: the URL-mask grammar. The input is "MASK\nURL".
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/urlmask.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  const std::string mask = input.substr(0, nl);
  const std::string url = nl == std::string::npos ? "" : input.substr(nl + 1);
  const auto parsed = lbcheck::UrlMask::parse(mask);
  for (const auto& p : parsed.problems())
    if (p.offset > mask.size() || p.offset + p.length > mask.size()) __builtin_trap();
  parsed.match(url);
  return 0;
}
