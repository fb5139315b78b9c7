// The serverless NEG URL-mask grammar (RULES.md §NEG007, §8), one small component.
//
// A mask is a scheme-less host/path template. The host part is the text before
// the first '/', the path part starts at that '/'. Placeholders are <service>
// and <tag> (Cloud Run); host labels before the first placeholder and path
// segments after the last one may be left out of the mask.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbcheck {

struct UrlMaskProblem {
  enum class Code {
    Empty,                 // NEG007(b)
    Scheme,                // NEG007(a)
    Unbalanced,            // NEG007(b)
    UnknownPlaceholder,    // NEG007(b)
    DuplicatePlaceholder,  // NEG007(c)
  };
  Code code;
  size_t offset = 0;  // byte offset in the mask
  size_t length = 0;
  std::string message;
};

struct UrlMaskMatch {
  std::string service;  // empty when the mask has no <service>
  std::string tag;      // empty when the mask has no <tag>
};

class UrlMask {
 public:
  static UrlMask parse(std::string_view mask);

  const std::string& text() const { return text_; }
  const std::vector<UrlMaskProblem>& problems() const { return problems_; }
  bool valid() const { return problems_.empty(); }
  bool hasService() const { return hasService_; }
  bool hasTag() const { return hasTag_; }
  bool hasPlaceholder() const { return hasService_ || hasTag_; }
  /// The host part ("" for a path-only mask) and the path part ("" for host-only).
  const std::string& host() const { return host_; }
  const std::string& path() const { return path_; }

  /// What a request URL would route to; nullopt when the URL does not fit the
  /// mask, or the mask is not valid.
  std::optional<UrlMaskMatch> match(std::string_view url) const;

 private:
  std::string text_;
  std::vector<UrlMaskProblem> problems_;
  bool hasService_ = false;
  bool hasTag_ = false;
  std::string host_;
  std::string path_;
};

}  // namespace lbcheck
