// A plan read a piece at a time (parsers/tfplan/lazy.h) gives what the whole
// tree gives, and a plan the skim cannot follow is left to the whole reading.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "driver/output/report.h"
#include "engine/json.h"
#include "helpers.h"
#include "parsers/tfplan/lazy.h"
#include "plan_pieces.h"

using namespace lbcheck;
using lbcheck::testing::readPlanBothWays;

namespace {

std::vector<std::string_view> keys(const json::Skim& s) {
  std::vector<std::string_view> out;
  for (const json::Skim& c : s.children) out.push_back(c.key);
  return out;
}

bool skimAll(std::string_view text, json::Skim* out, size_t maxDepth = 512) {
  return json::skim(
      text, 0, static_cast<uint32_t>(text.size()), maxDepth,
      [](const std::vector<std::string_view>&) { return true; }, out);
}

}  // namespace

TEST(Skim, FindsMembersAndTheirExtents) {
  const std::string text = R"( {"a": [1, {"b": "x\"]}"}], "c" : true, "d":-1.5e3} )";
  json::Skim s;
  ASSERT_TRUE(skimAll(text, &s));
  EXPECT_EQ(s.type, json::Type::Object);
  EXPECT_EQ(text.substr(s.begin, s.end - s.begin), text.substr(1, text.size() - 2));
  ASSERT_EQ(keys(s), (std::vector<std::string_view>{"a", "c", "d"}));
  const json::Skim& a = s.children[0];
  EXPECT_EQ(a.type, json::Type::Array);
  ASSERT_EQ(a.children.size(), 2u);
  const json::Skim& b = a.children[1].children[0];
  EXPECT_EQ(text.substr(b.begin, b.end - b.begin), R"("x\"]}")");
  EXPECT_EQ(s.children[1].type, json::Type::Bool);
  EXPECT_EQ(text.substr(s.children[2].begin, 7), "-1.5e3}");
  EXPECT_EQ(s.children[2].end - s.children[2].begin, 6u);
}

TEST(Skim, OpensOnlyWhatItIsAskedTo) {
  const std::string text = R"({"keep":{"x":[1,2]},"skip":{"y":{"z":[]}}})";
  json::Skim s;
  ASSERT_TRUE(json::skim(
      text, 0, static_cast<uint32_t>(text.size()), 512,
      [](const std::vector<std::string_view>& path) { return path.empty() || path[0] == "keep"; },
      &s));
  EXPECT_TRUE(s.children[0].opened);
  EXPECT_TRUE(s.children[0].children[0].opened);  // keep.x
  EXPECT_FALSE(s.children[1].opened);
  EXPECT_EQ(s.children[1].end, text.size() - 1);
}

TEST(Skim, SaysNoToWhatItCannotFollow) {
  json::Skim s;
  EXPECT_FALSE(skimAll(R"({"a":1} {"b":2})", &s));   // two documents
  EXPECT_FALSE(skimAll(R"({"a\n":1})", &s));         // an escape in a key
  EXPECT_FALSE(skimAll("{\"a\xaf\":1}", &s));        // a key that is not UTF-8
  EXPECT_FALSE(skimAll("{\"a\tb\":1}", &s));         // a control character in a key
  EXPECT_FALSE(skimAll("{\"caf\xc3\xa9\":1}", &s));  // UTF-8 is left to the parser
  EXPECT_FALSE(skimAll(R"({"a":1,})", &s));          // a trailing comma
  EXPECT_FALSE(skimAll(R"({"a" 1})", &s));           // no colon
  EXPECT_FALSE(skimAll(R"({"a":"open)", &s));        // a string not closed
  EXPECT_FALSE(skimAll(R"({"a":[[1]})", &s));        // a bracket not closed
  EXPECT_FALSE(skimAll("", &s));
  EXPECT_FALSE(skimAll(R"({"a":{"b":{}}})", &s, 2));  // opened deeper than the limit
  EXPECT_TRUE(skimAll(R"({"a":{"b":{}}})", &s, 3));
  EXPECT_TRUE(skimAll(R"({"a":"\\"})", &s));  // an escaped backslash ends no string early
  EXPECT_EQ(s.children[0].end, 9u);
}

TEST(PlanInPieces, EveryPlanFixtureReadsTheSameBothWays) {
  size_t plans = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator("fixtures")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (!tfplan::startsLikePlan(text)) continue;
    ++plans;
    const auto both = readPlanBothWays(text);
    EXPECT_TRUE(both.inPieces) << entry.path();
    EXPECT_EQ(both.whole, both.pieces) << entry.path();
  }
  EXPECT_GT(plans, 40u);
}

