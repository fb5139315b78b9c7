// The language server checks again only the files an edit can reach
// (driver/lsp/reach.h). These tests hold that to what a whole check says.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "driver/lsp/reach.h"
#include "driver/runner.h"
#include "tests/helpers.h"

namespace lbcheck::lsp {
namespace {

namespace fs = std::filesystem;
using lbcheck::testing::TempDir;

/// Every finding of `r` in one of `files` (all when null), by file, as text:
/// rule, place, severity, whether it is active, message, help, related places.
std::map<std::string, std::multiset<std::string>> findingsByFile(
    const RunResult& r, const std::set<std::string>* files) {
  std::map<std::string, std::multiset<std::string>> out;
  auto where = [&](const Span& s) {
    return s.valid() ? workspacePath(r.sources.get(s.file)) + "@" + std::to_string(s.begin) + "-" +
                           std::to_string(s.end)
                     : std::string("-");
  };
  for (const Finding& f : r.findings) {
    if (!f.span.valid()) continue;
    const std::string path = workspacePath(r.sources.get(f.span.file));
    if (files && files->count(path) == 0) continue;
    std::string s = f.ruleId + " " + where(f.span) + " " +
                    std::to_string(static_cast<int>(f.severity)) + (f.active() ? " active " : " ") +
                    f.message + " | " + f.help;
    for (const Related& rel : f.related) s += " | " + where(rel.span) + " " + rel.message;
    out[path].insert(s);
  }
  return out;
}

/// A whole check of `dir` into `result`, and the keys it gives each file.
Reach wholeCheck(const std::string& dir, RunResult& result) {
  Options options;
  options.paths = {dir};
  run(options, result);
  Reach reach;
  reach.record(result);
  return reach;
}

struct Tally {
  size_t directories = 0, parts = 0, wholeOnly = 0;
};

/// For each file a whole check of `dir` read: the files it reaches, checked
/// alone, say of themselves exactly what the whole check says of them.
void expectPartsAgree(const fs::path& dir, Tally& tally) {
  RunResult whole;
  const Reach reach = wholeCheck(dir.string(), whole);
  const auto wholeFindings = findingsByFile(whole, nullptr);
  std::set<std::vector<std::string>> done;
  ++tally.directories;
  for (uint32_t i = 0; i < whole.sources.size(); ++i) {
    const std::string path = workspacePath(whole.sources.get(i));
    const auto part = reach.closure({path});
    if (!part) {
      ++tally.wholeOnly;
      continue;
    }
    if (!done.insert(*part).second) continue;
    ++tally.parts;
    Options partOptions;
    partOptions.paths =
        Reach::named(*part, {fs::absolute(dir).lexically_normal().generic_string()}, {});
    RunResult partial;
    run(partOptions, partial);
    const std::set<std::string> files(part->begin(), part->end());
    const auto got = findingsByFile(partial, &files);
    for (const std::string& file : files) {
      const auto want = wholeFindings.find(file);
      const auto have = got.find(file);
      const std::multiset<std::string> none;
      EXPECT_EQ(have == got.end() ? none : have->second,
                want == wholeFindings.end() ? none : want->second)
          << file << " checked with the " << part->size() << " files it reaches, in " << dir;
    }
  }
}

// Every fixture directory is a workspace: its files share names (`hello-run`,
// `lb-network`), so what one file's findings depend on in the others is
// exercised across the whole rule catalogue.
TEST(LspReach, PartialChecksOfEveryFixtureDirectoryMatchTheWholeCheck) {
  const fs::path root = fs::path(LBCHECK_SOURCE_DIR) / "fixtures";
  Tally tally;
  // Not `fixtures/rules` as a whole: 878 files of every rule, it costs ten
  // times the rest (each rule's directory is a workspace of its own).
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_directory() && e.path() != root / "rules") expectPartsAgree(e.path(), tally);
  std::cout << "[ reach ] " << tally.directories << " directories, " << tally.parts
            << " partial checks, " << tally.wholeOnly << " files only a whole check covers\n";
  EXPECT_GT(tally.parts, 50u);
}

bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

/// `text` with every whole occurrence of each of `names` (longest first)
/// followed by `suffix`.
std::string renamed(std::string text, const std::vector<std::string>& names,
                    const std::string& suffix) {
  for (const std::string& name : names) {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
      const size_t end = at + name.size();
      if ((at > 0 && isNameChar(text[at - 1])) || (end < text.size() && isNameChar(text[end]))) {
        at = end;
        continue;
      }
      text.insert(end, suffix);
      at = end + suffix.size();
    }
  }
  return text;
}

