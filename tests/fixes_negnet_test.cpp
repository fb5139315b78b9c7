// Structured fixes of the NEG and NET rules: the same finding read from two
// inputs proposes the same canonical edit, and each input says it (and, in a
// hand-written file, rewrites the written value) in its own syntax.
#include <gtest/gtest.h>

#include <string>

#include "helpers.h"

namespace lbcheck {
namespace {

using lbcheck::testing::runOn;
using lbcheck::testing::TempDir;

/// The first finding of `rule`; fails the test when there is none.
const Finding* first(const RunResult& r, std::string_view rule) {
  for (const Finding& f : r.findings)
    if (f.ruleId == rule) return &f;
  ADD_FAILURE() << "no " << rule << " finding";
  return nullptr;
}

/// The bytes a replacement rewrites.
std::string replaced(const RunResult& r, const Replacement& rep) {
  return std::string(
      r.sources.get(rep.span.file).text().substr(rep.span.begin, rep.span.end - rep.span.begin));
}

void expectEdit(const Finding& f, Edit::Op op, const std::string& field, const std::string& value) {
  ASSERT_FALSE(f.fixes.empty());
  ASSERT_FALSE(f.fixes[0].edits.empty());
  const Edit& e = f.fixes[0].edits[0];
  EXPECT_EQ(e.op, op);
  EXPECT_EQ(e.field, field);
  EXPECT_EQ(e.value, value);
}

constexpr const char* kKrmHeader = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
)";

// NET009: an open source range becomes the IAP range.
TEST(NegNetFixes, Net009TerraformAndScript) {
  {
    TempDir tmp;
    tmp.file("main.tf", R"(resource "google_compute_firewall" "ssh" {
  name          = "fw-ssh"
  network       = "default"
  direction     = "INGRESS"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
)");
    const RunResult r = runOn({tmp.path()}, {"NET009"});
    const Finding* f = first(r, "NET009");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "restrict `source_ranges` to the addresses that need SSH, e.g. the range IAP TCP "
              "forwarding connects from: set source_ranges[0] = \"35.235.240.0/20\"");
    expectEdit(*f, Edit::Op::Set, "sourceRanges[0]", "35.235.240.0/20");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "\"0.0.0.0/0\"");
    EXPECT_EQ(f->fixes[0].replacements[0].text, "\"35.235.240.0/20\"");
  }
  {
    TempDir tmp;
    tmp.file("fw.sh",
             "gcloud compute firewall-rules create fw-ssh --network=default --direction=INGRESS "
             "--allow=tcp:22 --source-ranges=0.0.0.0/0\n");
    const RunResult r = runOn({tmp.path()}, {"NET009"});
    const Finding* f = first(r, "NET009");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "restrict `--source-ranges` to the addresses that need SSH, e.g. the range IAP TCP "
              "forwarding connects from: pass --source-ranges=35.235.240.0/20");
    expectEdit(*f, Edit::Op::Set, "sourceRanges[0]", "35.235.240.0/20");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "0.0.0.0/0");
    EXPECT_EQ(f->fixes[0].replacements[0].text, "35.235.240.0/20");
  }
}