TEST(PlanInPieces, WhatTheFuzzersFoundReadsTheSameOrWhole) {
  // tests/fuzz/regressions/plan-key-not-utf8.json: a key that is not UTF-8,
  // which no piece's parse reads, was let through (the whole reading refuses it).
  size_t plans = 0;
  for (const auto& entry : std::filesystem::directory_iterator("tests/fuzz/regressions")) {
    const std::string text = lbcheck::testing::readText(entry.path().string());
    if (!tfplan::startsLikePlan(text)) continue;
    ++plans;
    const auto both = readPlanBothWays(text);
    if (both.inPieces) {
      EXPECT_EQ(both.whole, both.pieces) << entry.path();
    }
    if (both.whole.empty()) {
      EXPECT_FALSE(both.inPieces) << entry.path();
    }
  }
  EXPECT_GE(plans, 1u);
}

TEST(PlanInPieces, ValuesChangesDriftOutputsAndVariablesAgree) {
  // A change, a resource only in planned_values (in a child module), a data
  // source only in prior_state, an IAM policy whose policy_data comes from a
  // data source (found again by address), and sensitive values everywhere a
  // plan has them.
  const std::string plan = R"({
  "format_version": "1.2",
  "variables": {"secret": {"value": "hunter2"}},
  "planned_values": {"outputs": {"o": {"sensitive": true, "value": "s3cret"}},
    "root_module": {"resources": [], "child_modules": [{"address": "module.m",
      "resources": [{"address": "module.m.google_compute_network.n", "mode": "managed",
        "type": "google_compute_network", "name": "n",
        "values": {"name": "net", "project": "p", "description": "d"},
        "sensitive_values": {"description": true}}],
      "child_modules": []}]}},
  "resource_drift": [{"address": "google_compute_network.x", "change": {"actions": ["update"],
    "before": {"name": "old"}, "after": {"name": "new"}, "after_sensitive": {"name": true}}}],
  "resource_changes": [
    {"address": "google_compute_region_backend_service.b", "mode": "managed",
     "type": "google_compute_region_backend_service", "name": "b",
     "change": {"actions": ["create"], "before": null,
       "after": {"name": "be", "project": "p", "region": "r", "protocol": "HTTP",
                 "load_balancing_scheme": "INTERNAL_MANAGED", "description": "private"},
       "after_unknown": {"id": true}, "after_sensitive": {"description": true}}},
    {"address": "google_cloud_run_v2_service_iam_policy.p", "mode": "managed",
     "type": "google_cloud_run_v2_service_iam_policy", "name": "p",
     "change": {"actions": ["create"], "before": null,
       "after": {"name": "svc", "project": "p", "location": "r"},
       "after_unknown": {"policy_data": true}}},
    {"address": "google_compute_network.gone", "mode": "managed", "deposed": "abc",
     "type": "google_compute_network", "name": "gone",
     "change": {"actions": ["delete"], "before": {"name": "gone"}, "after": null}}
  ],
  "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
    {"address": "data.google_iam_policy.admin", "mode": "data", "type": "google_iam_policy",
     "name": "admin", "values": {"binding": [{"role": "roles/run.invoker",
       "members": ["allUsers"]}], "policy_data": "{}"}}]}}},
  "output_changes": {"o": {"actions": ["create"], "after": "s3cret", "after_sensitive": true}},
  "configuration": {"root_module": {
    "variables": {"secret": {"sensitive": true}},
    "resources": [{"address": "google_cloud_run_v2_service_iam_policy.p", "mode": "managed",
      "type": "google_cloud_run_v2_service_iam_policy", "name": "p",
      "expressions": {"policy_data": {"references": ["data.google_iam_policy.admin.policy_data",
                                                     "data.google_iam_policy.admin"]}}}]}},
  "relevant_attributes": [{"resource": "x", "attribute": ["y"]}]
})";
  const auto both = readPlanBothWays(plan);
  ASSERT_TRUE(both.inPieces);
  EXPECT_EQ(both.whole, both.pieces);
  // What the comparison is about is there: the policy's grant, the module's
  // network, and the redactions.
  EXPECT_NE(both.pieces.find("text=allUsers"), std::string::npos);  // a grant's member field
  EXPECT_NE(both.pieces.find("module.m.google_compute_network.n"), std::string::npos);
  EXPECT_EQ(both.pieces.find("hunter2"), std::string::npos);
  EXPECT_EQ(both.pieces.find("s3cret"), std::string::npos);
  EXPECT_EQ(both.pieces.find("\"private\""), std::string::npos);
  EXPECT_EQ(both.pieces.find("\"new\""), std::string::npos);
}

