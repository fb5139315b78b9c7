// Terraform's JSON configuration syntax (*.tf.json, *.tfvars.json): every
// syntax form lowered into the HCL tree, spans inside JSON strings, malformed
// input with located errors, discovery by full name, and the seed stack
// written as .tf.json giving the findings of its .tf twin.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "helpers.h"
#include "parsers/hcl/eval.h"
#include "parsers/hcl/tfjson.h"

using namespace lbcheck;
using namespace lbcheck::hcl;
namespace fs = std::filesystem;

namespace {

struct Parsed {
  SourceManager sources;
  std::unique_ptr<File> file;
  SyntaxError error;
  std::string_view at(Span s) const {
    return sources.get(0).text().substr(s.begin, s.end - s.begin);
  }
  std::string lineCol(uint32_t offset) const {
    const Location l = sources.get(0).locate(offset);
    return std::to_string(l.line) + ":" + std::to_string(l.column);
  }
};

std::unique_ptr<Parsed> parse(const std::string& text) {
  auto p = std::make_unique<Parsed>();
  auto& f = p->sources.add("main.tf.json", text);
  p->file = parseJsonFile(f, Limits{}, &p->error);
  return p;
}

const Block* find(const Body& body, std::string_view type, std::vector<std::string> labels = {}) {
  for (const Block& b : body.blocks)
    if (b.type == type && (labels.empty() || b.labels == labels)) return &b;
  return nullptr;
}

/// Evaluates with nothing known but var.n = 3 and var.region = "us-central1".
struct Names : Environment {
  Val get(const std::string& root, const std::string& attr, const Expr&) override {
    if (root == "var" && attr == "n") return Val::num(3);
    if (root == "var" && attr == "region") return Val::string("us-central1");
    return Val::unknown();
  }
};

Val eval(const Expr& e) {
  Names names;
  Evaluator ev(names);
  return ev.eval(e);
}

/// rule, resource, field and message of every finding: what must not depend
/// on the syntax the configuration was written in.
std::multiset<std::string> meaning(const RunResult& r) {
  std::multiset<std::string> out;
  for (const Finding& f : r.findings)
    out.insert(f.ruleId + " " + std::string(severityName(f.severity)) + " " + f.resource + " " +
               f.fieldPath + " " + f.message);
  return out;
}

std::string pathOf(const RunResult& r, const Finding& f) {
  return r.sources.get(f.span.file).path();
}

std::string_view textAt(const RunResult& r, Span s) {
  return r.sources.get(s.file).text().substr(s.begin, s.end - s.begin);
}

const Finding* first(const RunResult& r, std::string_view rule) {
  for (const Finding& f : r.findings)
    if (f.ruleId == rule) return &f;
  return nullptr;
}

}  // namespace

TEST(TfJson, FileNames) {
  EXPECT_TRUE(isTfJsonName("main.tf.json"));
  EXPECT_FALSE(isTfJsonName("plan.json"));
  EXPECT_FALSE(isTfJsonName("seed.tfplan.json"));
  EXPECT_TRUE(isTfvarsJsonName("terraform.tfvars.json"));
  EXPECT_FALSE(isTfvarsJsonName("terraform.tfvars"));
}

TEST(TfJson, ResourceObjectAndArrayForms) {
  auto p = parse(R"({
  "resource": {
    "google_compute_network": {"a": {"name": "net-a"}, "b": [{"name": "net-b"}]}
  },
  "data": [{"google_compute_network": [{"c": {"name": "net-c"}}]}],
  "variable": [{"v": {}}],
  "output": {"o": {"value": "x"}},
  "provider": {"google": [{"region": "us-central1"}, {"alias": "west", "region": "us-west1"}]},
  "terraform": {"required_version": ">= 1.5"}
})");
  ASSERT_TRUE(p->file) << p->error.message;
  const Body& body = p->file->body;
  const Block* a = find(body, "resource", {"google_compute_network", "a"});
  const Block* b = find(body, "resource", {"google_compute_network", "b"});
  const Block* c = find(body, "data", {"google_compute_network", "c"});
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(p->at(a->header), "\"a\"");  // the resource's name label
  EXPECT_EQ(p->at(a->typeSpan), "\"resource\"");
  EXPECT_EQ(p->at(a->body.attribute("name")->value->span), "\"net-a\"");
  EXPECT_EQ(b->body.attribute("name")->value->text, "net-b");
  EXPECT_EQ(c->body.attribute("name")->value->text, "net-c");
  EXPECT_TRUE(find(body, "variable", {"v"}));
  EXPECT_TRUE(find(body, "output", {"o"}));
  size_t providers = 0;
  for (const Block& x : body.blocks) providers += x.type == "provider" ? 1 : 0;
  EXPECT_EQ(providers, 2u);
  EXPECT_TRUE(find(body, "terraform"));
}

