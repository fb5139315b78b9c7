// --fix, --unsafe-fixes, --diff and --add-suppressions: the bytes each input
// syntax gets, what is never edited, and that a second run finds nothing left.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "driver/fixes.h"
#include "driver/runner.h"
#include "engine/diagnostics.h"
#include "engine/rule.h"
#include "tests/helpers.h"

namespace lbcheck::testing {
namespace {

namespace fs = std::filesystem;

struct Fixed {
  size_t findings = 0;  // findings fixed over every pass
  size_t passes = 0;    // passes that changed something
};

/// What `lbcheck --fix [--unsafe-fixes] DIR` does, in process: fix, read
/// again, until nothing is left to fix.
Fixed fixDir(const std::string& dir, bool unsafe) {
  Fixed out;
  for (int pass = 0; pass < 10; ++pass) {
    RunResult r = runOn({dir});
    size_t fixed = 0;
    const auto edits = fixEdits(r.findings, unsafe, &fixed, nullptr);
    if (edits.empty()) break;
    for (const auto& [file, list] : edits) {
      const SourceFile& f = r.sources.get(file);
      std::string error;
      EXPECT_TRUE(replaceFile(f.origin(), applyEdits(f.text(), list), &error)) << error;
    }
    out.findings += fixed;
    ++out.passes;
  }
  return out;
}

size_t countOf(const RunResult& r, std::string_view id) {
  size_t n = 0;
  for (const Finding& f : r.findings) n += f.ruleId == id && f.active();
  return n;
}

const std::string kNegTf = R"(resource "google_compute_region_network_endpoint_group" "neg" {
  name                  = "hello-neg"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = "hello"
  }
}
)";

std::string withCrlf(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

TEST(FixApply, TerraformRemovalsKeepCommentsIndentationAndLineEndings) {
  TempDir dir;
  std::string tf = kNegTf + R"(
# The backend service of the internal load balancer.
resource "google_compute_region_backend_service" "backend" {
  name                  = "hello-backend"
  region                = "us-central1" # stays
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"
  timeout_sec           = 45 # the API rejects this
  health_checks = [
    google_compute_region_health_check.hc.id,
  ]
  backend {
    group = google_compute_region_network_endpoint_group.neg.id
  }
}
resource "google_compute_region_health_check" "hc" {
  name   = "hello-hc"
  region = "us-central1"
  http_health_check {
    port = 80
  }
}
)";
  // Windows line endings throughout: the edits keep them.
  const std::string path = dir.file("main.tf", withCrlf(tf));
  const Fixed fixed = fixDir(dir.path(), false);
  EXPECT_EQ(fixed.findings, 2u);  // LB005 and LB006
  const std::string after = readText(path);
  std::string expected = kNegTf + R"(
# The backend service of the internal load balancer.
resource "google_compute_region_backend_service" "backend" {
  name                  = "hello-backend"
  region                = "us-central1" # stays
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"
  backend {
    group = google_compute_region_network_endpoint_group.neg.id
  }
}
resource "google_compute_region_health_check" "hc" {
  name   = "hello-hc"
  region = "us-central1"
  http_health_check {
    port = 80
  }
}
)";
  EXPECT_EQ(after, withCrlf(expected));
  const RunResult again = runOn({dir.path()});
  EXPECT_EQ(countOf(again, "LB005") + countOf(again, "LB006"), 0u);
  EXPECT_EQ(fixDir(dir.path(), true).findings, 0u);  // a second --fix changes nothing
}

std::string protocolStack(std::string_view protocol) {
  return kNegTf + R"(
variable "protocol" {
  default = "TCP"
}
resource "google_compute_region_backend_service" "backend" {
  name                  = "hello-backend"
  region                = "us-central1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = )" +
         std::string(protocol) + R"(
  backend {
    group = google_compute_region_network_endpoint_group.neg.id
  }
}
resource "google_compute_region_url_map" "map" {
  name            = "hello-map"
  region          = "us-central1"
  default_service = google_compute_region_backend_service.backend.id
}
)";
}

