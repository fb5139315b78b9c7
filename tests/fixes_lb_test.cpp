// Structured fixes of the load-balancer rules: the same finding read from two
// inputs proposes the same canonical edit, and its help says it in each
// input's own syntax.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tests/fixes_helpers.h"

namespace lbcheck::testing {
namespace {

// --- LB006: a timeout on a backend service with a serverless NEG --------------

constexpr std::string_view kTimeoutTf = R"(
resource "google_compute_region_network_endpoint_group" "neg" {
  name                  = "neg"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = "hello"
  }
}

resource "google_compute_region_backend_service" "bs" {
  name                  = "bs"
  region                = "us-central1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"
  timeout_sec           = 60
  backend {
    group = google_compute_region_network_endpoint_group.neg.id
  }
}
)";

constexpr std::string_view kTimeoutScript =
    "gcloud compute network-endpoint-groups create neg --region=us-central1 "
    "--network-endpoint-type=serverless --cloud-run-service=hello\n"
    "gcloud compute backend-services create bs --region=us-central1 "
    "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP --timeout=60\n"
    "gcloud compute backend-services add-backend bs --region=us-central1 "
    "--network-endpoint-group=neg --network-endpoint-group-region=us-central1\n";

/// kTimeoutScript with `flags` in place of its backend service's --timeout.
std::string timeoutScriptWith(std::string_view flags) {
  std::string sh(kTimeoutScript);
  const std::string_view timeout = " --timeout=60";
  sh.replace(sh.find(timeout), timeout.size(), flags);
  return sh;
}

TEST(LbFixes, TimeoutOnServerlessBackendIsRemovedInEachInputsSyntax) {
  const auto tf = runOnInput("main.tf", kTimeoutTf, "LB006");
  const Finding* t = only(tf, "LB006");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->help,
            "remove timeout_sec; set the request timeout on the Cloud Run service instead");
  const Fix* fix = expectOneFix(*t, Edit::Op::Remove, "timeoutSec");
  ASSERT_NE(fix, nullptr);
  // A removal takes the attribute's whole line out.
  ASSERT_EQ(fix->replacements.size(), 1u);
  EXPECT_EQ(fix->replacements[0].text, "");
  EXPECT_EQ(textAt(tf, fix->replacements[0].span), "  timeout_sec           = 60\n");

  const auto sh = runOnInput("lb.sh", kTimeoutScript, "LB006");
  const Finding* s = only(sh, "LB006");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->help, "drop --timeout; set the request timeout on the Cloud Run service instead");
  expectOneFix(*s, Edit::Op::Remove, "timeoutSec");
  // The same finding in both inputs.
  EXPECT_EQ(t->message.substr(t->message.find(" is set to")),
            s->message.substr(s->message.find(" is set to")));
}

// --- LB005: a health check on a backend service with a serverless NEG ---------

constexpr std::string_view kHealthCheckKrm = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeRegionNetworkEndpointGroup
metadata:
  name: neg
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  region: us-central1
  networkEndpointType: SERVERLESS
  cloudRun:
    serviceRef:
      external: hello
---
apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeBackendService
metadata:
  name: bs
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  loadBalancingScheme: INTERNAL_MANAGED
  protocol: HTTP
  backend:
  - group:
      networkEndpointGroupRef:
        name: neg
  healthChecks:
  - healthCheckRef:
      external: projects/demo-proj/regions/us-central1/healthChecks/hc
)";

TEST(LbFixes, HealthCheckOnServerlessBackendNamesTheWholeList) {
  const auto krm = runOnInput("lb.yaml", kHealthCheckKrm, "LB005");
  const Finding* k = only(krm, "LB005");
  ASSERT_NE(k, nullptr);
  // The list, not its first element's reference.
  EXPECT_EQ(k->help.substr(0, k->help.find(" from ")), "remove spec.healthChecks");
  expectOneFix(*k, Edit::Op::Remove, "healthChecks");

  const auto script = runOnInput(
      "lb.sh", timeoutScriptWith(" --health-checks=hc --health-checks-region=us-central1"),
      "LB005");
  const Finding* s = only(script, "LB005");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->help.substr(0, s->help.find(" from ")), "drop --health-checks");
  expectOneFix(*s, Edit::Op::Remove, "healthChecks");
}

// --- LB019: the port and tier of an internal managed forwarding rule ----------

constexpr std::string_view kRuleTf = R"(
resource "google_compute_forwarding_rule" "fr" {
  name                  = "fr"
  region                = "us-central1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  network               = "projects/demo-proj/global/networks/net"
  subnetwork            = "projects/demo-proj/regions/us-central1/subnetworks/sub"
  target                = "projects/demo-proj/regions/us-central1/targetHttpsProxies/px"
  network_tier          = "STANDARD"
}
)";

constexpr std::string_view kRuleKrm = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeForwardingRule
metadata:
  name: fr
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  location: us-central1
  loadBalancingScheme: INTERNAL_MANAGED
  networkRef:
    external: projects/demo-proj/global/networks/net
  subnetworkRef:
    external: projects/demo-proj/regions/us-central1/subnetworks/sub
  target:
    targetHTTPSProxyRef:
      external: projects/demo-proj/regions/us-central1/targetHttpsProxies/px
  networkTier: STANDARD
)";

