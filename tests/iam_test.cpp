// Grants of roles/run.invoker that the fixtures do not show: policy files
// next to a gcloud script (`gcloud run services set-iam-policy SERVICE FILE`),
// project-wide grants from gcloud and Config Connector, and IAM objects on
// other kinds of resource.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "helpers.h"

using lbcheck::testing::runOn;
using lbcheck::testing::TempDir;

namespace {

std::string script(const std::string& policyFile) {
  return "gcloud run deploy hello-run --image=us-docker.pkg.dev/cloudrun/container/hello "
         "--ingress=all --region=us-central1\n"
         "gcloud run services set-iam-policy hello-run " +
         policyFile + " --region=us-central1\n";
}

TEST(SetIamPolicy, ReadsThePolicyFileNextToTheScriptWhenOnlyTheScriptIsGiven) {
  const auto result = runOn({"fixtures/rules/RUN004/fail-set-iam-policy-sh/deploy.sh"}, {"RUN004"});
  ASSERT_EQ(result.findings.size(), 1u);
  const auto& f = result.findings.front();
  EXPECT_EQ(f.ruleId, "RUN004");
  const auto& file = result.sources.get(f.span.file);
  EXPECT_EQ(file.path(), "fixtures/rules/RUN004/fail-set-iam-policy-sh/policy.yaml");
  EXPECT_EQ(file.text().substr(f.span.begin, f.span.end - f.span.begin), "allAuthenticatedUsers");
}

TEST(SetIamPolicy, JsonPolicyWithTwoBindingsGivesOneGrantEach) {
  TempDir dir;
  const std::string sh = dir.file("deploy.sh", script("policy.json"));
  dir.file("policy.json",
           "{\n  \"bindings\": [\n    {\"role\": \"roles/run.invoker\", \"members\": "
           "[\"allUsers\"]},\n    {\"role\": \"roles/run.admin\", \"members\": [\"allUsers\"]}\n"
           "  ],\n  \"etag\": \"BwYjH1qHd3Q=\"\n}\n");
  const auto result = runOn({sh}, {"RUN004"});
  ASSERT_EQ(result.findings.size(), 1u);  // roles/run.admin is not the invoker role
  EXPECT_NE(result.findings.front().message.find("`allUsers`"), std::string::npos);
  std::vector<std::string> roles;
  for (const auto& r : result.graph.resources())
    if (r.id.kind == lbcheck::Kind::IamMember) roles.push_back(r.field("role").text);
  EXPECT_EQ(roles, (std::vector<std::string>{"roles/run.invoker", "roles/run.admin"}));
}

TEST(SetIamPolicy, AnUnreadablePolicyFileIsSilence) {
  TempDir dir;
  const std::string sh = dir.file("deploy.sh", script("missing.json"));
  const auto result = runOn({sh});
  for (const auto& f : result.findings) EXPECT_NE(f.ruleId, "RUN004") << f.message;
  const std::string garbled = dir.file("garbled.sh", script("garbled.json"));
  dir.file("garbled.json", "{\"bindings\": [");
  for (const auto& f : runOn({garbled}).findings) EXPECT_NE(f.ruleId, "RUN004") << f.message;
}

TEST(SetIamPolicy, APolicyFileAmongTheInputsIsNotReportedAsSkipped) {
  const auto result = runOn({"fixtures/rules/RUN004/fail-set-iam-policy-sh"});
  for (const auto& f : result.findings) EXPECT_NE(f.ruleId, "LBC004") << f.message;
  for (const auto& s : result.skipped) ADD_FAILURE() << result.sources.get(s.file).path();
}

size_t run004(const lbcheck::RunResult& r, const std::string& mention) {
  size_t n = 0;
  for (const auto& f : r.findings)
    if (f.ruleId == "RUN004" && f.message.find(mention) != std::string::npos) ++n;
  return n;
}

TEST(ProjectIam, GcloudProjectBindingCoversTheScriptsServices) {
  TempDir dir;
  const std::string sh =
      dir.file("deploy.sh",
               "gcloud config set project demo-proj\n"
               "gcloud run deploy hello-run --image=us-docker.pkg.dev/cloudrun/container/hello "
               "--region=us-central1\n"
               "gcloud projects add-iam-policy-binding demo-proj --member=allUsers "
               "--role=roles/run.invoker\n"
               "gcloud projects add-iam-policy-binding other-proj --member=allUsers "
               "--role=roles/run.invoker\n");
  const auto result = runOn({sh}, {"RUN004"});
  EXPECT_EQ(run004(result, "on project `demo-proj`, which covers every Cloud Run service"), 1u);
  EXPECT_EQ(run004(result, "other-proj"), 0u);
}

constexpr const char* kKrmService = R"(apiVersion: run.cnrm.cloud.google.com/v1beta1
kind: RunService
metadata:
  name: hello-run
  namespace: infra
spec:
  location: us-central1
  projectRef:
    external: projects/demo-proj
  template:
    containers:
    - image: us-docker.pkg.dev/cloudrun/container/hello
---
)";

