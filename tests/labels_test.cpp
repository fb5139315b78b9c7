// Resource labels in the canonical model (`labels.<key>`, see engine/model.h)
// from every input format: value, span line, spelling, and the `labels`
// Unknown marker that tells "not known" from "not there".
#include <gtest/gtest.h>

#include "helpers.h"

using namespace lbcheck;

namespace {

struct Loaded {
  RunResult result;
  const Resource* find(std::string_view name) const {
    for (const Resource& r : result.graph.resources())
      if (r.id.name == name || r.displayName == name) return &r;
    return nullptr;
  }
  uint32_t line(const Field& f) const {
    return result.sources.get(f.span.file).locate(f.span.begin).line;
  }
  std::string_view text(const Field& f) const {
    return result.sources.get(f.span.file).text().substr(f.span.begin, f.span.end - f.span.begin);
  }
};

std::unique_ptr<Loaded> load(const std::string& name, const std::string& bytes) {
  auto out = std::make_unique<Loaded>();
  Options o;
  loadBytes(o, out->result, name, bytes);
  finish(o, out->result);
  return out;
}

std::unique_ptr<Loaded> loadDir(const std::vector<std::pair<std::string, std::string>>& files,
                                lbcheck::testing::TempDir& tmp) {
  auto out = std::make_unique<Loaded>();
  for (const auto& [name, text] : files) tmp.file(name, text);
  Options o;
  o.paths = {tmp.path()};
  run(o, out->result);
  return out;
}

}  // namespace

TEST(Labels, TerraformPlan) {
  const auto l = load("plan.json", R"({"format_version":"1.2","resource_changes":[
  {"address":"google_compute_forwarding_rule.fr","mode":"managed",
   "type":"google_compute_forwarding_rule","name":"fr","provider_config_key":"google",
   "change":{"actions":["create"],"before":null,
     "after":{"name":"fr","region":"us-central1",
       "labels":{"team":"payments","cost-center":"42"},
       "terraform_labels":{"team":"payments","cost-center":"42","env":"prod"},
       "effective_labels":{"team":"payments","cost-center":"42","env":"prod","goog-x":"y"}},
     "after_unknown":{"effective_labels":true}}},
  {"address":"google_cloud_run_v2_service.app","mode":"managed",
   "type":"google_cloud_run_v2_service","name":"app","provider_config_key":"google",
   "change":{"actions":["create"],"before":null,
     "after":{"name":"app","location":"us-central1"},
     "after_unknown":{"labels":true}}},
  {"address":"google_compute_address.a","mode":"managed",
   "type":"google_compute_address","name":"a","provider_config_key":"google",
   "change":{"actions":["create"],"before":null,
     "after":{"name":"a","region":"us-central1","labels":null},"after_unknown":{}}}
]})");
  const Resource* fr = l->find("google_compute_forwarding_rule.fr");
  ASSERT_TRUE(fr);
  const Field& team = fr->field("labels.team");
  EXPECT_EQ(team.state, State::Known);
  EXPECT_EQ(team.text, "payments");
  EXPECT_EQ(l->text(team), "\"payments\"");
  EXPECT_EQ(l->line(team), 6u);
  EXPECT_EQ(team.spelling, "labels.team");
  EXPECT_EQ(fr->field("labels.cost-center").text, "42");
  // A provider default label: Defaulted, from terraform_labels; never effective_labels.
  const Field& env = fr->field("labels.env");
  EXPECT_EQ(env.state, State::Defaulted);
  EXPECT_EQ(env.text, "prod");
  EXPECT_EQ(l->line(env), 7u);
  EXPECT_EQ(fr->field("labels.goog-x").state, State::Absent);
  EXPECT_FALSE(fr->fields.count("labels"));
  // Known after apply: the marker.
  const Resource* app = l->find("google_cloud_run_v2_service.app");
  ASSERT_TRUE(app);
  EXPECT_EQ(app->field("labels").state, State::Unknown);
  EXPECT_EQ(app->field("labels.team").state, State::Absent);
  // null: nothing at all.
  const Resource* a = l->find("google_compute_address.a");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->fields.count("labels"));
  for (const auto& [path, f] : a->fields) EXPECT_NE(path.rfind("labels", 0), 0u) << path;
}