// Each rule directory again, beside a copy of each of its files whose every
// resource name is its own, so that the copies link to nothing by name: only
// what else relates files (the default network, URL masks, project grants,
// changes, Terraform addresses, a relation the keys miss) joins them, and a
// missed relation shows as a finding that differs.
TEST(LspReach, PartialChecksMatchTheWholeCheckBesideRenamedCopies) {
  const fs::path root = fs::path(LBCHECK_SOURCE_DIR) / "fixtures" / "rules";
  Tally tally;
  for (const auto& rule : fs::directory_iterator(root)) {
    if (!rule.is_directory()) continue;
    TempDir copy;
    std::vector<std::pair<fs::path, std::string>> files;  // relative path, text
    for (const auto& e : fs::recursive_directory_iterator(rule.path())) {
      const std::string name = e.path().filename().string();
      if (!e.is_regular_file() || name.rfind(".lbcheck", 0) == 0) continue;
      files.emplace_back(fs::relative(e.path(), rule.path()), testing::readText(e.path().string()));
      const fs::path to = fs::path(copy.path()) / files.back().first;
      fs::create_directories(to.parent_path());
      testing::writeText(to.string(), files.back().second);
    }
    // The names the files give and use.
    RunResult first;
    const Reach reach = wholeCheck(copy.path(), first);
    std::set<std::string> nameSet;
    for (uint32_t i = 0; i < first.sources.size(); ++i)
      if (const auto* keys = reach.keysOf(workspacePath(first.sources.get(i))))
        for (const std::string& key : *keys)
          if (key.rfind("n:", 0) == 0 && key != "n:default" && key.size() > 4)
            nameSet.insert(key.substr(2));
    std::vector<std::string> names(nameSet.begin(), nameSet.end());
    std::sort(names.begin(), names.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (size_t i = 0; i < files.size(); ++i) {
      const fs::path& rel = files[i].first;
      const fs::path to = fs::path(copy.path()) / "renamed" / std::to_string(i) / rel;
      fs::create_directories(to.parent_path());
      testing::writeText(to.string(), renamed(files[i].second, names, "-r" + std::to_string(i)));
    }
    expectPartsAgree(copy.path(), tally);
  }
  std::cout << "[ reach ] " << tally.directories << " directories, " << tally.parts
            << " partial checks, " << tally.wholeOnly << " files only a whole check covers\n";
  EXPECT_GT(tally.parts, 300u);  // the test must exercise partial checks, not skip them
}

const char* const kService = R"(apiVersion: run.cnrm.cloud.google.com/v1beta1
kind: RunService
metadata:
  name: %NAME%
spec:
  location: us-central1
  projectRef:
    external: projects/demo-proj
  ingress: INGRESS_TRAFFIC_INTERNAL_ONLY
  template:
    containers:
    - image: us-docker.pkg.dev/cloudrun/container/hello
)";

const char* const kMaskNeg = R"(apiVersion: compute.cnrm.cloud.google.com/v1beta1
kind: ComputeRegionNetworkEndpointGroup
metadata:
  name: mask-neg
  annotations:
    cnrm.cloud.google.com/project-id: demo-proj
spec:
  region: us-central1
  networkEndpointType: SERVERLESS
  cloudRun:
    urlMask: example.com/<service>
)";

std::string named(std::string text, const std::string& name) {
  text.replace(text.find("%NAME%"), 6, name);
  return text;
}

TEST(LspReach, NamesLinkFilesAndUrlMasksReachEveryService) {
  TempDir dir;
  const std::string a = dir.file("a.yaml", named(kService, "svc-a"));
  const std::string b = dir.file("b.yaml", named(kService, "svc-b"));
  RunResult result;
  Reach reach = wholeCheck(dir.path(), result);
  // Two services of different names do not reach each other.
  EXPECT_EQ(reach.closure({a}), std::vector<std::string>{a});
  ASSERT_NE(reach.keysOf(a), nullptr);
  EXPECT_EQ(reach.keysOf(a)->count("n:svc-a"), 1u);

  // A NEG with a URL mask reaches both, and each service reaches it.
  const std::string neg = dir.file("neg.yaml", kMaskNeg);
  RunResult again;
  reach = wholeCheck(dir.path(), again);
  EXPECT_EQ(reach.closure({neg}), (std::vector<std::string>{a, b, neg}));
  EXPECT_EQ(reach.closure({a}), (std::vector<std::string>{a, b, neg}));
}

TEST(LspReach, TerraformRootsLinkByDirectoryAndPlansByAddress) {
  TempDir dir;
  const char* const kNetwork = R"(resource "google_compute_network" "n" {
  name = var.name
}
variable "name" {
  type = string
}
)";
  std::filesystem::create_directories(dir.path() + "/a");
  std::filesystem::create_directories(dir.path() + "/b");
  std::filesystem::create_directories(dir.path() + "/plan");
  const std::string a = dir.file("a/main.tf", kNetwork);
  const std::string aVars = dir.file("a/terraform.tfvars", "name = \"net-a\"\n");
  const std::string b = dir.file("b/main.tf", kNetwork);
  const std::string bVars = dir.file("b/terraform.tfvars", "name = \"net-b\"\n");
  const std::string config = dir.file(".lbcheck.yaml", "rules: {}\n");
  RunResult result;
  Reach reach = wholeCheck(dir.path(), result);
  // A root module is its directory; two roots with the same addresses are apart.
  EXPECT_EQ(reach.closure({a}), (std::vector<std::string>{a, aVars}));
  EXPECT_EQ(reach.closure({bVars}), (std::vector<std::string>{b, bVars}));

  // A plan with those addresses may be made of either root: it reaches both.
  const std::string plan = dir.file("plan/plan.json", R"({"format_version":"1.2",
"planned_values":{"root_module":{"resources":[{"address":"google_compute_network.n",
"mode":"managed","type":"google_compute_network","name":"n","provider_name":
"registry.terraform.io/hashicorp/google","values":{"name":"net-c"}}]}},
"resource_changes":[{"address":"google_compute_network.n","mode":"managed",
"type":"google_compute_network","name":"n","provider_name":
"registry.terraform.io/hashicorp/google","change":{"actions":["create"],
"before":null,"after":{"name":"net-c"}}}]})");
  RunResult withPlan;
  reach = wholeCheck(dir.path(), withPlan);
  EXPECT_EQ(reach.closure({plan}), (std::vector<std::string>{a, aVars, b, bVars, plan}));

  // lbcheck's configuration, and a file no check read, need a whole check.
  EXPECT_TRUE(reach.knows(config));
  EXPECT_FALSE(reach.closure({config}).has_value());
  EXPECT_FALSE(reach.closure({dir.path() + "/new.yaml"}).has_value());
}

}  // namespace
}  // namespace lbcheck::lsp
