// Markdown runbooks (issue 15): which fences are read and how, placeholders,
// json/yaml/hcl blocks located in the .md, and gcloud's scope rules in scripts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "driver/runner.h"
#include "engine/graph.h"
#include "engine/source.h"
#include "helpers.h"
#include "parsers/script/gcloud.h"
#include "parsers/script/shell.h"

namespace lbcheck {
namespace {

using testing::runOn;
using testing::TempDir;

script::FenceUse useOf(const std::string& md) {
  const auto fences = script::markdownFences(md);
  EXPECT_EQ(fences.size(), 1u) << md;
  return fences.empty() ? script::FenceUse::Ignored : script::fenceUse(fences[0], md);
}

TEST(MarkdownFences, LabelsAndContentDecideHowABlockIsRead) {
  using U = script::FenceUse;
  EXPECT_EQ(useOf("```bash\necho hi\n```\n"), U::Shell);
  EXPECT_EQ(useOf("```console\n$ gcloud x\n```\n"), U::Console);
  EXPECT_EQ(useOf("```\ngcloud compute networks create n\n```\n"), U::Shell);
  EXPECT_EQ(useOf("```text\nexport REGION=us-central1\n```\n"), U::Shell);
  EXPECT_EQ(useOf("```terminal\n$ gcloud run deploy x\nDone.\n```\n"), U::Console);
  EXPECT_EQ(useOf("```fish\nPROJECT=demo\n```\n"), U::Shell);
  EXPECT_EQ(useOf("~~~\n  sudo gcloud compute networks list\n~~~\n"), U::Shell);
  EXPECT_EQ(useOf("```\nNAME  REGION\nweb   us-central1\n```\n"), U::Skipped);
  EXPECT_EQ(useOf("```text\n```\n"), U::Skipped);
  EXPECT_EQ(useOf("```python\nPROJECT='x'\n```\n"), U::Ignored);
  EXPECT_EQ(useOf("```go\nx := 1\n```\n"), U::Ignored);
  EXPECT_EQ(useOf("```JSON\n{}\n```\n"), U::Json);
  EXPECT_EQ(useOf("```yml\na: 1\n```\n"), U::Yaml);
  EXPECT_EQ(useOf("```terraform\n```\n"), U::Terraform);
  EXPECT_EQ(useOf("```hcl {title=\"main.tf\"}\n```\n"), U::Terraform);
}

TEST(MarkdownFences, PromptedLinesOnlyInAnUnlabelledConsoleBlock) {
  const std::string md =
      "```\n$ gcloud compute networks create n1 \\\n    --subnet-mode=custom\nCreated [n1].\n"
      "$ gcloud compute networks create n2\n```\n";
  SourceManager sources;
  const SourceFile& f = sources.add("t.md", md);
  const auto s = script::read(f, script::markdownBlocks(f.text()));
  ASSERT_EQ(s.commands.size(), 2u);
  EXPECT_EQ(s.commands[0].words.back().text, "--subnet-mode=custom");
  EXPECT_EQ(s.commands[1].words.back().text, "n2");
}

TEST(Placeholders, AngleBracketsAreUnknownWordsNotRedirections) {
  SourceManager sources;
  const SourceFile& f =
      sources.add("t.sh", "gcloud run deploy <SERVICE> --region=<REGION> --image=x\n");
  const auto s = script::read(f, script::wholeFile(f.text()));
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& w = s.commands[0].words;
  ASSERT_EQ(w.size(), 6u);
  EXPECT_TRUE(w[3].unknown);  // <SERVICE>
  EXPECT_TRUE(w[4].unknown);  // --region=<REGION>
  EXPECT_EQ(w[4].text, "--region=");
  EXPECT_FALSE(w[5].unknown);
}

TEST(Placeholders, NeverBecomeNamesRegionsOrProjects) {
  SourceManager sources;
  const SourceFile& f = sources.add(
      "t.sh",
      "gcloud config set project YOUR_PROJECT_ID\n"
      "gcloud compute backend-services create BACKEND_NAME --region=REGION\n"
      "gcloud compute url-maps create web-map --default-service=[BACKEND] --region=<REGION>\n"
      "gcloud compute network-endpoint-groups create neg --region=$REGION "
      "--network-endpoint-type=serverless --cloud-run-service=your-service\n");
  Graph g;
  std::vector<Finding> diags;
  gcloud::load(f, false, g, diags);
  g.resolve();
  for (const Resource& r : g.resources()) {
    EXPECT_NE(r.id.name, "BACKEND_NAME");
    EXPECT_TRUE(r.id.project.empty()) << r.id.name << " " << r.id.project;
    EXPECT_NE(r.id.scope.name, "REGION");
    if (r.id.kind == Kind::UrlMap) {
      EXPECT_EQ(r.field("defaultService").state, State::Unknown);
      EXPECT_FALSE(r.id.scope.known()) << r.id.scope.str();
    }
    if (r.id.kind == Kind::NetworkEndpointGroup) {
      EXPECT_EQ(r.field("cloudRun.service").state, State::Unknown);
    }
  }
}

std::vector<const Finding*> withId(const RunResult& r, std::string_view id) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings)
    if (f.ruleId == id) out.push_back(&f);
  return out;
}

std::string at(const RunResult& r, Span s) {
  return std::string(r.sources.get(s.file).text().substr(s.begin, s.end - s.begin));
}

