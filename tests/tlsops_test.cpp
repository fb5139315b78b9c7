// TLS and OPS rule details that fixtures cannot pin down: time-relative expiry
// and key material never reaching a message.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "helpers.h"

using namespace lbcheck;
using lbcheck::testing::runOn;

namespace {
std::string rfc3339FromNow(int64_t days) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                             std::chrono::hours(24 * days));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000-00:00", &tm);
  return buf;
}

std::string certificate(const std::string& expire) {
  return "kind: compute#sslCertificate\nname: hello-cert\nregion: "
         "https://www.googleapis.com/compute/v1/projects/demo-proj/regions/us-central1\n"
         "selfLink: https://www.googleapis.com/compute/v1/projects/demo-proj/regions/us-central1/"
         "sslCertificates/hello-cert\ntype: SELF_MANAGED\nexpireTime: '" +
         expire + "'\n";
}
}  // namespace

TEST(CertificateExpiry, WarnsWithinThirtyDaysOnly) {
  lbcheck::testing::TempDir tmp;
  const auto soon = runOn({tmp.file("soon.yaml", certificate(rfc3339FromNow(10)))}, {"TLS007"});
  ASSERT_EQ(soon.findings.size(), 1u);
  EXPECT_EQ(soon.findings[0].severity, Severity::Warning);
  EXPECT_NE(soon.findings[0].message.find("expires on"), std::string::npos)
      << soon.findings[0].message;
  const auto later = runOn({tmp.file("later.yaml", certificate(rfc3339FromNow(45)))}, {"TLS007"});
  EXPECT_TRUE(later.findings.empty());
  const auto garbage = runOn({tmp.file("bad.yaml", certificate("next tuesday"))}, {"TLS007"});
  EXPECT_TRUE(garbage.findings.empty());
}

TEST(PrivateKeyInConfig, KeyNeverReachesMessagesAndIsMaskedInTheSource) {
  const auto r = runOn({"fixtures/rules/TLS006/fail.krm.yaml"}, {"TLS006"});
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.message.find("MIIB"), std::string::npos);
  EXPECT_EQ(f.help.find("MIIB"), std::string::npos);
  const SourceFile& file = r.sources.get(f.span.file);
  const std::string_view line = file.lineText(f.span.begin);
  const auto lineStart = static_cast<uint32_t>(line.data() - file.text().data());
  EXPECT_EQ(file.masked(lineStart, line).find("MIIB"), std::string::npos);
  // The key is sensitive in the model too, so no rule or merge note can quote it.
  for (const Resource& res : r.graph.resources()) {
    if (res.id.kind != Kind::SslCertificate) continue;
    EXPECT_TRUE(res.field("privateKey").sensitive);
    EXPECT_EQ(res.field("privateKey").text, "(sensitive)");
  }
}
