// TLS007: a self-managed certificate that has expired or expires soon.
#include <chrono>
#include <cstdio>
#include <optional>

#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

constexpr int64_t kWarnDays = 30;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// Seconds since the epoch of an RFC 3339 time ("2026-03-01T12:00:00.000-08:00").
std::optional<int64_t> parseRfc3339(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  int used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &used) != 6)
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  size_t i = static_cast<size_t>(used);
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    }
  int64_t offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (s[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + se - offset;
}

class CertificateExpiry : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TLS007", "certificate-expiry",
                                "A self-managed SSL certificate has expired or expires within 30 "
                                "days.",
                                Severity::Warning, "tls"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (const Resource& c : g.resources()) {
      if (c.id.kind != Kind::SslCertificate || !live(c)) continue;
      if (c.field("type").is("MANAGED")) continue;  // Google renews those
      const Field& expiry = c.field("expireTime");
      if (expiry.state != State::Known) continue;
      const auto when = parseRfc3339(expiry.text);
      if (!when) continue;
      const std::string name = spelled(c, "expireTime");
      const std::string date = expiry.text.substr(0, 10);
      std::string message;
      if (*when <= now) {
        message = describe(c) + " expired on " + date + " (" + name + " " + expiry.text +
                  "); clients see certificate errors";
      } else if (*when - now <= kWarnDays * 86400) {
        const int64_t days = (*when - now) / 86400;
        message = describe(c) + " expires on " + date + ", in " + std::to_string(days) +
                  (days == 1 ? " day" : " days") + " (" + name + ")";
      } else {
        continue;
      }
      Finding& f = out.report(c, "expireTime", message);
      f.help =
          "self-managed certificates are not renewed by Google Cloud: upload the renewed "
          "certificate under a new name, point the proxy at it, then delete the old one; "
          "or switch to a Google-managed Certificate Manager certificate";
    }
  }
};

LBCHECK_REGISTER_RULE(CertificateExpiry);

}  // namespace
}  // namespace lbcheck