TEST(FixApply, TerraformValueTakenFromTfvarsIsSetInTheTfvarsFile) {
  TempDir dir;
  const std::string tf = dir.file("main.tf", protocolStack("var.protocol"));
  const std::string vars = dir.file("terraform.tfvars", "protocol = \"TCP\" # the old setup\n");
  const RunResult r = runOn({dir.path()}, {"LB004"});
  ASSERT_EQ(countOf(r, "LB004"), 1u);
  EXPECT_EQ(fixDir(dir.path(), false).findings, 1u);
  EXPECT_EQ(readText(vars), "protocol = \"HTTP\" # the old setup\n");
  EXPECT_EQ(readText(tf), protocolStack("var.protocol"));  // the default is not the value used
  EXPECT_EQ(countOf(runOn({dir.path()}, {"LB004"}), "LB004"), 0u);
}

TEST(FixApply, TerraformValueComputedByAnExpressionIsNotReplaced) {
  TempDir dir;
  const std::string tf = dir.file("main.tf", protocolStack("lower(var.protocol)"));
  const RunResult r = runOn({dir.path()}, {"LB004"});
  ASSERT_EQ(countOf(r, "LB004"), 1u);
  EXPECT_TRUE(fixEdits(r.findings, true, nullptr, nullptr).empty());
  EXPECT_EQ(readText(tf), protocolStack("lower(var.protocol)"));
}

const std::string kBackendScript =
    "gcloud compute network-endpoint-groups create neg --region=us-central1 \\\n"
    "    --network-endpoint-type=serverless --cloud-run-service=hello\n";

std::string fixedScript(const std::string& command) {
  TempDir dir;
  const std::string path = dir.file(
      "lb.sh", kBackendScript + command +
                   "gcloud compute backend-services add-backend bs --region=us-central1 "
                   "--network-endpoint-group=neg --network-endpoint-group-region=us-central1\n");
  fixDir(dir.path(), false);
  const std::string text = readText(path);
  const RunResult again = runOn({dir.path()});
  EXPECT_EQ(countOf(again, "LB006"), 0u) << text;
  EXPECT_EQ(countOf(again, diag::kSyntax), 0u) << text;
  const size_t start = kBackendScript.size();
  return text.substr(start, text.find("gcloud compute backend-services add-backend") - start);
}

TEST(FixApply, GcloudFlagIsDroppedWhereverItStandsOnTheCommand) {
  // Within a line: the flag and the blanks before it.
  EXPECT_EQ(fixedScript("gcloud compute backend-services create bs --region=us-central1 "
                        "--timeout=60 --load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n"),
            "gcloud compute backend-services create bs --region=us-central1 "
            "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n");
  // Alone on a continued line: the line.
  EXPECT_EQ(fixedScript("gcloud compute backend-services create bs \\\n"
                        "    --timeout 60 \\\n"
                        "    --region=us-central1 --load-balancing-scheme=INTERNAL_MANAGED \\\n"
                        "    --protocol=HTTP\n"),
            "gcloud compute backend-services create bs \\\n"
            "    --region=us-central1 --load-balancing-scheme=INTERNAL_MANAGED \\\n"
            "    --protocol=HTTP\n");
  // On the command's last line: the previous line's continuation goes too.
  EXPECT_EQ(fixedScript("gcloud compute backend-services create bs --protocol=HTTP \\\n"
                        "    --region=us-central1 --load-balancing-scheme=INTERNAL_MANAGED \\\n"
                        "    --timeout=\"60\"\n"),
            "gcloud compute backend-services create bs --protocol=HTTP \\\n"
            "    --region=us-central1 --load-balancing-scheme=INTERNAL_MANAGED\n");
}

