// The Terraform plan adapter: states, defaults, lifecycles, references.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/diagnostics.h"
#include "helpers.h"

using namespace lbcheck;
using lbcheck::testing::byAddress;
using lbcheck::testing::runOn;

namespace {
std::string minimalPlan(const std::string& version, const std::string& changes) {
  return R"({"format_version":")" + version + R"(","resource_changes":[)" + changes + "]}";
}
}  // namespace

TEST(TerraformPlan, UnknownReferenceIsUnknownAndResolvedThroughConfiguration) {
  const auto r = runOn({"fixtures/plans/seed-clean.tfplan.json"});
  const Resource* bs = byAddress(r.graph, "google_compute_region_backend_service.backend");
  ASSERT_NE(bs, nullptr);
  const Field& group = bs->field("backends[0].group");
  EXPECT_EQ(group.state, State::Unknown);
  EXPECT_EQ(group.ref->address, "google_compute_region_network_endpoint_group.serverless_neg");
  const Resource* neg = r.graph.target(group);
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(neg->id.name, "hello-neg");
}

TEST(TerraformPlan, AttributeTheAuthorDidNotWriteIsAbsentNotUnknown) {
  const auto r = runOn({"fixtures/rules/RUN002/fail-unset.tfplan.json"});
  const Resource* run = byAddress(r.graph, "google_cloud_run_v2_service.app");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->field("ingress").state, State::Absent);
  const Resource* subnet = byAddress(r.graph, "google_compute_subnetwork.lb_subnet");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->field("purpose").state, State::Absent);
}

TEST(TerraformPlan, AttributeComputedFromAnotherResourceStaysUnknown) {
  const auto r = runOn({"fixtures/rules/RUN002/pass-unknown.tfplan.json"});
  const Resource* run = byAddress(r.graph, "google_cloud_run_v2_service.app");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->field("ingress").state, State::Unknown);
}

TEST(TerraformPlan, ProviderDefaultIsMarkedDefaulted) {
  lbcheck::testing::TempDir tmp;
  const std::string plan = R"({"format_version":"1.2",
    "resource_changes":[{"address":"google_compute_region_backend_service.b","mode":"managed",
      "type":"google_compute_region_backend_service","name":"b","provider_config_key":"google",
      "change":{"actions":["create"],"before":null,
        "after":{"name":"b","region":"us-central1","load_balancing_scheme":"INTERNAL","protocol":"HTTP"},
        "after_unknown":{}}}],
    "configuration":{"root_module":{"resources":[{"address":"google_compute_region_backend_service.b",
      "mode":"managed","type":"google_compute_region_backend_service","name":"b",
      "expressions":{"name":{"constant_value":"b"},"protocol":{"constant_value":"HTTP"}}}]}}})";
  const auto r = runOn({tmp.file("p.json", plan)});
  const Resource* bs = byAddress(r.graph, "google_compute_region_backend_service.b");
  ASSERT_NE(bs, nullptr);
  EXPECT_EQ(bs->field("loadBalancingScheme").state, State::Defaulted);
  EXPECT_EQ(bs->field("loadBalancingScheme").text, "INTERNAL");
  EXPECT_EQ(bs->field("protocol").state, State::Known);
}

TEST(TerraformPlan, ChainResolvesThroughModulesCountAndForEach) {
  const auto r = runOn({"fixtures/plans/modules-count-foreach.tfplan.json"});
  const Graph& g = r.graph;
  const Resource* fr = byAddress(g, "module.lb[0].google_compute_forwarding_rule.this");
  ASSERT_NE(fr, nullptr);
  const Resource* proxy = g.target(fr->field("target"));
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(proxy->displayName, "module.lb[0].google_compute_region_target_http_proxy.this");
  const Resource* urlMap = g.target(proxy->field("urlMap"));
  ASSERT_NE(urlMap, nullptr);
  const Resource* backend = g.target(urlMap->field("defaultService"));
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->displayName, "module.lb[0].google_compute_region_backend_service.this");
  const Resource* neg = g.target(backend->field("backends[0].group"));
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(neg->displayName,
            "module.lb[0].google_compute_region_network_endpoint_group.neg[\"hello\"]");
  const Resource* run = g.target(neg->field("cloudRun.service"));
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->displayName, "google_cloud_run_v2_service.app");
  // Module inputs (var.network) resolve to the root module's network.
  const Resource* network = g.target(fr->field("network"));
  ASSERT_NE(network, nullptr);
  EXPECT_EQ(network->displayName, "google_compute_network.lb_network");
}