TEST(TfJson, NestedBlocksMapsAndMetaArguments) {
  auto p = parse(R"({"resource": {"google_compute_region_backend_service": {"be": {
  "backend": [{"group": "g1"}, {"group": "g2"}],
  "iap": {"enabled": true},
  "labels": {"team": "payments"},
  "health_checks": [],
  "depends_on": ["google_compute_network.a", "${module.m}"],
  "provider": "google.west",
  "lifecycle": {"ignore_changes": ["labels"], "create_before_destroy": true},
  "dynamic": {"outlier_detection": {"for_each": "${[1]}", "iterator": "od",
                                    "content": {"max_ejection_percent": "${od.value}"}}}
}}}})");
  ASSERT_TRUE(p->file) << p->error.message;
  const Block& be = p->file->body.blocks.at(0);
  size_t backends = 0;
  for (const Block& x : be.body.blocks) backends += x.type == "backend" ? 1 : 0;
  EXPECT_EQ(backends, 2u);
  const Block* second = nullptr;
  for (const Block& x : be.body.blocks)
    if (x.type == "backend") second = &x;
  ASSERT_TRUE(second);
  EXPECT_EQ(p->at(second->header), "{");  // an element of a block array: its brace
  EXPECT_TRUE(find(be.body, "iap"));
  EXPECT_FALSE(be.body.attribute("iap"));
  // labels is a map attribute, not a block.
  const Attribute* labels = be.body.attribute("labels");
  ASSERT_TRUE(labels);
  EXPECT_EQ(labels->value->kind, ExprKind::Object);
  EXPECT_FALSE(find(be.body, "labels"));
  EXPECT_EQ(be.body.attribute("health_checks")->value->kind, ExprKind::Tuple);
  // depends_on entries and provider are expressions (traversals), not strings.
  const Attribute* deps = be.body.attribute("depends_on");
  ASSERT_TRUE(deps);
  ASSERT_EQ(deps->value->items.size(), 2u);
  EXPECT_EQ(deps->value->items[0]->kind, ExprKind::GetAttr);
  EXPECT_EQ(p->at(deps->value->items[0]->span), "google_compute_network.a");
  EXPECT_EQ(p->at(deps->value->items[1]->span), "module.m");  // the old "${...}" form
  EXPECT_EQ(be.body.attribute("provider")->value->kind, ExprKind::GetAttr);
  const Block* life = find(be.body, "lifecycle");
  ASSERT_TRUE(life);
  EXPECT_EQ(life->body.attribute("ignore_changes")->value->items.at(0)->kind, ExprKind::Variable);
  const Block* dyn = find(be.body, "dynamic", {"outlier_detection"});
  ASSERT_TRUE(dyn);
  EXPECT_EQ(dyn->body.attribute("iterator")->value->kind, ExprKind::Variable);
  EXPECT_TRUE(find(dyn->body, "content"));
}

TEST(TfJson, TemplatesHaveSpansInsideTheString) {
  auto p = parse(R"({"locals": {
  "region": "${var.region}",
  "name": "n-${var.n}-x",
  "literal": "$${not} %%{ if }",
  "directive": "%{ if var.n > 2 }big%{ else }small%{ endif }",
  "escaped": "a\"b-${var.n}",
  "plain": "no \"template\" here",
  "list": ["${var.n}", 2, null, true],
  "map": {"//": "a map key, not a comment", "k": "${var.region}"}
}})");
  ASSERT_TRUE(p->file) << p->error.message;
  const Block& locals = p->file->body.blocks.at(0);
  auto attr = [&](const char* n) -> const Expr& { return *locals.body.attribute(n)->value; };

  const Expr& region = attr("region");
  EXPECT_EQ(p->at(region.span), "\"${var.region}\"");
  ASSERT_EQ(region.items.size(), 1u);
  EXPECT_EQ(p->at(region.items[0]->span), "var.region");
  EXPECT_EQ(p->lineCol(region.items[0]->span.begin), "2:16");
  EXPECT_EQ(eval(region).text(), "us-central1");  // "${x}" is x itself

  const Expr& name = attr("name");
  EXPECT_EQ(eval(name).text(), "n-3-x");
  EXPECT_EQ(p->at(name.items.at(1)->span), "var.n");
  EXPECT_EQ(eval(attr("literal")).text(), "${not} %{ if }");
  EXPECT_EQ(eval(attr("directive")).text(), "big");

  // JSON escapes shift offsets: everything in that string points at the whole string.
  const Expr& escaped = attr("escaped");
  EXPECT_EQ(eval(escaped).text(), "a\"b-3");
  EXPECT_EQ(p->at(escaped.span), "\"a\\\"b-${var.n}\"");
  for (const auto& item : escaped.items) EXPECT_EQ(p->at(item->span), p->at(escaped.span));
  EXPECT_EQ(attr("plain").kind, ExprKind::String);
  EXPECT_EQ(attr("plain").text, "no \"template\" here");

  const Val list = eval(attr("list"));
  ASSERT_EQ(list.items.size(), 4u);
  EXPECT_EQ(list.items[0].text(), "3");
  EXPECT_EQ(list.items[2].type, Val::Type::Null);
  // Only bodies have comments: in a map value "//" is a key like any other.
  const Val map = eval(attr("map"));
  EXPECT_EQ(map.attrs.count("//"), 1u);
  EXPECT_EQ(map.attrs.at("k").text(), "us-central1");
}