TEST(FixApply, GcloudFlagGivenTwiceIsNotDropped) {
  // The last --timeout counts; dropping it alone would bring the first back
  // (found by the fix fuzzer: `--role --role=ACTIVE O` became `--role O`).
  TempDir dir;
  const std::string script =
      kBackendScript +
      "gcloud compute backend-services create bs --timeout=30 \\\n"
      "    --region=us-central1 --load-balancing-scheme=INTERNAL_MANAGED "
      "--protocol=HTTP --timeout=60\n"
      "gcloud compute backend-services add-backend bs --region=us-central1 "
      "--network-endpoint-group=neg --network-endpoint-group-region=us-central1\n";
  const std::string path = dir.file("lb.sh", script);
  const RunResult r = runOn({dir.path()});
  ASSERT_EQ(countOf(r, "LB006"), 1u);
  EXPECT_TRUE(fixEdits(r.findings, true, nullptr, nullptr).empty());
  EXPECT_EQ(fixDir(dir.path(), true).findings, 0u);
  EXPECT_EQ(readText(path), script);
}

TEST(FixApply, RunbookCommandInAFencedBlockIsFixedInPlace) {
  TempDir dir;
  const std::string path = dir.file(
      "runbook.md", "# Runbook\n\n```sh\n" + kBackendScript +
                        "gcloud compute backend-services create bs --region=us-central1 \\\n"
                        "    --load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP \\\n"
                        "    --timeout=60\n"
                        "gcloud compute backend-services add-backend bs --region=us-central1 "
                        "--network-endpoint-group=neg --network-endpoint-group-region=us-central1\n"
                        "```\n");
  EXPECT_EQ(fixDir(dir.path(), false).findings, 1u);
  const std::string after = readText(path);
  EXPECT_NE(after.find("--protocol=HTTP\ngcloud compute backend-services add-backend"),
            std::string::npos)
      << after;
  EXPECT_EQ(countOf(runOn({dir.path()}), "LB006"), 0u);
}

TEST(FixApply, CloudRunServiceYamlAnnotationKeepsItsQuotes) {
  TempDir dir;
  const std::string yaml = R"(apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
  labels:
    cloud.googleapis.com/location: us-central1
  annotations:
    run.googleapis.com/ingress: "internall"
spec:
  template:
    spec:
      containers:
      - image: gcr.io/p/hello
)";
  const std::string path = dir.file("service.yaml", yaml);
  ASSERT_EQ(countOf(runOn({dir.path()}), "RUN001"), 1u);
  EXPECT_EQ(fixDir(dir.path(), false).findings, 0u);  // RUN001 guesses: unsafe
  EXPECT_EQ(fixDir(dir.path(), true).findings, 1u);
  std::string expected = yaml;
  expected.replace(expected.find("\"internall\""), 11, "\"internal\"");
  EXPECT_EQ(readText(path), expected);
}

const std::string kKrmBackend = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeRegionNetworkEndpointGroup
metadata:
  name: hello-neg
spec:
  region: us-central1
  networkEndpointType: SERVERLESS
  cloudRun:
    serviceRef:
      name: hello
---
apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeBackendService
metadata:
  name: hello-backend
spec:
  location: us-central1
  loadBalancingScheme: INTERNAL_MANAGED
  protocol: "HTTPS2"  # a typo
  backend:
  - group:
      networkEndpointGroupRef:
        name: hello-neg
    balancingMode: RATE
    maxRatePerEndpoint: 100
  healthChecks:
  - healthCheckRef:
      name: hello-hc
  timeoutSec: 60
---
apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeURLMap
metadata:
  name: hello-map
spec:
  location: us-central1
  defaultService:
    backendServiceRef:
      name: hello-backend
)";

