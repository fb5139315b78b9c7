#include "driver/lsp/jsonrpc.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <limits>

namespace lbcheck::lsp {

namespace {

constexpr size_t kMaxHeaderLine = 8 << 10;
constexpr size_t kMaxHeaderLines = 64;

enum class LineStatus { Line, End, TooLong };

/// One header line without its terminator.
LineStatus readHeaderLine(std::istream& in, std::string& line) {
  line.clear();
  for (;;) {
    const int c = in.get();
    if (c == std::char_traits<char>::eof()) return LineStatus::End;
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return LineStatus::Line;
    }
    if (line.size() >= kMaxHeaderLine) {
      // Read past the rest of the line.
      in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
      return in ? LineStatus::TooLong : LineStatus::End;
    }
    line.push_back(static_cast<char>(c));
  }
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Frame readFrame(std::istream& in, size_t maxBody) {
  Frame frame;
  std::string line;
  bool haveLength = false, badLength = false, tooLong = false;
  uint64_t length = 0;
  size_t lines = 0;
  for (;;) {
    const LineStatus status = readHeaderLine(in, line);
    if (status == LineStatus::End) return frame;  // End
    if (status == LineStatus::TooLong) tooLong = true;
    if (status == LineStatus::Line && line.empty()) {
      if (lines == 0) continue;  // stray blank lines between frames
      break;
    }
    if (++lines > kMaxHeaderLines) tooLong = true;
    if (tooLong) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      badLength = true;
      continue;
    }
    if (!equalsIgnoreCase(trimmed(std::string_view(line).substr(0, colon)), "Content-Length"))
      continue;  // Content-Type and anything else
    const std::string_view value = trimmed(std::string_view(line).substr(colon + 1));
    uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc::result_out_of_range) {
      n = UINT64_MAX;
    } else if (ec != std::errc() || end != value.data() + value.size()) {
      badLength = true;
      continue;
    }
    haveLength = true;
    length = n;
  }
  frame.status = Frame::Status::BadFrame;
  if (tooLong) {
    frame.problem = "a header line, or the header block, is too long";
    return frame;
  }
  if (!haveLength || badLength) {
    frame.problem = "the headers have no valid Content-Length";
    return frame;
  }
  if (length > maxBody) {
    frame.problem = "Content-Length " + std::to_string(length) + " is over the limit of " +
                    std::to_string(maxBody) + " bytes; the message is skipped";
    // Read past the body, a block at a time (the end of input ends it).
    uint64_t left = length;
    while (left > 0 && in) {
      const auto step = static_cast<std::streamsize>(std::min<uint64_t>(left, 1 << 20));
      in.ignore(step);
      left -= static_cast<uint64_t>(in.gcount());
      if (in.gcount() < step) break;
    }
    return frame;
  }
  frame.body.resize(length);
  in.read(frame.body.data(), static_cast<std::streamsize>(length));
  if (static_cast<uint64_t>(in.gcount()) != length) {
    frame.status = Frame::Status::End;  // cut off
    frame.body.clear();
    return frame;
  }
  frame.status = Frame::Status::Message;
  return frame;
}

void writeFrame(std::ostream& out, const nlohmann::json& message) {
  const std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

FdInputBuffer::int_type FdInputBuffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_, sizeof buffer_);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return traits_type::eof();
    setg(buffer_, buffer_, buffer_ + n);
    return traits_type::to_int_type(*gptr());
  }
}

std::streamsize FdInputBuffer::showmanyc() {
  int n = 0;
  if (::ioctl(fd_, FIONREAD, &n) != 0) return 0;
  return n;
}

}  // namespace lbcheck::lsp