TEST(TfJson, CommentsAreIgnored) {
  auto p = parse(R"({"//": "top", "resource": {"//": "types",
  "google_compute_network": {"//": "names", "a": {"//": "body", "name": "n",
    "log_config": {"//": "nested", "enable": true}}}}})");
  ASSERT_TRUE(p->file) << p->error.message;
  ASSERT_EQ(p->file->body.blocks.size(), 1u);
  const Block& a = p->file->body.blocks[0];
  EXPECT_EQ(a.labels, (std::vector<std::string>{"google_compute_network", "a"}));
  EXPECT_EQ(a.body.attributes.size(), 1u);
  ASSERT_EQ(a.body.blocks.size(), 1u);
  EXPECT_EQ(a.body.blocks[0].body.attributes.size(), 1u);
}

TEST(TfJson, VariablesAreLiteralAndTypesAreExpressions) {
  auto p = parse(R"J({"variable": {"v": {"type": "map(string)",
  "default": {"a": "${not.a.template}"},
  "validation": {"condition": "${length(var.v) > 0}", "error_message": "empty"}}}})J");
  ASSERT_TRUE(p->file) << p->error.message;
  const Block& v = p->file->body.blocks.at(0);
  EXPECT_EQ(v.body.attribute("type")->value->kind, ExprKind::Call);
  const Val d = eval(*v.body.attribute("default")->value);
  EXPECT_EQ(d.attrs.at("a").text(), "${not.a.template}");
  const Block* validation = find(v.body, "validation");
  ASSERT_TRUE(validation);
  EXPECT_EQ(validation->body.attribute("condition")->value->items.at(0)->kind, ExprKind::Binary);
}

TEST(TfJson, MalformedInputHasLocatedErrors) {
  struct Case {
    const char* text;
    const char* at;
  };
  const Case cases[] = {
      {"{\"resource\": {\n  \"a\": 1\n  \"b\": 2}}", "3:3"},  // missing comma
      {"[1, 2]", "1:1"},                                      // not an object
      {"{\"resource\": \"x\"}", "1:14"},                      // resource is a string
      {"{\"resource\": {\"t\": {\"n\": 5}}}", "1:26"},        // a body that is a number
      {"{\"resources\": {}}", "1:2"},                         // unknown top-level key
      {"{\"locals\": {\"a\": \"x-${var.b\"}}", "1:28"},       // unterminated: at the closing quote
      {"{\"locals\": {\"a\": \"%{ if true }x\"}}", "1:19"},   // no endif: at the `%{ if`
      {"{\"locals\": {\"a\": 1, \"a\": 2}}", "1:21"},         // defined twice
      {"{\"locals\": {\"a\": \"\\u0041${1 +}\"}}", "1:18"},   // escaped: the whole string
      {"{\"resource\": {\"t\": {\"n\": {\"depends_on\": [\"a b\"]}}}}", "1:45"},  // at `b`
  };
  for (const Case& c : cases) {
    auto p = parse(c.text);
    EXPECT_FALSE(p->file) << c.text;
    EXPECT_EQ(p->lineCol(p->error.span.begin), c.at) << c.text << ": " << p->error.message;
    EXPECT_FALSE(p->error.message.empty());
  }
}

