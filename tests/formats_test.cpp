// gcloud exports, Cloud Run, Config Connector and Asset Inventory inputs: shape
// detection, identity, references, merging, and the notes for what is skipped.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "engine/diagnostics.h"
#include "helpers.h"

using namespace lbcheck;
using lbcheck::testing::runOn;
using lbcheck::testing::TempDir;

namespace {
const Resource* byName(const Graph& g, Kind kind, std::string_view name) {
  for (const Resource& r : g.resources())
    if (r.id.kind == kind && r.id.name == name && r.mergedInto < 0) return &r;
  return nullptr;
}
size_t count(const RunResult& r, std::string_view id) {
  size_t n = 0;
  for (const Finding& f : r.findings) n += f.ruleId == id;
  return n;
}
const char* kProxyYaml =
    "---\nhttpKeepAliveTimeoutSec: 610\nkind: compute#targetHttpProxy\nname: p\n"
    "region: https://www.googleapis.com/compute/v1/projects/demo/regions/us-central1\n"
    "selfLink: https://www.googleapis.com/compute/v1/projects/demo/regions/us-central1/"
    "targetHttpProxies/p\n"
    "urlMap: https://www.googleapis.com/compute/v1/projects/demo/regions/us-central1/urlMaps/m\n";
}  // namespace

TEST(GcloudExport, DescribeYamlIsReadWithRegionFromTheUrl) {
  TempDir tmp;
  const auto r = runOn({tmp.file("proxy.yaml", kProxyYaml)});
  const Resource* p = byName(r.graph, Kind::TargetHttpProxy, "p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->id.scope.name, "us-central1");
  EXPECT_EQ(p->id.project, "demo");
  ASSERT_EQ(count(r, "LB016"), 1u);
  EXPECT_EQ(r.sources.get(r.findings[0].span.file).locate(r.findings[0].span.begin).line, 2u);
}

TEST(GcloudExport, ListJsonArrayGivesOneResourcePerItem) {
  TempDir tmp;
  const auto r = runOn({tmp.file("nets.json", R"([
    {"kind": "compute#network", "name": "a", "selfLink": "https://www.googleapis.com/compute/v1/projects/p/global/networks/a"},
    {"kind": "compute#network", "name": "b", "selfLink": "https://www.googleapis.com/compute/v1/projects/p/global/networks/b"}])")});
  EXPECT_NE(byName(r.graph, Kind::Network, "a"), nullptr);
  EXPECT_NE(byName(r.graph, Kind::Network, "b"), nullptr);
  EXPECT_TRUE(r.findings.empty());
}

TEST(GcloudExport, UrlMapExportWithoutSelfLinkIsPlacedByItsServices) {
  TempDir tmp;
  const auto r =
      runOn({tmp.file("map.yaml",
                      "defaultService: projects/p/regions/europe-west1/backendServices/b\n"
                      "name: m\n")});
  const Resource* m = byName(r.graph, Kind::UrlMap, "m");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->id.scope.name, "europe-west1");
}

TEST(GcloudExport, UrlMapExportThatCannotBePlacedIsANote) {
  TempDir tmp;
  const auto r = runOn({tmp.file("map.yaml", "defaultService: b\nname: m\n")});
  EXPECT_EQ(byName(r.graph, Kind::UrlMap, "m"), nullptr);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].severity, Severity::Note);
  EXPECT_NE(r.findings[0].message.find("cannot be placed"), std::string::npos);
}

TEST(GcloudExport, IpAddressLiteralIsNotAReference) {
  TempDir tmp;
  const auto r = runOn(
      {tmp.file("fr.json", R"({"kind":"compute#forwardingRule","name":"f","IPAddress":"10.1.2.99",
    "region":"us-central1","selfLink":"projects/p/regions/us-central1/forwardingRules/f"})")});
  const Resource* f = byName(r.graph, Kind::ForwardingRule, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->field("IPAddress").ref->present());
  EXPECT_EQ(f->field("IPAddress").text, "10.1.2.99");
}

TEST(CloudRun, KnativeExportMapsTheIngressAnnotationAndNotesAnIngressStatusThatDiffers) {
  TempDir tmp;
  const auto r = runOn({tmp.file("run.yaml",
                                 "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n"
                                 "  annotations:\n    run.googleapis.com/ingress: all\n"
                                 "    run.googleapis.com/ingress-status: internal\n"
                                 "  labels:\n    cloud.googleapis.com/location: us-central1\n"
                                 "  name: svc\n  namespace: '123456789012'\n")});
  const Resource* s = byName(r.graph, Kind::RunService, "svc");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->field("ingress").text, "INGRESS_TRAFFIC_ALL");
  EXPECT_EQ(s->id.scope.name, "us-central1");
  EXPECT_EQ(s->id.project, "");  // a project number cannot be matched to an id
  EXPECT_EQ(count(r, diag::kConflict), 1u);
}

