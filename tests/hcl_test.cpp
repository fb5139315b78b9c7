// The HCL2 reader: every syntax form, the evaluator, malformed input with
// located errors, and .tf input end to end (modules, variables, mapping).
#include <gtest/gtest.h>

#include <algorithm>

#include <map>

#include <sstream>

#include <fstream>

#include "helpers.h"
#include "parsers/hcl/eval.h"
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
  const Val v =
      value("length(flatten([for a in range(0) : 1]))");  // range() is not evaluated: unknown
  EXPECT_FALSE(v.known());
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
