// The policy stage: .lbcheck.yaml, organisation policies, inline and
// configured suppressions, and the baseline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "driver/config.h"
#include "driver/output/report.h"
#include "driver/policy.h"
#include "helpers.h"

namespace lbcheck {
namespace {

using testing::readText;
using testing::TempDir;

const std::string kKrm = "fixtures/rules/LB016/fail.krm.yaml";

std::vector<const Finding*> byRule(const RunResult& r, std::string_view id) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings)
    if (f.ruleId == id) out.push_back(&f);
  return out;
}

uint32_t lineOf(const RunResult& r, const Finding& f) {
  return r.sources.get(f.span.file).locate(f.span.begin).line;
}

RunResult runDir(const std::string& dir, Options o = {}) {
  o.paths = {dir};
  RunResult r;
  run(o, r);
  return r;
}

/// Replaces the first occurrence of `from` in `text`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class PolicyTest : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("LBCHECK_TODAY", "2026-06-01", 1); }
  void TearDown() override { ::unsetenv("LBCHECK_TODAY"); }
};

// --- configuration --------------------------------------------------------

TEST_F(PolicyTest, UnknownKeysAndBadValuesAreLocatedErrors) {
  TempDir tmp;
  tmp.file(".lbcheck.yaml",
           "select: [LB]\n"
           "ignroe: [TLS008]\n"           // line 2: typo
           "severity: {RUN005: fatal}\n"  // line 3: bad severity
           "rules:\n"
           "  NET004: {required-prefix: 30}\n"  // line 5: out of range
           "  LB016: {x: 1}\n"                  // line 6: no options
           "policies:\n"
           "  - id: NET900\n"  // line 8: builtin family
           "    message: no\n"
           "    name-pattern: 'a('\n"  // line 10: bad RE2
           "suppress:\n"
           "  - {rule: LB016, resource: x}\n");  // line 12: no reason
  tmp.file("stack.yaml", readText(kKrm));
  const RunResult r = runDir(tmp.path());
  std::vector<uint32_t> lines;
  for (const Finding* f : byRule(r, "LBC008")) {
    EXPECT_EQ(r.sources.get(f->span.file).path().find(".lbcheck.yaml") != std::string::npos, true);
    lines.push_back(lineOf(r, *f));
  }
  std::sort(lines.begin(), lines.end());
  for (uint32_t want : {2u, 3u, 5u, 6u, 8u, 10u, 12u})
    EXPECT_TRUE(std::count(lines.begin(), lines.end(), want)) << "no LBC008 on line " << want;
  // What is valid still applies: select [LB] keeps LB016 and drops TLS008 and RUN005.
  EXPECT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_TRUE(byRule(r, "TLS008").empty());
  EXPECT_TRUE(byRule(r, "RUN005").empty());
}

TEST_F(PolicyTest, NumbersBeyondIntAreRangeErrors) {
  // Found by the config fuzzer: 2.2e76 was converted to int before the range check.
  SourceManager sources;
  std::vector<Finding> findings;
  loadConfig(sources.add(".lbcheck.yaml", readText("tests/fuzz/regressions/"
                                                   "config-prefix-beyond-int.yaml")),
             "/repo", findings);
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& f : findings) EXPECT_NE(f.message.find("from 8 to 26"), std::string::npos);
}

TEST_F(PolicyTest, NotYamlIsALocatedError) {
  TempDir tmp;
  tmp.file(".lbcheck.yaml", "select: [LB\n");
  tmp.file("stack.yaml", readText(kKrm));
  const RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "LBC008").size(), 1u);
  EXPECT_NE(byRule(r, "LBC008")[0]->message.find("not valid YAML"), std::string::npos);
  EXPECT_EQ(byRule(r, "LB016").size(), 1u);  // the run goes on without it
}

