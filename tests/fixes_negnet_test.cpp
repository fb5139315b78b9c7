// Structured fixes of the NEG and NET rules: the same finding read from two
// inputs proposes the same canonical edit, and each input says it (and, in a
// hand-written file, rewrites the written value) in its own syntax.
#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string_view>

#include "tests/fixes_helpers.h"

namespace lbcheck::testing {
namespace {

/// One input of a fix test: rule `rule` on a file `file` holding `text` finds
/// something whose help is `help` and whose one fix is one edit (`op` of `field`
/// to `value`), replacing the written bytes `was` by `becomes` (when checked).
struct FixRow {
  std::string_view file;
  std::string_view text;
  std::string_view rule;
  std::string_view help;
  Edit::Op op;
  std::string_view field;
  std::string_view value;
  std::optional<std::string_view> was;      // none: nothing is written to replace
  std::optional<std::string_view> becomes;  // none: not checked
};

void expectRow(const FixRow& row) {
  const RunResult r = runOnInput(row.file, row.text, row.rule);
  const Finding* f = first(r, row.rule);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help, row.help);
  const Fix* fix = expectOneFix(*f, row.op, row.field, row.value);
  ASSERT_NE(fix, nullptr);
  if (!row.was) {
    EXPECT_TRUE(fix->replacements.empty());
    return;
  }
  ASSERT_EQ(fix->replacements.size(), 1u);
  EXPECT_EQ(textAt(r, fix->replacements[0].span), *row.was);
  if (row.becomes) {
    EXPECT_EQ(fix->replacements[0].text, *row.becomes);
  }
}

void expectRows(std::initializer_list<FixRow> rows) {
  for (const FixRow& row : rows) {
    SCOPED_TRACE(row.file);
    expectRow(row);
  }
}

// NET009: an open source range becomes the IAP range.
TEST(NegNetFixes, Net009TerraformAndScript) {
  expectRows({
      {"main.tf",
       R"(resource "google_compute_firewall" "ssh" {
  name          = "fw-ssh"
  network       = "default"
  direction     = "INGRESS"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
)",
       "NET009",
       "restrict `source_ranges` to the addresses that need SSH, e.g. the range IAP TCP "
       "forwarding connects from: set source_ranges[0] = \"35.235.240.0/20\"",
       Edit::Op::Set, "sourceRanges[0]", "35.235.240.0/20", "\"0.0.0.0/0\"", "\"35.235.240.0/20\""},
      {"fw.sh",
       "gcloud compute firewall-rules create fw-ssh --network=default --direction=INGRESS "
       "--allow=tcp:22 --source-ranges=0.0.0.0/0\n",
       "NET009",
       "restrict `--source-ranges` to the addresses that need SSH, e.g. the range IAP TCP "
       "forwarding connects from: pass --source-ranges=35.235.240.0/20",
       Edit::Op::Set, "sourceRanges[0]", "35.235.240.0/20", "0.0.0.0/0", "35.235.240.0/20"},
  });
}

// NET003: the legacy purpose is migrated in place.
TEST(NegNetFixes, Net003TerraformAndScript) {
  expectRows({
      {"main.tf",
       R"(resource "google_compute_subnetwork" "legacy" {
  name          = "legacy"
  region        = "us-central1"
  network       = "lb-network"
  ip_cidr_range = "10.129.0.0/23"
  purpose       = "INTERNAL_HTTPS_LOAD_BALANCER"
  role          = "ACTIVE"
}
)",
       "NET003",
       "migrate it in place: set purpose = \"REGIONAL_MANAGED_PROXY\" (the purpose can be "
       "updated without downtime; if applying the change would re-create the subnet "
       "instead, update the existing subnet's purpose first)",
       Edit::Op::Set, "purpose", "REGIONAL_MANAGED_PROXY", "\"INTERNAL_HTTPS_LOAD_BALANCER\"",
       "\"REGIONAL_MANAGED_PROXY\""},
      {"net.sh",
       "gcloud compute networks subnets create legacy --region=us-central1 "
       "--network=lb-network --range=10.129.0.0/23 --purpose=INTERNAL_HTTPS_LOAD_BALANCER "
       "--role=ACTIVE\n",
       "NET003",
       "migrate it in place: pass --purpose=REGIONAL_MANAGED_PROXY (the purpose can be "
       "updated without downtime; if applying the change would re-create the subnet "
       "instead, update the existing subnet's purpose first)",
       Edit::Op::Set, "purpose", "REGIONAL_MANAGED_PROXY", "INTERNAL_HTTPS_LOAD_BALANCER",
       "REGIONAL_MANAGED_PROXY"},
  });
}

