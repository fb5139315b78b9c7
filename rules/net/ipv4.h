// IPv4 addresses and CIDR ranges for the NET rules (subnet ranges, forwarding
// rule addresses, firewall source ranges).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lbcheck::net {

/// "10.1.2.99" -> 0x0a010263; nullopt for anything else (IPv6, names, links).
inline std::optional<uint32_t> parseIpv4(std::string_view s) {
  uint32_t value = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return std::nullopt;
    uint32_t octet = 0;
    size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 4) {
      octet = octet * 10 + static_cast<uint32_t>(s[i] - '0');
      ++i;
      ++digits;
    }
    if (octet > 255 || digits > 3) return std::nullopt;
    value = (value << 8) | octet;
    ++parts;
    if (parts < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return value;
}

/// An IPv4 CIDR range: "10.129.0.0/23".
struct Cidr {
  uint32_t base = 0;  // the address as written (host bits may be set)
  int prefix = 32;
  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  uint32_t first() const { return base & mask(); }
  uint32_t last() const { return first() | ~mask(); }
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  bool contains(uint32_t ip) const { return (ip & mask()) == first(); }
  bool overlaps(const Cidr& o) const { return first() <= o.last() && o.first() <= last(); }
};

inline std::optional<Cidr> parseCidr(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto ip = parseIpv4(s.substr(0, slash));
  const std::string_view p = s.substr(slash + 1);
  if (!ip || p.empty() || p.size() > 2) return std::nullopt;
  int prefix = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > 32) return std::nullopt;
  return Cidr{*ip, prefix};
}

inline std::string formatIpv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
         std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

/// The proxy-only purposes (current and legacy).
inline bool proxyOnlyPurpose(std::string_view purpose) {
  return purpose == "REGIONAL_MANAGED_PROXY" || purpose == "GLOBAL_MANAGED_PROXY" ||
         purpose == "INTERNAL_HTTPS_LOAD_BALANCER";
}

}  // namespace lbcheck::net