TEST(TfJson, MalformedFileIsALocatedLbc001Finding) {
  lbcheck::testing::TempDir tmp;
  tmp.file("main.tf.json", "{\n  \"resource\": {\n    \"google_compute_network\": [1]\n  }\n}\n");
  tmp.file("terraform.tfvars.json", "{\"a\": }");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  std::set<std::string> seen;
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.ruleId, "LBC001") << f.message;
    const Location l = r.sources.get(f.span.file).locate(f.span.begin);
    seen.insert(fs::path(pathOf(r, f)).filename().string() + ":" + std::to_string(l.line) + ":" +
                std::to_string(l.column) + " " + f.message.substr(0, 21));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"main.tf.json:3:32 invalid Terraform JSO",
                                         "terraform.tfvars.json:1:7 invalid JSON variable"}));
}

TEST(TfJson, VariablesDefaultsTfvarsJsonLocalsCountForEachAndDynamicBlocks) {
  lbcheck::testing::TempDir tmp;
  tmp.file("variables.tf.json", R"({"variable": {
  "regions": {"default": ["us-central1", "europe-west1"]},
  "keep_alive": {"type": "number", "default": 600},
  "ports": {"default": [22, 80]}
}})");
  tmp.file("terraform.tfvars.json", R"({"keep_alive": 900})");
  tmp.file("main.tf.json", R"({
  "locals": {"suffix": "-proxy", "tags": {"a": 1}},
  "resource": {
    "google_compute_region_target_http_proxy": {
      "p": {
        "count": "${length(var.regions)}",
        "name": "p${count.index}${local.suffix}",
        "region": "${var.regions[count.index]}",
        "url_map": "regions/${var.regions[count.index]}/urlMaps/m",
        "http_keep_alive_timeout_sec": "${var.keep_alive}"
      },
      "q": {
        "for_each": "${local.tags}",
        "name": "q-${each.key}",
        "region": "us-central1",
        "url_map": "regions/us-central1/urlMaps/m",
        "http_keep_alive_timeout_sec": 2
      }
    },
    "google_compute_firewall": {
      "f": {
        "name": "f",
        "network": "default",
        "source_ranges": ["0.0.0.0/0"],
        "dynamic": {"allow": {"for_each": "${var.ports}",
                              "content": {"protocol": "tcp", "ports": ["${allow.value}"]}}}
      }
    }
  }
})");
  const auto r = lbcheck::testing::runOn({tmp.path()}, {"LB016", "NET009"});
  std::multiset<std::string> seen;
  for (const auto& f : r.findings) seen.insert(f.ruleId + " " + f.resource);
  EXPECT_EQ(seen.count("LB016 google_compute_region_target_http_proxy.p[0]"), 1u);
  EXPECT_EQ(seen.count("LB016 google_compute_region_target_http_proxy.p[1]"), 1u);
  EXPECT_EQ(seen.count("LB016 google_compute_region_target_http_proxy.q[\"a\"]"), 1u);
  EXPECT_EQ(seen.count("NET009 google_compute_firewall.f"), 1u);
  for (const Finding& f : r.findings) {
    if (f.ruleId != "LB016") continue;
    // The value from terraform.tfvars.json (900) points at the attribute that uses it.
    const std::string_view at = textAt(r, f.span);
    EXPECT_TRUE(at == "\"${var.keep_alive}\"" || at == "2") << at;
    if (at != "2") {
      EXPECT_NE(f.message.find("900"), std::string::npos) << f.message;
    }
  }
  const Finding* net009 = first(r, "NET009");
  ASSERT_TRUE(net009);
  EXPECT_EQ(textAt(r, net009->span), "\"0.0.0.0/0\"");
}

TEST(TfJson, ModuleCallWithALocalSourceAndMixedSyntax) {
  lbcheck::testing::TempDir tmp;
  fs::create_directories(fs::path(tmp.path()) / "modules" / "proxy");
  // The root mixes native and JSON syntax; the module is JSON only.
  tmp.file("main.tf", R"(
variable "keep" {
  default = 700
}
module "proxy" {
  source     = "./modules/proxy"
  keep_alive = var.keep
}
)");
  tmp.file("extra.tf.json", R"({"module": {"other": {"source": "./modules/proxy",
  "keep_alive": "${local.keep}", "name": "other"}}, "locals": {"keep": 1}})");
  tmp.file("modules/proxy/main.tf.json", R"({
  "variable": {"keep_alive": {}, "name": {"default": "proxy"}},
  "resource": {"google_compute_region_target_http_proxy": {"p": {
    "name": "${var.name}",
    "region": "us-central1",
    "url_map": "regions/us-central1/urlMaps/m",
    "http_keep_alive_timeout_sec": "${var.keep_alive}"
  }}}
})");
  const auto r = lbcheck::testing::runOn({tmp.path()}, {"LB016"});
  std::set<std::string> seen;
  for (const auto& f : r.findings) {
    seen.insert(f.resource + " " + fs::path(pathOf(r, f)).filename().string() + " " +
                std::string(textAt(r, f.span)));
  }
  EXPECT_EQ(seen, (std::set<std::string>{
                      "module.proxy.google_compute_region_target_http_proxy.p main.tf.json "
                      "\"${var.keep_alive}\"",
                      "module.other.google_compute_region_target_http_proxy.p main.tf.json "
                      "\"${var.keep_alive}\""}));
}

