// gcloud where people keep it (issue 22): Cloud Build configs, GitHub Actions
// and GitLab CI files read through the gcloud lowering, located in the YAML;
// and scripts written to be re-run (describe-guarded creates, arrays, source).
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

/// The errors and warnings of a run, as rule@file:line:column.
std::vector<std::string> problems(const RunResult& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    if (f.severity == Severity::Note) continue;
    const SourceFile& file = r.sources.get(f.span.file);
    const Location l = file.locate(f.span.begin);
    const std::string name = std::filesystem::path(file.path()).filename().string();
    out.push_back(f.ruleId + "@" + name + ":" + std::to_string(l.line) + ":" +
                  std::to_string(l.column));
  }
  return out;
}

const Resource* find(const Graph& g, Kind kind, std::string_view name) {
  for (const Resource& r : g.resources())
    if (r.id.kind == kind && r.id.name == name && r.mergedInto < 0) return &r;
  return nullptr;
}

class CiFixtures : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::current_path(LBCHECK_SOURCE_DIR); }
};

// ---- Cloud Build -----------------------------------------------------------------

TEST_F(CiFixtures, CloudBuildCleanTwinHasNoErrorOrWarning) {
  const RunResult r = runOn({"fixtures/ci/cloudbuild-clean"});
  EXPECT_EQ(problems(r), std::vector<std::string>{});
  // Every step style lowered: args lists, the gcloud builder, bash -c bodies (block and
  // quoted), sh -ec with a step env.
  for (const auto& [kind, name] :
       std::vector<std::pair<Kind, std::string>>{{Kind::RunService, "orders-api"},
                                                 {Kind::Network, "lb-network"},
                                                 {Kind::Subnetwork, "proxy-only-subnet"},
                                                 {Kind::NetworkEndpointGroup, "orders-neg"},
                                                 {Kind::BackendService, "run-backend"},
                                                 {Kind::UrlMap, "run-url-map"},
                                                 {Kind::TargetHttpProxy, "run-http-proxy"},
                                                 {Kind::ForwardingRule, "run-http-fr"}}) {
    const Resource* res = find(r.graph, kind, name);
    ASSERT_NE(res, nullptr) << name;
    if (kind != Kind::Network) {
      EXPECT_EQ(res->id.scope.name, "europe-west3") << name;
    }
  }
}

TEST_F(CiFixtures, CloudBuildSeededMistakesPointIntoTheYaml) {
  const RunResult r = runOn({"fixtures/ci/cloudbuild-seeded"});
  // --ingress=all in an args list; a legacy purpose inside a `bash -c` block.
  EXPECT_EQ(problems(r), (std::vector<std::string>{"RUN002@cloudbuild.yaml:18:15",
                                                   "NET003@cloudbuild.yaml:33:17"}));
}

TEST_F(CiFixtures, CloudBuildStepsThatMayRunTogetherAreNotOrdered) {
  // The frontend step waits for the network, not for the subnets step: the
  // forwarding rule may be created before its proxy-only subnet.
  const RunResult seeded = runOn({"fixtures/ci/cloudbuild-parallel-seeded"});
  EXPECT_EQ(problems(seeded), std::vector<std::string>{"OPS002@cloudbuild.yaml:55:44"});
  for (const Finding& f : seeded.findings)
    if (f.ruleId == "OPS002") {
      EXPECT_NE(f.message.find("may run at the same time"), std::string::npos) << f.message;
      ASSERT_EQ(f.related.size(), 1u);
      EXPECT_EQ(seeded.sources.get(f.related[0].span.file).locate(f.related[0].span.begin).line,
                21u);
    }
  // The clean twin only changes the frontend's waitFor to the subnets step.
  EXPECT_EQ(problems(runOn({"fixtures/ci/cloudbuild-parallel-clean"})), std::vector<std::string>{});
}

