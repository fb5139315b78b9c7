// engine/views.h: each view reads its kind's canonical paths, list elements by index,
// and an element or field that is not written reads as absent (unknown on a partial
// resource), exactly as Resource::field does.
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "engine/views.h"

namespace lbcheck {
namespace {

Field known(std::string text) {
  Field f;
  f.state = State::Known;
  f.text = std::move(text);
  return f;
}

Field number(long long n) {
  Field f = known(std::to_string(n));  // a number's value is read from its text
  f.isNumber = true;
  return f;
}

Resource resource(Kind kind) {
  Resource r;
  r.id.kind = kind;
  r.id.name = "x";
  return r;
}

TEST(Views, BackendServiceReadsItsPaths) {
  Resource r = resource(Kind::BackendService);
  r.fields["protocol"] = known("HTTP");
  r.fields["loadBalancingScheme"] = known("INTERNAL_MANAGED");
  r.fields["timeoutSec"] = number(45);
  r.fields["enableCDN"] = known("true");
  r.fields["cdnPolicy"] = known("(set)");
  r.fields["iap.enabled"] = known("false");
  r.fields["healthChecks[0]"] = known("hc");
  const BackendServiceView bs(r);
  EXPECT_EQ(&bs.resource(), &r);
  EXPECT_EQ(&bs.protocol(), &r.field("protocol"));
  EXPECT_EQ(bs.loadBalancingScheme().text, "INTERNAL_MANAGED");
  EXPECT_TRUE(bs.timeoutSec().isNumber);
  EXPECT_EQ(bs.timeoutSec().number(), 45);
  EXPECT_TRUE(bs.enableCdn().is("true"));
  EXPECT_TRUE(bs.cdnPolicy().known());
  EXPECT_TRUE(bs.iapEnabled().is("false"));
  EXPECT_EQ(bs.sessionAffinity().state, State::Absent);
  ASSERT_EQ(bs.healthChecks().size(), 1U);
  EXPECT_EQ(bs.healthChecks()[0].path(), "healthChecks[0]");
  EXPECT_EQ(bs.healthChecks()[0].value().text, "hc");
  EXPECT_EQ(std::string(BackendServiceView::kTimeoutSec), "timeoutSec");
  EXPECT_EQ(std::string(BackendServiceView::kIapEnabled), "iap.enabled");
}

TEST(Views, BackendsAreARangeOfElementViews) {
  Resource r = resource(Kind::BackendService);
  r.fields["backends[0].group"] = known("neg-a");
  r.fields["backends[0].balancingMode"] = known("RATE");
  r.fields["backends[0].capacityScaler"] = number(1);
  r.fields["backends[0].maxRate"] = number(100);
  // backends[1] is not written at all: a gap.
  r.fields["backends[2].group"] = known("ig-c");
  r.fields["backends[2].maxUtilization"] = number(1);
  const BackendServiceView bs(r);
  const auto list = bs.backends();
  ASSERT_EQ(list.size(), 3U);
  EXPECT_FALSE(list.empty());
  std::vector<std::string> groups;
  std::vector<std::string> paths;
  for (const BackendView b : list) {
    groups.push_back(b.group().text);
    paths.push_back(b.path(BackendView::kGroup));
  }
  EXPECT_EQ(groups, (std::vector<std::string>{"neg-a", "", "ig-c"}));
  EXPECT_EQ(paths, (std::vector<std::string>{"backends[0].group", "backends[1].group",
                                             "backends[2].group"}));
  EXPECT_EQ(list[0].path(), "backends[0]");
  EXPECT_EQ(list[0].index(), 0U);
  EXPECT_EQ(&list[0].group(), &r.field("backends[0].group"));
  EXPECT_TRUE(list[0].balancingMode().is("RATE"));
  EXPECT_EQ(list[0].capacityScaler().number(), 1);
  EXPECT_EQ(list[0].maxRate().number(), 100);
  EXPECT_EQ(list[2].maxUtilization().number(), 1);
  // The gap and an index past the end read absent fields.
  EXPECT_EQ(list[1].group().state, State::Absent);
  EXPECT_EQ(list[7].group().state, State::Absent);
  EXPECT_EQ(list[7].path(BackendView::kBalancingMode), "backends[7].balancingMode");
  EXPECT_EQ(list.field().state, State::Absent);
}

TEST(Views, NoBackendsAndAnUnknownList) {
  Resource r = resource(Kind::BackendService);
  EXPECT_TRUE(BackendServiceView(r).backends().empty());
  EXPECT_EQ(BackendServiceView(r).backends().begin(), BackendServiceView(r).backends().end());
  Field unknown;
  unknown.state = State::Unknown;
  r.fields["backends"] = unknown;
  EXPECT_TRUE(BackendServiceView(r).backends().empty());
  EXPECT_EQ(BackendServiceView(r).backends().field().state, State::Unknown);
}

TEST(Views, PartialResourceReadsUnknown) {
  Resource r = resource(Kind::BackendService);
  r.partial = true;
  const BackendServiceView bs(r);
  EXPECT_EQ(bs.timeoutSec().state, State::Unknown);
  EXPECT_EQ(bs.backends()[0].group().state, State::Unknown);
}

TEST(Views, TargetProxyKeepAlive) {
  Resource r = resource(Kind::TargetHttpsProxy);
  r.fields["httpKeepAliveTimeoutSec"] = number(700);
  r.fields["urlMap"] = known("map");
  r.fields["sslCertificates[0]"] = known("cert-a");
  r.fields["sslCertificates[1]"] = known("cert-b");
  r.fields["certificateMap"] = known("cm");
  const TargetProxyView p(r);
  EXPECT_EQ(&p.keepAliveSec(), &r.field("httpKeepAliveTimeoutSec"));
  EXPECT_EQ(p.keepAliveSec().number(), 700);
  EXPECT_EQ(std::string(TargetProxyView::kKeepAliveSec), "httpKeepAliveTimeoutSec");
  EXPECT_EQ(p.urlMap().text, "map");
  ASSERT_EQ(p.sslCertificates().size(), 2U);
  EXPECT_EQ(p.sslCertificates()[1].value().text, "cert-b");
  EXPECT_TRUE(p.certificateManagerCertificates().empty());
  EXPECT_EQ(p.certificateMap().text, "cm");
  EXPECT_EQ(p.sslPolicy().state, State::Absent);
}

TEST(Views, ForwardingRule) {
  Resource r = resource(Kind::ForwardingRule);
  r.fields["loadBalancingScheme"] = known("INTERNAL_MANAGED");
  r.fields["target"] = known("proxy");
  r.fields["network"] = known("net");
  r.fields["subnetwork"] = known("sub");
  r.fields["IPAddress"] = known("10.0.0.5");
  r.fields["IPProtocol"] = known("TCP");
  r.fields["portRange"] = known("80");
  r.fields["ports[0]"] = known("8080");
  r.fields["allowGlobalAccess"] = known("true");
  const ForwardingRuleView fr(r);
  EXPECT_TRUE(fr.loadBalancingScheme().is("INTERNAL_MANAGED"));
  EXPECT_EQ(fr.target().text, "proxy");
  EXPECT_EQ(fr.network().text, "net");
  EXPECT_EQ(fr.subnetwork().text, "sub");
  EXPECT_EQ(fr.ipAddress().text, "10.0.0.5");
  EXPECT_EQ(fr.ipProtocol().text, "TCP");
  EXPECT_EQ(fr.portRange().text, "80");
  ASSERT_EQ(fr.ports().size(), 1U);
  EXPECT_EQ(fr.ports()[0].value().text, "8080");
  EXPECT_EQ(fr.ports()[1].value().state, State::Absent);
  EXPECT_TRUE(fr.allowGlobalAccess().is("true"));
  EXPECT_EQ(fr.backendService().state, State::Absent);
  EXPECT_EQ(fr.allPorts().state, State::Absent);
  EXPECT_EQ(fr.networkTier().state, State::Absent);
}

TEST(Views, ServerlessNeg) {
  Resource r = resource(Kind::NetworkEndpointGroup);
  r.fields["networkEndpointType"] = known("SERVERLESS");
  r.fields["cloudRun"] = known("(set)");
  r.fields["cloudRun.service"] = known("hello");
  r.fields["cloudRun.urlMask"] = known("example.com/<service>");
  r.fields["region"] = known("us-central1");
  const ServerlessNegView neg(r);
  EXPECT_TRUE(neg.networkEndpointType().is("SERVERLESS"));
  EXPECT_TRUE(neg.cloudRun().known());
  EXPECT_EQ(&neg.cloudRunService(), &r.field("cloudRun.service"));
  EXPECT_EQ(neg.cloudRunService().text, "hello");
  EXPECT_EQ(neg.cloudRunUrlMask().text, "example.com/<service>");
  EXPECT_EQ(neg.cloudRunTag().state, State::Absent);
  EXPECT_EQ(neg.region().text, "us-central1");
  EXPECT_EQ(neg.zone().state, State::Absent);
  EXPECT_EQ(std::string(ServerlessNegView::kCloudRunUrlMask), "cloudRun.urlMask");
}

TEST(Views, Subnetwork) {
  Resource r = resource(Kind::Subnetwork);
  r.fields["purpose"] = known("REGIONAL_MANAGED_PROXY");
  r.fields["role"] = known("ACTIVE");
  r.fields["ipCidrRange"] = known("10.129.0.0/23");
  r.fields["network"] = known("net");
  r.fields["logConfig"] = known("(set)");
  r.fields["logConfig.enable"] = known("true");
  const SubnetworkView s(r);
  EXPECT_TRUE(s.purpose().is("REGIONAL_MANAGED_PROXY"));
  EXPECT_TRUE(s.role().is("ACTIVE"));
  EXPECT_EQ(s.ipCidrRange().text, "10.129.0.0/23");
  EXPECT_EQ(s.network().text, "net");
  EXPECT_TRUE(s.logConfig().known());
  EXPECT_TRUE(s.logConfigEnable().is("true"));
  EXPECT_EQ(s.enableFlowLogs().state, State::Absent);
}

TEST(Views, RunService) {
  Resource r = resource(Kind::RunService);
  r.fields["ingress"] = known("INGRESS_TRAFFIC_ALL");
  r.fields["ingressAnnotation"] = known("all");
  r.fields["defaultUriDisabled"] = known("true");
  r.fields["traffic[0].tag"] = known("blue");
  r.fields["traffic[1].tag"] = known("green");
  const RunServiceView run(r);
  EXPECT_TRUE(run.ingress().is("INGRESS_TRAFFIC_ALL"));
  EXPECT_EQ(run.ingressAnnotation().text, "all");
  EXPECT_TRUE(run.defaultUriDisabled().is("true"));
  EXPECT_EQ(run.invokerIamDisabled().state, State::Absent);
  EXPECT_EQ(run.iapEnabled().state, State::Absent);
  ASSERT_EQ(run.traffic().size(), 2U);
  EXPECT_EQ(run.traffic()[1].field("tag").text, "green");
  EXPECT_EQ(run.traffic()[1].path("tag"), "traffic[1].tag");
  EXPECT_EQ(run.traffic()[2].field("tag").state, State::Absent);
}

TEST(Views, AViewIsAPointer) {
  static_assert(sizeof(BackendServiceView) == sizeof(const Resource*));
  static_assert(sizeof(TargetProxyView) == sizeof(const Resource*));
  static_assert(std::is_trivially_copyable_v<BackendView>);
  Resource r = resource(Kind::BackendService);
  r.fields["x.y"] = known("z");
  EXPECT_EQ(BackendServiceView(r).field("x.y").text, "z");  // what a view does not name
}

}  // namespace
}  // namespace lbcheck
