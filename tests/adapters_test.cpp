// The input adapters: every format is read by exactly the adapter expected,
// with the confidence expected; bytes no adapter knows are read by none.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "engine/adapter.h"
#include "engine/diagnostics.h"
#include "engine/json.h"
#include "engine/source.h"

namespace {

using lbcheck::Adapter;
using lbcheck::AdapterRegistry;
namespace confidence = lbcheck::confidence;

const AdapterRegistry& registry() { return AdapterRegistry::instance(); }

/// The adapters that claim the file, with their confidence ("name:75").
std::vector<std::string> claims(std::string_view bytes, std::string_view name) {
  std::vector<std::string> out;
  for (const Adapter* a : registry().all())
    if (const int c = a->sniff(bytes, name); c > confidence::kNone)
      out.push_back(std::string(a->name()) + ":" + std::to_string(c));
  return out;
}

std::string picked(std::string_view bytes, std::string_view name) {
  const Adapter* a = registry().pick(bytes, name);
  return a ? std::string(a->name()) : "none";
}

/// The adapter that lowers the first document of `text` (whole, else as an
/// object).
std::string pickedDocument(const std::string& text) {
  const lbcheck::SourceFile file(0, "doc.json", text);
  lbcheck::json::ParseError error;
  const auto doc = lbcheck::json::parse(file, lbcheck::json::Limits{}, &error);
  if (!doc) return "unparsed";
  const Adapter* a = registry().pickDocument(doc->root(), true);
  if (!a) a = registry().pickDocument(doc->root(), false);
  return a ? std::string(a->name()) : "none";
}

/// A read outside a run: default settings, no project (the formats tested
/// here need none).
class NoProjectContext : public lbcheck::ReadContext {
 public:
  const lbcheck::ReadSettings& settings() const override { return settings_; }
  lbcheck::Project& project(const Adapter& adapter) override {
    ADD_FAILURE() << std::string(adapter.name()) << " asked for a project";
    std::abort();
  }

 private:
  lbcheck::ReadSettings settings_;
};

std::vector<std::string> ruleIds(const std::vector<lbcheck::Finding>& findings) {
  std::vector<std::string> out;
  for (const lbcheck::Finding& f : findings) out.push_back(f.ruleId);
  return out;
}

}  // namespace

TEST(Adapters, RegistryListsEveryAdapterOnce) {
  std::vector<std::string> names;
  for (const Adapter* a : registry().all()) names.emplace_back(a->name());
  const std::vector<std::string> expected = {
      "terraform-plan", "krm",      "gcloud-export", "cloud-run",   "terraform",
      "terraform-vars", "markdown", "gcloud-script", "cloud-build", "github-actions",
      "gitlab-ci",      "json",     "yaml",          "unknown"};
  EXPECT_EQ(names, expected);
  for (const std::string& n : expected) EXPECT_NE(registry().byName(n), nullptr) << n;
  ASSERT_NE(registry().fallback(), nullptr);
  EXPECT_EQ(registry().fallback()->name(), "unknown");
}

TEST(Adapters, FilesBySniffing) {
  // Certain by name.
  EXPECT_EQ(claims("resource \"x\" \"y\" {}", "main.tf"),
            std::vector<std::string>{"terraform:100"});
  EXPECT_EQ(claims("{}", "main.tf.json"), (std::vector<std::string>{"terraform:100", "json:50"}));
  EXPECT_EQ(picked("{}", "main.tf.json"), "terraform");
  EXPECT_EQ(claims("a = 1", "terraform.tfvars"), std::vector<std::string>{"terraform-vars:100"});
  EXPECT_EQ(picked("{}", "x.tfvars.json"), "terraform-vars");
  EXPECT_EQ(claims("# Runbook", "RUNBOOK.md"), std::vector<std::string>{"markdown:100"});
  EXPECT_EQ(picked("# Runbook", "notes.markdown"), "markdown");
  EXPECT_EQ(claims("gcloud run deploy", "deploy.sh"),
            std::vector<std::string>{"gcloud-script:100"});
  EXPECT_EQ(picked("gcloud run deploy", "deploy.bash"), "gcloud-script");
  // A shebang says script whatever the name, except a name that is certain.
  EXPECT_EQ(claims("#!/bin/bash\ngcloud run deploy\n", "deploy"),
            std::vector<std::string>{"gcloud-script:75"});
  EXPECT_EQ(picked("#!/bin/bash\n{}\n", "x.json"), "gcloud-script");
  EXPECT_EQ(picked("#!/bin/bash\n", "x.yaml"), "gcloud-script");
  EXPECT_EQ(picked("#!/bin/bash\n", "x.md"), "markdown");
  EXPECT_EQ(picked("#!/bin/bash\n", "x.tf"), "terraform");
  // JSON and YAML by name; JSON also by content.
  EXPECT_EQ(claims("{\"kind\": \"compute#backendService\"}", "bs.json"),
            std::vector<std::string>{"json:50"});
  EXPECT_EQ(claims("kind: compute#backendService\n", "bs.yaml"),
            std::vector<std::string>{"yaml:50"});
  EXPECT_EQ(picked("a: 1\n", "bs.yml"), "yaml");
  EXPECT_EQ(claims("{\"a\": 1}", "export"), std::vector<std::string>{"json:25"});
  EXPECT_EQ(picked("{\"a\": 1}", "bs.yaml"),
            "yaml");  // a YAML name wins over JSON content
}