TEST(PlanInPieces, TheStateOfShowJsonIsRedacted) {
  // `terraform show -json` of a state: its sensitive values were quoted in
  // the text report's lines until this was read in pieces.
  const std::string state =
      R"({"format_version":"1.0","terraform_version":"1.11.4","values":{"outputs":{"o":{)"
      R"("sensitive":true,"value":"OUTSECRET"}},"root_module":{"resources":[{"address":)"
      R"("google_compute_region_target_http_proxy.p","mode":"managed","type":)"
      R"("google_compute_region_target_http_proxy","name":"p","values":{"name":"px",)"
      R"("project":"p","region":"us-central1","http_keep_alive_timeout_sec":1000,)"
      R"("url_map":"x","description":"TOPSECRET"},"sensitive_values":{"description":true}}]}}})";
  const auto both = readPlanBothWays(state);
  ASSERT_TRUE(both.inPieces);
  EXPECT_EQ(both.whole, both.pieces);
  EXPECT_EQ(both.pieces.find("TOPSECRET"), std::string::npos);
  EXPECT_EQ(both.pieces.find("OUTSECRET"), std::string::npos);
  lbcheck::testing::TempDir tmp;
  const RunResult r = lbcheck::testing::runOn({tmp.file("state.json", state)});
  ASSERT_FALSE(r.findings.empty());  // LB016 quotes the line
  const std::string text = renderText(r.sources, r.findings, r.filesRead, {});
  EXPECT_NE(text.find("http_keep_alive_timeout_sec"), std::string::npos);
  EXPECT_EQ(text.find("TOPSECRET"), std::string::npos);
}

TEST(PlanInPieces, APlanThatCannotBeLoweredIsStillRedacted) {
  const std::string plan = R"({"format_version": "9.0", "resource_changes": [
    {"address": "a.b", "change": {"after": {"k": "topsecret"}, "after_sensitive": {"k": true}}}]})";
  const auto both = readPlanBothWays(plan);
  ASSERT_TRUE(both.inPieces);
  EXPECT_EQ(both.whole, both.pieces);
  EXPECT_NE(both.pieces.find("LBC"), std::string::npos);  // the version's diagnostic
  EXPECT_EQ(both.pieces.find("topsecret"), std::string::npos);
  const auto notArray = readPlanBothWays(
      R"({"format_version": "1.2", "resource_changes": {"a": 1}, "planned_values": {}})");
  ASSERT_TRUE(notArray.inPieces);
  EXPECT_EQ(notArray.whole, notArray.pieces);
  EXPECT_NE(notArray.pieces.find("must be an array"), std::string::npos);
}