// #17: a list of links is printed element by element when its length is known
// (`[x.id]`: `[null]` in after, `[true]` in after_unknown, as the canonical plans have it)
// and as one `true` when it is not (`compact([a.id, b.id])`, as the bundled global external
// example has it). Either way each resource the expression names is an element, as in the
// `.tf`: the proxy reaches its certificates.
TEST(TerraformPlan, WhollyUnknownListOfLinksTakesTheResourcesItsExpressionNames) {
  lbcheck::testing::TempDir tmp;
  auto plan = [](const std::string& after, const std::string& unknown) {
    return R"({"format_version":"1.2",
    "resource_changes":[
     {"address":"google_compute_managed_ssl_certificate.a","mode":"managed",
      "type":"google_compute_managed_ssl_certificate","name":"a",
      "change":{"actions":["create"],"before":null,"after":{"name":"cert-a"},
        "after_unknown":{"id":true}}},
     {"address":"google_compute_managed_ssl_certificate.b","mode":"managed",
      "type":"google_compute_managed_ssl_certificate","name":"b",
      "change":{"actions":["create"],"before":null,"after":{"name":"cert-b"},
        "after_unknown":{"id":true}}},
     {"address":"google_compute_target_https_proxy.p","mode":"managed",
      "type":"google_compute_target_https_proxy","name":"p",
      "change":{"actions":["create"],"before":null,"after":{"name":"p")" +
           after + R"(},"after_unknown":{"id":true)" + unknown + R"(}}}],
    "configuration":{"root_module":{"resources":[
     {"address":"google_compute_target_https_proxy.p","mode":"managed",
      "type":"google_compute_target_https_proxy","name":"p","expressions":{
       "name":{"constant_value":"p"},
       "ssl_certificates":{"references":["google_compute_managed_ssl_certificate.a.id",
         "google_compute_managed_ssl_certificate.a","google_compute_managed_ssl_certificate.b.id",
         "google_compute_managed_ssl_certificate.b"]}}}]}}})";
  };
  for (const auto& [name, text] :
       {std::pair{"whole.json", plan("", R"(,"ssl_certificates":true)")},
        std::pair{"elements.json", plan(R"(,"ssl_certificates":[null,null])",
                                        R"(,"ssl_certificates":[true,true])")}}) {
    const auto r = runOn({tmp.file(name, text)});
    const Resource* p = byAddress(r.graph, "google_compute_target_https_proxy.p");
    ASSERT_NE(p, nullptr) << name;
    const Resource* a = r.graph.target(p->field("sslCertificates[0]"));
    const Resource* b = r.graph.target(p->field("sslCertificates[1]"));
    ASSERT_NE(a, nullptr) << name;
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(a->id.name, "cert-a") << name;
    EXPECT_EQ(b->id.name, "cert-b") << name;
    EXPECT_EQ(p->field("sslCertificates[0]").state, State::Unknown) << name;
    EXPECT_EQ(p->field("sslCertificates[2]").state, State::Absent) << name;
  }
}

TEST(TerraformPlan, LifecyclesFromActionsIncludingBothReplaceOrders) {
  const auto del = runOn({"fixtures/rules/OPS001/fail.tfplan.json"});
  EXPECT_EQ(byAddress(del.graph, "google_compute_region_network_endpoint_group.serverless_neg")
                ->lifecycle,
            Lifecycle::Delete);
  EXPECT_EQ(byAddress(del.graph, "google_compute_region_backend_service.backend")->lifecycle,
            Lifecycle::NoOp);
  const auto rep = runOn({"fixtures/rules/OPS001/fail-replace.tfplan.json"});
  EXPECT_EQ(byAddress(rep.graph, "google_compute_region_network_endpoint_group.serverless_neg")
                ->lifecycle,
            Lifecycle::ReplaceDeleteFirst);
  const auto cbd = runOn({"fixtures/rules/OPS001/pass-cbd.tfplan.json"});
  bool createFirst = false;
  for (const Resource& res : cbd.graph.resources())
    createFirst |= res.lifecycle == Lifecycle::ReplaceCreateFirst;
  EXPECT_TRUE(createFirst);
}

TEST(TerraformPlan, DeletedResourceKeepsItsStateValuesAndV1RegionUrl) {
  const auto r = runOn({"fixtures/rules/OPS001/fail.tfplan.json"});
  const Resource* neg =
      byAddress(r.graph, "google_compute_region_network_endpoint_group.serverless_neg");
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(neg->id.scope.name, "us-central1");  // "region" is a v1 URL in state
  EXPECT_EQ(neg->field("cloudRun.service").text, "hello-run");
}

TEST(TerraformPlan, AcceptsFormatVersionsZeroAndOne) {
  lbcheck::testing::TempDir tmp;
  const std::string change =
      R"({"address":"google_compute_network.n","mode":"managed","type":"google_compute_network","name":"n","change":{"actions":["create"],"before":null,"after":{"name":"n"},"after_unknown":{}}})";
  for (const char* v : {"0.1", "0.2", "1.0", "1.1", "1.2", "1.9"}) {
    const auto r = runOn({tmp.file(std::string("p") + v + ".json", minimalPlan(v, change))});
    EXPECT_TRUE(r.findings.empty()) << v;
    EXPECT_EQ(r.graph.size(), 1u) << v;
  }
}

TEST(TerraformPlan, RejectsAnotherMajorFormatVersionAtTheValue) {
  lbcheck::testing::TempDir tmp;
  const auto r = runOn({tmp.file("p.json", minimalPlan("2.0", ""))});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].ruleId, diag::kPlanShape);
  EXPECT_EQ(r.sources.get(r.findings[0].span.file).locate(r.findings[0].span.begin).column, 19u);
}