TEST_F(PolicyTest, IgnoreAndSeverityOverridesApplyByPrefix) {
  TempDir tmp;
  tmp.file(".lbcheck.yaml", "ignore: [TLS]\nseverity:\n  LB016: warning\n  RUN: error\n");
  tmp.file("stack.yaml", readText(kKrm));
  const RunResult r = runDir(tmp.path());
  EXPECT_TRUE(byRule(r, "TLS008").empty());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_EQ(byRule(r, "LB016")[0]->severity, Severity::Warning);
  ASSERT_EQ(byRule(r, "RUN005").size(), 1u);
  EXPECT_EQ(byRule(r, "RUN005")[0]->severity, Severity::Error);
}

TEST_F(PolicyTest, NearestConfigurationGovernsEachFile) {
  TempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/team/sub");
  tmp.file(".lbcheck.yaml", "ignore: [LB016]\n");
  tmp.file("team/.lbcheck.yaml", "ignore: [TLS008]\n");
  tmp.file("a.yaml", readText(kKrm));
  tmp.file("team/sub/b.yaml",
           std::regex_replace(
               std::regex_replace(readText(kKrm), std::regex("namespace: infra"), "namespace: b"),
               std::regex("demo-proj"), "other-proj"));
  const RunResult r = runDir(tmp.path());
  for (const Finding* f : byRule(r, "LB016"))
    EXPECT_NE(r.sources.get(f->span.file).path().find("team/sub/b.yaml"), std::string::npos);
  for (const Finding* f : byRule(r, "TLS008"))
    EXPECT_NE(r.sources.get(f->span.file).path().find("a.yaml"), std::string::npos);
  EXPECT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_GE(byRule(r, "TLS008").size(), 1u);
}

TEST_F(PolicyTest, ExcludedPathsAreNotRead) {
  TempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/vendor/x");
  std::filesystem::create_directories(tmp.path() + "/live");
  tmp.file(".lbcheck.yaml", "exclude: [vendor/, '**/*.generated.yaml']\n");
  tmp.file("vendor/x/stack.yaml", readText(kKrm));
  tmp.file("live/stack.generated.yaml", readText(kKrm));
  // Recognisably lbcheck's, so its syntax error is reported (#21: an unrecognisable
  // broken file in a walk is skipped).
  tmp.file("live/broken.json", "{\"kind\": \"compute#network\",");
  const RunResult r = runDir(tmp.path());
  EXPECT_EQ(r.excluded, 2u);
  EXPECT_TRUE(byRule(r, "LB016").empty());
  EXPECT_EQ(byRule(r, "LBC001").size(), 1u);  // the rest is still read
}

TEST_F(PolicyTest, TheReadmeExampleIsValid) {
  // fixtures/config/example.lbcheck.yaml is the README's example, copied verbatim.
  SourceManager sources;
  const SourceFile& file =
      sources.add("example.lbcheck.yaml", readText("fixtures/config/example.lbcheck.yaml"));
  std::vector<Finding> findings;
  const auto config = loadConfig(file, "/repo", findings);
  for (const Finding& f : findings) ADD_FAILURE() << f.message;
  EXPECT_EQ(config->policies.size(), 3u);
  EXPECT_EQ(config->suppress.size(), 2u);
  EXPECT_TRUE(config->excludes("/repo/vendor/a/b.json"));
  EXPECT_TRUE(config->excludes("/repo/x/y.generated.yaml"));
  EXPECT_FALSE(config->excludes("/repo/x/y.yaml"));
  EXPECT_FALSE(config->enabled("TLS008"));
  EXPECT_TRUE(config->enabled("NET001"));
  const std::string readme = readText("README.md");
  EXPECT_NE(readme.find(readText("fixtures/config/example.lbcheck.yaml")), std::string::npos)
      << "the README's .lbcheck.yaml example and fixtures/config/example.lbcheck.yaml differ";
}