TEST(MarkdownDocuments, YamlAndHclBlocksAreCheckedWhereTheyAreWritten) {
  TempDir dir;
  const std::string md =
      dir.file("README.md",
               "# Example\n\n"
               "```yaml\n"
               "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
               "kind: ComputeRegionNetworkEndpointGroup\n"
               "metadata:\n  name: neg\n"
               "spec:\n  region: us-central1\n  networkEndpointType: SERVERLESS\n"
               "  cloudRun:\n    urlMask: https://example.com/<service>\n"
               "```\n\n"
               "```hcl\n"
               "module \"lb\" {\n  source = \"./modules/lb\"\n}\n"
               "resource \"google_compute_region_target_http_proxy\" \"p\" {\n"
               "  name = \"p\"\n  region = \"us-central1\"\n"
               "  url_map = \"projects/x/regions/us-central1/urlMaps/m\"\n"
               "  http_keep_alive_timeout_sec = 700\n}\n"
               "```\n");
  // A local module next to the README: a snippet never follows it.
  std::filesystem::create_directories(dir.path() + "/modules/lb");
  dir.file("modules/lb/main.tf",
           "resource \"google_compute_region_target_http_proxy\" \"q\" {\n"
           "  name = \"q\"\n  region = \"us-central1\"\n  http_keep_alive_timeout_sec = 900\n}\n");
  const auto r = runOn({md});
  const auto mask = withId(r, "NEG007");
  ASSERT_EQ(mask.size(), 1u);
  EXPECT_EQ(r.sources.get(mask[0]->span.file).locate(mask[0]->span.begin).line, 12u);
  EXPECT_EQ(at(r, mask[0]->span), "https://example.com/<service>");
  const auto keepAlive = withId(r, "LB016");
  ASSERT_EQ(keepAlive.size(), 1u);  // the module's 900 is not read
  EXPECT_EQ(at(r, keepAlive[0]->span), "700");
  EXPECT_EQ(r.sources.get(keepAlive[0]->span.file).locate(keepAlive[0]->span.begin).line, 23u);
}

TEST(MarkdownDocuments, FragmentsAreNotedInCloudRunbooksAndSilentElsewhere) {
  TempDir dir;
  const std::string runbook =
      dir.file("runbook.md",
               "Run `gcloud run deploy` with:\n\n```json\n\"ingress\": \"internal\"\n```\n\n"
               "```hcl\ncloud_run {\n  ...\n}\n```\n\n```\nNAME  REGION\n```\n");
  const auto r = runOn({runbook});
  const auto skipped = withId(r, "LBC004");
  ASSERT_EQ(skipped.size(), 3u);
  for (const Finding* f : skipped) {
    EXPECT_EQ(f->severity, Severity::Note);
    EXPECT_NE(f->message.find("skipped"), std::string::npos);
  }
  EXPECT_TRUE(withId(r, "LBC001").empty());
  const std::string other =
      dir.file("notes.md", "```json\n\"a\": 1\n```\n\n```\nsome output\n```\n");
  EXPECT_TRUE(runOn({other}).findings.empty());
}

TEST(ScriptScopes, DuplicateCreateIsAnErrorUnlessDeletedBetween) {
  TempDir dir;
  const std::string sh =
      dir.file("s.sh",
               "gcloud compute url-maps create m --default-service=b --region=us-central1\n"
               "gcloud compute url-maps create m --default-service=b --region=us-central1\n"
               "gcloud compute url-maps delete m --region=us-central1\n"
               "gcloud compute url-maps create m --default-service=b --region=us-central1\n"
               "gcloud compute url-maps create m --default-service=b --region=europe-west1\n"
               "gcloud run deploy svc --region=us-central1 --image=x\n"
               "gcloud run deploy svc --region=us-central1 --image=y\n");
  const auto r = runOn({sh});
  std::vector<const Finding*> dup;
  for (const Finding* f : withId(r, "LBC001"))
    if (f->message.find("already created") != std::string::npos) dup.push_back(f);
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0]->severity, Severity::Error);
  EXPECT_EQ(r.sources.get(dup[0]->span.file).locate(dup[0]->span.begin).line, 2u);
  ASSERT_EQ(dup[0]->related.size(), 1u);
  EXPECT_EQ(r.sources.get(dup[0]->span.file).locate(dup[0]->related[0].span.begin).line, 1u);
}

TEST(ScriptScopes, BackendServiceCommandWithoutScopeWarnsWithTheFlagToAdd) {
  TempDir dir;
  const std::string sh = dir.file(
      "s.sh",
      "gcloud compute backend-services create web --region=europe-west4 "
      "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n"
      "gcloud compute backend-services add-backend web --network-endpoint-group=neg "
      "--network-endpoint-group-region=europe-west4\n"
      "gcloud compute backend-services update other --enable-logging\n"
      "gcloud compute backend-services update web --region=europe-west4 --enable-logging\n");
  const auto r = runOn({sh});
  std::vector<const Finding*> scope;
  for (const Finding* f : withId(r, "LBC001"))
    if (f->message.find("names no scope") != std::string::npos) scope.push_back(f);
  ASSERT_EQ(scope.size(), 2u);
  EXPECT_EQ(scope[0]->severity, Severity::Warning);
  EXPECT_EQ(scope[0]->help, "add --region=europe-west4");  // where the script created it
  EXPECT_EQ(scope[1]->help, "add --region=REGION or --global");
}

}  // namespace
}  // namespace lbcheck