TEST(CloudRun, V2JsonIsReadByItsName) {
  TempDir tmp;
  const auto r =
      runOn({tmp.file("run.json", R"({"name":"projects/p/locations/europe-west1/services/s",
    "ingress":"INGRESS_TRAFFIC_INTERNAL_ONLY","template":{}})")});
  const Resource* s = byName(r.graph, Kind::RunService, "s");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->id.scope.name, "europe-west1");
  EXPECT_EQ(s->field("ingress").text, "INGRESS_TRAFFIC_INTERNAL_ONLY");
}

TEST(ConfigConnector, NameReferencesResolveWithinTheirNamespace) {
  TempDir tmp;
  const auto r =
      runOn({tmp.file("krm.yaml",
                      "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                      "kind: ComputeNetwork\nmetadata:\n  name: net\n  namespace: a\n"
                      "---\n"
                      "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                      "kind: ComputeSubnetwork\nmetadata:\n  name: s1\n  namespace: a\n"
                      "spec:\n  region: us-central1\n  networkRef:\n    name: net\n"
                      "---\n"
                      "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                      "kind: ComputeSubnetwork\nmetadata:\n  name: s2\n  namespace: b\n"
                      "spec:\n  region: us-central1\n  networkRef:\n    name: other\n")});
  const Resource* s1 = byName(r.graph, Kind::Subnetwork, "s1");
  const Resource* s2 = byName(r.graph, Kind::Subnetwork, "s2");
  ASSERT_NE(s1, nullptr);
  ASSERT_NE(s2, nullptr);
  ASSERT_NE(r.graph.target(s1->field("network")), nullptr);
  EXPECT_EQ(r.graph.target(s1->field("network"))->id.name, "net");
  EXPECT_EQ(r.graph.target(s2->field("network")), nullptr);
  EXPECT_EQ(s1->field("network").spelling, "spec.networkRef");
}

TEST(ConfigConnector, ResourceIdAndProjectAnnotationMakeTheIdentity) {
  TempDir tmp;
  const auto r =
      runOn({tmp.file("krm.yaml",
                      "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                      "kind: ComputeTargetHTTPProxy\nmetadata:\n  name: k8s-name\n"
                      "  annotations:\n    cnrm.cloud.google.com/project-id: proj\n"
                      "spec:\n  resourceID: gcp-name\n  location: us-east1\n"
                      "  urlMapRef:\n    external: projects/proj/regions/us-east1/urlMaps/m\n")});
  const Resource* p = byName(r.graph, Kind::TargetHttpProxy, "gcp-name");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->id.project, "proj");
  EXPECT_EQ(p->id.scope.name, "us-east1");
  EXPECT_EQ(p->displayName, "ComputeTargetHTTPProxy/k8s-name");
  ASSERT_TRUE(p->field("urlMap").ref->identity.has_value());
  EXPECT_EQ(p->field("urlMap").ref->identity->name, "m");
}

TEST(AssetInventory, NewlineDelimitedSnakeCaseRecords) {
  TempDir tmp;
  const auto r = runOn({tmp.file(
      "assets.json",
      R"({"name":"//compute.googleapis.com/projects/p/regions/us-central1/targetHttpProxies/p","asset_type":"compute.googleapis.com/TargetHttpProxy","resource":{"data":{"name":"p","region":"https://www.googleapis.com/compute/v1/projects/p/regions/us-central1","httpKeepAliveTimeoutSec":3}}})"
      "\n"
      R"({"name":"//compute.googleapis.com/projects/p/global/networks/n","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"n"}}})"
      "\n")});
  EXPECT_NE(byName(r.graph, Kind::Network, "n"), nullptr);
  EXPECT_EQ(count(r, "LB016"), 1u);
}

