// The lbcheck binary as a user runs it: exit codes, help, subcommands, files.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "helpers.h"

using lbcheck::testing::readText;

namespace {
using CliRun = lbcheck::testing::CommandRun;

CliRun runCli(const std::string& args, const std::string& env = "") {
  return lbcheck::testing::runCommand(env + " " + LBCHECK_BINARY + std::string(" ") + args +
                                      " 2>&1");
}
}  // namespace

TEST(Cli, CleanPlanExitsZero) {
  // The guide's stack with an HTTPS frontend (the HTTP one gets the TLS008 note).
  const CliRun r = runCli("fixtures/rules/TLS008/pass.tfplan.json");
  EXPECT_EQ(r.status, 0) << r.out;
  // The guide's own stack draws notes only (RUN005...), never a warning or an error.
  EXPECT_NE(r.out.find("lbcheck: 0 errors, 0 warnings, "), std::string::npos) << r.out;
}

TEST(Cli, FindingsExitOne) {
  const CliRun r = runCli("examples/plan.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("examples/plan.json:757:42: error[LB016]:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  help: "), std::string::npos);
}

// The second bundled example: a global external ALB whose one finding is RUN006, and
// --print-graph names the chain's type.
TEST(Cli, GlobalExternalExampleHasOneWarningAndTheInvokerNote) {
  const CliRun r = runCli("examples/global-external-plan.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("examples/global-external-plan.json:177:17: warning[RUN006]: Cloud Run "
                       "service `web` (google_cloud_run_v2_service.web) sits behind global "
                       "external Application Load Balancer `web-fr`"),
            std::string::npos)
      << r.out;
  // The plan holds no IAM for the service: RUN008 cannot tell who may invoke it (#17).
  EXPECT_NE(r.out.find("examples/global-external-plan.json:164:15: note[RUN008]: cannot verify who "
                       "may invoke Cloud Run service `web`"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("lbcheck: 0 errors, 1 warning, 1 note in 1 file"), std::string::npos)
      << r.out;
  const CliRun g = runCli("--print-graph examples/global-external-plan.json");
  EXPECT_NE(g.out.find("  global-external  forwarding rule web-fr -> target HTTPS proxy "
                       "web-https-proxy -> URL map web-map -> backend service web-backend\n"),
            std::string::npos)
      << g.out;
}

// A file that is not lbcheck's is no finding: the report's last line counts it (#21).
TEST(Cli, SkippedFilesAreCountedNotReported) {
  lbcheck::testing::TempDir tmp;
  const CliRun r = runCli(tmp.file("package.json", "{\"name\":\"x\"}"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.find("LBC004"), std::string::npos) << r.out;
  EXPECT_EQ(r.out,
            "lbcheck: no findings in 0 files\n"
            "lbcheck: skipped 1 file (1 not in a format lbcheck reads); --show-skipped lists "
            "them\n");
}

// #21: a repository scan is quiet; --show-skipped lists what the last line counts;
// JSON keeps the list.
TEST(Cli, RepositoryScanEndsWithOneLineCountingTheSkippedFiles) {
  const CliRun quiet = runCli("fixtures/plans/repository-scan");
  EXPECT_EQ(quiet.status, 0) << quiet.out;
  EXPECT_EQ(quiet.out,
            "lbcheck: no findings in 3 files\n"
            "lbcheck: skipped 4 files (2 not in a format lbcheck reads, 1 does not parse and is "
            "not lbcheck's, 1 variables file Terraform does not load); --show-skipped lists "
            "them\n");
  const CliRun listed = runCli("--show-skipped fixtures/plans/repository-scan");
  EXPECT_NE(listed.out.find("skipped: fixtures/plans/repository-scan/.vscode/settings.json: "
                            "does not parse, and is not a format lbcheck reads (invalid JSON at "
                            "line 2:"),
            std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find("skipped: fixtures/plans/repository-scan/package.json: not a "
                            "format lbcheck reads"),
            std::string::npos)
      << listed.out;
  const auto json = nlohmann::json::parse(
      runCli("--format json fixtures/plans/repository-scan").out, nullptr, false);
  ASSERT_TRUE(json.is_object());
  EXPECT_TRUE(json["findings"].empty());
  EXPECT_EQ(json["summary"]["skipped"], 4);
  ASSERT_EQ(json["skipped"].size(), 4u);
  EXPECT_EQ(json["skipped"][0]["file"], "fixtures/plans/repository-scan/.vscode/settings.json");
  EXPECT_EQ(json["skipped"][0]["reason"], "does-not-parse");
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(runCli("").status, 2);
  EXPECT_EQ(runCli("--format xml examples/plan.json").status, 2);
  EXPECT_EQ(runCli("--no-such-flag examples/plan.json").status, 2);
  EXPECT_EQ(runCli("--rule NOPE001 examples/plan.json").status, 2);
  EXPECT_EQ(runCli("explain NOPE001").status, 2);
}

TEST(Cli, HelpExplainsFormatsExitCodesAndExamples) {
  const CliRun r = runCli("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* s : {"--format", "--output", "Exit status", "explain", "rules", "NO_COLOR"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

TEST(Cli, VersionPrintsTheVersion) {
  const CliRun r = runCli("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("lbcheck ", 0), 0u) << r.out;
}

TEST(Cli, RulesListsEveryRuleInTextAndJson) {
  const CliRun text = runCli("rules");
  EXPECT_EQ(text.status, 0);
  for (const char* id : {"NET001", "LB001", "RUN002", "NEG007", "LB016", "OPS001", "LBC001"})
    EXPECT_NE(text.out.find(id), std::string::npos) << id;
  const CliRun json = runCli("rules --format json");
  EXPECT_EQ(json.status, 0);
  EXPECT_NE(json.out.find("\"id\": \"NEG007\""), std::string::npos) << json.out;
}

TEST(Cli, ExplainPrintsTheDocCaseInsensitively) {
  const CliRun r = runCli("explain neg007");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, readText("rules/neg/NEG007-url-mask-malformed.md"));
}

TEST(Cli, OutputFileIsWrittenAndStdoutStaysEmpty) {
  lbcheck::testing::TempDir tmp;
  const std::string out = tmp.path() + "/report.sarif";
  const CliRun r = runCli("--format sarif -o " + out + " examples/plan.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(readText(out).find("\"version\": \"2.1.0\""), std::string::npos);
  // No temporary file is left behind.
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(tmp.path())) ++files;
  EXPECT_EQ(files, 1u);
}

TEST(Cli, ColourOnlyOnRequestAndNeverWithNoColor) {
  EXPECT_EQ(runCli("examples/plan.json").out.find('\033'), std::string::npos);
  EXPECT_NE(runCli("--color always examples/plan.json").out.find('\033'), std::string::npos);
  EXPECT_EQ(runCli("examples/plan.json", "NO_COLOR=1").out.find('\033'), std::string::npos);
}

TEST(Cli, DirectoryWalkSkipsGitTerraformAndNodeModules) {
  lbcheck::testing::TempDir tmp;
  const std::string broken = "{ not json";
  for (const char* d : {".git", ".terraform", "node_modules"}) {
    std::filesystem::create_directories(tmp.path() + "/" + d);
    tmp.file(std::string(d) + "/broken.json", broken);
  }
  tmp.file("plan.json", readText("fixtures/plans/seed-clean.tfplan.json"));
  const CliRun r = runCli(tmp.path());
  EXPECT_EQ(r.status, 0) << r.out;
}

TEST(Cli, MissingPathIsAnErrorButOtherPathsAreChecked) {
  const CliRun r = runCli("no/such/dir examples/plan.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("no/such/dir:1:1: error[LBC002]: no such file or directory"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("error[LB016]"), std::string::npos);
}

TEST(Cli, RuleFilterRunsOnlyTheNamedRules) {
  const CliRun r = runCli("--rule run002 examples/plan.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.find("LB016"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RUN002"), std::string::npos);
}

TEST(Cli, UrlMaskShowsWhereUrlsRoute) {
  const CliRun r = runCli(
      "url-mask '<tag>.example.com/home/<service>' "
      "https://test.example.com/home/login/web https://other.org/x");
  EXPECT_EQ(r.status, 1) << r.out;  // the second URL does not fit
  EXPECT_NE(r.out.find("https://test.example.com/home/login/web -> service=login tag=test"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("https://other.org/x -> no match"), std::string::npos) << r.out;
}

TEST(Cli, UrlMaskExplainsAMalformedMaskWithACaret) {
  const CliRun r = runCli("url-mask '<service>-dot-appname.appspot.com/<version>'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("`<version>` is not a Cloud Run placeholder"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::string(36, ' ') + "^~~~~~~~"), std::string::npos) << r.out;
}

TEST(Cli, UrlMaskAcceptsAValidMaskWithoutUrls) {
  const CliRun r = runCli("url-mask example.com/'<service>'");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("host part: example.com"), std::string::npos) << r.out;
}

TEST(Cli, RepeatableOptionsTakeOneValueEach) {
  // A list option must not swallow the paths that follow it.
  const CliRun r = runCli("--tf-source fixtures/plans/seed-mapped-fail examples/plan.json");
  EXPECT_NE(r.out.find("error[LB016]"), std::string::npos) << r.out;
}

TEST(Cli, BaselineGatesOnlyNewFindings) {
  lbcheck::testing::TempDir tmp;
  const std::string krm = readText("fixtures/rules/LB016/fail.krm.yaml");
  tmp.file("stack.yaml", krm);
  const std::string baseline = tmp.path() + "/baseline.json";
  CliRun r = runCli("--write-baseline " + baseline + " " + tmp.path() + "/stack.yaml");
  EXPECT_EQ(r.status, 1) << r.out;  // writing a baseline does not hide today's findings
  ASSERT_TRUE(std::filesystem::exists(baseline));
  r = runCli("--baseline " + baseline + " " + tmp.path() + "/stack.yaml");
  EXPECT_EQ(r.status, 0) << r.out;
  // A new error fails again.
  std::string worse = krm;
  worse.replace(worse.find("10.129.0.0/23"), 13, "10.129.0.0/27");
  tmp.file("stack.yaml", worse);
  r = runCli("--baseline " + baseline + " --format sarif " + tmp.path() + "/stack.yaml");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("\"baselineState\": \"new\""), std::string::npos);
  EXPECT_NE(r.out.find("\"baselineState\": \"unchanged\""), std::string::npos);
  // A baseline that is not one is a usage error, never silently empty.
  r = runCli("--baseline " + tmp.file("bad.json", "[]") + " " + tmp.path() + "/stack.yaml");
  EXPECT_EQ(r.status, 2) << r.out;
}

TEST(Cli, ConfigFlagsAndSuppressedFindingsDoNotFail) {
  lbcheck::testing::TempDir tmp;
  std::string krm = readText("fixtures/rules/LB016/fail.krm.yaml");
  krm.replace(krm.find("httpKeepAliveTimeoutSec: 610"), 28,
              "httpKeepAliveTimeoutSec: 610 # lbcheck:ignore LB016 -- tested with clients");
  tmp.file("stack.yaml", krm);
  CliRun r = runCli(tmp.path());
  EXPECT_EQ(r.status, 0) << r.out;
  r = runCli("--config " + tmp.path() + "/missing.yaml " + tmp.path());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("LBC008"), std::string::npos);
  tmp.file("strict.yaml", "severity: {LBC010: error}\nselect: [LB001]\n");
  r = runCli("--config " + tmp.path() + "/strict.yaml " + tmp.path() + "/stack.yaml");
  EXPECT_EQ(r.status, 0) << r.out;  // LB016 not selected: its suppression is not "unused"
}

TEST(Cli, SarifRootComesFromTheOptionThenGithubWorkspaceThenTheWorkingDirectory) {
  auto firstUri = [](const std::string& sarif) {
    const auto doc = nlohmann::json::parse(sarif);
    return doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  };
  const std::string checkout =
      std::filesystem::weakly_canonical(std::filesystem::current_path()).generic_string();
  const std::string parent = std::filesystem::path(checkout).parent_path().generic_string();
  const std::string name = std::filesystem::path(checkout).filename().string();
  // The default: relative to the working directory.
  CliRun r = runCli("--format sarif examples/plan.json", "GITHUB_WORKSPACE=");
  auto a = firstUri(r.out);
  EXPECT_EQ(a["uri"], "examples/plan.json");
  EXPECT_EQ(a["uriBaseId"], "%SRCROOT%");
  // An absolute path and a ../ path outside the root: absolute file:// URIs.
  r = runCli("--format sarif --sarif-root fixtures " + checkout + "/examples/plan.json",
             "GITHUB_WORKSPACE=");
  a = firstUri(r.out);
  EXPECT_EQ(a["uri"], "file://" + checkout + "/examples/plan.json");
  EXPECT_FALSE(a.contains("uriBaseId"));
  r = runCli("--format sarif ../" + name + "/examples/plan.json", "GITHUB_WORKSPACE=" + parent);
  a = firstUri(r.out);
  EXPECT_EQ(a["uri"], name + "/examples/plan.json");  // under $GITHUB_WORKSPACE
  EXPECT_EQ(nlohmann::json::parse(r.out)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file://" + parent + "/");
  // --sarif-root wins over $GITHUB_WORKSPACE.
  r = runCli("--format sarif --sarif-root " + checkout + "/examples examples/plan.json",
             "GITHUB_WORKSPACE=" + parent);
  a = firstUri(r.out);
  EXPECT_EQ(a["uri"], "plan.json");
  EXPECT_EQ(a["uriBaseId"], "%SRCROOT%");
  EXPECT_NE(runCli("--help").out.find("--sarif-root"), std::string::npos);
}

// #21: a module library builds whole load balancers from YAML files
// (yamldecode(file(...)) over fileset(...)). Every resource of every file is in
// the graph with the name, project and region the YAML and the provider give
// (written out here by hand), and the seeded mistake (catalog.yaml asks for a
// TCP backend service) is found at its line in the YAML file.
TEST(Cli, YamlFactoryBuildsEveryLoadBalancerOfItsFiles) {
  const std::string dir = "fixtures/plans/yaml-factory";
  const CliRun g = runCli("--print-graph " + dir);
  const std::string base = "projects/shop-proj/regions/europe-west1/";
  const std::string m = "module.lbs.";
  std::vector<std::string> expected;
  for (const std::string lb : {"cart", "catalog"}) {
    const std::string key = "[\"" + lb + "\"])  ";
    expected.push_back("network endpoint group " + lb + "-neg (" + m +
                       "google_compute_region_network_endpoint_group.neg" + key + base +
                       "networkEndpointGroups/" + lb + "-neg");
    expected.push_back("  cloudRun.service -> Cloud Run service " + lb +
                       " (google_cloud_run_v2_service." + lb + ")");
    expected.push_back("backend service " + lb + "-backend (" + m +
                       "google_compute_region_backend_service.backend" + key + base +
                       "backendServices/" + lb + "-backend");
    expected.push_back("URL map " + lb + "-url-map (" + m + "google_compute_region_url_map.map" +
                       key + base + "urlMaps/" + lb + "-url-map");
    expected.push_back("target HTTP proxy " + lb + "-proxy (" + m +
                       "google_compute_region_target_http_proxy.proxy" + key + base +
                       "targetHttpProxies/" + lb + "-proxy");
    expected.push_back("forwarding rule " + lb + "-fr (" + m +
                       "google_compute_forwarding_rule.rule" + key + base + "forwardingRules/" +
                       lb + "-fr");
    expected.push_back("  regional-internal  forwarding rule " + lb + "-fr -> target HTTP proxy " +
                       lb + "-proxy -> URL map " + lb + "-url-map -> backend service " + lb +
                       "-backend\n");
  }
  for (const std::string& line : expected)
    EXPECT_NE(g.out.find(line), std::string::npos) << line << "\n---\n" << g.out;
  // Nothing else: two files, five resources each, no `[*]` instance.
  EXPECT_EQ(g.out.find("[*]"), std::string::npos) << g.out;
  size_t moduleResources = 0;
  std::istringstream lines(g.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.starts_with(" ") && line.find("(" + m) != std::string::npos) ++moduleResources;
  EXPECT_EQ(moduleResources, 10u) << g.out;

  const CliRun r = runCli(dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find(dir + "/modules/lb-factory/lbs/catalog.yaml:4:11: error[LB004]: `protocol` "
                             "of backend service `catalog-backend`"),
            std::string::npos)
      << r.out;
  // The YAML files were read (by the configuration), not skipped.
  EXPECT_NE(r.out.find("lbcheck: 1 error, 0 warnings, 2 notes in 2 files (4 read)\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("skipped"), std::string::npos) << r.out;
}