TEST(TerraformPlan, NonPlanJsonIsSkippedAndUtf16IsAnError) {
  lbcheck::testing::TempDir tmp;
  const auto a = runOn({tmp.file("package.json", R"({"name": "x", "version": "1.0.0"})")});
  EXPECT_TRUE(a.findings.empty());
  ASSERT_EQ(a.skipped.size(), 1u);
  EXPECT_EQ(a.skipped[0].why.reason, lbcheck::SkipReason::NotAFormat);
  const auto b = runOn({tmp.file("utf16.json", std::string("\xFF\xFE{\0}\0", 6))});
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(b.findings[0].ruleId, diag::kEncoding);
  EXPECT_NE(b.findings[0].message.find("UTF-16"), std::string::npos);
}

TEST(TerraformPlan, Utf8ByteOrderMarkIsAccepted) {
  lbcheck::testing::TempDir tmp;
  const std::string change =
      R"({"address":"google_compute_network.n","mode":"managed","type":"google_compute_network","name":"n","change":{"actions":["create"],"before":null,"after":{"name":"n"},"after_unknown":{}}})";
  const auto r = runOn({tmp.file("bom.json", "\xEF\xBB\xBF" + minimalPlan("1.2", change))});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.graph.size(), 1u);
}

TEST(TerraformPlan, BrokenJsonIsALocatedErrorAndOtherFilesAreStillChecked) {
  lbcheck::testing::TempDir tmp;
  tmp.file("a-broken.json", "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [\n}\n");
  const auto r = runOn({tmp.path(), "examples/plan.json"});
  ASSERT_GE(r.findings.size(), 3u);
  bool syntax = false, rules = false;
  for (const Finding& f : r.findings) {
    if (f.ruleId == diag::kSyntax) {
      syntax = true;
      EXPECT_EQ(r.sources.get(f.span.file).locate(f.span.begin).line, 4u);
    }
    rules |= f.ruleId == "LB016";
  }
  EXPECT_TRUE(syntax);
  EXPECT_TRUE(rules);
}

