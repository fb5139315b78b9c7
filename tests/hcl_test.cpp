// The HCL2 reader: every syntax form, the evaluator, malformed input with
// located errors, and .tf input end to end (modules, variables, mapping).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "helpers.h"
#include "parsers/hcl/eval.h"
#include "parsers/hcl/evalutil.h"
#include "parsers/hcl/parser.h"

using namespace lbcheck;
using namespace lbcheck::hcl;

namespace {

struct NoNames : Environment {
  Val get(const std::string& root, const std::string& attr, const Expr&) override {
    if (root == "var" && attr == "n") return Val::num(3);
    if (root == "var" && attr == "m") {
      Val m;
      m.type = Val::Type::Object;
      m.attrs["a"] = Val::string("x");
      return m;
    }
    if (root == "google_compute_network" && attr == "lb") {
      Val o;
      o.type = Val::Type::Object;
      o.open = true;
      o.refs = {"google_compute_network.lb"};
      o.attrs["name"] = Val::string("lb-net");
      return o;
    }
    return Val::unknown();
  }
};

struct Parsed {
  SourceManager sources;
  std::unique_ptr<File> file;
  SyntaxError error;
};

std::unique_ptr<Parsed> parse(const std::string& text) {
  auto p = std::make_unique<Parsed>();
  auto& f = p->sources.add("t.tf", text);
  p->file = parseFile(f, Limits{}, &p->error);
  return p;
}

/// Evaluates `expr` as the value of an attribute.
Val value(const std::string& expr) {
  auto p = parse("x = " + expr + "\n");
  EXPECT_TRUE(p->file) << expr << ": " << p->error.message;
  if (!p->file) return Val::error("parse");
  NoNames names;
  Evaluator ev(names);
  return ev.eval(*p->file->body.attributes.at(0).value);
}

std::string text(const std::string& expr) {
  const Val v = value(expr);
  EXPECT_TRUE(v.known()) << expr << " -> " << v.str;
  return v.text();
}

/// line:column of a syntax error.
std::string errorAt(const std::string& text) {
  auto p = parse(text);
  EXPECT_FALSE(p->file) << text;
  const Location l = p->sources.get(0).locate(p->error.span.begin);
  return std::to_string(l.line) + ":" + std::to_string(l.column);
}

}  // namespace

TEST(Hcl, BlocksAttributesAndComments) {
  auto p = parse(
      "# hash comment\n// slash comment\n/* block\n comment */\n"
      "resource \"google_compute_network\" \"lb\" {\n  name = \"n\" # trailing\n"
      "  nested { a = 1 }\n  labelled one \"two\" {\n  }\n}\nempty {}\n");
  ASSERT_TRUE(p->file) << p->error.message;
  const auto& blocks = p->file->body.blocks;
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].type, "resource");
  EXPECT_EQ(blocks[0].labels, (std::vector<std::string>{"google_compute_network", "lb"}));
  const Attribute* name = blocks[0].body.attribute("name");
  ASSERT_NE(name, nullptr);
  const SourceFile& f = p->sources.get(0);
  EXPECT_EQ(
      f.text().substr(name->value->span.begin, name->value->span.end - name->value->span.begin),
      "\"n\"");
  EXPECT_EQ(f.locate(name->nameSpan.begin).line, 6u);
  ASSERT_EQ(blocks[0].body.blocks.size(), 2u);
  EXPECT_EQ(blocks[0].body.blocks[1].labels, (std::vector<std::string>{"one", "two"}));
}

TEST(Hcl, Literals) {
  EXPECT_EQ(text("42"), "42");
  EXPECT_EQ(text("1.5e1"), "15");
  EXPECT_EQ(text("true"), "true");
  EXPECT_EQ(value("null").type, Val::Type::Null);
  EXPECT_EQ(text("\"a\\tb\\u00e9\\\"\""), "a\tb\xC3\xA9\"");
}

TEST(Hcl, TemplatesInterpolationAndDirectives) {
  EXPECT_EQ(text("\"n-${var.n}\""), "n-3");
  EXPECT_EQ(text("\"$${literal}\""), "${literal}");
  EXPECT_EQ(text("\"%{ if var.n > 2 }big%{ else }small%{ endif }\""), "big");
  EXPECT_EQ(text("\"%{ for x in [1, 2] }<${x}>%{ endfor }\""), "<1><2>");
  EXPECT_EQ(text("\"a ${~ \"b\" ~} c\""), "abc");
  EXPECT_EQ(value("\"${var.m}\"").type, Val::Type::Object);  // "${x}" is x itself
  EXPECT_FALSE(value("\"${var.unknown}-x\"").known());
}

TEST(Hcl, Heredocs) {
  EXPECT_EQ(text("<<EOT\nline ${var.n}\nEOT"), "line 3\n");
  EXPECT_EQ(text("<<-EOT\n    a\n      b\n    EOT"), "a\n  b\n");
}

TEST(Hcl, CollectionsAndAccess) {
  EXPECT_EQ(text("[1, 2, 3][1]"), "2");
  EXPECT_EQ(text("{ a = 1, \"b\" : 2 }.b"), "2");
  EXPECT_EQ(text("{\n  a = 1\n  b = { c = \"d\" }\n}[\"b\"].c"), "d");
  EXPECT_EQ(text("[[1, 2], [3]].1.0"), "3");  // legacy index
  EXPECT_EQ(text("length([{ a = 1 }, { a = 2 }][*].a)"), "2");
  EXPECT_EQ(text("join(\",\", [{ a = [1, 5] }, { a = [2, 6] }][*].a[1])"), "5,6");
  EXPECT_EQ(text("{ a = 7 }.*.a[0]"), "7");
}

// Inside parentheses and brackets HCL ignores line breaks, so an attribute
// access may continue on the next line (#21: a GKE module writes
// `(var.node_config.containerd_config` newline `.private_registry_access_config)`).
TEST(Hcl, TraversalContinuesOnTheNextLineInsideParenthesesAndBrackets) {
  EXPECT_EQ(text("({ a = { b = \"c\" } }.a\n  .b)"), "c");
  EXPECT_EQ(text("[[{ a = [7] }]\n  [0]\n  .a\n  [0]\n][0]"), "7");
  EXPECT_EQ(text("length(var.m\n  .a)"), "1");
  EXPECT_EQ(text("join(\",\", ([{ a = 1 }, { a = 2 }][*]\n  .a))"), "1,2");
  auto p = parse(
      "dynamic \"private_registry_access_config\" {\n"
      "  for_each = (var.node_config.containerd_config\n"
      "    .private_registry_access_config) == null ? [] : [1]\n"
      "  content {}\n"
      "}\n");
  EXPECT_TRUE(p->file) << p->error.message;
  // Outside brackets a line break still ends the attribute: `.b` starts nothing.
  EXPECT_EQ(errorAt("a = var.m\n  .b\n"), "2:3");
  EXPECT_EQ(errorAt("a = var.m[*].a\n  .b\n"), "2:3");
  // A splat's traversal ends at the line break; the next attribute follows
  // (terraform-google-lb-http's examples: `ssl_certificates = x[*].self_link`).
  auto next = parse("a = var.m[*].a\nb = 1\nc = (var.m[*]\n  .a)\nd = [var.m\n][0]\n");
  ASSERT_TRUE(next->file) << next->error.message;
  EXPECT_EQ(next->file->body.attributes.size(), 4u);
}

TEST(Hcl, OperatorsAndConditionals) {
  EXPECT_EQ(text("1 + 2 * 3"), "7");
  EXPECT_EQ(text("(1 + 2) * 3"), "9");
  EXPECT_EQ(text("-var.n % 2"), "-1");
  EXPECT_EQ(text("!(1 < 2) || 2 >= 2 && \"a\" != \"b\""), "true");
  EXPECT_EQ(text("var.n == 3 ? \"yes\" : \"no\""), "yes");
  EXPECT_EQ(text("var.unknown ? \"same\" : \"same\""), "same");
  EXPECT_FALSE(value("var.unknown ? 1 : 2").known());
}

