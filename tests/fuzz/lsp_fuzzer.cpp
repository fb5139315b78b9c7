// libFuzzer target: `lbcheck lsp`'s message loop. The input is what a client
// sends after a fixed initialize (whose workspace is an empty directory, so a
// check reads only the documents the input opens): frames, garbage, cut-off
// messages. The server must answer or skip every byte and return.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "driver/lsp/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string root = [] {
    char dir[] = "/tmp/lbcheck-lsp-fuzz-XXXXXX";
    return std::string(::mkdtemp(dir) ? dir : "/nonexistent-lbcheck-fuzz");
  }();
  const std::string init =
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"rootUri":")" +
      lbcheck::lsp::pathToUri(root) + R"("}})";
  std::istringstream in("Content-Length: " + std::to_string(init.size()) + "\r\n\r\n" + init +
                        std::string(reinterpret_cast<const char*>(data), size));
  std::ostringstream out;
  lbcheck::lsp::Server server(in, out);
  server.maxMessage = 1 << 20;
  std::ostringstream log;  // what the server tells of bad messages: not the fuzzer's output
  server.log = &log;
  server.run();
  return 0;
}
