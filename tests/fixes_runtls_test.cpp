// Structured fixes of the Cloud Run and TLS rules: the rule proposes a canonical
// edit; each input's dialect says it in its own syntax and, in a hand-written
// file, names the bytes to replace.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tests/fixes_helpers.h"

namespace lbcheck::testing {
namespace {

// A Cloud Run service behind an internal Application Load Balancer: the load
// balancer's half, as a script and as Terraform.
constexpr const char* kLbScript =
    "gcloud compute network-endpoint-groups create hello-neg --region=us-central1 "
    "--network-endpoint-type=serverless --cloud-run-service=hello-run\n"
    "gcloud compute backend-services create hello-backend --region=us-central1 "
    "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n"
    "gcloud compute backend-services add-backend hello-backend --region=us-central1 "
    "--network-endpoint-group=hello-neg --network-endpoint-group-region=us-central1\n";

constexpr const char* kLbTerraform = R"(
resource "google_compute_region_network_endpoint_group" "neg" {
  name                  = "hello-neg"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = google_cloud_run_v2_service.app.name
  }
}

resource "google_compute_region_backend_service" "backend" {
  name                  = "hello-backend"
  region                = "us-central1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"
  backend {
    group = google_compute_region_network_endpoint_group.neg.id
  }
}
)";

/// A Cloud Run (v2) service in Terraform with its ingress set to `ingress`.
std::string runServiceTf(std::string_view ingress) {
  return R"(
resource "google_cloud_run_v2_service" "app" {
  name     = "hello-run"
  location = "us-central1"
  ingress  = ")" +
         std::string(ingress) + R"("
  template {
    containers {
      image = "us-docker.pkg.dev/cloudrun/container/hello"
    }
  }
}
)";
}

TEST(RunTlsFixes, Run002ScriptPassesTheShortIngressAndReplacesTheWrittenValue) {
  const RunResult r =
      runOnInput("deploy.sh",
                 std::string("gcloud run deploy hello-run --region=us-central1 "
                             "--image=us-docker.pkg.dev/cloudrun/container/hello --ingress=all\n") +
                     kLbScript,
                 "RUN002");
  const Finding* f = only(r, "RUN002");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "pass --ingress=internal (traffic from the internal load balancer counts as internal), "
            "or pass --ingress=internal-and-cloud-load-balancing");
  ASSERT_EQ(f->fixes.size(), 2u);  // the preferred setting, then the alternative
  ASSERT_EQ(f->fixes[0].edits.size(), 1u);
  expectEdit(f->fixes[0].edits[0], Edit::Op::Set, "ingress",
             "INGRESS_TRAFFIC_INTERNAL_ONLY");  // canonical
  EXPECT_EQ(f->fixes[0].description, "pass --ingress=internal");
  expectReplacement(r, f->fixes[0], "all", "internal");
  EXPECT_EQ(f->fixes[1].edits[0].value, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
  EXPECT_EQ(f->fixes[1].replacements.at(0).text, "internal-and-cloud-load-balancing");
}

TEST(RunTlsFixes, Run002TerraformSetsTheV2ValueInPlace) {
  const RunResult r =
      runOnInput("main.tf", runServiceTf("INGRESS_TRAFFIC_ALL") + kLbTerraform, "RUN002");
  const Finding* f = only(r, "RUN002");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "set ingress = \"INGRESS_TRAFFIC_INTERNAL_ONLY\" (traffic from the internal load "
            "balancer counts as internal), or set ingress = "
            "\"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER\"");
  ASSERT_FALSE(f->fixes.empty());
  ASSERT_EQ(f->fixes[0].edits.size(), 1u);
  EXPECT_EQ(f->fixes[0].edits[0].field, "ingress");
  EXPECT_EQ(f->fixes[0].edits[0].value, "INGRESS_TRAFFIC_INTERNAL_ONLY");
  expectReplacement(r, f->fixes[0], "\"INGRESS_TRAFFIC_ALL\"", "\"INGRESS_TRAFFIC_INTERNAL_ONLY\"");
}