/// A Cloud Build config that sets up a NEG behind a backend service, then
/// removes and deletes it in two steps whose waitFor is `detachWaits` and `deleteWaits`.
std::string teardownBuild(const std::string& detachWaits, const std::string& deleteWaits) {
  return "steps:\n"
         "- id: setup\n"
         "  name: gcr.io/google.com/cloudsdktool/cloud-sdk\n"
         "  entrypoint: bash\n"
         "  args:\n"
         "  - -c\n"
         "  - |\n"
         "    gcloud compute network-endpoint-groups create neg1 --region=europe-west3 "
         "--network-endpoint-type=serverless --cloud-run-service=api\n"
         "    gcloud compute backend-services create bs1 --region=europe-west3 "
         "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n"
         "    gcloud compute backend-services add-backend bs1 --region=europe-west3 "
         "--network-endpoint-group=neg1 --network-endpoint-group-region=europe-west3\n"
         "- id: detach\n"
         "  waitFor: " +
         detachWaits +
         "\n"
         "  name: gcr.io/cloud-builders/gcloud\n"
         "  args: [compute, backend-services, remove-backend, bs1, --region=europe-west3,\n"
         "         --network-endpoint-group=neg1, --network-endpoint-group-region=europe-west3]\n"
         "- id: delete\n"
         "  waitFor: " +
         deleteWaits +
         "\n"
         "  name: gcr.io/cloud-builders/gcloud\n"
         "  args: [compute, network-endpoint-groups, delete, neg1, --region=europe-west3, "
         "--quiet]\n";
}

TEST(CloudBuild, ADetachThatMayRunAfterTheDeleteDoesNotProtectIt) {
  TempDir dir;
  // Both wait only for the setup: the delete may run first.
  const RunResult racing =
      runOn({dir.file("cloudbuild.yaml", teardownBuild("[setup]", "[setup]"))});
  std::vector<const Finding*> ops001;
  for (const Finding& f : racing.findings)
    if (f.ruleId == "OPS001") ops001.push_back(&f);
  ASSERT_EQ(ops001.size(), 1u);
  EXPECT_NE(ops001[0]->message.find("may still use it"), std::string::npos) << ops001[0]->message;
  ASSERT_EQ(ops001[0]->related.size(), 2u);
  EXPECT_EQ(racing.sources.get(ops001[0]->related[1].span.file)
                .locate(ops001[0]->related[1].span.begin)
                .line,
            14u);  // the remove-backend command names the backend service
  EXPECT_NE(ops001[0]->help.find("wait for the step that removes it"), std::string::npos);

  // The delete waits for the detach: nothing to report.
  TempDir ordered;
  const RunResult fine =
      runOn({ordered.file("cloudbuild.yaml", teardownBuild("[setup]", "[detach]"))});
  for (const Finding& f : fine.findings) EXPECT_NE(f.ruleId, "OPS001") << f.message;

  // No waitFor on the delete: it waits for every step before it, the detach too.
  TempDir implicit;
  const RunResult inOrder =
      runOn({implicit.file("cloudbuild.yaml", teardownBuild("[setup]", "[]"))});
  for (const Finding& f : inOrder.findings) EXPECT_NE(f.ruleId, "OPS001") << f.message;

  // The delete starts with the build (`-`): the NEG may not even exist yet, and
  // nothing it waits for attached it, so no holder is certain either.
  TempDir early;
  const RunResult start = runOn({early.file("cloudbuild.yaml", teardownBuild("[setup]", "['-']"))});
  for (const Finding& f : start.findings) EXPECT_NE(f.ruleId, "OPS001") << f.message;
}

