// Values that the interfaces spell differently. The canonical model keeps the
// Cloud Run v2 API's spelling; an adapter that reads another spelling, a rule
// that accepts either, and a dialect that renders a fix all use these tables.
#pragma once

#include <string_view>

namespace lbcheck::vocab {

struct Synonym {
  std::string_view canonical;  // the v2 API's enum: INGRESS_TRAFFIC_INTERNAL_ONLY
  std::string_view alias;      // gcloud's --ingress, the v1 API's annotation: internal
};

/// Cloud Run ingress settings.
inline constexpr Synonym kIngress[] = {
    {"INGRESS_TRAFFIC_ALL", "all"},
    {"INGRESS_TRAFFIC_INTERNAL_ONLY", "internal"},
    {"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "internal-and-cloud-load-balancing"},
};

/// The canonical ingress value for either spelling; "" when it is neither.
constexpr std::string_view canonicalIngress(std::string_view v) {
  for (const Synonym& s : kIngress)
    if (v == s.canonical || v == s.alias) return s.canonical;
  return {};
}

/// The short spelling (gcloud, v1 annotation) of a canonical ingress value;
/// the value itself when it has none.
constexpr std::string_view shortIngress(std::string_view canonical) {
  for (const Synonym& s : kIngress)
    if (canonical == s.canonical) return s.alias;
  return canonical;
}

}  // namespace lbcheck::vocab