// RUN003: the same canonical edit, said by Terraform and by Config Connector.
TEST(RunTlsFixes, Run003SaysTheEditInEachInputsSyntax) {
  const RunResult tfRun =
      runOnInput("main.tf", runServiceTf("INGRESS_TRAFFIC_NONE") + kLbTerraform, "RUN003");
  const Finding* f = only(tfRun, "RUN003");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "set ingress = \"INGRESS_TRAFFIC_INTERNAL_ONLY\": traffic from an internal load "
            "balancer counts as internal");
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].edits[0].field, "ingress");
  EXPECT_EQ(f->fixes[0].edits[0].value, "INGRESS_TRAFFIC_INTERNAL_ONLY");
  ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
  EXPECT_EQ(textAt(tfRun, f->fixes[0].replacements[0].span), "\"INGRESS_TRAFFIC_NONE\"");

  const RunResult krmRun = runOnInput("run.yaml", R"(apiVersion: run.cnrm.cloud.google.com/v1beta1
kind: RunService
metadata:
  name: hello-run
spec:
  location: us-central1
  projectRef:
    external: demo-proj
  ingress: INGRESS_TRAFFIC_NONE
  template:
    containers:
    - image: us-docker.pkg.dev/cloudrun/container/hello
---
apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeNetworkEndpointGroup
metadata:
  name: hello-neg
spec:
  location: us-central1
  networkEndpointType: SERVERLESS
  cloudRun:
    serviceRef:
      name: hello-run
)",
                                      "RUN003");
  f = only(krmRun, "RUN003");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "set spec.ingress: INGRESS_TRAFFIC_INTERNAL_ONLY: traffic from an internal load "
            "balancer counts as internal");
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].edits[0].value, "INGRESS_TRAFFIC_INTERNAL_ONLY");
  expectReplacement(krmRun, f->fixes[0], "INGRESS_TRAFFIC_NONE", "INGRESS_TRAFFIC_INTERNAL_ONLY");
}

// RUN001: the value the author probably meant, in the input's own spelling.
TEST(RunTlsFixes, Run001SuggestsTheSpellingOfTheMeantValue) {
  const RunResult r = runOnInput("main.tf", runServiceTf("internal"), "RUN001");
  const Finding* f = only(r, "RUN001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "set ingress = \"INGRESS_TRAFFIC_INTERNAL_ONLY\" (how this input spells "
            "`internal`)");
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].edits[0].value, "INGRESS_TRAFFIC_INTERNAL_ONLY");
  ASSERT_EQ(f->fixes[0].replacements.size(), 1u);
  EXPECT_EQ(f->fixes[0].replacements[0].text, "\"INGRESS_TRAFFIC_INTERNAL_ONLY\"");

  // The v1 service (annotation, short values) of a plan: said, never replaced.
  const RunResult v1 = runOn({"fixtures/rules/RUN001/fail-v1.tfplan.json"}, {"RUN001"});
  f = only(v1, "RUN001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->help,
            "set metadata.annotations[\"run.googleapis.com/ingress\"] = \"internal\" (how this "
            "input spells `INGRESS_TRAFFIC_INTERNAL_ONLY`)");
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].edits[0].value, "INGRESS_TRAFFIC_INTERNAL_ONLY");  // canonical
  EXPECT_TRUE(f->fixes[0].replacements.empty());
}

// TLS002: a removal, said per input (Config Connector, a gcloud export).
TEST(RunTlsFixes, Tls002DropsTheCertificateMapInEachInputsSyntax) {
  const RunResult krm = runOn({"fixtures/rules/TLS002/fail.krm.yaml"}, {"TLS002"});
  const Finding* f = only(krm, "TLS002");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->fixes.size(), 1u);
  ASSERT_EQ(f->fixes[0].edits.size(), 1u);
  EXPECT_EQ(f->fixes[0].edits[0].op, Edit::Op::Remove);
  EXPECT_EQ(f->fixes[0].edits[0].field, "certificateMap");
  EXPECT_EQ(f->help.rfind("remove spec.certificateMapRef and list", 0), 0u) << f->help;
  EXPECT_NE(f->help.find("`spec.certificateManagerCertificates`"), std::string::npos) << f->help;

  // A gcloud export speaks the API's names.
  const RunResult api = runOn({"fixtures/rules/TLS002/fail-gcloud"}, {"TLS002"});
  f = only(api, "TLS002");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->fixes.size(), 1u);
  EXPECT_EQ(f->fixes[0].edits[0].field, "certificateMap");
  EXPECT_EQ(f->help,
            "remove certificateMap and list regional Certificate Manager certificates in "
            "`certificateManagerCertificates` (or regional SSL certificates in "
            "`sslCertificates`)");
  EXPECT_TRUE(f->fixes[0].replacements.empty());  // a removal names no bytes
}

}  // namespace
}  // namespace lbcheck::testing