// NET003: the legacy purpose is migrated in place.
TEST(NegNetFixes, Net003TerraformAndScript) {
  {
    TempDir tmp;
    tmp.file("main.tf", R"(resource "google_compute_subnetwork" "legacy" {
  name          = "legacy"
  region        = "us-central1"
  network       = "lb-network"
  ip_cidr_range = "10.129.0.0/23"
  purpose       = "INTERNAL_HTTPS_LOAD_BALANCER"
  role          = "ACTIVE"
}
)");
    const RunResult r = runOn({tmp.path()}, {"NET003"});
    const Finding* f = first(r, "NET003");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "migrate it in place: set purpose = \"REGIONAL_MANAGED_PROXY\" (the purpose can be "
              "updated without downtime; if applying the change would re-create the subnet "
              "instead, update the existing subnet's purpose first)");
    expectEdit(*f, Edit::Op::Set, "purpose", "REGIONAL_MANAGED_PROXY");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "\"INTERNAL_HTTPS_LOAD_BALANCER\"");
    EXPECT_EQ(f->fixes[0].replacements[0].text, "\"REGIONAL_MANAGED_PROXY\"");
  }
  {
    TempDir tmp;
    tmp.file("net.sh",
             "gcloud compute networks subnets create legacy --region=us-central1 "
             "--network=lb-network --range=10.129.0.0/23 --purpose=INTERNAL_HTTPS_LOAD_BALANCER "
             "--role=ACTIVE\n");
    const RunResult r = runOn({tmp.path()}, {"NET003"});
    const Finding* f = first(r, "NET003");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "migrate it in place: pass --purpose=REGIONAL_MANAGED_PROXY (the purpose can be "
              "updated without downtime; if applying the change would re-create the subnet "
              "instead, update the existing subnet's purpose first)");
    expectEdit(*f, Edit::Op::Set, "purpose", "REGIONAL_MANAGED_PROXY");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "INTERNAL_HTTPS_LOAD_BALANCER");
    EXPECT_EQ(f->fixes[0].replacements[0].text, "REGIONAL_MANAGED_PROXY");
  }
}

// NET005: a proxy-only subnet without a role gets ACTIVE; nothing is written
// to replace, so the fix is said, not located.
TEST(NegNetFixes, Net005TerraformAndKrm) {
  {
    TempDir tmp;
    tmp.file("main.tf", R"(resource "google_compute_subnetwork" "proxy" {
  name          = "proxy"
  region        = "us-central1"
  network       = "lb-network"
  ip_cidr_range = "10.129.0.0/23"
  purpose       = "REGIONAL_MANAGED_PROXY"
}
)");
    const RunResult r = runOn({tmp.path()}, {"NET005"});
    const Finding* f = first(r, "NET005");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help, "set role = \"ACTIVE\"");
    expectEdit(*f, Edit::Op::Set, "role", "ACTIVE");
    EXPECT_TRUE(f->fixes[0].replacements.empty());
  }
  {
    TempDir tmp;
    tmp.file("subnet.yaml", std::string(kKrmHeader) + R"(kind: ComputeSubnetwork
metadata:
  name: proxy
spec:
  region: us-central1
  ipCidrRange: 10.129.0.0/23
  purpose: REGIONAL_MANAGED_PROXY
  networkRef:
    name: lb-network
)");
    const RunResult r = runOn({tmp.path()}, {"NET005"});
    const Finding* f = first(r, "NET005");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help, "set spec.role: ACTIVE");
    expectEdit(*f, Edit::Op::Set, "role", "ACTIVE");
    EXPECT_TRUE(f->fixes[0].replacements.empty());
  }
}

// NEG001: a serverless target in a NEG of another type: make the type SERVERLESS.
TEST(NegNetFixes, Neg001TerraformAndKrm) {
  {
    TempDir tmp;
    tmp.file("main.tf", R"(resource "google_compute_region_network_endpoint_group" "neg" {
  name                  = "neg"
  region                = "us-central1"
  network_endpoint_type = "PRIVATE_SERVICE_CONNECT"
  cloud_run {
    service = "hello"
  }
}
)");
    const RunResult r = runOn({tmp.path()}, {"NEG001"});
    const Finding* f = first(r, "NEG001");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "make it a regional serverless NEG: set network_endpoint_type = \"SERVERLESS\", or "
              "remove the serverless target (`cloud_run`) if the NEG is not meant to be "
              "serverless");
    expectEdit(*f, Edit::Op::Set, "networkEndpointType", "SERVERLESS");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "\"PRIVATE_SERVICE_CONNECT\"");
    EXPECT_EQ(f->fixes[0].replacements[0].text, "\"SERVERLESS\"");
  }
  {
    TempDir tmp;
    tmp.file("neg.yaml", std::string(kKrmHeader) + R"(kind: ComputeRegionNetworkEndpointGroup
metadata:
  name: neg
spec:
  region: us-central1
  networkEndpointType: PRIVATE_SERVICE_CONNECT
  cloudRun:
    serviceRef:
      name: hello
)");
    const RunResult r = runOn({tmp.path()}, {"NEG001"});
    const Finding* f = first(r, "NEG001");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "make it a regional serverless NEG: set spec.networkEndpointType: SERVERLESS, or "
              "remove the serverless target (`spec.cloudRun`) if the NEG is not meant to be "
              "serverless");
    expectEdit(*f, Edit::Op::Set, "networkEndpointType", "SERVERLESS");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "PRIVATE_SERVICE_CONNECT");
    EXPECT_EQ(f->fixes[0].replacements[0].text, "SERVERLESS");
  }
}

