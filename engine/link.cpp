#include "engine/link.h"

#include <vector>

namespace lbcheck {

namespace {

std::vector<std::string_view> splitPath(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) slash = s.size();
    if (slash > start) parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) == prefix) {
    s.remove_prefix(prefix.size());
    return true;
  }
  return false;
}

bool validName(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    if (c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '?' || c == '#') return false;
  }
  return true;
}

}  // namespace

bool isIpLiteral(std::string_view s) {
  if (s.empty()) return false;
  bool digit = false;
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != '.' && c != ':' && c != '/') return false;
    digit = digit || (c >= '0' && c <= '9');
  }
  return digit && (s.find('.') != std::string_view::npos || s.find(':') != std::string_view::npos);
}

std::string regionName(std::string_view text) {
  const size_t at = text.rfind("regions/");
  if (at != std::string_view::npos) text = text.substr(at + 8);
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos) text = text.substr(0, slash);
  return std::string(text);
}

std::optional<Identity> parseLink(std::string_view text, const LinkContext& context) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;

  const bool url = consume(s, "https://") || consume(s, "http://") || consume(s, "//");
  if (url) {
    const size_t slash = s.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    s.remove_prefix(slash + 1);  // the host
  }
  // API and version prefixes.
  if (consume(s, "compute/")) {
    const size_t slash = s.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    s.remove_prefix(slash + 1);
  } else if (s.substr(0, 3) == "v1/" || s.substr(0, 3) == "v2/") {
    s.remove_prefix(3);
  } else if (consume(s, "apis/serving.knative.dev/v1/")) {
  }

  if (!url && s.find('/') == std::string_view::npos) {
    if (!validName(s) || context.expected == Kind::Unknown) return std::nullopt;
    return Identity{context.expected, context.project, context.scope, std::string(s)};
  }

  const auto parts = splitPath(s);
  Identity id;
  id.project = context.project;
  size_t i = 0;
  if (i + 1 < parts.size() && parts[i] == "projects") {
    id.project = std::string(parts[i + 1]);
    i += 2;
  }
  if (i < parts.size() && parts[i] == "global") {
    id.scope = Scope{Scope::Type::Global, ""};
    i += 1;
  } else if (i + 1 < parts.size() && parts[i] == "regions") {
    id.scope = Scope{Scope::Type::Region, std::string(parts[i + 1])};
    i += 2;
  } else if (i + 1 < parts.size() && parts[i] == "zones") {
    id.scope = Scope{Scope::Type::Zone, std::string(parts[i + 1])};
    i += 2;
  } else if (i + 1 < parts.size() && parts[i] == "locations") {
    id.scope = Scope{Scope::Type::Location, std::string(parts[i + 1])};
    i += 2;
  } else {
    return std::nullopt;
  }
  // Cloud Run v1 spelling: locations/L/namespaces/P/services/S.
  if (i + 1 < parts.size() && parts[i] == "namespaces") {
    id.project = std::string(parts[i + 1]);
    i += 2;
  }
  if (i + 2 != parts.size()) return std::nullopt;
  if (id.scope.type == Scope::Type::Location) {
    if (parts[i] == "services")
      id.kind = Kind::RunService;
    else if (parts[i] == "certificates")
      id.kind = Kind::CertificateManagerCertificate;
    else
      return std::nullopt;
  } else {
    id.kind = kindFromCollection(parts[i]);
    if (id.kind == Kind::Unknown) return std::nullopt;
  }
  if (!validName(parts[i + 1])) return std::nullopt;
  id.name = std::string(parts[i + 1]);
  return id;
}

}  // namespace lbcheck