TEST(Adapters, UnknownBytesGetNone) {
  EXPECT_TRUE(claims("hello world\n", "notes.txt").empty());
  EXPECT_EQ(registry().pick("hello world\n", "notes.txt"), nullptr);
  EXPECT_EQ(registry().pick("", "empty"), nullptr);
  EXPECT_EQ(registry().pick("\x01\x02\x03", "blob.bin"), nullptr);
}

TEST(Adapters, DocumentsByShape) {
  EXPECT_EQ(pickedDocument(R"({"format_version": "1.2", "resource_changes": []})"),
            "terraform-plan");
  EXPECT_EQ(
      pickedDocument(
          R"({"apiVersion": "compute.cnrm.cloud.google.com/v1beta1", "kind": "ComputeURLMap"})"),
      "krm");
  EXPECT_EQ(pickedDocument(R"({"kind": "compute#backendService", "name": "bs"})"), "gcloud-export");
  EXPECT_EQ(pickedDocument(R"({"apiVersion": "serving.knative.dev/v1", "kind": "Service"})"),
            "cloud-run");
  EXPECT_EQ(pickedDocument(R"({"name": "projects/p/locations/l/services/s", "ingress": "x"})"),
            "cloud-run");
  EXPECT_EQ(pickedDocument(R"({"hello": "world"})"), "none");
  // CI files (issue 22): a Cloud Build config, a GitHub Actions workflow, a GitLab CI file.
  EXPECT_EQ(pickedDocument(R"({"steps": [{"name": "gcr.io/cloud-builders/gcloud", "args": []}]})"),
            "cloud-build");
  EXPECT_EQ(pickedDocument(R"({"steps": [{"run": "echo"}]})"), "none");
  EXPECT_EQ(pickedDocument(R"({"on": "push", "jobs": {"a": {"runs-on": "x", "steps": []}}})"),
            "github-actions");
  EXPECT_EQ(pickedDocument(R"({"stages": ["b"], "build": {"script": ["make"]}})"), "gitlab-ci");
  EXPECT_EQ(pickedDocument(R"({"variables": {"script": "x"}})"), "none");
  EXPECT_EQ(pickedDocument(R"({"apiVersion": "v1", "build": {"script": ["make"]}})"), "none");
}

TEST(Adapters, WalkedExtensions) {
  for (const char* ext : {".json", ".yaml", ".yml", ".tf", ".tfvars", ".sh", ".bash", ".md"})
    EXPECT_TRUE(registry().walked(ext)) << ext;
  for (const char* ext : {".txt", ".markdown", ".py", ""})
    EXPECT_FALSE(registry().walked(ext)) << ext;
  EXPECT_TRUE(registry().notesBrokenLink(".json"));
  EXPECT_TRUE(registry().notesBrokenLink(".yml"));
  EXPECT_FALSE(registry().notesBrokenLink(".tf"));
  EXPECT_TRUE(registry().skipsDirectory(".terraform"));
  EXPECT_FALSE(registry().skipsDirectory("modules"));
}

// parse gives the format's tree and its diagnostics, and nothing else; lower
// turns a tree into resources (and a script's timeline).
TEST(Adapters, ParseGivesDiagnosticsLowerGivesResources) {
  NoProjectContext context;
  const std::string syntax(lbcheck::diag::kSyntax);
  struct Case {
    const char* adapter;
    const char* name;
    const char* broken;  // does not parse
    const char* good;    // parses and lowers to one resource at least
  };
  const Case cases[] = {
      {"json", "bs.json", "{\"kind\": \"compute#backendService\", \"name\": ",
       "{\"kind\": \"compute#backendService\", \"name\": \"bs\", \"selfLink\": "
       "\"https://www.googleapis.com/compute/v1/projects/p/global/backendServices/bs\"}"},
      {"yaml", "bs.yaml", "kind: compute#backendService\nname: [bs\n",
       "kind: compute#backendService\nname: bs\nselfLink: "
       "https://www.googleapis.com/compute/v1/projects/p/global/backendServices/bs\n"},
      {"gcloud-script", "deploy.sh", "echo \"bs --global\n",
       "gcloud compute backend-services create bs --global --protocol=HTTP\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.adapter);
    const Adapter* adapter = registry().byName(c.adapter);
    ASSERT_NE(adapter, nullptr);
    EXPECT_EQ(registry().pick(c.broken, c.name), adapter);
    {
      lbcheck::SourceFile file(0, c.name, c.broken);
      const lbcheck::Input input{file, c.name, true};
      const std::unique_ptr<lbcheck::SyntaxTree> tree = adapter->parse(input, context);
      ASSERT_NE(tree, nullptr);
      EXPECT_EQ(ruleIds(tree->diagnostics), std::vector<std::string>{syntax});
      lbcheck::Lowered out;
      adapter->lower(*tree, input, context, out);
      EXPECT_EQ(out.graph.size(), 0u);
      EXPECT_EQ(out.documentsUsed, 0u);
      EXPECT_TRUE(out.diagnostics.empty());  // lower does not repeat parse's diagnostics
    }
    {
      lbcheck::SourceFile file(0, c.name, c.good);
      const lbcheck::Input input{file, c.name, true};
      const std::unique_ptr<lbcheck::SyntaxTree> tree = adapter->parse(input, context);
      ASSERT_NE(tree, nullptr);
      EXPECT_TRUE(tree->diagnostics.empty());
      lbcheck::Lowered out;
      adapter->lower(*tree, input, context, out);
      EXPECT_GE(out.graph.size(), 1u);
      EXPECT_EQ(out.documentsUsed, 1u);
      if (std::string_view(c.adapter) == "gcloud-script") {
        EXPECT_FALSE(out.graph.timeline().empty());
      }
      // read() is the same: parse, then lower.
      lbcheck::SourceFile again(0, c.name, c.good);
      lbcheck::Lowered read;
      adapter->read(lbcheck::Input{again, c.name, true}, context, read);
      EXPECT_EQ(read.graph.size(), out.graph.size());
      EXPECT_EQ(ruleIds(read.diagnostics), ruleIds(out.diagnostics));
    }
  }
}

// A .tf file is parsed on its own; it only joins the run's project (and is
// evaluated with its module at the end) when lowered.
TEST(Adapters, TerraformParsesWithoutTheProject) {
  NoProjectContext context;
  const Adapter* terraform = registry().byName("terraform");
  ASSERT_NE(terraform, nullptr);
  lbcheck::SourceFile broken(0, "main.tf",
                             "resource \"google_compute_backend_service\" \"bs\" {\n");
  const auto tree = terraform->parse(lbcheck::Input{broken, "main.tf", true}, context);
  EXPECT_EQ(ruleIds(tree->diagnostics),
            std::vector<std::string>{std::string(lbcheck::diag::kSyntax)});
  lbcheck::SourceFile good(0, "main.tf", "resource \"google_compute_backend_service\" \"bs\" {}\n");
  EXPECT_TRUE(
      terraform->parse(lbcheck::Input{good, "main.tf", true}, context)->diagnostics.empty());
  // A variables file Terraform would not load is skipped (no finding), and not parsed.
  const Adapter* vars = registry().byName("terraform-vars");
  lbcheck::SourceFile other(0, "other.tfvars", "a = \n");
  const auto skipped = vars->parse(lbcheck::Input{other, "other.tfvars", false}, context);
  EXPECT_TRUE(skipped->diagnostics.empty());
  EXPECT_EQ(skipped->skipped.reason, lbcheck::SkipReason::NotLoaded);
  lbcheck::Lowered out;
  vars->lower(*skipped, lbcheck::Input{other, "other.tfvars", false}, context, out);
  EXPECT_TRUE(out.diagnostics.empty());
}

// The fallback parses nothing: its tree says the file is skipped, with no finding.
TEST(Adapters, FallbackTreeSaysSkipped) {
  NoProjectContext context;
  lbcheck::SourceFile file(0, "notes.txt", "hello\n");
  const auto tree = registry().fallback()->parse(lbcheck::Input{file, "notes.txt", true}, context);
  EXPECT_TRUE(tree->diagnostics.empty());
  EXPECT_EQ(tree->skipped.reason, lbcheck::SkipReason::NotAFormat);
}