TEST(Glob, SegmentsAndDoubleStars) {
  EXPECT_TRUE(globMatch("**/*.yaml", "a/b/c.yaml"));
  EXPECT_TRUE(globMatch("**/*.yaml", "c.yaml"));
  EXPECT_FALSE(globMatch("*.yaml", "a/c.yaml"));
  EXPECT_TRUE(globMatch("vendor/**", "vendor/x/y"));
  EXPECT_TRUE(globMatch("a/?/c", "a/b/c"));
  EXPECT_FALSE(globMatch("a/?/c", "a//c"));
  EXPECT_FALSE(globMatch("a/*/c", "a/b/d/c"));
  // Pathological patterns stay fast (no exponential backtracking).
  EXPECT_FALSE(globMatch(std::string(40, '*') + "b", std::string(200, 'a')));
}

TEST(Dates, OnlyRealCalendarDates) {
  EXPECT_TRUE(validDate("2028-02-29"));
  EXPECT_FALSE(validDate("2027-02-29"));
  EXPECT_FALSE(validDate("2027-13-01"));
  EXPECT_FALSE(validDate("27-01-01"));
}

// --- rule options ----------------------------------------------------------

TEST_F(PolicyTest, RuleOptionsChangeThresholds) {
  TempDir tmp;
  // A /25 proxy-only subnet: a note by default (below the /23 recommendation).
  const std::string stack = replaced(readText(kKrm), "10.129.0.0/23", "10.129.0.0/25");
  tmp.file("stack.yaml", stack);
  RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "NET004").size(), 1u);
  EXPECT_EQ(byRule(r, "NET004")[0]->severity, Severity::Note);
  tmp.file(".lbcheck.yaml", "rules:\n  NET004: {required-prefix: 24}\n");
  r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "NET004").size(), 1u);
  EXPECT_EQ(byRule(r, "NET004")[0]->severity, Severity::Error);
  EXPECT_NE(byRule(r, "NET004")[0]->message.find("/24"), std::string::npos);
}

TEST_F(PolicyTest, AcceptedIngressOption) {
  TempDir tmp;
  const std::string stack = replaced(readText(kKrm), "ingress: INGRESS_TRAFFIC_INTERNAL_ONLY",
                                     "ingress: INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
  tmp.file("stack.yaml", stack);
  EXPECT_TRUE(byRule(runDir(tmp.path()), "RUN002").empty());
  tmp.file(".lbcheck.yaml", "rules:\n  RUN002:\n    accepted-ingress: [internal]\n");
  const RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "RUN002").size(), 1u);
  EXPECT_NE(byRule(r, "RUN002")[0]->message.find("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"),
            std::string::npos);
}

// --- organisation policies ----------------------------------------------------

TEST_F(PolicyTest, PoliciesCheckRegionsAndNames) {
  TempDir tmp;
  tmp.file(".lbcheck.yaml",
           "policies:\n"
           "  - id: ORG001\n"
           "    message: load balancers run in Europe\n"
           "    kinds: [backendServices, forwardingRules]\n"
           "    allowed-regions: [europe-west1]\n"
           "    severity: error\n"
           "  - id: ORG002\n"
           "    message: names start with the team prefix\n"
           "    kinds: [urlMaps]\n"
           "    name-pattern: 'payments-[a-z0-9-]+'\n");
  tmp.file("stack.yaml", readText(kKrm));
  const RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "ORG001").size(), 2u);
  for (const Finding* f : byRule(r, "ORG001")) {
    EXPECT_EQ(f->severity, Severity::Error);
    EXPECT_NE(f->message.find("load balancers run in Europe"), std::string::npos);
    EXPECT_NE(f->message.find("us-central1"), std::string::npos);
  }
  ASSERT_EQ(byRule(r, "ORG002").size(), 1u);
  EXPECT_EQ(byRule(r, "ORG002")[0]->severity, Severity::Warning);
  EXPECT_NE(byRule(r, "ORG002")[0]->message.find("hello-url-map"), std::string::npos);
  // Policies are described in SARIF like built-in rules.
  std::vector<RuleInfo> extra;
  for (const Policy* p : r.configs->policies()) extra.push_back(p->info);
  const std::string sarif = renderSarif(r.sources, r.findings, extra);
  EXPECT_NE(sarif.find("\"id\": \"ORG002\""), std::string::npos);
}

