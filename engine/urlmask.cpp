#include "engine/urlmask.h"

#include <re2/re2.h>

#include <cctype>

namespace lbcheck {

namespace {

/// Length of a leading "scheme://", or 0.
size_t schemeLength(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return 0;
  size_t i = 1;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' ||
                          s[i] == '-' || s[i] == '.'))
    ++i;
  return s.substr(i, 3) == "://" ? i + 3 : 0;
}

std::string_view otherPlatform(std::string_view name) {
  if (name == "version") return " (an App Engine placeholder)";
  if (name == "function") return " (a Cloud Functions placeholder)";
  if (name == "gateway") return " (an API Gateway placeholder)";
  return "";
}

/// Template -> RE2 pattern: literals quoted, placeholders as named groups.
std::string toPattern(std::string_view part, const char* placeholderClass) {
  std::string out;
  size_t i = 0;
  while (i < part.size()) {
    const size_t open = part.find('<', i);
    const std::string_view literal =
        part.substr(i, open == std::string_view::npos ? std::string_view::npos : open - i);
    out += RE2::QuoteMeta(re2::StringPiece(literal.data(), literal.size()));
    if (open == std::string_view::npos) break;
    const size_t close = part.find('>', open);
    const std::string_view name = part.substr(open + 1, close - open - 1);
    out += "(?P<" + std::string(name) + ">" + placeholderClass + ")";
    i = close + 1;
  }
  return out;
}

}  // namespace

UrlMask UrlMask::parse(std::string_view mask) {
  UrlMask m;
  m.text_ = std::string(mask);
  using Code = UrlMaskProblem::Code;
  if (mask.empty()) {
    m.problems_.push_back({Code::Empty, 0, 0, "the URL mask is empty"});
    return m;
  }
  const size_t scheme = schemeLength(mask);
  if (scheme > 0) {
    m.problems_.push_back({Code::Scheme, 0, scheme,
                           "the URL mask starts with a scheme (`" +
                               std::string(mask.substr(0, scheme)) +
                               "`); masks are scheme-less host/path templates"});
  }
  const std::string_view body = mask.substr(scheme);
  bool seenService = false, seenTag = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    const size_t at = scheme + i;
    if (c == '>') {
      m.problems_.push_back({Code::Unbalanced, at, 1, "`>` without a matching `<`"});
      continue;
    }
    if (c != '<') continue;
    const size_t close = body.find_first_of("<>", i + 1);
    if (close == std::string_view::npos || body[close] == '<') {
      m.problems_.push_back({Code::Unbalanced, at, 1, "`<` without a matching `>`"});
      continue;
    }
    const std::string_view name = body.substr(i + 1, close - i - 1);
    if (name == "service" || name == "tag") {
      bool& seen = name == "service" ? seenService : seenTag;
      if (seen) {
        m.problems_.push_back(
            {Code::DuplicatePlaceholder, at, close - i + 1,
             "the placeholder `<" + std::string(name) + ">` appears more than once"});
      }
      seen = true;
    } else {
      m.problems_.push_back({Code::UnknownPlaceholder, at, close - i + 1,
                             "`<" + std::string(name) + ">` is not a Cloud Run placeholder" +
                                 std::string(otherPlatform(name)) +
                                 "; only `<service>` and `<tag>` are allowed"});
    }
    i = close;
  }
  m.hasService_ = seenService;
  m.hasTag_ = seenTag;
  const size_t slash = body.find('/');
  m.host_ = std::string(body.substr(0, slash));
  m.path_ = slash == std::string_view::npos ? std::string() : std::string(body.substr(slash));
  return m;
}

std::optional<UrlMaskMatch> UrlMask::match(std::string_view url) const {
  if (!valid()) return std::nullopt;
  url.remove_prefix(schemeLength(url));
  url = url.substr(0, url.find_first_of("?#"));
  const size_t slash = url.find('/');
  std::string host(url.substr(0, slash));
  const std::string path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (const size_t colon = host.rfind(':'); colon != std::string::npos) host.resize(colon);
  for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));

  UrlMaskMatch result;
  auto capture = [&](const std::string& pattern, const std::string& subject) {
    RE2 re(pattern);
    if (!re.ok()) return false;
    const int groups = re.NumberOfCapturingGroups();
    std::vector<re2::StringPiece> pieces(static_cast<size_t>(groups) + 1);
    if (!re.Match(subject, 0, subject.size(), RE2::ANCHOR_BOTH, pieces.data(),
                  static_cast<int>(pieces.size())))
      return false;
    for (const auto& [name, index] : re.NamedCapturingGroups()) {
      const auto& p = pieces[static_cast<size_t>(index)];
      if (name == "service") result.service.assign(p.data(), p.size());
      if (name == "tag") result.tag.assign(p.data(), p.size());
    }
    return true;
  };
  if (!host_.empty()) {
    // Labels before the mask's host may be left out of the mask.
    if (!capture("(?:[^/]*\\.)?" + toPattern(host_, "[^./]+"), host)) return std::nullopt;
  }
  if (!path_.empty()) {
    // Segments after the last placeholder may be left out of the mask.
    std::string p = toPattern(path_, "[^/]+");
    if (!p.empty() && p.back() == '/') p.pop_back();
    if (!capture(p + "(?:/.*)?", path)) return std::nullopt;
  }
  return result;
}

}  // namespace lbcheck