TEST(AssetInventory, CamelCaseEnvelopeAndHistoryWrapperInAnArray) {
  TempDir tmp;
  const auto r = runOn({tmp.file("assets.json", R"([
    {"name":"//compute.googleapis.com/projects/p/global/networks/a","assetType":"compute.googleapis.com/Network","resource":{"data":{"name":"a"}}},
    {"window":{},"deleted":false,"asset":{"name":"//compute.googleapis.com/projects/p/global/networks/b","assetType":"compute.googleapis.com/Network","resource":{"data":{"name":"b"}}}}])")});
  EXPECT_NE(byName(r.graph, Kind::Network, "a"), nullptr);
  EXPECT_NE(byName(r.graph, Kind::Network, "b"), nullptr);
}

TEST(AssetInventory, ConcatenatedPrettyPrintedObjects) {
  TempDir tmp;
  const auto r =
      runOn({tmp.file("assets.json",
                      "{\n \"name\": \"//compute.googleapis.com/projects/p/global/networks/a\",\n"
                      " \"asset_type\": \"compute.googleapis.com/Network\",\n"
                      " \"resource\": {\"data\": {\"name\": \"a\"}}\n}\n"
                      "{\n \"name\": \"//compute.googleapis.com/projects/p/global/networks/b\",\n"
                      " \"asset_type\": \"compute.googleapis.com/Network\",\n"
                      " \"resource\": {\"data\": {\"name\": \"b\"}}\n}\n")});
  EXPECT_NE(byName(r.graph, Kind::Network, "b"), nullptr);
  EXPECT_TRUE(r.findings.empty());
}

// Skipped, counted by the report, never a finding (#21).
TEST(Detection, UnrelatedFilesAreSkippedNeverFindings) {
  TempDir tmp;
  const auto r = runOn(
      {tmp.file("package.json", R"({"name": "web", "version": "1.0.0"})"),
       tmp.file("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n")});
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.skipped.size(), 2u);
  for (const lbcheck::SkippedFile& s : r.skipped)
    EXPECT_EQ(s.why.reason, lbcheck::SkipReason::NotAFormat);
  EXPECT_EQ(r.filesRead, 0u);
}

// A parse failure is an error only for a file that is recognisably lbcheck's,
// or that was named on the command line (#21).
TEST(Detection, ABrokenFileFoundInAWalkIsAnErrorOnlyWhenItIsRecognisablyLbchecks) {
  TempDir tmp;
  tmp.file("settings.json", "{\n  // comments: JSONC\n  \"a\": 1,\n}\n");
  tmp.file("cloud-init.yaml", "a: ${x}\n%{ for n in ns ~}\n- ${n}\n%{ endfor ~}\n");
  tmp.file("neg.krm.yaml",
           "apiVersion: compute.cnrm.cloud.google.com/v1beta1\nkind: ComputeNetworkEndpointGroup\n"
           "metadata: [name: x\n");
  tmp.file("neg.json", "{\"kind\": \"compute#networkEndpointGroup\", \"name\": }\n");
  tmp.file("run.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\n  bad: [\n");
  tmp.file("plan.json", "{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.0\",\n");
  tmp.file("build.sh", "#!/bin/bash\necho \"unterminated\nmake all\n");  // no gcloud in it
  tmp.file("deploy.sh", "#!/bin/bash\ngcloud compute backend-services create \"bs\n");
  const auto walked = runOn({tmp.path()});
  std::set<std::string> errors, skipped;
  for (const Finding& f : walked.findings) {
    EXPECT_EQ(f.ruleId, diag::kSyntax) << f.message;
    errors.insert(std::filesystem::path(walked.sources.get(f.span.file).path()).filename());
  }
  for (const lbcheck::SkippedFile& s : walked.skipped) {
    const std::string name = std::filesystem::path(walked.sources.get(s.file).path()).filename();
    if (name == "settings.json") {
      EXPECT_EQ(s.why.reason, lbcheck::SkipReason::DoesNotParse);
      EXPECT_NE(s.why.detail.find("invalid JSON at line 2:3"), std::string::npos) << s.why.detail;
    }
    skipped.insert(name);
  }
  EXPECT_EQ(errors, (std::set<std::string>{"neg.krm.yaml", "neg.json", "run.yaml", "plan.json",
                                           "deploy.sh"}));
  EXPECT_EQ(skipped, (std::set<std::string>{"settings.json", "cloud-init.yaml", "build.sh"}));
  // Named on the command line, the same broken settings file is an error.
  const auto named = runOn({tmp.path() + "/settings.json"});
  ASSERT_EQ(named.findings.size(), 1u);
  EXPECT_EQ(named.findings[0].ruleId, diag::kSyntax);
  EXPECT_TRUE(named.skipped.empty());
}