TEST(Hcl, ForExpressions) {
  EXPECT_EQ(text("join(\",\", [for s in [\"a\", \"b\"] : upper(s)])"), "A,B");
  EXPECT_EQ(text("{ for k, v in { a = 1, b = 2 } : v => k if v > 1 }[\"2\"]"), "b");
  EXPECT_EQ(text("length({ for s in [\"a\", \"a\"] : s => s... }.a)"), "2");
}

TEST(Hcl, Functions) {
  EXPECT_EQ(text("format(\"%s-%03d\", \"x\", 7)"), "x-007");
  EXPECT_EQ(text("lower(\"AbC\")"), "abc");
  EXPECT_EQ(text("lookup({ a = 1 }, \"b\", 9)"), "9");
  EXPECT_EQ(text("try(var.m.b, \"fallback\")"), "fallback");
  EXPECT_EQ(text("coalesce(null, \"\", \"c\")"), "c");
  EXPECT_EQ(text("cidrsubnet(\"10.1.0.0/16\", 8, 2)"), "10.1.2.0/24");
  EXPECT_EQ(text("join(\"-\", concat([\"a\"], [\"b\"]))"), "a-b");
  EXPECT_EQ(text("replace(\"a.b.c\", \".\", \"/\")"), "a/b/c");
  EXPECT_EQ(text("max(1, 5, 3)"), "5");
  EXPECT_FALSE(value("timestamp()").known());
  EXPECT_FALSE(value("lower(var.unknown)").known());
}

// #21: functions modules use.
TEST(Hcl, MoreFunctionsModulesUse) {
  EXPECT_EQ(text("startswith(\"europe-west1\", \"europe-\")"), "true");
  EXPECT_EQ(text("endswith(\"web-neg\", \"-lb\")"), "false");
  EXPECT_EQ(text("trimprefix(\"projects/p\", \"projects/\")"), "p");
  EXPECT_EQ(text("trimsuffix(\"web-neg\", \"-neg\")"), "web");
  EXPECT_EQ(text("alltrue([true, \"true\"])"), "true");
  EXPECT_EQ(text("anytrue([false, false])"), "false");
  EXPECT_EQ(text("one([\"x\"])"), "x");
  EXPECT_FALSE(value("one([1, 2])").known());
  EXPECT_EQ(text("join(\",\", compact([\"a\", \"\", null, \"b\"]))"), "a,b");
  EXPECT_EQ(text("join(\",\", reverse([\"a\", \"b\"]))"), "b,a");
  EXPECT_EQ(text("index([\"a\", \"b\"], \"b\")"), "1");
  EXPECT_EQ(text("nonsensitive(\"s\")"), "s");
}

TEST(Hcl, NumbersBeyondTheIntegerRangeAreErrorsNotUndefinedBehaviour) {
  // The hcl fuzzer found cidrsubnet() converting 8e51 to int before its range
  // check; the same pattern is closed in every function that takes an index.
  EXPECT_FALSE(value("cidrsubnet(\"10.0.0.0/8\", 8e51, 1)").known());
  EXPECT_FALSE(value("cidrsubnet(\"10.0.0.0/8\", -8e51, 1)").known());
  EXPECT_FALSE(value("[\"a\"][1e300]").known());
  EXPECT_FALSE(value("element([\"a\"], 1e300 * 1e300)").known());
  EXPECT_EQ(text("element([\"a\", \"b\"], 3)"), "b");
  EXPECT_EQ(text("substr(\"abc\", 1, 1e300)"), "bc");
  EXPECT_EQ(text("substr(\"abc\", 1e300, 1)"), "");
}

TEST(Hcl, ReferencesBecomeEdges) {
  const Val name = value("google_compute_network.lb.name");
  EXPECT_EQ(name.text(), "lb-net");
  ASSERT_FALSE(name.refs.empty());
  EXPECT_EQ(name.refs.front(), "google_compute_network.lb");
  const Val id = value("google_compute_network.lb.id");
  EXPECT_FALSE(id.known());
  ASSERT_FALSE(id.refs.empty());
  EXPECT_EQ(id.refs.front(), "google_compute_network.lb");
}

TEST(Hcl, MalformedInputHasLocatedErrors) {
  EXPECT_EQ(errorAt("a = \n"), "1:5");                 // no value
  EXPECT_EQ(errorAt("a = \"unterminated\n"), "1:18");  // string across a line
  EXPECT_EQ(errorAt("block {\n  a = 1\n"), "3:1");     // unclosed block
  EXPECT_EQ(errorAt("a = [1, 2\n"), "2:1");            // unclosed tuple
  EXPECT_EQ(errorAt("a = 1 b = 2\n"), "1:7");          // two attributes on a line
  EXPECT_EQ(errorAt("a = 1\na = 2\n"), "2:1");         // duplicate attribute
  EXPECT_EQ(errorAt("/* never closed\n"), "1:1");
  EXPECT_EQ(errorAt("a = <<EOT\nno end\n"), "3:1");
  EXPECT_EQ(errorAt("a = \"%{ if true }x\"\n"), "1:6");  // no endif
  EXPECT_EQ(errorAt("a = \"\\q\"\n"), "1:6");            // bad escape
  EXPECT_EQ(errorAt("a = @\n"), "1:5");
}

TEST(Hcl, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "a = " + std::string(100000, '[') + "\n";
  EXPECT_FALSE(parse(deep)->file);
  std::string blocks;
  for (int i = 0; i < 5000; ++i) blocks += "b {\n";
  EXPECT_FALSE(parse(blocks)->file);
}

TEST(Hcl, EvaluationBudgetStopsRunawayExpressions) {
  // 2^20 elements: the budget ends it with an error value, quickly.
  EXPECT_EQ(text("length(flatten([for a in range(0) : 1]))"), "0");
  EXPECT_FALSE(value("length(flatten([for a in range(var.unknown) : 1]))").known());
  const Val big = value(
      "[for a in [for b in [1,2,3,4,5,6,7,8,9,10] : b] : [for c in "
      "[1,2,3,4,5,6,7,8,9,10] : [for d in [1,2,3,4,5,6,7,8,9,10] : [for e in "
      "[1,2,3,4,5,6,7,8,9,10] : [for f in [1,2,3,4,5,6,7,8,9,10] : f]]]]]");
  EXPECT_EQ(big.type, Val::Type::Error);
}

TEST(Terraform, SeedStackFromSourceMatchesThePlan) {
  const auto plan = lbcheck::testing::runOn({"fixtures/plans/seed-clean.tfplan.json"});
  const auto tf = lbcheck::testing::runOn({"fixtures/plans/seed-clean-tf"});
  std::vector<std::string> a, b;
  for (const auto& f : plan.findings) a.push_back(f.ruleId);
  for (const auto& f : tf.findings) b.push_back(f.ruleId);
  EXPECT_EQ(a, b);
  // Module resources carry their module path.
  bool module = false;
  for (const auto& r : tf.graph.resources())
    module = module || r.displayName == "module.lb.google_compute_forwarding_rule.http";
  EXPECT_TRUE(module);
}

TEST(Terraform, EveryPlanFindingCarriesItsTfLine) {
  const auto r = lbcheck::testing::runOn({"fixtures/plans/seed-mapped-fail"});
  bool lb016 = false;
  for (const auto& f : r.findings) {
    if (f.resource.empty()) continue;
    const std::string& path = r.sources.get(f.span.file).path();
    EXPECT_EQ(path.substr(path.size() - 3), ".tf") << f.ruleId << " at " << path;
    ASSERT_FALSE(f.related.empty());
    EXPECT_NE(r.sources.get(f.related.front().span.file).path().find("plan.json"),
              std::string::npos);
    lb016 = lb016 || f.ruleId == "LB016";
  }
  EXPECT_TRUE(lb016);
}

