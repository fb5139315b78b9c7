// Golden text, JSON and SARIF output for the bundled example, and the
// properties every report must keep.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "driver/output/report.h"
#include "helpers.h"

using namespace lbcheck;
using lbcheck::testing::expectGolden;
using lbcheck::testing::readText;
using lbcheck::testing::runOn;

namespace {
std::string withoutVersion(std::string s) {
  const std::string v = kVersion;
  for (size_t at = s.find("\"" + v + "\""); at != std::string::npos; at = s.find("\"" + v + "\""))
    s.replace(at, v.size() + 2, "\"VERSION\"");
  return s;
}
}  // namespace

TEST(TextReport, ExampleMatchesGolden) {
  const auto r = runOn({"examples/plan.json"});
  expectGolden("fixtures/output/example.txt", renderText(r.sources, r.findings, r.filesRead, {}));
}

TEST(JsonReport, ExampleMatchesGolden) {
  const auto r = runOn({"examples/plan.json"});
  expectGolden("fixtures/output/example.json",
               withoutVersion(renderJson(r.sources, r.findings, r.filesRead)));
}

TEST(SarifReport, ExampleMatchesGolden) {
  // The rule list (and so ruleIndex) grows with every rule: it is checked by
  // EveryRuleIsDescribedAndEveryResultIndexesItsRule, not by the golden file.
  const auto r = runOn({"examples/plan.json"});
  auto sarif = nlohmann::ordered_json::parse(renderSarif(r.sources, r.findings));
  sarif["runs"][0]["tool"]["driver"].erase("rules");
  for (auto& res : sarif["runs"][0]["results"]) res.erase("ruleIndex");
  // %SRCROOT% is the checkout's absolute file:// URI, which depends on the machine.
  auto& root = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  const std::string uri = root.get<std::string>();
  EXPECT_EQ(uri.rfind("file:///", 0), 0u) << uri;
  EXPECT_EQ(uri.back(), '/') << uri;
  root = "file:///CHECKOUT/";
  expectGolden("fixtures/output/example.sarif", withoutVersion(sarif.dump(2) + "\n"));
}

TEST(TextReport, ColourOnlyWhenAsked) {
  const auto r = runOn({"examples/plan.json"});
  EXPECT_EQ(renderText(r.sources, r.findings, r.filesRead, {}).find('\033'), std::string::npos);
  EXPECT_NE(renderText(r.sources, r.findings, r.filesRead, {true}).find("\033[1;31m"),
            std::string::npos);
}

TEST(TextReport, OneLinePlanSnippetsStayShort) {
  const auto r = runOn({"fixtures/rules/NEG007/fail-minified.tfplan.json"});
  ASSERT_FALSE(r.findings.empty());
  const std::string text = renderText(r.sources, r.findings, r.filesRead, {});
  size_t longest = 0, start = 0;
  for (size_t nl = text.find('\n'); nl != std::string::npos;
       start = nl + 1, nl = text.find('\n', start))
    longest = std::max(longest, nl - start);
  EXPECT_LT(longest, 400u) << text;
  EXPECT_NE(
      text.find(
          " 1 | "
          "...:[{\"service\":null,\"tag\":null,\"url_mask\":\"https://example.com/\\u003cservice"),
      std::string::npos)
      << text;
}

TEST(TextReport, SummaryCountsSeverities) {
  const auto r = runOn({"examples/plan.json"});
  const std::string text = renderText(r.sources, r.findings, r.filesRead, {});
  size_t notes = 0;
  for (const Finding& f : r.findings) notes += f.severity == Severity::Note;
  EXPECT_NE(text.find("lbcheck: 1 error, 1 warning, " + std::to_string(notes) +
                      (notes == 1 ? " note" : " notes") + " in 1 file (1 read)"),
            std::string::npos)
      << text;
  // The guide's own stack only draws notes (RUN005...): without them, nothing is left.
  auto clean = runOn({"fixtures/plans/seed-clean.tfplan.json"});
  std::erase_if(clean.findings, [](const Finding& f) { return f.severity == Severity::Note; });
  EXPECT_EQ(renderText(clean.sources, clean.findings, clean.filesRead, {}),
            "lbcheck: no findings in 1 file\n");
}