TEST(ProjectIam, KrmMemberOnAProjectCoversItsServices) {
  TempDir dir;
  const std::string y = dir.file(
      "iam.krm.yaml", std::string(kKrmService) + R"(apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: project-invokers
  namespace: infra
spec:
  member: allUsers
  role: roles/run.invoker
  resourceRef:
    kind: Project
    external: projects/demo-proj
)");
  const auto result = runOn({y}, {"RUN004"});
  EXPECT_EQ(run004(result, "on project `demo-proj`"), 1u);
  EXPECT_EQ(run004(result, "defaults to INGRESS_TRAFFIC_ALL"), 1u);
}

TEST(ProjectIam, KrmGrantOnAnotherKindIsNoCloudRunGrant) {
  TempDir dir;
  const std::string y = dir.file(
      "iam.krm.yaml", std::string(kKrmService) + R"(apiVersion: iam.cnrm.cloud.google.com/v1beta1
kind: IAMPolicyMember
metadata:
  name: sa-users
  namespace: infra
spec:
  member: allUsers
  role: roles/run.invoker
  resourceRef:
    kind: IAMServiceAccount
    name: hello-run
)");
  EXPECT_EQ(run004(runOn({y}, {"RUN004"}), ""), 0u);
}

// A plan whose `_iam_policy` does not know its policy_data yet (the data
// source was read at apply time, as Terraform 0.12 did): the grant comes from
// the data source's values in prior_state, else from its configuration.
std::string deferredPolicyPlan(bool withPriorState) {
  std::string plan = R"({
  "format_version": "1.2",
  "terraform_version": "1.11.4",
  "resource_changes": [
    {"address": "google_cloud_run_v2_service.app", "mode": "managed",
     "type": "google_cloud_run_v2_service", "name": "app",
     "change": {"actions": ["create"], "before": null,
       "after": {"location": "us-central1", "name": "hello-run", "project": "demo-proj"},
       "after_unknown": {"ingress": true, "id": true}}},
    {"address": "google_cloud_run_v2_service_iam_policy.noauth", "mode": "managed",
     "type": "google_cloud_run_v2_service_iam_policy", "name": "noauth",
     "change": {"actions": ["create"], "before": null,
       "after": {"location": "us-central1", "name": "hello-run", "project": "demo-proj"},
       "after_unknown": {"etag": true, "id": true, "policy_data": true}}}
  ],
  "configuration": {"root_module": {"resources": [
    {"address": "google_cloud_run_v2_service.app", "mode": "managed",
     "type": "google_cloud_run_v2_service", "name": "app",
     "expressions": {"location": {"constant_value": "us-central1"},
                     "name": {"constant_value": "hello-run"}}},
    {"address": "google_cloud_run_v2_service_iam_policy.noauth", "mode": "managed",
     "type": "google_cloud_run_v2_service_iam_policy", "name": "noauth",
     "expressions": {
       "name": {"references": ["google_cloud_run_v2_service.app.name",
                               "google_cloud_run_v2_service.app"]},
       "policy_data": {"references": ["data.google_iam_policy.noauth.policy_data",
                                      "data.google_iam_policy.noauth"]}}},
    {"address": "data.google_iam_policy.noauth", "mode": "data", "type": "google_iam_policy",
     "name": "noauth",
     "expressions": {"binding": [{"members": {"constant_value": ["allAuthenticatedUsers"]},
                                  "role": {"constant_value": "roles/run.invoker"}}]}}
  ]}}})";
  if (withPriorState) {
    plan.pop_back();
    plan += R"(,
  "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
    {"address": "data.google_iam_policy.noauth", "mode": "data", "type": "google_iam_policy",
     "name": "noauth",
     "values": {"binding": [{"condition": [], "members": ["allUsers"],
                             "role": "roles/run.invoker"}]}}
  ]}}}})";
  }
  return plan;
}