TEST(TerraformPlan, UnresolvedReferenceStaysUnresolved) {
  const auto r = runOn({"fixtures/rules/NET001/fail.tfplan.json"});
  for (const Resource& res : r.graph.resources()) {
    for (const auto& [path, f] : res.fields) {
      if (f.ref->target >= 0) {
        EXPECT_LT(static_cast<size_t>(f.ref->target), r.graph.size());
      }
    }
  }
  // The forwarding rule never points at a proxy-only subnet that does not exist.
  const Resource* fr = byAddress(r.graph, "google_compute_forwarding_rule.http");
  ASSERT_NE(fr, nullptr);
  EXPECT_EQ(r.graph.target(fr->field("network"))->displayName, "google_compute_network.lb_network");
}

TEST(TerraformPlan, StateJsonIsReadAsStaticResources) {
  // `terraform show -json` without a plan file prints the state under "values".
  lbcheck::testing::TempDir tmp;
  const std::string state =
      R"({"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
    {"address":"google_compute_region_target_http_proxy.p","mode":"managed","type":"google_compute_region_target_http_proxy","name":"p",
     "values":{"name":"p","region":"us-central1","http_keep_alive_timeout_sec":1200},"sensitive_values":{}}]}}})";
  const auto r = runOn({tmp.file("state.json", state)});
  ASSERT_EQ(r.graph.size(), 1u);
  EXPECT_EQ(r.graph.at(0).lifecycle, Lifecycle::Static);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].ruleId, "LB016");
}

TEST(TerraformPlan, JsonWithNothingToReadIsANote) {
  lbcheck::testing::TempDir tmp;
  const auto r =
      runOn({tmp.file("p.json", R"({"format_version":"1.2","terraform_version":"1.11.4"})")});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].ruleId, diag::kPlanShape);
  EXPECT_EQ(r.findings[0].severity, Severity::Note);
}

TEST(TerraformPlan, DependsOnHoldsExplicitAndImplicitDependencies) {
  const auto seed = runOn({"fixtures/plans/seed-clean.tfplan.json"});
  const Resource* fr = byAddress(seed.graph, "google_compute_forwarding_rule.http");
  ASSERT_NE(fr, nullptr);
  ASSERT_TRUE(fr->dependsOn().has_value());
  const auto has = [](const Resource& r, std::string_view a) {
    return std::find(r.dependsOn()->begin(), r.dependsOn()->end(), a) != r.dependsOn()->end();
  };
  EXPECT_TRUE(has(*fr, "google_compute_subnetwork.proxy_only"));                // depends_on
  EXPECT_TRUE(has(*fr, "google_compute_region_target_http_proxy.http_proxy"));  // target = ...id
  EXPECT_TRUE(has(*fr, "google_compute_network.lb_network"));

  const auto noDep = runOn({"fixtures/rules/NET001/fail.tfplan.json"});
  const Resource* bare = byAddress(noDep.graph, "google_compute_forwarding_rule.http");
  ASSERT_NE(bare, nullptr);
  ASSERT_TRUE(bare->dependsOn().has_value());
  EXPECT_FALSE(has(*bare, "google_compute_subnetwork.proxy_only"));

  // Inside a module: module-relative references become absolute, and the module
  // call's depends_on holds for its resources.
  const auto mod = runOn({"fixtures/plans/modules-count-foreach.tfplan.json"});
  const Resource* mfr = byAddress(mod.graph, "module.lb[0].google_compute_forwarding_rule.this");
  ASSERT_NE(mfr, nullptr);
  ASSERT_TRUE(mfr->dependsOn().has_value());
  EXPECT_TRUE(has(*mfr, "google_compute_subnetwork.proxy_only"));
  EXPECT_TRUE(has(*mfr, "module.lb[0].google_compute_region_target_http_proxy.this"));
  EXPECT_TRUE(has(*mfr, "google_compute_subnetwork.lb_subnet"));  // var.subnetwork
}