TEST(PlanInPieces, WhatASkimCannotFollowIsReadWhole) {
  const std::string change =
      R"({"address": "google_compute_network.n", "type": "google_compute_network",
          "change": {"actions": ["create"], "after": {"name": "n"}}})";
  // A syntax error inside a change: the pieces say no, the whole reading says where.
  EXPECT_FALSE(
      readPlanBothWays(R"({"format_version":"1.2","resource_changes":[{"a":01}]})").inPieces);
  EXPECT_FALSE(readPlanBothWays(R"({"format_version":"1.2","resource_changes":[)" + change +
                                R"(]} {"format_version":"1.2"})")
                   .inPieces);  // two documents
  EXPECT_FALSE(readPlanBothWays(R"({"format_version":"1.2","resource_changes":[)" + change +
                                R"(],"relevant_attributes":[tru]})")
                   .inPieces);  // an error where lowering never looks
  EXPECT_FALSE(readPlanBothWays(R"({"format_version":"1.2","resource_change\u0073":[]})")
                   .inPieces);                                             // an escaped key
  EXPECT_FALSE(readPlanBothWays(R"({"format_version":"1.2"})").inPieces);  // not a plan
  // A byte-order mark and pretty-printing are fine.
  const auto bom = readPlanBothWays(
      "\xEF\xBB\xBF{\n  \"format_version\": \"1.2\",\n"
      "  \"resource_changes\": [" +
      change + "]\n}\n");
  EXPECT_TRUE(bom.inPieces);
  EXPECT_EQ(bom.whole, bom.pieces);
  EXPECT_NE(bom.pieces.find("google_compute_network.n"), std::string::npos);
}

TEST(PlanInPieces, TheNestingLimitHoldsAsInTheWholeTree) {
  // Seven levels as the reader counts them: the root, resource_changes, the
  // change, three arrays and the number inside them.
  const std::string plan = R"({"format_version":"1.2","resource_changes":[{"a":[[[1]]]}]})";
  SourceManager sources;
  const SourceFile& file = sources.add("plan.json", plan);
  size_t firstAccepted = 0;
  for (size_t limit = 1; limit <= 8; ++limit) {
    json::Limits limits;
    limits.maxDepth = limit;
    json::ParseError error;
    const bool whole = json::parse(file, limits, &error) != nullptr;
    Graph graph;
    std::vector<Finding> diagnostics;
    EXPECT_EQ(tfplan::lowerInPieces(file, limit, graph, diagnostics), whole) << limit;
    if (whole && firstAccepted == 0) firstAccepted = limit;
  }
  EXPECT_EQ(firstAccepted, 7u);
}

TEST(PlanInPieces, TheDriverReadsAPlanInPiecesAndABrokenOneWhole) {
  lbcheck::testing::TempDir tmp;
  const std::string good =
      tmp.file("plan.json",
               R"({"format_version":"1.2","resource_changes":[{"address":"google_compute_network.n",
        "mode":"managed","type":"google_compute_network","name":"n",
        "change":{"actions":["create"],"before":null,"after":{"name":"n","project":"p"}}}]})");
  const auto r = lbcheck::testing::runOn({good});
  EXPECT_NE(lbcheck::testing::byAddress(r.graph, "google_compute_network.n"), nullptr);
  // YAML that opens like a plan but is not JSON (a key without quotes): the
  // YAML reader reads it, as before plans were claimed by their first bytes.
  const std::string yaml = tmp.file(
      "plan.yaml",
      R"({"format_version": "1.2", resource_changes: [{"address": "google_compute_network.y",
        "mode": "managed", "type": "google_compute_network", "name": "y",
        "change": {"actions": ["create"], "before": null, "after": {"name": "y"}}}]})");
  const auto y = lbcheck::testing::runOn({yaml});
  EXPECT_NE(lbcheck::testing::byAddress(y.graph, "google_compute_network.y"), nullptr);
  const std::string bad =
      tmp.file("bad.json", "{\"format_version\":\"1.2\",\n\"resource_changes\":[{\"a\":1,}]}");
  const auto b = lbcheck::testing::runOn({bad});
  bool located = false;
  for (const Finding& f : b.findings)
    if (f.message.rfind("invalid JSON", 0) == 0)
      located = b.sources.get(f.span.file).locate(f.span.begin).line == 2;
  EXPECT_TRUE(located);
}