// Policies are rules like the built-in ones: on a plan read with --tf-source,
// their findings point at the .tf value, and the plan's value is related.
TEST_F(PolicyTest, PolicyFindingsOnAPlanPointAtTheTfSource) {
  TempDir tmp;
  std::filesystem::copy("fixtures/plans/seed-mapped-fail", tmp.path(),
                        std::filesystem::copy_options::recursive);
  tmp.file(".lbcheck.yaml",
           "policies:\n"
           "  - id: ORG001\n"
           "    message: load balancers run in Europe\n"
           "    kinds: [backendServices]\n"
           "    allowed-regions: [europe-west1]\n");
  Options o;
  o.sourceDirs = {tmp.path()};
  const RunResult r = runDir(tmp.path() + "/plan.json", o);
  const auto found = byRule(r, "ORG001");
  ASSERT_FALSE(found.empty());
  for (const Finding* f : found) {
    EXPECT_EQ(std::filesystem::path(r.sources.get(f->span.file).path()).extension(), ".tf");
    ASSERT_FALSE(f->related.empty());
    EXPECT_EQ(f->related.front().message, "the value in the plan");
    EXPECT_EQ(std::filesystem::path(r.sources.get(f->related.front().span.file).path()).filename(),
              "plan.json");
  }
}

TEST_F(PolicyTest, RequiredLabels) {
  TempDir tmp;
  tmp.file(".lbcheck.yaml",
           "policies:\n"
           "  - id: ORG010\n"
           "    message: backend services carry team and env labels\n"
           "    kinds: [backendServices]\n"
           "    required-labels: [team, env]\n");
  tmp.file("stack.yaml", readText(kKrm));
  RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "ORG010").size(), 1u);
  EXPECT_NE(byRule(r, "ORG010")[0]->message.find("missing labels team, env"), std::string::npos);
  tmp.file("stack.yaml", replaced(readText(kKrm), "  name: hello-backend\n",
                                  "  name: hello-backend\n  labels:\n    team: payments\n"));
  r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "ORG010").size(), 1u);
  EXPECT_NE(byRule(r, "ORG010")[0]->message.find("missing label env"), std::string::npos);
  tmp.file("stack.yaml",
           replaced(readText(kKrm), "  name: hello-backend\n",
                    "  name: hello-backend\n  labels:\n    team: payments\n    env: prod\n"));
  EXPECT_TRUE(byRule(runDir(tmp.path()), "ORG010").empty());
}

// --- inline suppressions ------------------------------------------------------

const std::string kProxyDoc = "kind: ComputeTargetHTTPProxy";

TEST_F(PolicyTest, YamlCommentAboveTheObjectSuppressesIt) {
  TempDir tmp;
  std::string stack = readText(kKrm);
  // The comment above the proxy's document (before `apiVersion:`).
  const size_t doc = stack.rfind("---", stack.find(kProxyDoc));
  stack.insert(doc + 4, "# lbcheck:ignore LB016 -- clients hold connections for 610 s\n");
  tmp.file("stack.yaml", stack);
  const RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  const Finding& f = *byRule(r, "LB016")[0];
  ASSERT_TRUE(f.suppression.has_value());
  EXPECT_EQ(f.suppression->justification, "clients hold connections for 610 s");
  EXPECT_FALSE(f.active());
  const std::string sarif = renderSarif(r.sources, r.findings);
  EXPECT_NE(sarif.find("\"kind\": \"inSource\""), std::string::npos);
  EXPECT_NE(sarif.find("\"justification\": \"clients hold connections for 610 s\""),
            std::string::npos);
  EXPECT_TRUE(byRule(r, "LBC010").empty());
}