std::string pointedAt(const lbcheck::RunResult& r) {
  for (const auto& f : r.findings)
    if (f.ruleId == "RUN004") {
      const auto text = r.sources.get(f.span.file).text();
      return std::string(text.substr(f.span.begin, f.span.end - f.span.begin));
    }
  return "(no RUN004)";
}

TEST(PlanIamPolicy, UnknownPolicyDataFollowsTheDataSourceValues) {
  TempDir dir;
  const auto result = runOn({dir.file("plan.tfplan.json", deferredPolicyPlan(true))}, {"RUN004"});
  EXPECT_EQ(pointedAt(result), "\"allUsers\"");
  EXPECT_EQ(run004(result, "defaults to INGRESS_TRAFFIC_ALL"), 1u);
}

TEST(PlanIamPolicy, WithoutValuesTheDataSourceConfigurationIsRead) {
  TempDir dir;
  const auto result = runOn({dir.file("plan.tfplan.json", deferredPolicyPlan(false))}, {"RUN004"});
  EXPECT_EQ(pointedAt(result), "\"allAuthenticatedUsers\"");
}

TEST(TerraformIamPolicy, InterpolatedCountedDataSourceAndProjectMemberInHcl) {
  TempDir dir;
  dir.file("main.tf", R"(variable "project" {
  default = "demo-proj"
}
resource "google_cloud_run_v2_service" "app" {
  name     = "hello-run"
  location = "us-central1"
  project  = var.project
  template {
    containers {
      image = "x"
    }
  }
}
data "google_iam_policy" "noauth" {
  count = 1
  binding {
    role    = "roles/run.invoker"
    members = ["allUsers"]
  }
}
resource "google_cloud_run_v2_service_iam_policy" "noauth" {
  location    = google_cloud_run_v2_service.app.location
  name        = google_cloud_run_v2_service.app.name
  policy_data = "${data.google_iam_policy.noauth[0].policy_data}"
}
resource "google_project_iam_member" "inv" {
  project = var.project
  role    = "roles/run.invoker"
  member  = "allAuthenticatedUsers"
}
)");
  const auto result = runOn({dir.path()}, {"RUN004"});
  EXPECT_EQ(pointedAt(result), "\"allUsers\"");  // "${data.google_iam_policy.noauth[0]...}"
  EXPECT_EQ(run004(result, "on project `demo-proj`, which covers every Cloud Run service"), 1u);
}

TEST(TerraformIamPolicy, DataSourceInJsonSyntax) {
  TempDir dir;
  dir.file("main.tf.json", R"({
  "resource": {
    "google_cloud_run_v2_service": {"app": {"name": "hello-run", "location": "us-central1", "template": {"containers": {"image": "x"}}}},
    "google_cloud_run_v2_service_iam_policy": {"noauth": {"location": "us-central1", "name": "${google_cloud_run_v2_service.app.name}", "policy_data": "${data.google_iam_policy.noauth.policy_data}"}}
  },
  "data": {"google_iam_policy": {"noauth": {"binding": {"role": "roles/run.invoker", "members": ["allUsers"]}}}}
}
)");
  EXPECT_EQ(pointedAt(runOn({dir.path()}, {"RUN004"})), "\"allUsers\"");
}

}  // namespace