TEST(Terraform, ARootSharingAFewAddressesWithAPlanIsStillChecked) {
  // The plan's root and another, unrelated root that happens to use one of its
  // addresses (google_compute_network.lb_network): the other root's findings
  // are its own, not a plan's source to be silenced.
  lbcheck::testing::TempDir tmp;
  std::filesystem::copy_file(
      std::string(LBCHECK_SOURCE_DIR) + "/fixtures/plans/seed-clean.tfplan.json",
      tmp.path() + "/plan.json");
  std::filesystem::create_directories(tmp.path() + "/other");
  tmp.file("other/main.tf", R"(
resource "google_compute_network" "lb_network" {
  name                    = "other-net"
  auto_create_subnetworks = false
}
resource "google_compute_subnetwork" "legacy" {
  name          = "legacy-proxy"
  region        = "europe-west1"
  network       = google_compute_network.lb_network.id
  ip_cidr_range = "10.100.0.0/23"
  purpose       = "INTERNAL_HTTPS_LOAD_BALANCER"
  role          = "ACTIVE"
}
resource "google_compute_subnetwork" "apps" {
  name          = "apps"
  region        = "europe-west1"
  network       = google_compute_network.lb_network.id
  ip_cidr_range = "10.0.0.0/24"
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  bool net003 = false;
  for (const auto& f : r.findings)
    net003 =
        net003 || (f.ruleId == "NET003" &&
                   r.sources.get(f.span.file).path().find("other/main.tf") != std::string::npos);
  EXPECT_TRUE(net003);
}

TEST(Terraform, CountForEachAndDynamicBlocks) {
  lbcheck::testing::TempDir tmp;
  tmp.file("main.tf", R"(
variable "regions" {
  default = ["us-central1", "europe-west1"]
}
resource "google_compute_region_target_http_proxy" "p" {
  count                       = length(var.regions)
  name                        = "proxy-${count.index}"
  region                      = var.regions[count.index]
  url_map                     = "regions/${var.regions[count.index]}/urlMaps/m"
  http_keep_alive_timeout_sec = 700
}
resource "google_compute_region_target_http_proxy" "q" {
  for_each                    = toset(["a"])
  name                        = "q-${each.key}"
  region                      = "us-central1"
  url_map                     = "regions/us-central1/urlMaps/m"
  http_keep_alive_timeout_sec = 2
}
resource "google_compute_region_target_http_proxy" "unknown" {
  for_each                    = data.x.y.names
  name                        = each.key
  region                      = "us-central1"
  url_map                     = "regions/us-central1/urlMaps/m"
  http_keep_alive_timeout_sec = 900
}
resource "google_compute_firewall" "f" {
  name    = "f"
  network = "default"
  source_ranges = ["0.0.0.0/0"]
  dynamic "allow" {
    for_each = [22, 80]
    content {
      protocol = "tcp"
      ports    = [tostring(allow.value)]
    }
  }
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()}, {"LB016", "NET009"});
  std::multiset<std::string> seen;
  for (const auto& f : r.findings) seen.insert(f.ruleId + " " + f.resource);
  EXPECT_EQ(seen.count("LB016 google_compute_region_target_http_proxy.p[0]"), 1u);
  EXPECT_EQ(seen.count("LB016 google_compute_region_target_http_proxy.p[1]"), 1u);
  EXPECT_EQ(seen.count("LB016 google_compute_region_target_http_proxy.q[\"a\"]"), 1u);
  EXPECT_EQ(seen.count("LB016 google_compute_region_target_http_proxy.unknown[*]"), 1u);
  EXPECT_EQ(seen.count("NET009 google_compute_firewall.f"), 1u);
}

TEST(Terraform, DuplicateDeclarationsAreAnErrorAndTheFirstIsKept) {
  // Terraform rejects a module that declares an address twice ("Duplicate
  // resource ... configuration"); the files of one directory are one module.
  lbcheck::testing::TempDir tmp;
  tmp.file("a.tf", R"(resource "google_compute_subnetwork" "proxy" {
  name          = "proxy"
  region        = "us-central1"
  ip_cidr_range = "10.129.0.0/23"
  network       = google_compute_network.default.id
}

resource "google_compute_network" "default" {
  name                    = "net-a"
  auto_create_subnetworks = false
}

module "lb" {
  source = "./missing-a"
}
)");
  tmp.file("b.tf", R"(# a second copy of the same addresses
resource "google_compute_network" "default" {
  name = "net-b"
}

module "lb" {
  source = "./missing-b"
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  std::vector<const Finding*> dups;
  for (const auto& f : r.findings)
    if (f.ruleId == "LBC001") dups.push_back(&f);
  ASSERT_EQ(dups.size(), 2u);
  for (const Finding* f : dups) {
    EXPECT_EQ(f->severity, Severity::Error);
    EXPECT_EQ(std::filesystem::path(r.sources.get(f->span.file).path()).filename().string(),
              "b.tf");
    ASSERT_EQ(f->related.size(), 1u);
    EXPECT_EQ(
        std::filesystem::path(r.sources.get(f->related[0].span.file).path()).filename().string(),
        "a.tf");
  }
  auto at = [&](Span s) {
    const Location l = r.sources.get(s.file).locate(s.begin);
    return std::to_string(l.line) + ":" + std::to_string(l.column);
  };
  // The block headers: the second declarations in b.tf, the first ones in a.tf.
  EXPECT_EQ(at(dups[0]->span), "2:1");
  EXPECT_EQ(at(dups[0]->related[0].span), "8:1");
  EXPECT_NE(dups[0]->message.find("google_compute_network.default"), std::string::npos);
  EXPECT_NE(dups[0]->message.find("a.tf:8"), std::string::npos) << dups[0]->message;
  EXPECT_EQ(at(dups[1]->span), "6:1");
  EXPECT_EQ(at(dups[1]->related[0].span), "13:1");
  EXPECT_NE(dups[1]->message.find("module.lb"), std::string::npos);
  // Only the first network is kept, and the subnet links to it.
  int networks = 0;
  const Resource* subnet = nullptr;
  for (const Resource& res : r.graph.resources()) {
    if (res.id.kind == Kind::Network) {
      ++networks;
      EXPECT_EQ(res.id.name, "net-a");
    }
    if (res.id.kind == Kind::Subnetwork) subnet = &res;
  }
  EXPECT_EQ(networks, 1);
  ASSERT_NE(subnet, nullptr);
  const Resource* net = r.graph.target(subnet->field("network"));
  ASSERT_NE(net, nullptr);
  EXPECT_EQ(net->id.name, "net-a");
  // The kept module call is the first one: only its source is reported missing.
  int missing = 0;
  for (const auto& f : r.findings)
    if (f.ruleId == "LBC002") {
      ++missing;
      EXPECT_NE(f.message.find("missing-a"), std::string::npos) << f.message;
    }
  EXPECT_EQ(missing, 1);
}

// Terraform rejects a reference to an address the module does not declare; only
// a module read whole can tell, and only resource, data and module addresses count.
TEST(TerraformModule, UndeclaredAddressIsAnErrorWithTheClosestDeclaredOne) {
  lbcheck::testing::TempDir tmp;
  tmp.file("main.tf", R"(resource "google_compute_region_url_map" "urlmap" {
  name   = "map"
  region = "us-central1"
}

resource "google_compute_region_url_map" "other_map" {
  name   = "other"
  region = "us-central1"
}

resource "google_compute_region_target_http_proxy" "p" {
  name    = "p"
  region  = "us-central1"
  url_map = google_compute_region_url_map.url_map.id
  description = "${var.x}-${local.y}-${path.module}-${terraform.workspace}"
}

output "o" {
  value = module.lbb.id
}

module "lb" {
  source = "./missing"
}
)");
  auto r = lbcheck::testing::runOn({tmp.path()});
  std::vector<const Finding*> errors;
  for (const auto& f : r.findings)
    if (f.ruleId == "LBC001" && f.message.find("undeclared") != std::string::npos)
      errors.push_back(&f);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0]->severity, Severity::Error);
  EXPECT_NE(errors[0]->message.find("did you mean `google_compute_region_url_map.urlmap`?"),
            std::string::npos)
      << errors[0]->message;
  ASSERT_EQ(errors[0]->related.size(), 1u);
  EXPECT_EQ(
      r.sources.get(errors[0]->related[0].span.file).locate(errors[0]->related[0].span.begin).line,
      1u);
  EXPECT_NE(errors[1]->message.find("undeclared module call `module.lbb`"), std::string::npos)
      << errors[1]->message;
  EXPECT_NE(errors[1]->message.find("did you mean `module.lb`?"), std::string::npos)
      << errors[1]->message;

  // The same file given alone, while its directory holds another .tf file that
  // may declare the address: nothing can be said.
  tmp.file("more.tf", "# declares nothing, but lbcheck is not given it\n");
  r = lbcheck::testing::runOn({tmp.path() + "/main.tf"});
  for (const auto& f : r.findings)
    EXPECT_EQ(f.message.find("undeclared"), std::string::npos) << f.message;
}