TEST_F(PolicyTest, SuppressionSurvivesAMoveAndAReformat) {
  TempDir tmp;
  std::string stack = readText(kKrm);
  const size_t doc = stack.rfind("---", stack.find(kProxyDoc));
  const size_t next = stack.find("---", doc + 3);
  std::string proxy = stack.substr(doc, next - doc);
  stack.erase(doc, next - doc);
  // Moved to the top of another file, re-indented with four spaces.
  proxy = std::regex_replace(proxy, std::regex("\n  "), "\n    ");
  proxy.insert(4, "# lbcheck:ignore LB016 -- clients hold connections for 610 s\n");
  tmp.file("stack.yaml", stack);
  tmp.file("a-proxy.yaml", proxy);
  const RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_TRUE(byRule(r, "LB016")[0]->suppression.has_value());
}

TEST_F(PolicyTest, TrailingCommentSuppressesItsLine) {
  TempDir tmp;
  tmp.file("stack.yaml",
           replaced(readText(kKrm), "httpKeepAliveTimeoutSec: 610",
                    "httpKeepAliveTimeoutSec: 610  # lbcheck:ignore LB016 -- tested limit"));
  const RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_TRUE(byRule(r, "LB016")[0]->suppression.has_value());
}

TEST_F(PolicyTest, ShellHclAndMarkdownComments) {
  TempDir tmp;
  // Shell: the comment above the command that deletes the NEG too early.
  std::string sh = readText("fixtures/rules/OPS001/fail.sh");
  const size_t del = sh.find("gcloud compute network-endpoint-groups delete");
  ASSERT_NE(del, std::string::npos);
  sh.insert(del, "# lbcheck:ignore OPS001 -- the backend is detached by hand first\n");
  tmp.file("teardown.sh", sh);
  RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "OPS001").size(), 1u);
  EXPECT_TRUE(byRule(r, "OPS001")[0]->suppression.has_value());
  // Reformatted (flags on continuation lines) and moved down by new lines above it.
  TempDir moved;
  std::string reformatted = replaced(sh, "orders-neg --region=$REGION --quiet",
                                     "orders-neg \\\n    --region=$REGION \\\n    --quiet");
  reformatted = replaced(reformatted, "REGION=us-central1\n",
                         "REGION=us-central1\n# Teardown of the orders stack.\n\n\n");
  moved.file("teardown.sh", reformatted);
  r = runDir(moved.path());
  ASSERT_EQ(byRule(r, "OPS001").size(), 1u);
  EXPECT_NE(lineOf(r, *byRule(r, "OPS001")[0]), 23u);  // it did move
  EXPECT_TRUE(byRule(r, "OPS001")[0]->suppression.has_value());

  // Markdown: an HTML comment above the fenced block.
  TempDir md;
  md.file("runbook.md", "# Teardown\n\n<!-- lbcheck:ignore OPS001 -- done by hand -->\n```sh\n" +
                            sh.substr(0, del) + sh.substr(sh.find('\n', del) + 1) + "```\n");
  r = runDir(md.path());
  // The comment precedes the fence, so it covers the block's first command only.
  for (const Finding* f : byRule(r, "OPS001")) EXPECT_FALSE(f->suppression.has_value());

  // HCL: a comment above the resource block covers findings on the block.
  TempDir tf;
  std::filesystem::copy("fixtures/rules/LB016/fail-tf", tf.path(),
                        std::filesystem::copy_options::recursive);
  const std::string mod = tf.path() + "/modules/lb/main.tf";
  std::string text = readText(mod);
  const size_t block = text.find("resource \"google_compute_region_target_http_proxy\"");
  ASSERT_NE(block, std::string::npos);
  text.insert(block, "# lbcheck:ignore LB016 -- agreed with the platform team\n");
  testing::writeText(mod, text);
  r = runDir(tf.path());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_TRUE(byRule(r, "LB016")[0]->suppression.has_value());
}