TEST(FixApply, ConfigConnectorEntriesGoWithTheirBlocksAndQuotesStay) {
  TempDir dir;
  const std::string path = dir.file("lb.yaml", kKrmBackend);
  const Fixed fixed = fixDir(dir.path(), false);
  EXPECT_GE(fixed.findings, 4u);  // LB004, LB005, LB006, LB007 (x2)
  const std::string after = readText(path);
  const size_t from = after.find("kind: ComputeBackendService");
  ASSERT_NE(from, std::string::npos);
  EXPECT_EQ(after.substr(from, after.find("---", from) - from), R"(kind: ComputeBackendService
metadata:
  name: hello-backend
spec:
  location: us-central1
  loadBalancingScheme: INTERNAL_MANAGED
  protocol: "HTTP"  # a typo
  backend:
  - group:
      networkEndpointGroupRef:
        name: hello-neg
)");
  const RunResult again = runOn({dir.path()});
  for (const char* id : {"LB004", "LB005", "LB006", "LB007"}) EXPECT_EQ(countOf(again, id), 0u);
}

TEST(FixApply, UnsafeFixesWaitForUnsafeFixesAndOverlappingOnesForTheNextPass) {
  TempDir dir;
  // RUN002 and RUN004 both propose a value for the same `ingress`.
  const std::string path = dir.file(
      "run.sh", kBackendScript +
                    "gcloud run deploy hello --image=gcr.io/p/i --region=us-central1 "
                    "--ingress=all --allow-unauthenticated\n"
                    "gcloud compute backend-services create bs --region=us-central1 "
                    "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n"
                    "gcloud compute backend-services add-backend bs --region=us-central1 "
                    "--network-endpoint-group=neg --network-endpoint-group-region=us-central1\n");
  const RunResult before = runOn({dir.path()});
  size_t fixed = 0, unsafeLeft = 0;
  EXPECT_TRUE(fixEdits(before.findings, false, &fixed, &unsafeLeft).empty());
  EXPECT_EQ(fixed, 0u);
  EXPECT_GE(unsafeLeft, 1u);
  const auto edits = fixEdits(before.findings, true, &fixed, nullptr);
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits.begin()->second.size(), 1u);  // one value for one span
  const Fixed all = fixDir(dir.path(), true);
  EXPECT_GE(all.findings, 1u);
  const std::string after = readText(path);
  EXPECT_EQ(after.find("--ingress=all"), std::string::npos) << after;
  EXPECT_EQ(fixDir(dir.path(), true).findings, 0u);
}

TEST(FixApply, APlanIsNeverEditedItsFixGoesToTheTfFileThatWritesTheValue) {
  TempDir dir;
  const fs::path src = fs::path(LBCHECK_SOURCE_DIR) / "fixtures/fix/plan-mapped";
  fs::copy(src, dir.path(), fs::copy_options::recursive);
  const std::string plan = readText(dir.path() + "/plan.json");
  const std::string module = dir.path() + "/modules/lb/main.tf";
  ASSERT_NE(readText(module).find("  timeout_sec"), std::string::npos);
  const RunResult r = runOn({dir.path()});
  ASSERT_EQ(countOf(r, "LB006"), 1u);
  const auto edits = fixEdits(r.findings, false, nullptr, nullptr);
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(r.sources.get(edits.begin()->first).path().find("main.tf") != std::string::npos, true);
  fixDir(dir.path(), false);
  EXPECT_EQ(readText(module).find("  timeout_sec"), std::string::npos);
  EXPECT_EQ(readText(dir.path() + "/plan.json"), plan);
}