TEST(Labels, TerraformSourceHclAndJson) {
  lbcheck::testing::TempDir tmp;
  const auto l = loadDir({{"main.tf", R"(variable "team" {
  default = "payments"
}
resource "google_compute_forwarding_rule" "fr" {
  name   = "fr"
  region = "us-central1"
  labels = {
    team = var.team
    env  = "prod"
  }
}
resource "google_compute_address" "a" {
  name   = "a"
  region = "us-central1"
  labels = data.x.y.labels
}
)"},
                          {"more.tf.json", R"({"resource": {"google_compute_address": {"b": {
  "name": "b",
  "region": "us-central1",
  "labels": {"team": "${var.team}", "app.kubernetes.io/name": "b"}
}}}})"}},
                         tmp);
  const Resource* fr = l->find("google_compute_forwarding_rule.fr");
  ASSERT_TRUE(fr);
  const Field& team = fr->field("labels.team");
  EXPECT_EQ(team.state, State::Known);
  EXPECT_EQ(team.text, "payments");
  EXPECT_EQ(l->line(team), 8u);  // var.team, where the label is written
  EXPECT_EQ(l->text(team), "var.team");
  EXPECT_EQ(fr->field("labels.env").text, "prod");
  EXPECT_TRUE(fr->field("labels.env").authored);
  const Resource* a = l->find("google_compute_address.a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->field("labels").state, State::Unknown);
  const Resource* b = l->find("google_compute_address.b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->field("labels.team").text, "payments");
  EXPECT_EQ(l->line(b->field("labels.team")), 4u);
  EXPECT_EQ(l->text(b->field("labels.team")), "\"${var.team}\"");
  EXPECT_EQ(b->field("labels.app.kubernetes.io/name").spelling,
            "labels[\"app.kubernetes.io/name\"]");
}

TEST(Labels, ConfigConnector) {
  const auto l = load("lb.krm.yaml", R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeForwardingRule
metadata:
  name: hello-fr
  labels:
    team: payments
    env: prod
spec:
  location: us-central1
  loadBalancingScheme: INTERNAL_MANAGED
)");
  const Resource* fr = l->find("hello-fr");
  ASSERT_TRUE(fr);
  const Field& team = fr->field("labels.team");
  EXPECT_EQ(team.text, "payments");
  EXPECT_EQ(l->line(team), 6u);
  EXPECT_EQ(team.spelling, "metadata.labels.team");
  EXPECT_TRUE(team.authored);
  EXPECT_EQ(fr->field("labels.env").text, "prod");
}

TEST(Labels, GcloudJsonAndYaml) {
  const auto json = load("fr.json", R"({"kind": "compute#forwardingRule", "name": "fr",
  "region": "https://www.googleapis.com/compute/v1/projects/p/regions/us-central1",
  "labels": {"team": "payments"}})");
  const Resource* fr = json->find("fr");
  ASSERT_TRUE(fr);
  EXPECT_EQ(fr->field("labels.team").text, "payments");
  EXPECT_EQ(json->line(fr->field("labels.team")), 3u);
  EXPECT_FALSE(fr->field("labels.team").authored);  // echoed by the API

  const auto yaml = load("addr.yaml", R"(kind: compute#address
name: a
region: https://www.googleapis.com/compute/v1/projects/p/regions/us-central1
labels:
  team: payments
)");
  const Resource* a = yaml->find("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->field("labels.team").text, "payments");
  EXPECT_EQ(yaml->line(a->field("labels.team")), 5u);
}

TEST(Labels, CloudAssetInventory) {
  const auto l =
      load("assets.json",
           R"({"name": "//compute.googleapis.com/projects/p/regions/us-central1/forwardingRules/fr",
 "asset_type": "compute.googleapis.com/ForwardingRule",
 "resource": {"data": {"name": "fr",
   "region": "https://www.googleapis.com/compute/v1/projects/p/regions/us-central1",
   "labels": {"team": "payments"}}}}
{"name": "//run.googleapis.com/projects/p/locations/us-central1/services/s",
 "asset_type": "run.googleapis.com/Service",
 "resource": {"location": "us-central1", "data": {"apiVersion": "serving.knative.dev/v1",
   "kind": "Service", "metadata": {"name": "s", "labels": {"team": "search"}}}}}
)");
  const Resource* fr = l->find("fr");
  ASSERT_TRUE(fr);
  EXPECT_EQ(fr->field("labels.team").text, "payments");
  EXPECT_EQ(l->line(fr->field("labels.team")), 5u);
  const Resource* s = l->find("s");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->field("labels.team").text, "search");
  EXPECT_EQ(l->line(s->field("labels.team")), 9u);
}

TEST(Labels, CloudRunV2AndKnative) {
  const auto v2 = load("run.json", R"({"name": "projects/p/locations/us-central1/services/s",
  "ingress": "INGRESS_TRAFFIC_INTERNAL_ONLY",
  "labels": {"team": "payments"}})");
  const Resource* s = v2->find("s");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->field("labels.team").text, "payments");
  EXPECT_EQ(v2->line(s->field("labels.team")), 3u);

  const auto v1 = load("run.yaml", R"(apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: k
  labels:
    cloud.googleapis.com/location: us-central1
    team: payments
)");
  const Resource* k = v1->find("k");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->field("labels.team").text, "payments");
  EXPECT_EQ(v1->line(k->field("labels.team")), 7u);
  EXPECT_EQ(k->field("labels.team").spelling, "metadata.labels.team");
  // Every label, verbatim: the location one too.
  EXPECT_EQ(k->field("labels.cloud.googleapis.com/location").text, "us-central1");
}

TEST(Labels, GcloudScript) {
  const auto l = load("setup.sh", R"(#!/bin/sh
gcloud compute forwarding-rules create fr --region=us-central1 \
  --load-balancing-scheme=INTERNAL_MANAGED --labels=team=payments,env=prod
gcloud compute instances create a --zone=us-central1-a --labels "$LABELS"
gcloud compute forwarding-rules update fr --region=us-central1 --labels=team=other
)");
  const Resource* fr = l->find("fr");
  ASSERT_TRUE(fr);
  const Field& team = fr->field("labels.team");
  EXPECT_EQ(team.state, State::Known);
  EXPECT_EQ(team.text, "payments");  // update is not a create: its --labels are not read
  EXPECT_EQ(l->line(team), 3u);
  EXPECT_EQ(l->text(team), "payments");
  EXPECT_EQ(fr->field("labels.env").text, "prod");
  EXPECT_EQ(l->text(fr->field("labels.env")), "prod");
  EXPECT_FALSE(fr->fields.count("labels"));
  const Resource* a = l->find("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->field("labels").state, State::Unknown);
}