TEST_F(PolicyTest, TfCommentsSuppressPlanFindingsMappedToThem) {
  // A plan and the .tf it came from: the plan's LB016 points at the .tf, and a
  // comment there suppresses it, above the block or at the end of the line.
  for (const bool trailing : {false, true}) {
    TempDir tmp;
    std::filesystem::copy("fixtures/plans/seed-mapped-fail", tmp.path(),
                          std::filesystem::copy_options::recursive);
    const std::string mod = tmp.path() + "/modules/lb/main.tf";
    std::string text = readText(mod);
    if (trailing) {
      const size_t at = text.find('\n', text.find("http_keep_alive_timeout_sec"));
      text.insert(at, "  # lbcheck:ignore LB016 -- measured with the client team");
    } else {
      text.insert(text.find("resource \"google_compute_region_target_http_proxy\""),
                  "// lbcheck:ignore LB016 -- measured with the client team\n");
    }
    testing::writeText(mod, text);
    const RunResult r = runDir(tmp.path());
    ASSERT_EQ(byRule(r, "LB016").size(), 1u) << trailing;
    const Finding& f = *byRule(r, "LB016")[0];
    EXPECT_NE(r.sources.get(f.span.file).path().find("main.tf"), std::string::npos);
    ASSERT_TRUE(f.suppression.has_value()) << trailing;
    EXPECT_EQ(f.suppression->justification, "measured with the client team");
    EXPECT_TRUE(byRule(r, "LBC010").empty());
  }
}

TEST_F(PolicyTest, MalformedExpiredAndUnusedSuppressionsAreReported) {
  TempDir tmp;
  std::string stack = readText(kKrm);
  stack = replaced(stack, "httpKeepAliveTimeoutSec: 610",
                   "# lbcheck:ignore LB016\n  httpKeepAliveTimeoutSec: 610");
  tmp.file("no-reason.yaml", stack);
  RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_FALSE(byRule(r, "LB016")[0]->suppression.has_value());
  ASSERT_EQ(byRule(r, "LBC009").size(), 1u);
  EXPECT_NE(byRule(r, "LBC009")[0]->message.find("no reason"), std::string::npos);

  TempDir expired;
  expired.file("stack.yaml",
               replaced(readText(kKrm), "httpKeepAliveTimeoutSec: 610",
                        "# lbcheck:ignore LB016 -- until the migration until=2026-05-31\n"
                        "  httpKeepAliveTimeoutSec: 610"));
  r = runDir(expired.path());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  EXPECT_FALSE(byRule(r, "LB016")[0]->suppression.has_value());
  ASSERT_EQ(byRule(r, "LBC009").size(), 1u);
  EXPECT_NE(byRule(r, "LBC009")[0]->message.find("expired on 2026-05-31"), std::string::npos);
  ::setenv("LBCHECK_TODAY", "2026-05-31", 1);  // the last day it holds
  r = runDir(expired.path());
  EXPECT_TRUE(byRule(r, "LB016")[0]->suppression.has_value());

  TempDir unused;
  unused.file("stack.yaml", replaced(readText(kKrm), "httpKeepAliveTimeoutSec: 610",
                                     "# lbcheck:ignore LB001 -- nothing to do with this line\n"
                                     "  httpKeepAliveTimeoutSec: 610"));
  r = runDir(unused.path());
  ASSERT_EQ(byRule(r, "LBC010").size(), 1u);
  EXPECT_EQ(byRule(r, "LBC010")[0]->severity, Severity::Note);
  // Not reported when the rule did not run.
  Options only;
  only.onlyRules = {"LB016"};
  r = runDir(unused.path(), only);
  EXPECT_TRUE(byRule(r, "LBC010").empty());
}

// --- suppressions in the configuration (JSON has no comments) -----------------------