/// Every hand-written failing fixture of every rule with fixes: --unsafe-fixes
/// settles in a few passes, leaves the file readable, and the findings it
/// fixed are gone.
TEST(FixApply, EveryFixableRuleFixtureSettlesAndItsFixedFindingsAreGone) {
  size_t files = 0, fixedTotal = 0;
  for (const Rule* rule : allRules()) {
    if (rule->info().fix == FixSafety::None) continue;
    const fs::path dirOf = fs::path(LBCHECK_SOURCE_DIR) / "fixtures/rules" / rule->info().id;
    if (!fs::exists(dirOf)) continue;
    for (const auto& entry : fs::directory_iterator(dirOf)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("fail", 0) != 0 || name.find(".expected") != std::string::npos ||
          name.find(".json") != std::string::npos)
        continue;
      TempDir dir;
      fs::copy(entry.path(), fs::path(dir.path()) / name, fs::copy_options::recursive);
      const RunResult before = runOn({dir.path()});
      std::set<std::string> fixedKeys;
      for (const Finding& f : before.findings)
        if (applicableFix(f, true)) fixedKeys.insert(f.ruleId + " " + f.resource + " " + f.message);
      size_t syntaxBefore = countOf(before, diag::kSyntax);
      const Fixed fixed = fixDir(dir.path(), true);
      ++files;
      fixedTotal += fixed.findings;
      EXPECT_LE(fixed.passes, 4u) << name;
      const RunResult after = runOn({dir.path()});
      EXPECT_LE(countOf(after, diag::kSyntax), syntaxBefore) << rule->info().id << "/" << name;
      EXPECT_TRUE(fixEdits(after.findings, true, nullptr, nullptr).empty())
          << rule->info().id << "/" << name;
      for (const Finding& f : after.findings) {
        if (f.ruleId != rule->info().id) continue;
        EXPECT_EQ(fixedKeys.count(f.ruleId + " " + f.resource + " " + f.message), 0u)
            << rule->info().id << "/" << name << ": " << f.message;
      }
    }
  }
  EXPECT_GE(files, 20u);
  EXPECT_GE(fixedTotal, 20u);
}

TEST(FixApply, DiffOfTwoChangesFarApartHasTwoHunks) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += "line " + std::to_string(i) + "\n";
    if (i != 3 && i != 17) after += "line " + std::to_string(i) + "\n";
    if (i == 17) after += "line seventeen\n";
  }
  EXPECT_EQ(unifiedDiff("f.tf", before, after),
            "--- a/f.tf\n+++ b/f.tf\n"
            "@@ -1,6 +1,5 @@\n line 1\n line 2\n-line 3\n line 4\n line 5\n line 6\n"
            "@@ -14,7 +13,7 @@\n line 14\n line 15\n line 16\n-line 17\n+line seventeen\n"
            " line 18\n line 19\n line 20\n");
  EXPECT_EQ(unifiedDiff("f.tf", before, before), "");
  EXPECT_EQ(unifiedDiff("f", "a", "b"),
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n"
            "\\ No newline at end of file\n");
}

TEST(FixApply, SuppressionsGoAboveTheLineOrTheContinuedCommandWithItsIndentation) {
  TempDir dir;
  const std::string script =
      kBackendScript +
      "gcloud compute backend-services create bs --region=us-central1 \\\n"
      "    --load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP \\\n"
      "    --timeout=60\n"
      "gcloud compute backend-services add-backend bs --region=us-central1 "
      "--network-endpoint-group=neg --network-endpoint-group-region=us-central1\n";
  const std::string sh = dir.file("lb.sh", script);
  const std::string yaml = dir.file("lb.yaml", kKrmBackend);
  const RunResult r = runOn({dir.path()});
  size_t unsupported = 0;
  const auto edits = suppressionEdits(r.sources, r.findings, "kept on purpose", &unsupported);
  EXPECT_EQ(unsupported, 0u);
  for (const auto& [file, list] : edits) {
    const SourceFile& f = r.sources.get(file);
    std::string error;
    ASSERT_TRUE(replaceFile(f.origin(), applyEdits(f.text(), list), &error)) << error;
  }
  const std::string shAfter = readText(sh);
  EXPECT_NE(shAfter.find("# lbcheck:ignore LB006 -- kept on purpose\n"
                         "gcloud compute backend-services create bs --region=us-central1 \\\n"),
            std::string::npos)
      << shAfter;
  const std::string yamlAfter = readText(yaml);
  EXPECT_NE(yamlAfter.find("  # lbcheck:ignore LB006 -- kept on purpose\n  timeoutSec: 60\n"),
            std::string::npos)
      << yamlAfter;
  const RunResult again = runOn({dir.path()});
  for (const Finding& f : again.findings) EXPECT_FALSE(f.active()) << f.ruleId << " " << f.message;
}