// #21: OpenTofu reads `.tofu` files as `.tf`, and `x.tofu` replaces `x.tf` in
// the same module.
TEST(Terraform, TofuFilesAreReadAndReplaceTfFilesOfTheSameName) {
  const auto r = lbcheck::testing::runOn({"fixtures/plans/tofu-override"});
  std::vector<std::string> keepAlive;
  for (const Resource& res : r.graph.resources()) {
    if (res.displayName == "google_compute_region_target_http_proxy.http_proxy")
      keepAlive.push_back(std::string(r.sources.get(res.header.file).path()));
  }
  EXPECT_EQ(keepAlive, std::vector<std::string>{"fixtures/plans/tofu-override/main.tofu"});
  EXPECT_NE(lbcheck::testing::byAddress(r.graph, "google_compute_network.lb_network"), nullptr);
  for (const Finding& f : r.findings) {
    EXPECT_NE(f.ruleId, "LBC001") << f.message;  // no duplicate declaration of http_proxy
    EXPECT_EQ(r.sources.get(f.span.file).path(), "fixtures/plans/tofu-override/main.tofu");
  }
  // Named alone, a .tofu file is Terraform.
  const auto named = lbcheck::testing::runOn({"fixtures/plans/tofu-override/network.tofu"});
  EXPECT_TRUE(named.skipped.empty());
  EXPECT_NE(lbcheck::testing::byAddress(named.graph, "google_compute_network.lb_network"), nullptr);
}

// #21: registry and git modules are read where `terraform init` installed them
// (.terraform/modules/modules.json: Key -> Dir, nested keys "a.b"), never fetched.
TEST(Terraform, InstalledModulesAreReadFromTheModuleManifest) {
  const auto r = lbcheck::testing::runOn({"fixtures/plans/modules-installed"});
  // The registry module's resources and the git module it calls (key "lb.negs").
  const Resource* proxy = lbcheck::testing::byAddress(
      r.graph, "module.lb.google_compute_region_target_http_proxy.http_proxy");
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(proxy->id.name, "shop-http-proxy");
  EXPECT_EQ(proxy->id.scope.name, "europe-west1");
  const Resource* neg = lbcheck::testing::byAddress(
      r.graph, "module.lb.module.negs.google_compute_region_network_endpoint_group.neg");
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(neg->id.name, "shop-neg");
  // The backend service's group is the git module's output: resolved to the NEG.
  const Resource* backend = lbcheck::testing::byAddress(
      r.graph, "module.lb.google_compute_region_backend_service.backend");
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(r.graph.target(backend->field("backends[0].group")), neg);
  // A finding inside the installed module points at the module's file and at
  // the call the user owns (main.tf, `module "lb"`), for a nested module too.
  auto line = [&](Span s) { return r.sources.get(s.file).locate(s.begin).line; };
  auto file = [&](Span s) {
    return std::filesystem::path(r.sources.get(s.file).path()).filename().string();
  };
  int keepAlive = 0, negNotes = 0;
  for (const Finding& f : r.findings) {
    if (f.ruleId == "LB016") {
      ++keepAlive;
      EXPECT_NE(r.sources.get(f.span.file).path().find(".terraform/modules/lb/"),
                std::string::npos);
      ASSERT_FALSE(f.related.empty());
      EXPECT_EQ(file(f.related[0].span), "main.tf");
      EXPECT_EQ(line(f.related[0].span), 30u);
    }
    if (f.ruleId == "NEG005") {
      ++negNotes;
      ASSERT_FALSE(f.related.empty());
      EXPECT_EQ(line(f.related[0].span), 30u);  // lb's call, not negs' inside lb
    }
  }
  EXPECT_EQ(keepAlive, 1);
  EXPECT_EQ(negNotes, 1);
  // A source that was never installed is noted once, not once per call.
  std::vector<const Finding*> notInstalled;
  for (const Finding& f : r.findings)
    if (f.message.find("not installed") != std::string::npos) notInstalled.push_back(&f);
  ASSERT_EQ(notInstalled.size(), 1u);
  EXPECT_NE(notInstalled[0]->message.find("monitoring_a"), std::string::npos);
  EXPECT_NE(notInstalled[0]->help.find("terraform init"), std::string::npos);
}

// A manifest that cannot be read is a located warning, not a crash, and the
// run goes on with the root module's own resources.
TEST(Terraform, BrokenModuleManifestIsALocatedWarning) {
  lbcheck::testing::TempDir tmp;
  tmp.file("main.tf", R"(resource "google_compute_network" "net" {
  name = "net"
}

module "lb" {
  source = "example-org/lb/google"
}
)");
  std::filesystem::create_directories(std::filesystem::path(tmp.path()) / ".terraform/modules");
  tmp.file(".terraform/modules/modules.json", "{\"Modules\": [ {\"Key\": \"lb\", ");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  EXPECT_NE(lbcheck::testing::byAddress(r.graph, "google_compute_network.net"), nullptr);
  int warnings = 0;
  for (const Finding& f : r.findings)
    if (f.ruleId == "LBC002" && f.severity == Severity::Warning) {
      ++warnings;
      EXPECT_NE(f.message.find("module manifest"), std::string::npos) << f.message;
      EXPECT_NE(r.sources.get(f.span.file).path().find("modules.json"), std::string::npos);
    }
  EXPECT_EQ(warnings, 1);
}

// #21: each root module is a deployment of its own. Both roots evaluate the
// shared module (same addresses, names known only at apply time); their
// subnets do not meet, while an overlap inside one root is still an error.
TEST(Terraform, RootModulesAreSeparateDeployments) {
  const auto r = lbcheck::testing::runOn({"fixtures/plans/two-roots"});
  int subnets = 0;
  for (const Resource& res : r.graph.resources())
    if (res.id.kind == Kind::Subnetwork && res.mergedInto < 0) ++subnets;
  EXPECT_EQ(subnets, 3);  // dev's and prod's module subnet, prod's extra one
  std::vector<const Finding*> overlaps;
  for (const Finding& f : r.findings)
    if (f.ruleId == "NET007") overlaps.push_back(&f);
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_NE(overlaps[0]->message.find("prod-subnet"), std::string::npos) << overlaps[0]->message;
  EXPECT_NE(overlaps[0]->message.find("prod-extra"), std::string::npos);
  EXPECT_EQ(overlaps[0]->message.find("dev-subnet"), std::string::npos);
}

// #21: input values are converted to the variable's type as Terraform does:
// optional() attributes filled in (with their defaults, or null) at every
// depth, attributes the type does not declare dropped, "80" read as a number.
TEST(Terraform, VariablesAreConvertedToTheirTypeConstraints) {
  lbcheck::testing::TempDir tmp;
  tmp.file("main.tf", R"(variable "backends" {
  type = map(object({
    port    = optional(number, 80)
    timeout = optional(number)
    negs = optional(list(object({
      region  = string
      service = optional(string, "web")
    })), [])
  }))
}

variable "keep_alive" {
  type    = number
  default = "620"
}

resource "google_compute_region_network_endpoint_group" "neg" {
  for_each              = var.backends
  name                  = "${each.key}-${each.value.port}-${each.value.timeout == null ? "none" : each.value.timeout}-${length(each.value.negs)}"
  region                = "us-central1"
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = length(each.value.negs) > 0 ? each.value.negs[0].service : "default"
  }
}