TEST(TerraformPlan, DependsOnIsUnsetWithoutConfigurationAndModulesAreKept) {
  lbcheck::testing::TempDir tmp;
  const std::string change = R"({"address":"google_compute_forwarding_rule.f","mode":"managed",
      "type":"google_compute_forwarding_rule","name":"f","change":{"actions":["create"],
      "before":null,"after":{"name":"f","region":"us-central1"},"after_unknown":{}}})";
  const auto bare = runOn({tmp.file("bare.json", minimalPlan("1.2", change))});
  const Resource* f = byAddress(bare.graph, "google_compute_forwarding_rule.f");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->dependsOn().has_value());

  const std::string plan = R"({"format_version":"1.2","resource_changes":[)" + change +
                           R"(],"configuration":{"root_module":{"resources":[
      {"address":"google_compute_forwarding_rule.f","mode":"managed",
       "type":"google_compute_forwarding_rule","name":"f","depends_on":["module.net"],
       "expressions":{"name":{"constant_value":"f"}}}]}}})";
  const auto withConf = runOn({tmp.file("conf.json", plan)});
  const Resource* g = byAddress(withConf.graph, "google_compute_forwarding_rule.f");
  ASSERT_NE(g, nullptr);
  ASSERT_TRUE(g->dependsOn().has_value());
  EXPECT_EQ(*g->dependsOn(), std::vector<std::string>{"module.net"});
}

// #21: a raw terraform.tfstate (format version 4) is read like the state of
// `terraform show -json`: every module's instances at their full addresses.
TEST(TerraformState, RawStateFileIsReadWithModuleAddressesAndIndexKeys) {
  const auto r = runOn({"fixtures/plans/seed-state-v4"});
  ASSERT_TRUE(r.skipped.empty());
  std::set<std::string> addresses;
  for (const lbcheck::Resource& res : r.graph.resources()) addresses.insert(res.displayName);
  for (const char* a : {"google_compute_network.lb_network", "google_cloud_run_v2_service.app",
                        "module.lb.google_compute_forwarding_rule.this[0]",
                        "module.lb.google_compute_region_network_endpoint_group.neg[\"hello\"]",
                        "module.lb.google_compute_region_target_http_proxy.http_proxy"})
    EXPECT_TRUE(addresses.count(a)) << a;
  const lbcheck::Resource* neg = lbcheck::testing::byAddress(
      r.graph, "module.lb.google_compute_region_network_endpoint_group.neg[\"hello\"]");
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(neg->id.name, "hello-neg");
  EXPECT_EQ(neg->id.project, "demo-proj");
  // Its values are checked: the proxy's keep-alive of 610 is LB016.
  size_t lb016 = 0;
  for (const Finding& f : r.findings) lb016 += f.ruleId == "LB016";
  EXPECT_EQ(lb016, 1u);
}

TEST(TerraformState, AnotherStateVersionIsAnErrorAtTheVersion) {
  lbcheck::testing::TempDir tmp;
  const auto r = runOn({tmp.file("terraform.tfstate",
                                 "{\"version\": 3, \"terraform_version\": \"0.11.14\", "
                                 "\"resources\": []}")});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].ruleId, diag::kPlanShape);
  EXPECT_EQ(r.sources.get(r.findings[0].span.file).locate(r.findings[0].span.begin).column, 13u);
}