TEST(FixApply, JsonHoldsNoSuppressionComment) {
  EXPECT_EQ(suppressionComment("plan.json", {"LB006"}, "r"), "");
  EXPECT_EQ(suppressionComment("main.tf", {"LB006", "LB005"}, "r"),
            "# lbcheck:ignore LB006,LB005 -- r");
}

TEST(FixSafetyDocs, EachRulesDocSaysWhatItsFixesAreAndRulesThatFixDeclareIt) {
  // Which rule sources propose fixes (out.fix, or the shared bypass helper).
  std::set<std::string> fixing;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(LBCHECK_SOURCE_DIR) / "rules")) {
    if (e.path().extension() != ".cpp") continue;
    const std::string text = readText(e.path().string());
    if (text.find("out.fix(") != std::string::npos || text.find("bypass.h") != std::string::npos)
      fixing.insert(e.path().filename().string().substr(0, e.path().filename().string().find('-')));
  }
  EXPECT_GE(fixing.size(), 25u);
  for (const Rule* rule : allRules()) {
    const RuleInfo& info = rule->info();
    const std::string id(info.id);
    const std::string doc(ruleDoc(info.id));
    EXPECT_EQ(fixing.count(id) > 0, info.fix != FixSafety::None) << id;
    if (info.fix == FixSafety::None) {
      EXPECT_EQ(doc.find("Fix: "), std::string::npos) << id;
    } else {
      EXPECT_NE(doc.find("Fix: " + std::string(fixSafetyName(info.fix))), std::string::npos) << id;
    }
  }
  const CommandRun list = runCommand(std::string(LBCHECK_BINARY) + " rules");
  EXPECT_NE(list.out.find("LB006   error    safe   timeout-on-serverless-backend"),
            std::string::npos)
      << list.out;
}

CommandRun lbcheck(const std::string& args) {
  return runCommand(std::string(LBCHECK_BINARY) + " " + args + " 2>&1");
}

TEST(FixCli, DiffWritesNothingFixWritesThatDiffAndKeepsTheFileMode) {
  TempDir dir;
  const std::string script = kBackendScript +
                             "gcloud compute backend-services create bs --region=us-central1 "
                             "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP "
                             "--timeout=60\n"
                             "gcloud compute backend-services add-backend bs "
                             "--region=us-central1 --network-endpoint-group=neg "
                             "--network-endpoint-group-region=us-central1\n";
  const std::string path = dir.file("lb.sh", script);
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  const CommandRun diff = lbcheck("--diff " + dir.path());
  EXPECT_EQ(diff.status, 1) << diff.out;
  EXPECT_NE(diff.out.find("-gcloud compute backend-services create bs --region=us-central1 "
                          "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP --timeout=60\n"
                          "+gcloud compute backend-services create bs --region=us-central1 "
                          "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n"),
            std::string::npos)
      << diff.out;
  EXPECT_NE(diff.out.find("lbcheck: 1 fix would change 1 file"), std::string::npos) << diff.out;
  EXPECT_EQ(readText(path), script);

  const CommandRun fix = lbcheck("--fix " + dir.path());
  EXPECT_NE(fix.out.find("lbcheck: fixed 1 finding in 1 file"), std::string::npos) << fix.out;
  EXPECT_EQ(fix.out.find("LB006"), std::string::npos) << fix.out;  // the report is of what is left
  EXPECT_EQ(readText(path).find("--timeout"), std::string::npos);
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::owner_exec, fs::perms::owner_exec);
  const CommandRun again = lbcheck("--diff " + dir.path());
  EXPECT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("lbcheck: 0 fixes would change 0 files"), std::string::npos)
      << again.out;
}