TEST(CloudBuild, SubstitutionsResolveAndBuiltInsStayUnknown) {
  TempDir dir;
  const std::string path = dir.file("cloudbuild.yaml",
                                    "substitutions:\n"
                                    "  _REGION: europe-west3\n"
                                    "  _NAME: web\n"
                                    "  _IMAGE: gcr.io/$PROJECT_ID/x\n"
                                    "steps:\n"
                                    "- name: gcr.io/cloud-builders/gcloud\n"
                                    "  args: [compute, networks, create, 'net-$SHORT_SHA']\n"
                                    "- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n"
                                    "  args: [gcloud, compute, networks, create, '${_NAME}-net']\n"
                                    "- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n"
                                    "  entrypoint: gcloud\n"
                                    "  args:\n"
                                    "  - compute\n"
                                    "  - backend-services\n"
                                    "  - create\n"
                                    "  - $_NAME-bs\n"
                                    "  - --region=$_REGION\n"
                                    "  - --load-balancing-scheme=INTERNAL_MANAGED\n"
                                    "  - --protocol=$$HTTP\n");
  const RunResult r = runOn({path});
  EXPECT_EQ(find(r.graph, Kind::Network, "web-net") != nullptr, true);
  const Resource* bs = find(r.graph, Kind::BackendService, "web-bs");
  ASSERT_NE(bs, nullptr);
  EXPECT_EQ(bs->id.scope.name, "europe-west3");
  EXPECT_EQ(bs->field("protocol").text, "$HTTP");  // $$ is a literal $
  // The name that holds a built-in is unknown: no network named after it.
  for (const Resource& res : r.graph.resources())
    EXPECT_EQ(res.id.name.find("SHORT_SHA"), std::string::npos);
  // The name's span is the args element, in the YAML.
  const Location l = r.sources.get(bs->header.file).locate(bs->header.begin);
  EXPECT_EQ(l.line, 16u);
  EXPECT_EQ(l.column, 5u);
}