resource "google_compute_region_target_http_proxy" "proxy" {
  name                        = "proxy-${var.keep_alive + 1}"
  region                      = "us-central1"
  url_map                     = "map"
  http_keep_alive_timeout_sec = var.keep_alive
}
)");
  tmp.file("terraform.tfvars", R"(backends = {
  api = {}
  web = { port = "8080", timeout = 30, negs = [{ region = "us-central1" }], extra = true }
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  const Resource* api = lbcheck::testing::byAddress(
      r.graph, "google_compute_region_network_endpoint_group.neg[\"api\"]");
  const Resource* web = lbcheck::testing::byAddress(
      r.graph, "google_compute_region_network_endpoint_group.neg[\"web\"]");
  ASSERT_NE(api, nullptr);
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(api->id.name, "api-80-none-0");  // both defaults, a null, an empty list
  EXPECT_EQ(web->id.name, "web-8080-30-1");  // "8080" converted to a number
  EXPECT_TRUE(api->field("cloudRun.service").is("default"));
  EXPECT_TRUE(web->field("cloudRun.service").is("web"));  // the nested optional's default
  const Resource* proxy =
      lbcheck::testing::byAddress(r.graph, "google_compute_region_target_http_proxy.proxy");
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(proxy->id.name, "proxy-621");
}

// #21: a variable's validation that is false is what `terraform plan` rejects:
// an error at the value, with the condition as a related location. A true or
// unknown condition says nothing.
TEST(Terraform, InstancesOverAnUnknownCollectionAreSaidOnceAndCheckedAsOne) {
  lbcheck::testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/modules/negs");
  tmp.file("modules/negs/main.tf", R"(
variable "regions" { type = set(string) }
resource "google_compute_region_network_endpoint_group" "neg" {
  for_each              = var.regions
  name                  = "neg-${each.key}"
  region                = each.key
  network_endpoint_type = "SERVERLESS"
  cloud_run { service = "api" }
}
)");
  // Two calls whose regions are unknown (a variable without value), one whose are known.
  tmp.file("main.tf", R"(
variable "regions" { type = set(string) }
module "a" {
  source  = "./modules/negs"
  regions = var.regions
}
module "b" {
  source  = "./modules/negs"
  regions = var.regions
}
module "c" {
  source  = "./modules/negs"
  regions = ["europe-west1"]
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  std::vector<std::string> said;
  for (const Finding& f : r.findings)
    if (f.ruleId == "LBC004" && f.message.find("not known before apply") != std::string::npos)
      said.push_back(f.message);
  ASSERT_EQ(said.size(), 1u);  // one place in the module, however many calls
  EXPECT_NE(said[0].find("`module.a.google_compute_region_network_endpoint_group.neg[*]`"),
            std::string::npos)
      << said[0];
  std::vector<std::string> negs;
  for (const Resource& res : r.graph.resources())
    if (res.id.kind == Kind::NetworkEndpointGroup) negs.push_back(res.displayName);
  std::sort(negs.begin(), negs.end());
  EXPECT_EQ(negs,
            (std::vector<std::string>{
                "module.a.google_compute_region_network_endpoint_group.neg[*]",
                "module.b.google_compute_region_network_endpoint_group.neg[*]",
                "module.c.google_compute_region_network_endpoint_group.neg[\"europe-west1\"]"}));
}

TEST(Terraform, ModuleShapesGiveTheResourcesWrittenByHand) {
  std::filesystem::current_path(LBCHECK_SOURCE_DIR);
  // What --print-graph prints for each resource, without its file location.
  const auto printed = lbcheck::testing::runCommand(std::string(LBCHECK_BINARY) +
                                                    " --print-graph fixtures/plans/module-shapes");
  std::vector<std::string> got;
  std::istringstream lines(printed.out);
  for (std::string line; std::getline(lines, line) && !line.empty();) {
    if (line[0] == ' ') continue;  // a reference of the resource above
    got.push_back(line.substr(0, line.rfind("  ")));
  }
  std::vector<std::string> want;
  std::ifstream expected("fixtures/plans/module-shapes.resources");
  for (std::string line; std::getline(expected, line);)
    if (!line.empty() && line[0] != '#') want.push_back(line);
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);

  // The optional() defaults and conversions reach the fields.
  const auto r = lbcheck::testing::runOn({"fixtures/plans/module-shapes"});
  std::map<std::string, const Resource*> backends;
  for (const Resource& res : r.graph.resources())
    if (res.id.kind == Kind::BackendService) backends[res.id.name] = &res;
  ASSERT_EQ(backends.size(), 2u);
  EXPECT_EQ(backends["api-backend"]->field("timeoutSec").text, "30");  // optional(number, 30)
  EXPECT_EQ(backends["web-backend"]->field("timeoutSec").text, "45");  // "45" became a number
  std::vector<std::string> errors;
  for (const Finding& f : r.findings)
    if (f.severity == Severity::Error)
      errors.push_back(f.ruleId + "@" +
                       std::to_string(r.sources.get(f.span.file).locate(f.span.begin).line));
  // The failing validation at the value the root passes (main.tf:24), and web's
  // written timeout, which a serverless NEG backend ignores (LB006, the module's main.tf:21).
  std::sort(errors.begin(), errors.end());
  EXPECT_EQ(errors, (std::vector<std::string>{"LB006@21", "LBC001@24"}));
}

TEST(Terraform, AFailingValidationIsAnErrorAtTheValue) {
  lbcheck::testing::TempDir tmp;
  tmp.file("main.tf", R"(variable "region" {
  type = string
  validation {
    condition     = startswith(var.region, "europe-")
    error_message = "Only European regions are allowed."
  }
}

variable "prefix" {
  type    = string
  default = "web"
  validation {
    condition     = length(var.prefix) <= 10
    error_message = "Too long."
  }
}

variable "project" {
  type = string
  validation {
    condition     = length(var.project) > 3
    error_message = "Unknown here."
  }
}
)");
  tmp.file("terraform.tfvars", "region = \"us-central1\"\n");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  std::vector<const Finding*> failed;
  for (const Finding& f : r.findings)
    if (f.message.find("fails its validation") != std::string::npos) failed.push_back(&f);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]->severity, Severity::Error);
  EXPECT_NE(failed[0]->message.find("`region`"), std::string::npos);
  EXPECT_NE(failed[0]->message.find("Only European regions are allowed."), std::string::npos);
  EXPECT_EQ(std::filesystem::path(r.sources.get(failed[0]->span.file).path()).filename(),
            "terraform.tfvars");
  ASSERT_EQ(failed[0]->related.size(), 1u);
  EXPECT_EQ(std::filesystem::path(r.sources.get(failed[0]->related[0].span.file).path()).filename(),
            "main.tf");
}