TEST(SarifReport, FingerprintsIgnoreLinesAndColumns) {
  // The same plan reformatted (every line shifted): same fingerprints.
  const auto a = runOn({"examples/plan.json"});
  lbcheck::testing::TempDir tmp;
  const std::string shifted = tmp.file("plan.json", "\n\n\n   " + readText("examples/plan.json"));
  const auto b = runOn({shifted});
  ASSERT_EQ(a.findings.size(), b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_NE(a.sources.get(a.findings[i].span.file).locate(a.findings[i].span.begin).line,
              b.sources.get(b.findings[i].span.file).locate(b.findings[i].span.begin).line);
    EXPECT_EQ(fingerprint(a.findings[i], a.sources), fingerprint(b.findings[i], b.sources));
  }
  EXPECT_NE(fingerprint(a.findings[0], a.sources), fingerprint(a.findings[1], a.sources));
}

TEST(SarifReport, EveryRuleIsDescribedAndEveryResultIndexesItsRule) {
  const auto r = runOn({"examples/plan.json"});
  const auto sarif = nlohmann::json::parse(renderSarif(r.sources, r.findings));
  const auto& run = sarif["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  EXPECT_EQ(rules.size(), allRules().size());
  for (const auto& rule : rules) {
    EXPECT_FALSE(rule["help"]["markdown"].get<std::string>().empty());
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
    EXPECT_TRUE(rule.contains("defaultConfiguration"));
  }
  ASSERT_EQ(run["results"].size(), r.findings.size());
  ASSERT_GE(run["results"].size(), 2u);  // the example's error and warning, plus any notes
  for (const auto& res : run["results"]) {
    const auto idx = res["ruleIndex"].get<size_t>();
    EXPECT_EQ(rules[idx]["id"], res["ruleId"]);
    const auto& region = res["locations"][0]["physicalLocation"]["region"];
    EXPECT_GE(region["startLine"].get<int>(), 1);
    EXPECT_GE(region["startColumn"].get<int>(), 1);
    EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              "examples/plan.json");
    EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
              "%SRCROOT%");
  }
}

TEST(SarifReport, FilesOutsideTheSourceRootGetAbsoluteFileUris) {
  // One input under the root (relative, with %SRCROOT%), one outside it (an
  // absolute file:// URI, percent-encoded, without a base id), and a finding of
  // the outside one whose related location is in the same file.
  lbcheck::testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/in fra");
  const std::string outside = tmp.file("in fra/plan#1.json", readText("examples/plan.json"));
  const auto r = runOn({"fixtures/rules/LB022/fail.tfplan.json", outside});
  const auto sarif = nlohmann::json::parse(renderSarif(r.sources, r.findings));
  const auto& run = sarif["runs"][0];
  const std::string root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  EXPECT_EQ(
      root,
      "file://" +
          std::filesystem::weakly_canonical(std::filesystem::current_path()).generic_string() +
          "/");
  const std::string outsideUri = "file://" +
                                 std::filesystem::weakly_canonical(tmp.path()).generic_string() +
                                 "/in%20fra/plan%231.json";
  size_t inside = 0, outsideCount = 0, related = 0;
  auto check = [&](const nlohmann::json& artifact) {
    if (artifact.contains("uriBaseId")) {
      EXPECT_EQ(artifact["uriBaseId"], "%SRCROOT%");
      EXPECT_EQ(artifact["uri"], "fixtures/rules/LB022/fail.tfplan.json");
      ++inside;
    } else {
      EXPECT_EQ(artifact["uri"], outsideUri);
      ++outsideCount;
    }
  };
  for (const auto& res : run["results"]) {
    check(res["locations"][0]["physicalLocation"]["artifactLocation"]);
    for (const auto& rel : res.value("relatedLocations", nlohmann::json::array())) {
      check(rel["physicalLocation"]["artifactLocation"]);
      ++related;
    }
  }
  EXPECT_GT(inside, 0u);
  EXPECT_GT(outsideCount, 0u);
  EXPECT_GT(related, 0u);

  // With the temporary directory as the root, the outside file is relative to it
  // and the checkout's files are the absolute ones.
  const auto other =
      nlohmann::json::parse(renderSarif(r.sources, r.findings, {}, false, tmp.path()));
  bool sawRelative = false, sawAbsolute = false;
  for (const auto& res : other["runs"][0]["results"]) {
    const auto& a = res["locations"][0]["physicalLocation"]["artifactLocation"];
    if (a["uri"] == "in%20fra/plan%231.json") sawRelative = a["uriBaseId"] == "%SRCROOT%";
    if (a["uri"].get<std::string>().rfind("file:///", 0) == 0)
      sawAbsolute = !a.contains("uriBaseId");
  }
  EXPECT_TRUE(sawRelative);
  EXPECT_TRUE(sawAbsolute);
}