TEST_F(PolicyTest, ConfigurationSuppressesPlanFindingsByAddress) {
  TempDir tmp;
  tmp.file("plan.json", readText("fixtures/rules/LB016/fail.tfplan.json"));
  tmp.file(".lbcheck.yaml",
           "suppress:\n"
           "  - rule: LB016\n"
           "    resource: google_compute_region_target_http_proxy.*\n"
           "    reason: long-lived clients, agreed in ADR-12\n"
           "  - rule: LB001\n"
           "    resource: nothing.here\n"
           "    reason: stale\n");
  const RunResult r = runDir(tmp.path());
  ASSERT_EQ(byRule(r, "LB016").size(), 1u);
  const Finding& f = *byRule(r, "LB016")[0];
  ASSERT_TRUE(f.suppression.has_value());
  EXPECT_EQ(f.suppression->kind, Suppression::Kind::External);
  EXPECT_EQ(f.suppression->justification, "long-lived clients, agreed in ADR-12");
  ASSERT_EQ(byRule(r, "LBC010").size(), 1u);  // the stale LB001 entry
  EXPECT_EQ(lineOf(r, *byRule(r, "LBC010")[0]), 5u);
  const std::string sarif = renderSarif(r.sources, r.findings);
  EXPECT_NE(sarif.find("\"kind\": \"external\""), std::string::npos);
}

// --- baseline -------------------------------------------------------------------

TEST_F(PolicyTest, BaselineMatchesAcrossMovesAndFormats) {
  // The same resources as a plan and as an Asset Inventory export: same fingerprints.
  RunResult plan = testing::runOn({"fixtures/rules/LB016/fail.tfplan.json"});
  RunResult cai = testing::runOn({"fixtures/rules/LB016/fail.cai.json"});
  TempDir tmp;
  const std::string file = tmp.file("baseline.json", renderBaseline(plan.sources, plan.findings));
  size_t fixed = 0;
  EXPECT_EQ(applyBaseline(file, cai.sources, cai.findings, &fixed), "");
  ASSERT_EQ(byRule(cai, "LB016").size(), 1u);
  EXPECT_TRUE(byRule(cai, "LB016")[0]->baseline);

  // A moved, re-indented KRM file keeps its fingerprints; a new finding is new.
  RunResult before = testing::runOn({kKrm});
  tmp.file("b2.json", renderBaseline(before.sources, before.findings));
  std::string moved = readText(kKrm);
  const size_t doc = moved.rfind("---", moved.find(kProxyDoc));
  const size_t next = moved.find("---", doc + 3);
  const std::string proxy = moved.substr(doc, next - doc);
  moved.erase(doc, next - doc);
  moved = replaced(moved, "10.129.0.0/23", "10.129.0.0/27");  // a new NET004 error
  tmp.file("stack.yaml", std::regex_replace(proxy, std::regex("\n  "), "\n    ") + "---\n" + moved);
  RunResult after = testing::runOn({tmp.path() + "/stack.yaml"});
  EXPECT_EQ(applyBaseline(tmp.path() + "/b2.json", after.sources, after.findings, &fixed), "");
  EXPECT_EQ(fixed, 0u);
  ASSERT_EQ(byRule(after, "LB016").size(), 1u);
  EXPECT_TRUE(byRule(after, "LB016")[0]->baseline);
  ASSERT_EQ(byRule(after, "NET004").size(), 1u);
  EXPECT_FALSE(byRule(after, "NET004")[0]->baseline);
  EXPECT_TRUE(byRule(after, "NET004")[0]->active());
  const std::string sarif = renderSarif(after.sources, after.findings, {}, true);
  EXPECT_NE(sarif.find("\"baselineState\": \"unchanged\""), std::string::npos);
  EXPECT_NE(sarif.find("\"baselineState\": \"new\""), std::string::npos);
}

TEST_F(PolicyTest, BadBaselineFilesAreRefused) {
  TempDir tmp;
  RunResult r = testing::runOn({kKrm});
  size_t fixed = 0;
  EXPECT_NE(applyBaseline(tmp.file("x.json", "{"), r.sources, r.findings, &fixed), "");
  EXPECT_NE(applyBaseline(tmp.file("y.json", "{\"a\":1}"), r.sources, r.findings, &fixed), "");
  EXPECT_NE(applyBaseline(tmp.path() + "/missing.json", r.sources, r.findings, &fixed), "");
}

}  // namespace
}  // namespace lbcheck