TEST(CloudBuild, ShellStepsScriptFieldAndFoldedBodies) {
  TempDir dir;
  const std::string path = dir.file(
      "cloudbuild.yml",
      "steps:\n"
      "- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n"
      "  script: |\n"
      "    #!/usr/bin/env bash\n"
      "    gcloud compute backend-services create a --load-balancing-scheme=INTERNAL_MANAGED\n"
      "- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n"
      "  entrypoint: bash\n"
      "  args:\n"
      "  - -c\n"
      "  - >\n"
      "    gcloud compute backend-services create b\n"
      "    --load-balancing-scheme=INTERNAL_MANAGED --global\n"
      "- name: ubuntu\n"
      "  args: [bash, -c, 'gcloud compute backend-services create c']\n");
  const RunResult r = runOn({path});
  // a: no scope (an error located at line 5); b: folded into one command with --global;
  // c: not a Cloud SDK image, not read.
  EXPECT_EQ(problems(r), std::vector<std::string>{"LBC001@cloudbuild.yml:5:5"});
  const Resource* b = find(r.graph, Kind::BackendService, "b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->id.scope.type, Scope::Type::Global);
  EXPECT_EQ(find(r.graph, Kind::BackendService, "c"), nullptr);
}

TEST(CloudBuild, HostileShapesDoNotCrash) {
  TempDir dir;
  const std::vector<std::string> inputs = {
      "steps:\n- name: x\n  args: 3\n",
      "steps:\n- name: gcr.io/cloud-builders/gcloud\n  args: [[a], {b: c}, 7, true, null]\n",
      "steps:\n- name: gcr.io/cloud-builders/gcloud\n  entrypoint: bash\n  args: ['-c']\n",
      "steps:\n- name: gcr.io/cloud-builders/gcloud\n  entrypoint: bash\n  args: ['-c', |",
      "steps:\n- name: a\n  script: |\n",
      "steps:\n- name: a\n  entrypoint: gcloud\n  args: ['${_X', '$', '${}', '$$$', \"\\\"\"]\n",
      "substitutions: [1, 2]\nsteps:\n- name: a\n  entrypoint: sh\n  args: ['-c', \"a=(\"]\n",
  };
  for (const std::string& text : inputs) {
    const std::string path = dir.file("cloudbuild.yaml", text);
    const RunResult r = runOn({path});
    (void)r;
  }
}

// ---- GitHub Actions and GitLab CI ---------------------------------------------------

TEST_F(CiFixtures, WorkflowDefaultRegionMeetsTerraformNegInAnotherRegion) {
  const RunResult r = runOn({"fixtures/rules/RUN009/fail-workflow"});
  ASSERT_EQ(problems(r), std::vector<std::string>{"RUN009@deploy.yml:24:15"});
  const Finding* f = nullptr;
  for (const Finding& x : r.findings)
    if (x.ruleId == "RUN009") f = &x;
  ASSERT_NE(f, nullptr);
  ASSERT_FALSE(f->related.empty());
  EXPECT_EQ(r.sources.get(f->related[0].span.file).path().find("main.tf") != std::string::npos,
            true);
  const Resource* deployed = nullptr;
  for (const Resource& res : r.graph.resources())
    if (res.id.kind == Kind::RunService && res.id.scope.name == "us-central1") deployed = &res;
  ASSERT_NE(deployed, nullptr);
  EXPECT_EQ(deployed->field("ingress").text, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
}

TEST_F(CiFixtures, WorkflowCleanTwinHasNoErrorOrWarning) {
  EXPECT_EQ(problems(runOn({"fixtures/rules/RUN009/pass-workflow"})), std::vector<std::string>{});
}

TEST(GithubActions, EnvIsKnownExpressionsAreUnknown) {
  TempDir dir;
  const std::string path =
      dir.file("deploy.yml",
               "on: push\n"
               "env:\n"
               "  REGION: europe-west3\n"
               "jobs:\n"
               "  lb:\n"
               "    runs-on: ubuntu-latest\n"
               "    env:\n"
               "      BS: web-bs\n"
               "      FROM_SECRET: ${{ secrets.X }}\n"
               "    steps:\n"
               "      - run: |\n"
               "          gcloud compute backend-services create \"$BS\" --region=$REGION \\\n"
               "            --load-balancing-scheme=INTERNAL_MANAGED\n"
               "          gcloud compute backend-services create '${{ vars.NAME }}' --global\n"
               "          gcloud compute backend-services create \"$FROM_SECRET\" --global\n"
               "          gcloud compute backend-services create ${{ env.BS }}-2 --region=x\n"
               "      - uses: google-github-actions/deploy-cloudrun@v2\n"
               "        with:\n"
               "          service: api\n"
               "          region: 'europe-west1,us-east1'\n"
               "      - uses: google-github-actions/deploy-cloudrun@v2\n"
               "        with:\n"
               "          service: ${{ vars.SERVICE }}\n");
  const RunResult r = runOn({path});
  EXPECT_EQ(problems(r), std::vector<std::string>{});
  const Resource* bs = find(r.graph, Kind::BackendService, "web-bs");
  ASSERT_NE(bs, nullptr);
  EXPECT_EQ(bs->id.scope.name, "europe-west3");
  EXPECT_NE(find(r.graph, Kind::BackendService, "web-bs-2"), nullptr);  // ${{ env.BS }}
  size_t services = 0, backends = 0;
  for (const Resource& res : r.graph.resources()) {
    if (res.id.kind == Kind::RunService) {
      ++services;
      EXPECT_EQ(res.id.name, "api");
    }
    if (res.id.kind == Kind::BackendService) ++backends;
  }
  EXPECT_EQ(services, 2u);  // one per region of the list; the unknown name is skipped
  EXPECT_EQ(backends, 2u);  // the vars and secrets names are unknown
}

TEST_F(CiFixtures, GitlabSeededAndCleanTwin) {
  EXPECT_EQ(problems(runOn({"fixtures/ci/gitlab-clean"})), std::vector<std::string>{});
  EXPECT_EQ(problems(runOn({"fixtures/ci/gitlab-seeded"})),
            std::vector<std::string>{"LBC001@.gitlab-ci.yml:19:7"});
  const RunResult r = runOn({"fixtures/ci/gitlab-clean"});
  const Resource* bs = find(r.graph, Kind::BackendService, "run-backend");
  ASSERT_NE(bs, nullptr);
  EXPECT_EQ(bs->id.scope.name, "europe-west3");
}

// ---- Re-run-safe scripts ------------------------------------------------------------

script::Script readText(SourceManager& sources, const std::string& text,
                        const script::SourceReader& reader = {}) {
  const SourceFile& f = sources.add("t.sh", text);
  return script::read(f, script::wholeFile(f.text()), {}, reader);
}

TEST(RerunSafe, GuardsOfOrAndIfConditions) {
  SourceManager sources;
  const script::Script s = readText(sources,
                                    "a describe x ||\n  b create x\n"
                                    "if ! c describe y; then\n  d create y\nelse\n  e\nfi\n"
                                    "f\n");
  ASSERT_EQ(s.commands.size(), 6u);
  EXPECT_EQ(s.commands[1].guards, std::vector<uint32_t>{0});
  EXPECT_EQ(s.commands[3].guards, std::vector<uint32_t>{2});
  EXPECT_EQ(s.commands[4].guards, std::vector<uint32_t>{2});
  EXPECT_TRUE(s.commands[5].guards.empty());
}

TEST(RerunSafe, ArraysExpandWordByWordAtTheExpansion) {
  SourceManager sources;
  const script::Script s = readText(sources,
                                    "R=europe-west3\nG=(--region=\"$R\" # scope\n  --quiet)\n"
                                    "G+=(-q)\ncmd a \"${G[@]}\" ${G[*]} \"${H[@]}\"\n");
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& w = s.commands[0].words;
  ASSERT_EQ(w.size(), 9u);
  EXPECT_EQ(w[2].text, "--region=europe-west3");
  EXPECT_EQ(w[3].text, "--quiet");
  EXPECT_EQ(w[4].text, "-q");
  EXPECT_TRUE(w[8].unknown);  // H is not an array lbcheck knows
  const SourceFile& f = sources.get(w[2].span.file);
  EXPECT_EQ(f.text().substr(w[2].span.begin, w[2].span.end - w[2].span.begin), "\"${G[@]}\"");
}

TEST(RerunSafe, AnExitStatusTestGuardsWithTheCommandBeforeIt) {
  SourceManager sources;
  const script::Script s =
      readText(sources,
               "gcloud compute network-endpoint-groups describe neg --region=r >/dev/null 2>&1\n"
               "if [ $? -ne 0 ]; then\n"
               "  gcloud compute network-endpoint-groups create neg --region=r\n"
               "fi\n"
               "gcloud compute backend-services describe bs --region=r\n"
               "if [ \"$X\" = 1 ]; then\n"
               "  gcloud compute backend-services create bs --region=r\n"
               "fi\n");
  ASSERT_EQ(s.commands.size(), 6u);
  EXPECT_EQ(s.commands[2].guards, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(s.commands[5].guards, std::vector<uint32_t>{4});  // no $?: only its own test
}

TEST(RerunSafe, ArrayElementsExpandByIndex) {
  SourceManager sources;
  const script::Script s =
      readText(sources,
               "G=(--global --quiet)\nR=(us-central1)\ni=1\n"
               "cmd \"${G[0]}\" x${G[1]}y ${R} ${G[7]}z ${G[$i]} ${G[-1]} ${H[0]}\n");
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& w = s.commands[0].words;
  ASSERT_EQ(w.size(), 8u);
  EXPECT_EQ(w[1].text, "--global");
  EXPECT_EQ(w[2].text, "x--quiety");
  EXPECT_EQ(w[3].text, "us-central1");  // an array named alone is its element 0
  EXPECT_EQ(w[4].text, "z");            // past the end: empty
  EXPECT_FALSE(w[4].unknown);
  EXPECT_TRUE(w[5].unknown);  // an index lbcheck does not evaluate
  EXPECT_TRUE(w[6].unknown);
  EXPECT_TRUE(w[7].unknown);  // H is not an array lbcheck knows
}

TEST(RerunSafe, SourceReadsVariablesOfTheNamedFile) {
  SourceManager sources;
  std::vector<std::string> asked;
  const script::SourceReader reader = [&](std::string_view p) -> std::optional<std::string> {
    asked.emplace_back(p);
    if (p == "env.sh") return std::string("REGION=europe-west3\nA=(--global)\n");
    return std::nullopt;
  };
  const script::Script s = readText(
      sources, "source \"$(dirname \"$0\")/env.sh\"\n. ./missing.sh\ncmd $REGION \"${A[@]}\"\n",
      reader);
  EXPECT_EQ(asked, (std::vector<std::string>{"env.sh", "./missing.sh"}));
  ASSERT_EQ(s.commands.size(), 1u);
  ASSERT_EQ(s.commands[0].words.size(), 3u);
  EXPECT_EQ(s.commands[0].words[1].text, "europe-west3");
  EXPECT_EQ(s.commands[0].words[2].text, "--global");
}

TEST(RerunSafe, GuardedCreateIsNoDuplicateAndUnknownFlagsAreNotMissing) {
  SourceManager sources;
  const SourceFile& f = sources.add(
      "t.sh",
      "gcloud compute network-endpoint-groups create n --region=r "
      "--network-endpoint-type=serverless"
      " --cloud-run-service=s\n"
      "gcloud compute network-endpoint-groups describe n --region=r ||\n"
      "  gcloud compute network-endpoint-groups create n --region=r "
      "--network-endpoint-type=serverless --cloud-run-service=s\n"
      "gcloud compute backend-services create bs \"${FLAGS[@]}\"\n"
      "gcloud compute backend-services add-backend bs $SCOPE --network-endpoint-group=n\n"
      "gcloud compute network-endpoint-groups create n --region=r "
      "--network-endpoint-type=serverless"
      " --cloud-run-service=s\n");
  Graph g;
  std::vector<Finding> diags;
  gcloud::load(f, false, g, diags);
  // Only the last, unguarded create is a duplicate; the open flag lists are not "missing".
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(f.locate(diags[0].span.begin).line, 6u);
  for (const Resource& r : g.resources())
    if (r.id.kind == Kind::BackendService) {
      EXPECT_EQ(r.field("region").state, State::Unknown);
      EXPECT_NE(r.field("loadBalancingScheme").state, State::Defaulted);
    }
}

TEST_F(CiFixtures, HeredocImportIsReadAsTheExportItHolds) {
  const RunResult r = runOn({"fixtures/ci/rerun-clean"});
  const Resource* map = find(r.graph, Kind::UrlMap, "run-url-map");
  ASSERT_NE(map, nullptr);
  const Field& service = map->field("defaultService");
  ASSERT_EQ(service.state, State::Known);
  const Resource* target = r.graph.target(service);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->id.name, "run-backend");
  // Located in the script, inside the here-document.
  EXPECT_EQ(r.sources.get(service.span.file).locate(service.span.begin).line, 39u);
}

TEST(RerunSafe, HeredocWithExpansionsOnStdinIsNotedNotRead) {
  TempDir dir;
  const std::string path =
      dir.file("s.sh",
               "gcloud compute url-maps import m --source /dev/stdin --global <<EOF\n"
               "name: m\ndefaultService: global/backendServices/$BS\nEOF\n"
               "cat > other.yaml <<'EOF'\nname: n\nEOF\n"
               "gcloud compute url-maps import n --source=./other.yaml --global\n");
  const RunResult r = runOn({path});
  size_t notes = 0;
  for (const Finding& f : r.findings)
    if (f.ruleId == "LBC004" && r.sources.get(f.span.file).locate(f.span.begin).line == 2) ++notes;
  EXPECT_EQ(notes, 1u);
  const Resource* m = find(r.graph, Kind::UrlMap, "m");
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->field("defaultService").state, State::Known);
  SourceManager sources;
  const script::Script s = readText(sources, "cat >f.yaml <<'X'\na: $b\nX\ncat <<Y\n$c\nY\n");
  ASSERT_EQ(s.heredocs.size(), 2u);
  EXPECT_EQ(s.heredocs[0].target, "f.yaml");
  EXPECT_FALSE(s.heredocs[0].expands);
  EXPECT_EQ(s.heredocs[1].target, "");
  EXPECT_TRUE(s.heredocs[1].expands);
}

TEST_F(CiFixtures, RerunScriptCleanTwinAndSeededMistake) {
  EXPECT_EQ(problems(runOn({"fixtures/ci/rerun-clean"})), std::vector<std::string>{});
  // RUN_REGION comes from the sourced env.sh.
  EXPECT_EQ(problems(runOn({"fixtures/ci/rerun-seeded"})),
            (std::vector<std::string>{"LB001@setup.sh:58:60", "NEG005@setup.sh:58:60"}));
}

}  // namespace
}  // namespace lbcheck