// NET005: a proxy-only subnet without a role gets ACTIVE; nothing is written
// to replace, so the fix is said, not located.
TEST(NegNetFixes, Net005TerraformAndKrm) {
  expectRows({
      {"main.tf",
       R"(resource "google_compute_subnetwork" "proxy" {
  name          = "proxy"
  region        = "us-central1"
  network       = "lb-network"
  ip_cidr_range = "10.129.0.0/23"
  purpose       = "REGIONAL_MANAGED_PROXY"
}
)",
       "NET005", "set role = \"ACTIVE\"", Edit::Op::Set, "role", "ACTIVE", std::nullopt,
       std::nullopt},
      {"subnet.yaml",
       R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeSubnetwork
metadata:
  name: proxy
spec:
  region: us-central1
  ipCidrRange: 10.129.0.0/23
  purpose: REGIONAL_MANAGED_PROXY
  networkRef:
    name: lb-network
)",
       "NET005", "set spec.role: ACTIVE", Edit::Op::Set, "role", "ACTIVE", std::nullopt,
       std::nullopt},
  });
}

// NEG001: a serverless target in a NEG of another type: make the type SERVERLESS.
TEST(NegNetFixes, Neg001TerraformAndKrm) {
  expectRows({
      {"main.tf",
       R"(resource "google_compute_region_network_endpoint_group" "neg" {
  name                  = "neg"
  region                = "us-central1"
  network_endpoint_type = "PRIVATE_SERVICE_CONNECT"
  cloud_run {
    service = "hello"
  }
}
)",
       "NEG001",
       "make it a regional serverless NEG: set network_endpoint_type = \"SERVERLESS\", or "
       "remove the serverless target (`cloud_run`) if the NEG is not meant to be "
       "serverless",
       Edit::Op::Set, "networkEndpointType", "SERVERLESS", "\"PRIVATE_SERVICE_CONNECT\"",
       "\"SERVERLESS\""},
      {"neg.yaml",
       R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeRegionNetworkEndpointGroup
metadata:
  name: neg
spec:
  region: us-central1
  networkEndpointType: PRIVATE_SERVICE_CONNECT
  cloudRun:
    serviceRef:
      name: hello
)",
       "NEG001",
       "make it a regional serverless NEG: set spec.networkEndpointType: SERVERLESS, or "
       "remove the serverless target (`spec.cloudRun`) if the NEG is not meant to be "
       "serverless",
       Edit::Op::Set, "networkEndpointType", "SERVERLESS", "PRIVATE_SERVICE_CONNECT", "SERVERLESS"},
  });
}

// NEG001 on a script: a serverless NEG created in a zone moves to a region.
TEST(NegNetFixes, Neg001ZonalScript) {
  const RunResult r =
      runOnInput("neg.sh",
                 "gcloud compute network-endpoint-groups create zonal-neg --zone=us-central1-a "
                 "--network-endpoint-type=serverless --cloud-run-service=orders-api\n",
                 "NEG001");
  const Finding* f = first(r, "NEG001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "create it as a regional serverless NEG in the region of its Cloud Run service "
            "(`--region`): drop --zone");
  expectOneFix(*f, Edit::Op::Remove, "zone");
}

// NEG008: a mask that ends at "/" takes <service> there.
TEST(NegNetFixes, Neg008TerraformAndKrm) {
  expectRows({
      {"main.tf",
       R"(resource "google_compute_region_network_endpoint_group" "neg" {
  name                  = "neg"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    url_mask = "<tag>.example.com/"
  }
}
)",
       "NEG008",
       "put <service> in the mask: set cloud_run.url_mask = "
       "\"<tag>.example.com/<service>\", or set `cloud_run.service`",
       Edit::Op::Set, "cloudRun.urlMask", "<tag>.example.com/<service>", "\"<tag>.example.com/\"",
       "\"<tag>.example.com/<service>\""},
      {"neg.yaml",
       R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeRegionNetworkEndpointGroup
metadata:
  name: neg
spec:
  region: us-central1
  networkEndpointType: SERVERLESS
  cloudRun:
    urlMask: "<tag>.example.com/"
)",
       "NEG008",
       "put <service> in the mask: set spec.cloudRun.urlMask: <tag>.example.com/<service>, "
       "or set `spec.cloudRun.serviceRef`",
       Edit::Op::Set, "cloudRun.urlMask", "<tag>.example.com/<service>", "\"<tag>.example.com/\"",
       std::nullopt},
  });
}

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
}  // namespace lbcheck::testing