TEST(Reports, SameInputsGiveByteIdenticalReports) {
  const auto a = runOn({"fixtures/rules", "fixtures/plans"});
  const auto b = runOn({"fixtures/plans", "fixtures/rules"});
  EXPECT_EQ(renderSarif(a.sources, a.findings), renderSarif(b.sources, b.findings));
  EXPECT_EQ(renderJson(a.sources, a.findings, a.filesRead),
            renderJson(b.sources, b.findings, b.filesRead));
}

TEST(Reports, OneThreadOrManyGiveByteIdenticalReports) {
  auto runWith = [](size_t jobs) {
    Options o;
    o.paths = {"fixtures"};
    o.jobs = jobs;
    RunResult r;
    run(o, r);
    return renderSarif(r.sources, r.findings) + renderJson(r.sources, r.findings, r.filesRead) +
           renderText(r.sources, r.findings, r.filesRead, {});
  };
  const std::string one = runWith(1);
  EXPECT_EQ(one, runWith(2));
  EXPECT_EQ(one, runWith(7));
}

TEST(Reports, SensitiveValuesAreNeverShown) {
  // A keep-alive finding on one line next to a sensitive private key.
  lbcheck::testing::TempDir tmp;
  const std::string plan =
      R"({"format_version":"1.2","resource_changes":[)"
      R"({"address":"google_compute_region_target_http_proxy.p","mode":"managed","type":"google_compute_region_target_http_proxy","name":"p",)"
      R"("change":{"actions":["create"],"before":null,"after":{"name":"p","region":"us-central1","http_keep_alive_timeout_sec":9999,"private_key":"TOPSECRET-KEY"},)"
      R"("after_unknown":{},"after_sensitive":{"private_key":true}}}]})";
  const auto r = runOn({tmp.file("p.json", plan)});
  ASSERT_EQ(r.findings.size(), 1u);
  const std::string all = renderText(r.sources, r.findings, r.filesRead, {}) +
                          renderJson(r.sources, r.findings, r.filesRead) +
                          renderSarif(r.sources, r.findings);
  EXPECT_EQ(all.find("TOPSECRET"), std::string::npos) << all;
  EXPECT_NE(all.find("\"*************\""), std::string::npos);
}

TEST(TextReport, InvalidUtf8AndControlCharactersNeverReachTheTerminal) {
  lbcheck::testing::TempDir tmp;
  const auto r = runOn({tmp.file("bad.json", std::string("{\"a\": \"\x1b[31m\xff\xfe\" x}"))});
  ASSERT_EQ(r.findings.size(), 1u);
  const std::string text = renderText(r.sources, r.findings, r.filesRead, {});
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\xff'), std::string::npos) << text;
  EXPECT_NE(text.find("?[31m??"), std::string::npos) << text;
}