// A repository as people keep it: nothing but its configuration is reported (#21).
TEST(Detection, ARepositoryScanReportsNothingThatIsNotLbchecks) {
  const auto r = runOn({"fixtures/plans/repository-scan"});
  for (const Finding& f : r.findings) ADD_FAILURE() << f.ruleId << " " << f.message;
  std::vector<std::string> skipped;
  for (const lbcheck::SkippedFile& s : r.skipped)
    skipped.push_back(std::string(r.sources.get(s.file).path()) + " " +
                      std::string(lbcheck::skipReasonKey(s.why.reason)));
  const std::string at = "fixtures/plans/repository-scan/";
  EXPECT_EQ(skipped, (std::vector<std::string>{
                         at + ".vscode/settings.json does-not-parse",
                         at + "infra/staging.tfvars variables-not-loaded",
                         at + "package.json not-a-format",
                         at + "templates/cloud-init.yaml not-a-format",
                     }));
  // infra/main.tf, and the workflow and GitLab CI file (read for their gcloud
  // commands: they run none, so they say nothing).
  EXPECT_EQ(r.filesRead, 3u);
}

TEST(Detection, UnrelatedDocumentsBesideKnownOnesAreSilent) {
  TempDir tmp;
  const auto r =
      runOn({tmp.file("mixed.yaml",
                      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\n"
                      "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                      "kind: ComputeNetwork\nmetadata:\n  name: net\n")});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(byName(r.graph, Kind::Network, "net"), nullptr);
}

TEST(Detection, BrokenYamlIsALocatedError) {
  TempDir tmp;
  const auto r = runOn({tmp.file("bad.yaml", "a: [1, 2\nb: 3\n")});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].ruleId, diag::kSyntax);
  EXPECT_NE(r.findings[0].message.find("invalid YAML"), std::string::npos);
}

TEST(Merging, SameResourceInAPlanAndAnExportIsCheckedOnce) {
  TempDir tmp;
  const std::string plan = R"({"format_version":"1.2","resource_changes":[
    {"address":"google_compute_region_target_http_proxy.p","mode":"managed","type":"google_compute_region_target_http_proxy","name":"p",
     "change":{"actions":["no-op"],"before":null,"after":{"name":"p","project":"demo","region":"us-central1","http_keep_alive_timeout_sec":610},"after_unknown":{}}}]})";
  const auto r = runOn({tmp.file("a-plan.json", plan), tmp.file("b-proxy.yaml", kProxyYaml)});
  EXPECT_EQ(count(r, "LB016"), 1u);
  size_t live = 0;
  for (const Resource& res : r.graph.resources()) live += res.mergedInto < 0;
  EXPECT_EQ(live, 1u);
}

TEST(Merging, ConflictingValuesGiveANoteNamingBothPlaces) {
  TempDir tmp;
  std::string other = kProxyYaml;
  other.replace(other.find("610"), 3, "600");
  const auto r = runOn({tmp.file("a.yaml", kProxyYaml), tmp.file("b.yaml", other)});
  ASSERT_EQ(count(r, diag::kConflict), 1u);
  for (const Finding& f : r.findings) {
    if (f.ruleId != diag::kConflict) continue;
    EXPECT_NE(r.sources.get(f.span.file).path().find("b.yaml"), std::string::npos);
    ASSERT_EQ(f.related.size(), 1u);
    EXPECT_NE(r.sources.get(f.related[0].span.file).path().find("a.yaml"), std::string::npos);
  }
}