TEST(LbFixes, ForwardingRuleTierIsReplacedWhereItIsWritten) {
  const auto tf = runOnInput("main.tf", kRuleTf, "LB019");
  const Finding* t = only(tf, "LB019", "Premium Tier");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->help, "set network_tier = \"PREMIUM\" or leave it unset");
  const Fix* fix = expectOneFix(*t, Edit::Op::Set, "networkTier", "PREMIUM");
  ASSERT_NE(fix, nullptr);
  expectReplacement(tf, *fix, "\"STANDARD\"", "\"PREMIUM\"");

  const auto krm = runOnInput("fr.yaml", kRuleKrm, "LB019");
  const Finding* k = only(krm, "LB019", "Premium Tier");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->help, "set spec.networkTier: PREMIUM or leave it unset");
  fix = expectOneFix(*k, Edit::Op::Set, "networkTier", "PREMIUM");
  ASSERT_NE(fix, nullptr);
  expectReplacement(krm, *fix, "STANDARD", "PREMIUM");
}

TEST(LbFixes, MissingPortRangeProposesThePortOfTheProxysProtocol) {
  const auto tf = runOnInput("main.tf", kRuleTf, "LB019");
  const Finding* t = only(tf, "LB019", "sets no");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->help, "set port_range = 443 (or the one port clients connect to)");
  const Fix* fix = expectOneFix(*t, Edit::Op::Set, "portRange", "443");
  ASSERT_NE(fix, nullptr);
  EXPECT_TRUE(fix->replacements.empty());  // nothing written to replace

  const auto krm = runOnInput("fr.yaml", kRuleKrm, "LB019");
  const Finding* k = only(krm, "LB019", "sets no");
  ASSERT_NE(k, nullptr);
  // A string field: YAML quotes the number.
  EXPECT_EQ(k->help, "set spec.portRange: '443' (or the one port clients connect to)");
  expectOneFix(*k, Edit::Op::Set, "portRange", "443");
}

// --- LB021: a client in another region ----------------------------------------

constexpr std::string_view kClientTf = R"(
resource "google_compute_instance" "client" {
  name         = "client"
  zone         = "us-east1-b"
  machine_type = "e2-small"
  network_interface {
    network = "projects/demo-proj/global/networks/net"
  }
}
)";

constexpr std::string_view kClientKrm = R"(---
apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeInstance
metadata:
  name: client
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  zone: us-east1-b
  machineType: e2-small
  networkInterface:
  - networkRef:
      external: projects/demo-proj/global/networks/net
)";

TEST(LbFixes, GlobalAccessIsSetInEachInputsSyntax) {
  const auto tf = runOnInput("main.tf", std::string(kRuleTf) + std::string(kClientTf), "LB021");
  const Finding* t = only(tf, "LB021");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->help,
            "set allow_global_access = true on the forwarding rule (it can be changed in place), "
            "or create the client in us-central1");
  expectOneFix(*t, Edit::Op::Set, "allowGlobalAccess", "true");

  const auto krm = runOnInput("lb.yaml", std::string(kRuleKrm) + std::string(kClientKrm), "LB021");
  const Finding* k = only(krm, "LB021");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->help,
            "set spec.allowGlobalAccess: true on the forwarding rule (it can be changed in "
            "place), or create the client in us-central1");
  expectOneFix(*k, Edit::Op::Set, "allowGlobalAccess", "true");
  // The message names the field as the input spells it, written or not.
  EXPECT_NE(k->message.find("`spec.allowGlobalAccess` is not set"), std::string::npos);
}

// --- LB011: IAP with Cloud CDN -----------------------------------------------

TEST(LbFixes, IapAndCdnOffsAreAlternativesInEachInputsSyntax) {
  const auto script =
      runOnInput("lb.sh", timeoutScriptWith(" --enable-cdn --iap=enabled"), "LB011");
  const Finding* s = only(script, "LB011", "cannot be used together");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->help, "turn one of them off: pass --no-enable-cdn, or pass --iap=disabled");
  ASSERT_EQ(s->fixes.size(), 2u);  // alternatives
  expectEdit(s->fixes[0].edits[0], Edit::Op::Set, "enableCDN", "false");
  expectEdit(s->fixes[1].edits[0], Edit::Op::Set, "iap.enabled", "false");
  // A switch is not a value to replace; `--iap=enabled` is.
  EXPECT_TRUE(s->fixes[0].replacements.empty());
  expectReplacement(script, s->fixes[1], "enabled", "disabled");

  std::string tf(kTimeoutTf);
  const std::string timeoutTf = "timeout_sec           = 60\n";
  tf.replace(tf.find(timeoutTf), timeoutTf.size(),
             "enable_cdn = true\n  iap {\n    enabled = true\n  }\n");
  const auto hcl = runOnInput("main.tf", tf, "LB011");
  const Finding* t = only(hcl, "LB011", "cannot be used together");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->help.substr(0, t->help.find(", or ")),
            "turn one of them off: set enable_cdn = false");
  ASSERT_EQ(t->fixes.size(), 2u);
  expectEdit(t->fixes[0].edits[0], Edit::Op::Set, "enableCDN", "false");
  expectReplacement(hcl, t->fixes[0], "true", "false");
}

}  // namespace
}  // namespace lbcheck::testing