TEST(TfJson, NamedFilesAndVarFilesAreReadByTheirFullName) {
  lbcheck::testing::TempDir tmp;
  const std::string main = tmp.file("lb.tf.json", R"({
  "variable": {"keep": {"default": 600}},
  "resource": {"google_compute_region_target_http_proxy": {"p": {
    "name": "p", "region": "us-central1", "url_map": "regions/us-central1/urlMaps/m",
    "http_keep_alive_timeout_sec": "${var.keep}"}}}
})");
  const std::string vars = tmp.file("prod.tfvars.json", R"({"keep": 4})");
  // Named explicitly: read as Terraform, not as a JSON document lbcheck does not know.
  Options o;
  o.paths = {main};
  o.varFiles = {vars};
  o.onlyRules = {"LB016"};
  RunResult r;
  run(o, r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].ruleId, "LB016");
  EXPECT_NE(r.findings[0].message.find("is 4"), std::string::npos) << r.findings[0].message;
  // In a directory walk, a .tfvars.json Terraform does not load by itself is skipped.
  const auto walked = lbcheck::testing::runOn({tmp.path()}, {"LB016"});
  EXPECT_TRUE(walked.findings.empty());
  ASSERT_EQ(walked.skipped.size(), 1u);
  EXPECT_EQ(walked.skipped[0].why.reason, lbcheck::SkipReason::NotLoaded);
  EXPECT_EQ(fs::path(std::string(walked.sources.get(walked.skipped[0].file).path())).filename(),
            "prod.tfvars.json");
}

TEST(TfJson, SeedStackGivesTheSameFindingsAsItsTfTwin) {
  const auto tf = lbcheck::testing::runOn({"fixtures/plans/seed-broken-tf"});
  const auto json = lbcheck::testing::runOn({"fixtures/plans/seed-broken-tfjson"});
  std::set<std::string> rules;
  for (const Finding& f : tf.findings) rules.insert(f.ruleId);
  // The broken invariants fire (and the twin must not pass by saying nothing).
  for (const char* id : {"LB006", "LB016", "RUN002", "NET009"})
    EXPECT_EQ(rules.count(id), 1u) << id;
  EXPECT_EQ(meaning(tf), meaning(json));
  for (const Finding& f : json.findings) {
    const std::string path = pathOf(json, f);
    EXPECT_EQ(path.substr(path.size() - 8), ".tf.json") << f.ruleId << " " << path;
    EXPECT_GT(f.span.end, f.span.begin) << f.ruleId;
  }
  // Findings land on the JSON value.
  const Finding* lb006 = first(json, "LB006");
  ASSERT_TRUE(lb006);
  EXPECT_EQ(textAt(json, lb006->span), "60");
  const Finding* run002 = first(json, "RUN002");
  ASSERT_TRUE(run002);
  EXPECT_EQ(textAt(json, run002->span), "\"INGRESS_TRAFFIC_ALL\"");
  const Finding* lb016 = first(json, "LB016");
  ASSERT_TRUE(lb016);
  EXPECT_EQ(textAt(json, lb016->span), "\"${var.keep_alive}\"");
}

TEST(TfJson, PlanFindingsPointAtTheTfJsonSource) {
  Options o;
  o.paths = {"fixtures/plans/seed-mapped-fail/plan.json"};
  o.sourceDirs = {"fixtures/plans/seed-broken-tfjson"};
  RunResult r;
  run(o, r);
  const Finding* lb016 = first(r, "LB016");
  ASSERT_TRUE(lb016);
  EXPECT_EQ(fs::path(pathOf(r, *lb016)).filename(), "main.tf.json");
  EXPECT_EQ(textAt(r, lb016->span), "\"${var.keep_alive}\"");
  ASSERT_FALSE(lb016->related.empty());
  EXPECT_EQ(fs::path(r.sources.get(lb016->related.front().span.file).path()).filename(),
            "plan.json");
}
