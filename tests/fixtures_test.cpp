// Every fixture under fixtures/rules and fixtures/plans, checked against its
// golden `.expected` file; strict pass/fail semantics; every rule has docs and
// fixtures. Regenerate goldens with LBCHECK_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "driver/output/report.h"
#include "engine/rule.h"
#include "helpers.h"

namespace fs = std::filesystem;
using namespace lbcheck;
using lbcheck::testing::expectGolden;
using lbcheck::testing::readText;
using lbcheck::testing::runOn;

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// A fixture is a file (plan, KRM, CAI...) or a directory of files read as one
/// input (a set of gcloud exports).
bool isFixture(const fs::directory_entry& e) {
  const std::string n = e.path().filename().string();
  if (e.is_directory()) return true;
  return e.is_regular_file() &&
         (endsWith(n, ".json") || endsWith(n, ".yaml") || endsWith(n, ".sh") || endsWith(n, ".md"));
}

std::vector<std::string> fixtureFiles() {
  std::vector<std::string> out;
  for (const char* dir : {"fixtures/rules", "fixtures/plans"}) {
    for (const auto& group : fs::directory_iterator(dir)) {
      if (!group.is_directory() || std::string(dir) == "fixtures/plans") {
        if (isFixture(group)) out.push_back(group.path().generic_string());
        continue;
      }
      for (const auto& e : fs::directory_iterator(group.path()))
        if (isFixture(e)) out.push_back(e.path().generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string expectedPath(const std::string& fixture) {
  if (endsWith(fixture, ".tfplan.json"))
    return fixture.substr(0, fixture.size() - 12) + ".expected";
  for (const char* ext : {".json", ".yaml"})
    if (endsWith(fixture, ext)) return fixture.substr(0, fixture.size() - 5) + ".expected";
  // Scripts and runbooks keep their extension: fail.sh -> fail.sh.expected.
  return fixture + ".expected";
}

/// line:col, prefixed with the file's path inside the fixture when the fixture
/// is a directory (plans in it excepted).
std::string loc(const SourceManager& s, Span span, const std::string& fixture) {
  const SourceFile& f = s.get(span.file);
  const Location l = f.locate(span.begin);
  std::string prefix;
  if (fs::is_directory(fixture) && !endsWith(f.path(), ".tfplan.json"))
    prefix = fs::path(f.path()).lexically_relative(fixture).generic_string() + ":";
  return prefix + std::to_string(l.line) + ":" + std::to_string(l.column);
}

/// One line per finding (and per related location), stable and reviewable.
std::string summarize(const RunResult& r, const std::string& fixture) {
  std::string out;
  for (const Finding& f : r.findings) {
    out += loc(r.sources, f.span, fixture) + ": " + std::string(severityName(f.severity)) + "[" +
           f.ruleId + "] " + f.message + "\n";
    for (const Related& rel : f.related)
      out += "    related " + loc(r.sources, rel.span, fixture) + ": " + rel.message + "\n";
  }
  // Files that are not lbcheck's: no finding, but the report counts them (#21).
  for (const lbcheck::SkippedFile& s : r.skipped) {
    const std::string path(r.sources.get(s.file).path());
    out += "skipped " +
           (fs::is_directory(fixture) ? fs::path(path).lexically_relative(fixture).generic_string()
                                      : fs::path(path).filename().generic_string()) +
           ": " + std::string(lbcheck::skipReasonKey(s.why.reason)) + "\n";
  }
  return out;
}

std::string ruleDirOf(const std::string& fixture) {
  const fs::path p(fixture);
  return p.parent_path().filename().string();
}

bool isPass(const std::string& fixture) {
  return fs::path(fixture).filename().string().rfind("pass", 0) == 0;
}

}  // namespace

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, MatchesItsGoldenFindings) {
  const auto result = runOn({GetParam()});
  expectGolden(expectedPath(GetParam()), summarize(result, GetParam()));
}

TEST_P(Fixture, PassFixturesHaveNoWarningOrErrorAndFailFixturesFireTheirRule) {
  const std::string fixture = GetParam();
  const auto result = runOn({fixture});
  const bool inRuleDir = fixture.rfind("fixtures/rules/", 0) == 0;
  const std::string name = fs::path(fixture).filename().string();
  if (isPass(fixture) || name.find("clean") != std::string::npos ||
      name == "modules-count-foreach.tfplan.json" || name == "duplicate-sources") {
    for (const Finding& f : result.findings)
      EXPECT_LT(f.severity, Severity::Warning) << fixture << ": " << f.ruleId << " " << f.message;
  } else if (inRuleDir) {
    // Run with only the fixture's own rule: it must fire, and nothing else may.
    const std::string id = ruleDirOf(fixture);
    const auto only = runOn({fixture}, {id});
    ASSERT_FALSE(only.findings.empty()) << fixture << " does not trigger " << id;
    for (const Finding& f : only.findings) EXPECT_EQ(f.ruleId, id) << fixture;
  }
}

TEST_P(Fixture, MinifiedPlanPointsAtTheSameValues) {
  // The same plan on one line: every finding must land on the same token.
  const std::string fixture = GetParam();
  if (!endsWith(fixture, ".tfplan.json")) {
    // Other formats: every finding lands on a real token of its file.
    const auto result = runOn({fixture});
    for (const Finding& f : result.findings) EXPECT_GT(f.span.end, f.span.begin) << fixture;
    return;
  }
  const std::string text = readText(fixture);
  if (std::count(text.begin(), text.end(), '\n') <= 1) {
    // Already one line (as Terraform writes it): every finding is on line 1, on a token.
    const auto result = runOn({fixture});
    for (const Finding& f : result.findings) {
      EXPECT_EQ(result.sources.get(f.span.file).locate(f.span.begin).line, 1u);
      EXPECT_GT(f.span.end, f.span.begin);
    }
    return;
  }
  lbcheck::testing::TempDir tmp;
  std::string minified;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      minified += c;
      if (c == '\\')
        minified += text[++i];
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
      minified += c;
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      minified += c;
    }
  }
  const std::string path = tmp.file("min.tfplan.json", minified);
  const auto pretty = runOn({fixture});
  const auto small = runOn({path});
  ASSERT_EQ(pretty.findings.size(), small.findings.size());
  for (size_t i = 0; i < pretty.findings.size(); ++i) {
    const Finding& a = pretty.findings[i];
    const Finding& b = small.findings[i];
    EXPECT_EQ(a.ruleId, b.ruleId);
    const auto ta =
        pretty.sources.get(a.span.file).text().substr(a.span.begin, a.span.end - a.span.begin);
    const auto tb =
        small.sources.get(b.span.file).text().substr(b.span.begin, b.span.end - b.span.begin);
    auto squeeze = [](std::string_view t) {
      std::string o;
      for (char c : t)
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') o += c;
      return o;
    };
    EXPECT_EQ(squeeze(ta), squeeze(tb)) << fixture << " " << a.ruleId;
    EXPECT_EQ(small.sources.get(b.span.file).locate(b.span.begin).line, 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(All, Fixture, ::testing::ValuesIn(fixtureFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param.substr(9);  // drop "fixtures/"
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// ---------------------------------------------------------------------------

TEST(RuleCatalogue, IdsAreUniqueAndWellFormed) {
  std::set<std::string> ids;
  const std::regex shape("^(NET|LB|NEG|RUN|TLS|OPS|ARM|LBC)[0-9]{3}$");
  for (const Rule* r : allRules()) {
    const std::string id(r->info().id);
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  }
}

TEST(RuleCatalogue, EveryRuleHasItsDocWithTheRequiredSections) {
  for (const Rule* r : allRules()) {
    const RuleInfo& i = r->info();
    const std::string path = "rules/" + std::string(i.area) + "/" + std::string(i.id) + "-" +
                             std::string(i.slug) + ".md";
    ASSERT_TRUE(fs::exists(path)) << path;
    const std::string doc = readText(path);
    EXPECT_EQ(std::string(ruleDoc(i.id)), doc) << "embedded doc of " << i.id << " is stale";
    const std::string title = "# " + std::string(i.id) + " " + std::string(i.slug) + "\n\n";
    EXPECT_EQ(doc.substr(0, title.size()), title) << path;
    // The summary is the doc's first paragraph, word for word.
    const size_t start = title.size();
    const std::string first = doc.substr(start, doc.find("\n\n", start) - start);
    EXPECT_EQ(first, i.summary) << path;
    std::vector<std::string> sections = {"## What it flags", "## Fix"};
    if (!i.diagnostic) {
      for (const char* s :
           {"## Why it matters", "## Example", "## When to suppress", "## References"})
        sections.push_back(s);
    }
    for (const auto& s : sections)
      EXPECT_NE(doc.find(s), std::string::npos) << path << " lacks " << s;
  }
}

TEST(RuleCatalogue, EveryCheckHasPassingAndFailingFixtures) {
  for (const Rule* r : allRules()) {
    if (r->info().diagnostic) continue;
    const fs::path dir = fs::path("fixtures/rules") / std::string(r->info().id);
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    int pass = 0, fail = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (!isFixture(e)) continue;
      if (n.rfind("pass", 0) == 0) ++pass;
      if (n.rfind("fail", 0) == 0) ++fail;
    }
    EXPECT_GE(pass, 1) << dir;
    EXPECT_GE(fail, 1) << dir;
  }
}

/// The input format a fixture is written in.
std::string formatOf(const fs::directory_entry& e) {
  const std::string n = e.path().filename().string();
  if (e.is_directory()) {
    if (endsWith(n, "-gcloud")) return "gcloud";
    if (endsWith(n, "-tf")) return "terraform";
    return "directory";
  }
  if (endsWith(n, ".tfplan.json")) return "terraform-plan";
  if (endsWith(n, ".krm.yaml")) return "krm";
  if (endsWith(n, ".cai.json")) return "cai";
  if (endsWith(n, ".sh") || endsWith(n, ".md")) return "gcloud-script";
  return "other";
}

TEST(RuleCatalogue, EveryCheckHasPassingAndFailingFixturesInTwoFormats) {
  // Lifecycle rules (ops) read what only a plan carries: one format is enough.
  for (const Rule* r : allRules()) {
    if (r->info().diagnostic || r->info().area == "ops") continue;
    std::set<std::string> pass, fail;
    for (const auto& e :
         fs::directory_iterator(fs::path("fixtures/rules") / std::string(r->info().id))) {
      if (!isFixture(e)) continue;
      const std::string n = e.path().filename().string();
      (n.rfind("pass", 0) == 0 ? pass : fail).insert(formatOf(e));
    }
    EXPECT_GE(pass.size(), 2u) << r->info().id << " needs passing fixtures in two formats";
    EXPECT_GE(fail.size(), 2u) << r->info().id << " needs failing fixtures in two formats";
  }
}

TEST(RuleCatalogue, EveryFixtureDirectoryBelongsToARule) {
  for (const auto& e : fs::directory_iterator("fixtures/rules"))
    EXPECT_NE(findRule(e.path().filename().string()), nullptr) << e.path();
}