// #21: the functions module libraries use, checked against Terraform's documented results.
TEST(Hcl, EncodingFunctions) {
  EXPECT_EQ(text("jsonencode({ b = [1, true, null], a = \"x<y\" })"),
            "{\"a\":\"x\\u003cy\",\"b\":[1,true,null]}");
  EXPECT_EQ(text("jsondecode(\"{\\\"a\\\": [1, 2.5, \\\"s\\\"]}\").a[2]"), "s");
  EXPECT_EQ(text("jsondecode(\"{\\\"a\\\": [1, 2.5]}\").a[1]"), "2.5");
  EXPECT_EQ(value("jsondecode(\"{\")").type, Val::Type::Error);
  EXPECT_EQ(text("yamldecode(\"a: 1\\nb:\\n  - x\\n  - y\\n\").b[1]"), "y");
  EXPECT_EQ(text("yamldecode(\"port: 80-80\").port"), "80-80");  // a string, as in YAML 1.2
  EXPECT_EQ(value("yamldecode(\"\")").type, Val::Type::Null);
  EXPECT_EQ(value("yamldecode(\"a: 1\\n---\\nb: 2\\n\")").type, Val::Type::Error);  // two documents
  EXPECT_EQ(text("yamlencode({ a = \"b\", c = \"d\" })"), "\"a\": \"b\"\n\"c\": \"d\"\n");
  EXPECT_EQ(text("yamlencode({ foo = [1, { a = \"b\", c = \"d\" }, 3], bar = \"baz\" })"),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n");
  // What yamlencode writes, yamldecode reads back.
  EXPECT_EQ(text("yamldecode(yamlencode({ x = { y = [\"p\", \"q\"] } })).x.y[1]"), "q");
  EXPECT_EQ(text("base64encode(\"Hello World\")"), "SGVsbG8gV29ybGQ=");
  EXPECT_EQ(text("base64encode(\"ab\")"), "YWI=");
  EXPECT_FALSE(value("jsonencode(var.unknown)").known());
}

TEST(Hcl, HashesMatchKnownVectors) {
  EXPECT_EQ(text("md5(\"\")"), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(text("md5(\"hello world\")"), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(text("sha256(\"\")"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(text("sha256(\"hello world\")"),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  // Lengths around the padding boundary (55, 56, 64 bytes).
  EXPECT_EQ(hcl::detail::sha256Hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(hcl::detail::md5Hex(std::string(64, 'a')), "014842d480b571495a4a0363793f7367");
  EXPECT_EQ(hcl::detail::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Hcl, CollectionFunctions) {
  EXPECT_EQ(text("jsonencode(range(3))"), "[0,1,2]");
  EXPECT_EQ(text("jsonencode(range(1, 4))"), "[1,2,3]");
  EXPECT_EQ(text("jsonencode(range(4, 1))"), "[4,3,2]");
  EXPECT_EQ(text("jsonencode(range(0, 10, 3))"), "[0,3,6,9]");
  EXPECT_EQ(text("jsonencode(range(1, 2, 0.5))"), "[1,1.5]");
  EXPECT_EQ(value("range(0, 1, 0)").type, Val::Type::Error);
  EXPECT_EQ(value("range(1e300)").type, Val::Type::Error);  // more than 1024 numbers
  EXPECT_EQ(value("range(1025)").type, Val::Type::Error);
  EXPECT_EQ(text("length(range(1024))"), "1024");
  EXPECT_EQ(text("jsonencode(setunion([\"b\", \"a\"], [\"c\", \"a\"]))"), "[\"a\",\"b\",\"c\"]");
  EXPECT_EQ(text("jsonencode(setintersection([\"a\", \"b\"], [\"b\", \"c\"], [\"b\"]))"),
            "[\"b\"]");
  EXPECT_EQ(text("jsonencode(setsubtract([\"a\", \"b\", \"c\"], [\"a\", \"c\"]))"), "[\"b\"]");
  EXPECT_EQ(text("jsonencode(coalescelist([], [\"x\"], [\"y\"]))"), "[\"x\"]");
  EXPECT_EQ(value("coalescelist([], [])").type, Val::Type::Error);
  EXPECT_EQ(text("jsonencode(formatlist(\"Hello, %s!\", [\"Valentina\", \"Ander\"]))"),
            "[\"Hello, Valentina!\",\"Hello, Ander!\"]");
  EXPECT_EQ(text("jsonencode(formatlist(\"%s, %s!\", \"Salutations\", [\"A\", \"B\"]))"),
            "[\"Salutations, A!\",\"Salutations, B!\"]");
  EXPECT_EQ(value("formatlist(\"%s%s\", [\"a\"], [\"b\", \"c\"])").type, Val::Type::Error);
}

TEST(Hcl, RegularExpressions) {
  EXPECT_EQ(text("regex(\"[a-z]+\", \"53453453.345345aaabbbccc23454\")"), "aaabbbccc");
  EXPECT_EQ(text("jsonencode(regex(\"(\\\\d\\\\d\\\\d\\\\d)-(\\\\d\\\\d)-(\\\\d\\\\d)\", "
                 "\"2019-02-01\"))"),
            "[\"2019\",\"02\",\"01\"]");
  EXPECT_EQ(text("regex(\"^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?\", "
                 "\"https://terraform.io/docs/\").authority"),
            "terraform.io");
  EXPECT_EQ(text("jsonencode(regexall(\"[a-z]+\", \"1234abcd5678efgh9\"))"), "[\"abcd\",\"efgh\"]");
  EXPECT_EQ(text("length(regexall(\"[a-z]+\", \"123456789\"))"), "0");
  EXPECT_EQ(text("jsonencode(regexall(\"x*\", \"abc\"))"), "[\"\",\"\",\"\",\"\"]");  // as Go
  EXPECT_EQ(text("jsonencode(regex(\"(a)|(b)\", \"b\"))"),
            "[null,\"b\"]");  // a group that did not take part
  EXPECT_EQ(value("regex(\"z\", \"abc\")").type, Val::Type::Error);           // no match
  EXPECT_EQ(value("regex(\"(?P<a>x)(y)\", \"xy\")").type, Val::Type::Error);  // mixed groups
  // What RE2 does not support (backreferences, lookahead) is unknown, not an error.
  EXPECT_EQ(value("regex(\"(a)\\\\1\", \"aa\")").type, Val::Type::Unknown);
  EXPECT_EQ(value("regex(\"a(?=b)\", \"ab\")").type, Val::Type::Unknown);
}

TEST(Hcl, AddressAndPathFunctions) {
  EXPECT_EQ(text("cidrhost(\"10.12.112.0/20\", 16)"), "10.12.112.16");
  EXPECT_EQ(text("cidrhost(\"10.12.112.0/20\", 268)"), "10.12.113.12");
  EXPECT_EQ(text("cidrhost(\"10.0.0.0/24\", -1)"), "10.0.0.255");
  EXPECT_EQ(value("cidrhost(\"10.0.0.0/24\", 256)").type, Val::Type::Error);
  EXPECT_EQ(value("cidrhost(\"10.0.0.0/24\", 1e300)").type, Val::Type::Error);
  EXPECT_EQ(text("cidrnetmask(\"172.16.0.0/12\")"), "255.240.0.0");
  EXPECT_EQ(text("cidrnetmask(\"10.0.0.0/32\")"), "255.255.255.255");
  EXPECT_EQ(text("cidrnetmask(\"0.0.0.0/0\")"), "0.0.0.0");
  EXPECT_FALSE(value("cidrhost(\"fd00::/64\", 1)").known());  // IPv6: not evaluated
  EXPECT_EQ(text("basename(\"foo/bar/baz.txt\")"), "baz.txt");
  EXPECT_EQ(text("basename(\"foo/bar/\")"), "bar");
  EXPECT_EQ(text("dirname(\"foo/bar/baz.txt\")"), "foo/bar");
  EXPECT_EQ(text("dirname(\"baz.txt\")"), ".");
  EXPECT_EQ(text("dirname(\"/baz.txt\")"), "/");
  EXPECT_EQ(text("pathexpand(\"/etc/resolv.conf\")"), "/etc/resolv.conf");
  EXPECT_FALSE(value("pathexpand(\"~/.ssh/id_rsa\")").known());  // whose home?
  EXPECT_FALSE(value("abspath(\"x\")").known());                 // no file access here
}

namespace {

/// Evaluates `expr` with the files under `root` readable, relative paths from `cwd`.
Val valueWithFiles(const std::string& expr, const std::string& root, const std::string& cwd,
                   SourceManager& sources) {
  auto& f = sources.add("t.tf", "x = " + expr + "\n");
  SyntaxError error;
  auto file = parseFile(f, Limits{}, &error);
  EXPECT_TRUE(file) << expr << ": " << error.message;
  if (!file) return Val::error("parse");
  NoNames names;
  auto files = diskFiles(sources, {root}, cwd);
  Evaluator ev(names, EvalLimits{}, files.get());
  return ev.eval(*file->body.attributes.at(0).value);
}

}  // namespace

TEST(Hcl, FileFunctionsReadInsideTheInputsOnly) {
  lbcheck::testing::TempDir tmp;
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(tmp.path()) / "repo/mod/lbs/deep");
  tmp.file("repo/mod/lbs/a.yaml", "name: a\nport: 80\n");
  tmp.file("repo/mod/lbs/b.yaml", "name: b\n");
  tmp.file("repo/mod/lbs/deep/c.yaml", "name: c\n");
  tmp.file("repo/mod/lbs/notes.txt", "x");
  tmp.file("repo/mod/hello.tftpl", "Hello, ${name}!%{ for p in ports } ${p}%{ endfor }");
  tmp.file("repo/mod/bad.txt", "\xff\xfe");
  tmp.file("secret.txt", "do not read");
  const std::string root = tmp.path() + "/repo";
  const std::string cwd = root + "/mod";
  auto eval = [&](const std::string& expr) {
    SourceManager sources;
    return valueWithFiles(expr, root, cwd, sources);
  };
  auto text = [&](const std::string& expr) {
    const Val v = eval(expr);
    EXPECT_TRUE(v.known()) << expr << " -> " << v.str;
    return v.text();
  };
  EXPECT_EQ(text("file(\"lbs/b.yaml\")"), "name: b\n");
  EXPECT_EQ(text("yamldecode(file(\"lbs/a.yaml\")).port"), "80");
  EXPECT_EQ(text("fileexists(\"lbs/a.yaml\")"), "true");
  EXPECT_EQ(text("fileexists(\"lbs/none.yaml\")"), "false");
  EXPECT_EQ(text("jsonencode(fileset(\".\", \"lbs/*.yaml\"))"), "[\"lbs/a.yaml\",\"lbs/b.yaml\"]");
  EXPECT_EQ(text("jsonencode(fileset(\"lbs\", \"**/*.yaml\"))"),
            "[\"a.yaml\",\"b.yaml\",\"deep/c.yaml\"]");
  EXPECT_EQ(text("jsonencode(fileset(\"lbs\", \"{a,b}.*\"))"), "[\"a.yaml\",\"b.yaml\"]");
  EXPECT_EQ(text("jsonencode(fileset(\"lbs\", \"[ab].yaml\"))"), "[\"a.yaml\",\"b.yaml\"]");
  EXPECT_EQ(text("jsonencode(fileset(\"lbs\", \"[^a]*\"))"), "[\"b.yaml\",\"notes.txt\"]");
  EXPECT_EQ(text("length(fileset(\"nowhere\", \"*\"))"), "0");
  EXPECT_EQ(text("templatefile(\"hello.tftpl\", { name = \"lb\", ports = [80, 443] })"),
            "Hello, lb! 80 443");
  EXPECT_EQ(text("filemd5(\"lbs/notes.txt\")"), "9dd4e461268c8034f5c8564e155c67a6");
  EXPECT_EQ(text("abspath(\"lbs/../x\")"), fs::weakly_canonical(cwd).generic_string() + "/x");
  EXPECT_EQ(eval("file(\"lbs/none.yaml\")").type, Val::Type::Error);  // Terraform fails too
  EXPECT_EQ(eval("file(\"bad.txt\")").type, Val::Type::Error);        // not UTF-8
  EXPECT_EQ(eval("templatefile(\"hello.tftpl\", { name = \"x\" })").type, Val::Type::Error);
  // Outside the inputs: unknown, and nothing is read.
  for (const char* outside :
       {"file(\"../../secret.txt\")",
        "file(\"" /* absolute */ "/etc/passwd\")", "fileexists(\"../../secret.txt\")",
        "fileset(\"../..\", \"*.txt\")", "filemd5(\"/etc/hostname\")",
        "templatefile(\"../../secret.txt\", {})"}) {
    SourceManager sources;
    const Val v = valueWithFiles(outside, root, cwd, sources);
    EXPECT_EQ(v.type, Val::Type::Unknown) << outside;
    for (uint32_t id = 0; id < 8; ++id) {
      if (const SourceFile* f = sources.find(id)) {
        EXPECT_EQ(f->path().find("secret"), std::string::npos) << outside;
      }
    }
  }
  // A symbolic link inside that points outside is outside.
  std::error_code ec;
  fs::create_symlink(tmp.path() + "/secret.txt", cwd + "/link.txt", ec);
  if (!ec) {
    EXPECT_EQ(eval("file(\"link.txt\")").type, Val::Type::Unknown);
  }
  // Without file access (a Markdown snippet, a test environment) they are unknown.
  EXPECT_FALSE(value("file(\"main.tf\")").known());
  EXPECT_FALSE(value("fileset(\".\", \"*\")").known());
}

TEST(Hcl, GlobMatching) {
  bool ok = true;
  EXPECT_TRUE(hcl::detail::globMatch("*.yaml", "a.yaml", &ok));
  EXPECT_FALSE(hcl::detail::globMatch("*.yaml", "d/a.yaml", &ok));  // * stops at /
  EXPECT_TRUE(hcl::detail::globMatch("**/*.yaml", "a.yaml", &ok));  // ** may be no directory
  EXPECT_TRUE(hcl::detail::globMatch("**/*.yaml", "d/e/a.yaml", &ok));
  EXPECT_TRUE(hcl::detail::globMatch("a?c", "abc", &ok));
  EXPECT_FALSE(hcl::detail::globMatch("a?c", "a/c", &ok));
  EXPECT_TRUE(hcl::detail::globMatch("[a-c]x", "bx", &ok));
  EXPECT_TRUE(hcl::detail::globMatch("{x,y}/{1,2}", "y/2", &ok));
  EXPECT_TRUE(ok);
  // Hostile patterns end quickly, with no match rather than a hang.
  const std::string stars(1000, '*');
  EXPECT_FALSE(hcl::detail::globMatch(stars + "b", std::string(4000, 'a'), &ok));
  std::string braces;
  for (int i = 0; i < 20; ++i) braces += "{a,b}";
  EXPECT_FALSE(hcl::detail::globMatch(braces, "ab", &ok));
  EXPECT_FALSE(ok);  // too many alternatives: refused
  EXPECT_FALSE(hcl::detail::globMatch("[abc", "a", &ok));
}

// Terraform 1.1+: a variable declared `nullable = false` takes its default
// when a module call passes null; without it, null is the value.
TEST(Terraform, NonNullableVariableTakesItsDefaultForNull) {
  lbcheck::testing::TempDir tmp;
  std::filesystem::create_directories(std::filesystem::path(tmp.path()) / "mod");
  tmp.file("mod/main.tf", R"(variable "region" {
  default  = "europe-west1"
  nullable = false
  validation {
    condition     = var.region == "europe-west1"
    error_message = "non-nullable region"
  }
}
variable "zone" {
  default = "europe-west1-b"
  validation {
    condition     = var.zone == "europe-west1-b"
    error_message = "nullable zone"
  }
}
)");
  tmp.file("main.tf", R"(module "m" {
  source = "./mod"
  region = null
  zone   = null
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  std::vector<std::string> failed;
  for (const Finding& f : r.findings)
    if (f.message.find("fails its validation") != std::string::npos) failed.push_back(f.message);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].find("nullable zone"), std::string::npos) << failed[0];
}

// #21: hostile arguments end quickly with a value, an error or unknown; never
// a hang, a crash or unbounded memory.
TEST(Hcl, NewFunctionsSurviveHostileArguments) {
  const auto start = std::chrono::steady_clock::now();
  // Catastrophic backtracking for a backtracking engine; RE2 is linear.
  const std::string as(100000, 'a');
  EXPECT_EQ(value("regex(\"(a*)*b\", \"" + as + "\")").type, Val::Type::Error);  // no match
  EXPECT_EQ(text("length(regexall(\"a\", \"" + std::string(5000, 'a') + "\"))"), "5000");
  EXPECT_FALSE(value("regex(\"" + std::string(5000, '(') + "\", \"a\")").known());  // too long
  EXPECT_FALSE(value("regex(\"(\", \"a\")").known());              // does not compile: unknown
  EXPECT_FALSE(value("regex(\"a{1000}{1000}\", \"a\")").known());  // RE2 refuses the repeat
  // Invalid UTF-8 in every string function.
  for (const char* fn : {"md5", "sha256", "base64encode", "jsonencode", "yamlencode", "basename",
                         "dirname", "yamldecode", "jsondecode"}) {
    const Val v = value(std::string(fn) + "(\"\xff\xfe\\u00e9\xc3\")");  // raw bytes
    EXPECT_NE(v.type, Val::Type::Unknown) << fn;  // evaluated: a value or an error
  }
  EXPECT_EQ(text("length(regexall(\"\", \"\xff\xfe\"))"), "3");
  // Huge and degenerate ranges.
  EXPECT_EQ(value("range(-1e308, 1e308)").type, Val::Type::Error);
  EXPECT_EQ(value("range(0, 1, 1e-300)").type, Val::Type::Error);
  EXPECT_EQ(value("range(0, 1e308, 1e300)").type, Val::Type::Error);
  // Deep nesting in decoded documents.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_NE(value("jsondecode(\"" + deep + "\")").type, Val::Type::List);
  EXPECT_NE(value("yamldecode(\"" + deep + "\")").type, Val::Type::List);
  // A YAML alias bomb: nine levels of ten aliases are 10^9 nodes when copied.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const char p = static_cast<char>(c - 1);
    bomb += std::string(1, c) + ": &" + c + " [*" + p + ", *" + p + ", *" + p + ", *" + p + ", *" +
            p + ", *" + p + ", *" + p + ", *" + p + ", *" + p + ", *" + p + "]\\n";
  }
  EXPECT_NE(value("yamldecode(\"" + bomb + "\")").type, Val::Type::Object);
  // Nested values as deep as the parser allows encode.
  std::string nested = "1";
  for (int i = 0; i < 50; ++i) nested = "[" + nested + "]";
  EXPECT_EQ(text("length(jsonencode(" + nested + "))"), "101");
  EXPECT_TRUE(value("yamlencode(" + nested + ")").known());
  // Sets and format lists over large inputs stop at the budget.
  EXPECT_EQ(value("setunion(range(1024), range(1024), range(1024))").type, Val::Type::List);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// #21: instance keys computed with functions lbcheck did not evaluate were
// unknown, so whole resources became one `[*]` instance although Terraform
// knows every key at plan time. terraform-google-lb-http's backend module keys
// its serverless NEGs with md5(); a YAML factory with fileset(); count with
// range() and regexall().
TEST(Terraform, InstanceKeysComputedWithFunctionsAreKnown) {
  lbcheck::testing::TempDir tmp;
  tmp.file("main.tf", R"(locals {
  serverless_neg_backends = [
    { region = "europe-west1", service_name = "cart" },
    { region = "europe-west1", service_name = "catalog" },
  ]
}
resource "google_compute_region_network_endpoint_group" "serverless_negs" {
  for_each = { for b in local.serverless_neg_backends :
    "neg-lb-${b.region}-${substr(md5(b.service_name), 0, 4)}" => b }
  name                  = each.key
  region                = each.value.region
  network_endpoint_type = "SERVERLESS"
  cloud_run {
    service = each.value.service_name
  }
}
resource "google_compute_region_target_http_proxy" "p" {
  count   = length(regexall("[a-z]+", "web,api"))
  name    = "proxy-${range(10, 20)[count.index]}"
  region  = "europe-west1"
  url_map = "regions/europe-west1/urlMaps/m"
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()});
  std::set<std::string> names;
  for (const Resource& res : r.graph.resources()) names.insert(res.displayName);
  EXPECT_TRUE(
      names.count("google_compute_region_network_endpoint_group.serverless_negs[\"neg-lb-europe-"
                  "west1-5401\"]"));
  EXPECT_TRUE(
      names.count("google_compute_region_network_endpoint_group.serverless_negs[\"neg-lb-europe-"
                  "west1-46f2\"]"));
  EXPECT_TRUE(names.count("google_compute_region_target_http_proxy.p[0]"));
  EXPECT_TRUE(names.count("google_compute_region_target_http_proxy.p[1]"));
  for (const std::string& n : names) EXPECT_EQ(n.find("[*]"), std::string::npos) << n;
  EXPECT_EQ(names.size(), 4u);
}

// #21: the raw text of file() is found at the expression that reads it (never
// quoted from the file: it may be a key); decoded values keep their YAML lines.
TEST(Terraform, FileTextPointsAtTheExpressionDecodedValuesAtTheirLines) {
  lbcheck::testing::TempDir tmp;
  tmp.file("proto.txt", "TCP");
  tmp.file("lb.yaml", "# the catalog backend\nprotocol: SSL\n");
  tmp.file("main.tf", R"(locals {
  lb = yamldecode(file("lb.yaml"))
}
resource "google_compute_region_backend_service" "raw" {
  name                  = "raw"
  region                = "europe-west1"
  protocol              = file("proto.txt")
  load_balancing_scheme = "INTERNAL_MANAGED"
}
resource "google_compute_region_backend_service" "decoded" {
  name                  = "decoded"
  region                = "europe-west1"
  protocol              = local.lb.protocol
  load_balancing_scheme = "INTERNAL_MANAGED"
}
resource "google_compute_region_url_map" "m" {
  name            = "m"
  region          = "europe-west1"
  default_service = google_compute_region_backend_service.raw.id
  path_matcher {
    name            = "p"
    default_service = google_compute_region_backend_service.decoded.id
  }
  host_rule {
    hosts        = ["*"]
    path_matcher = "p"
  }
}
)");
  const auto r = lbcheck::testing::runOn({tmp.path()}, {"LB004"});
  std::map<std::string, std::string> at;  // resource -> file:line:column
  for (const Finding& f : r.findings) {
    const SourceFile& file = r.sources.get(f.span.file);
    const Location l = file.locate(f.span.begin);
    at[f.resource] = std::filesystem::path(file.path()).filename().string() + ":" +
                     std::to_string(l.line) + ":" + std::to_string(l.column);
  }
  EXPECT_EQ(at["google_compute_region_backend_service.raw"], "main.tf:7:27");
  EXPECT_EQ(at["google_compute_region_backend_service.decoded"], "lb.yaml:2:11");
}

// #21: replace() with a /regular expression/ (Terraform: Go's ReplaceAllString
// and its `$1`, `${name}` replacement syntax), as naming locals use it.
TEST(Hcl, ReplaceWithARegularExpression) {
  EXPECT_EQ(text("replace(\"hello world\", \"/w.*d/\", \"everybody\")"), "hello everybody");
  EXPECT_EQ(text("replace(\"My_LB Name\", \"/[^a-z0-9-]/\", \"-\")"), "-y-----ame");
  EXPECT_EQ(text("replace(\"2019-02-01\", \"/(\\\\d+)-(\\\\d+)-(\\\\d+)/\", \"$3.$2.$1\")"),
            "01.02.2019");
  EXPECT_EQ(text("replace(\"ab\", \"/(?P<x>a)/\", \"[$${x}]\")"), "[a]b");  // $${ is ${ in HCL
  EXPECT_EQ(text("replace(\"ab\", \"/(a)/\", \"$1x\")"), "b");  // the group `1x` does not exist
  EXPECT_EQ(text("replace(\"a\", \"/a/\", \"$$\")"), "$");
  EXPECT_EQ(text("replace(\"abc\", \"/x*/\", \"-\")"), "-a-b-c-");
  EXPECT_EQ(text("replace(\"a.b\", \"/\", \"-\")"), "a.b");  // one slash: a plain string
  EXPECT_FALSE(
      value("replace(\"aa\", \"/(a)\\\\1/\", \"b\")").known());  // no backreferences in RE2
  EXPECT_EQ(value("replace(\"" + std::string(2000, 'a') + "\", \"/a/\", \"" +
                  std::string(1000, 'b') + "\")")
                .type,
            Val::Type::Error);  // 2 MB: longer than a string may be
}
