// JSON-RPC 2.0 messages over a byte stream, framed as the Language Server
// Protocol frames them: `Content-Length: N` headers, a blank line, N bytes.
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>

#include <nlohmann/json.hpp>

namespace lbcheck::lsp {

/// The JSON-RPC error codes the server answers with.
namespace error {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;
}  // namespace error

/// What reading one frame gave.
struct Frame {
  enum class Status {
    Message,   // `body` holds the message's bytes
    End,       // the input ended (possibly in the middle of a frame)
    BadFrame,  // headers without a usable Content-Length, or one over the limit (skipped)
  };
  Status status = Status::End;
  std::string body;
  std::string problem;  // for BadFrame: what was wrong
};

/// Reads one frame. Header lines end with CRLF (a bare LF is accepted); a
/// header line or block that never ends, or a Content-Length over `maxBody`,
/// is a BadFrame (an over-long body is read past, not kept).
Frame readFrame(std::istream& in, size_t maxBody);

/// Writes `message` framed (invalid UTF-8 in its strings is replaced, never thrown on).
void writeFrame(std::ostream& out, const nlohmann::json& message);

/// A read-only stream buffer over a file descriptor whose in_avail() says how
/// many bytes can be read without blocking (the server checks once no message
/// is waiting, so a burst of changes is checked once).
class FdInputBuffer : public std::streambuf {
 public:
  explicit FdInputBuffer(int fd) : fd_(fd) {}

 protected:
  int_type underflow() override;
  std::streamsize showmanyc() override;

 private:
  int fd_;
  char buffer_[1 << 16];
};

}  // namespace lbcheck::lsp