TEST(FixCli, UnsafeFixesAreCountedAndAppliedOnlyWhenAskedFor) {
  TempDir dir;
  const std::string path =
      dir.file("run.sh",
               "gcloud run deploy hello --image=gcr.io/p/i --region=us-central1 "
               "--ingress=all --allow-unauthenticated\n" +
                   kBackendScript +
                   "gcloud compute backend-services create bs --region=us-central1 "
                   "--load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP\n"
                   "gcloud compute backend-services add-backend bs "
                   "--region=us-central1 --network-endpoint-group=neg "
                   "--network-endpoint-group-region=us-central1\n");
  const CommandRun safe = lbcheck("--fix " + dir.path());
  EXPECT_NE(safe.out.find("that --unsafe-fixes applies"), std::string::npos) << safe.out;
  EXPECT_NE(readText(path).find("--ingress=all"), std::string::npos);
  const CommandRun unsafe = lbcheck("--fix --unsafe-fixes " + dir.path());
  EXPECT_EQ(readText(path).find("--ingress=all"), std::string::npos) << unsafe.out;
}

TEST(FixCli, AddSuppressionsNeedsAReasonAndCountsJsonFindings) {
  TempDir dir;
  const CommandRun none = lbcheck("--add-suppressions ' ' " + dir.path());
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.out.find("needs a reason"), std::string::npos) << none.out;
  const fs::path plan = fs::path(LBCHECK_SOURCE_DIR) / "fixtures/rules/LB006/fail.tfplan.json";
  fs::copy(plan, fs::path(dir.path()) / "plan.json");
  dir.file("lb.yaml", kKrmBackend);
  const CommandRun add = lbcheck("--add-suppressions 'reviewed in INFRA-12' " + dir.path());
  EXPECT_EQ(add.status, 0) << add.out;
  EXPECT_NE(add.out.find("in JSON files, which hold no comments"), std::string::npos) << add.out;
  EXPECT_NE(readText(dir.path() + "/lb.yaml").find("# lbcheck:ignore"), std::string::npos);
  const CommandRun after = lbcheck("--format json " + dir.path() + "/lb.yaml");
  EXPECT_EQ(after.status, 0) << after.out;
}

// -o, --fix and --baseline-out write through writeAtomically.

bool writeThrough(const std::string& path, const std::string& text, std::string* error) {
  return writeAtomically(
      path, [&](std::ostream& out) { out << text; }, error);
}

TEST(WriteAtomically, SymbolicLinkStaysAndItsFileIsReplaced) {
  TempDir dir;
  const std::string file = dir.file("report.txt", "old\n");
  const std::string link = dir.path() + "/latest.txt";
  fs::create_symlink(file, link);
  std::string error;
  ASSERT_TRUE(writeThrough(link, "new\n", &error)) << error;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(readText(file), "new\n");
}

TEST(WriteAtomically, PipeIsWrittenIntoNotReplaced) {
  // `-o /dev/stdout` and `-o /dev/null` are the same case: renaming over
  // them put a plain file in /dev (as root) or failed (as anyone else).
  TempDir dir;
  const std::string fifo = dir.path() + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  std::string error;
  EXPECT_TRUE(writeThrough(fifo, "report\n", &error)) << error;
  char buffer[64] = {};
  const ssize_t n = ::read(reader, buffer, sizeof buffer);
  ::close(reader);
  EXPECT_EQ(std::string(buffer, n > 0 ? static_cast<size_t>(n) : 0), "report\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(WriteAtomically, DirectoryIsRefusedAndNamed) {
  TempDir dir;
  std::string error;
  EXPECT_FALSE(writeThrough(dir.path(), "x", &error));
  EXPECT_NE(error.find("is a directory"), std::string::npos) << error;
}

}  // namespace
}  // namespace lbcheck::testing