// NEG001 on a script: a serverless NEG created in a zone moves to a region.
TEST(NegNetFixes, Neg001ZonalScript) {
  TempDir tmp;
  tmp.file("neg.sh",
           "gcloud compute network-endpoint-groups create zonal-neg --zone=us-central1-a "
           "--network-endpoint-type=serverless --cloud-run-service=orders-api\n");
  const RunResult r = runOn({tmp.path()}, {"NEG001"});
  const Finding* f = first(r, "NEG001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "create it as a regional serverless NEG in the region of its Cloud Run service "
            "(`--region`): drop --zone");
  expectEdit(*f, Edit::Op::Remove, "zone", "");
}

// NEG008: a mask that ends at "/" takes <service> there.
TEST(NegNetFixes, Neg008TerraformAndKrm) {
  {
    TempDir tmp;
    tmp.file("main.tf", R"(resource "google_compute_region_network_endpoint_group" "neg" {
  name                  = "neg"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    url_mask = "<tag>.example.com/"
  }
}
)");
    const RunResult r = runOn({tmp.path()}, {"NEG008"});
    const Finding* f = first(r, "NEG008");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "put <service> in the mask: set cloud_run.url_mask = "
              "\"<tag>.example.com/<service>\", or set `cloud_run.service`");
    expectEdit(*f, Edit::Op::Set, "cloudRun.urlMask", "<tag>.example.com/<service>");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "\"<tag>.example.com/\"");
    EXPECT_EQ(f->fixes[0].replacements[0].text, "\"<tag>.example.com/<service>\"");
  }
  {
    TempDir tmp;
    tmp.file("neg.yaml", std::string(kKrmHeader) + R"(kind: ComputeRegionNetworkEndpointGroup
metadata:
  name: neg
spec:
  region: us-central1
  networkEndpointType: SERVERLESS
  cloudRun:
    urlMask: "<tag>.example.com/"
)");
    const RunResult r = runOn({tmp.path()}, {"NEG008"});
    const Finding* f = first(r, "NEG008");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->help,
              "put <service> in the mask: set spec.cloudRun.urlMask: <tag>.example.com/<service>, "
              "or set `spec.cloudRun.serviceRef`");
    expectEdit(*f, Edit::Op::Set, "cloudRun.urlMask", "<tag>.example.com/<service>");
    ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
    EXPECT_EQ(replaced(r, f->fixes[0].replacements[0]), "\"<tag>.example.com/\"");
  }
}

}  // namespace
}  // namespace lbcheck

namespace lbcheck {
namespace {

// A path that names a list maps to the whole list, also when the input's
// pattern adds leading segments.
TEST(NegNetFixes, MapPathNamesTheWholeListBehindAPrefix) {
  EXPECT_EQ(mapPath("sourceRanges", "sourceRanges[*]", "spec.sourceRanges[*]"),
            "spec.sourceRanges");
  EXPECT_EQ(mapPath("sourceRanges", "sourceRanges[*]", "source_ranges[*]"), "source_ranges");
  EXPECT_EQ(mapPath("cloudRun", "cloudRun.service", "cloud_run[0].service"), "cloud_run");
  EXPECT_EQ(mapPath("cloudRun", "cloudRun.service", "spec.cloudRun.serviceRef"), "spec.cloudRun");
  EXPECT_EQ(mapPath("backends", "backends[*].balancingMode", "backend[*].balancing_mode"),
            "backend");
}

}  // namespace
}  // namespace lbcheck
