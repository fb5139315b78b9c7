// Issue 18: the load-balancer chains as diagrams (`lbcheck graph`): what each
// chain holds, stable ids, the Mermaid, DOT and JSON text, and Graphviz's
// reading of the DOT.
#include "driver/output/diagram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "helpers.h"

namespace lbcheck {
namespace {

using testing::runOn;

const char* const kChain = "fixtures/diagram/regional-chain.krm.yaml";

const DiagramNode* nodeNamed(const Diagram& d, std::string_view name) {
  for (const DiagramNode& n : d.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const DiagramEdge* edgeBetween(const Diagram& d, std::string_view from, std::string_view to,
                               std::string_view label = {}) {
  const DiagramNode* a = nodeNamed(d, from);
  const DiagramNode* b = nodeNamed(d, to);
  if (!a || !b) return nullptr;
  for (const DiagramEdge& e : d.edges)
    if (e.from == a->id && e.to == b->id && (label.empty() || e.label == label)) return &e;
  return nullptr;
}

TEST(Diagram, OneChainFromForwardingRuleToCloudRunWithItsSubnets) {
  const RunResult r = runOn({kChain});
  const auto diagrams = buildDiagrams(r.sources, r.graph, r.findings);
  ASSERT_EQ(diagrams.size(), 1u);
  const Diagram& d = diagrams[0];
  EXPECT_EQ(d.label, "regional internal Application Load Balancer, INTERNAL_MANAGED, us-central1");
  EXPECT_EQ(d.type, "regional-internal");
  ASSERT_FALSE(d.nodes.empty());
  EXPECT_EQ(d.nodes[0].name, "hello-fr");
  EXPECT_NE(edgeBetween(d, "hello-fr", "hello-http-proxy"), nullptr);
  EXPECT_NE(edgeBetween(d, "hello-http-proxy", "hello-url-map"), nullptr);
  EXPECT_NE(edgeBetween(d, "hello-url-map", "hello-backend", "default"), nullptr);
  EXPECT_NE(edgeBetween(d, "hello-url-map", "hello-backend", "api.example.com *"), nullptr);
  EXPECT_NE(edgeBetween(d, "hello-backend", "hello-neg"), nullptr);
  EXPECT_NE(edgeBetween(d, "hello-neg", "hello-run"), nullptr);
  const DiagramEdge* subnet = edgeBetween(d, "hello-fr", "lb-subnet");
  ASSERT_NE(subnet, nullptr);
  EXPECT_TRUE(subnet->dependency);
  const DiagramEdge* proxyOnly = edgeBetween(d, "hello-fr", "proxy-only-subnet");
  ASSERT_NE(proxyOnly, nullptr);
  EXPECT_EQ(proxyOnly->label, "proxy-only subnet");
}

TEST(Diagram, NodesCarryTheirWorstFindingAndMismatchesAreFlaggedEdges) {
  const RunResult r = runOn({kChain});
  const Diagram d = buildDiagrams(r.sources, r.graph, r.findings).at(0);
  const DiagramNode* backend = nodeNamed(d, "hello-backend");
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->worst.has_value());
  EXPECT_EQ(*backend->worst, Severity::Error);
  EXPECT_EQ(backend->rules, std::vector<std::string>{"LB001"});
  EXPECT_FALSE(nodeNamed(d, "hello-url-map")->worst.has_value());
  const DiagramEdge* mismatch = edgeBetween(d, "hello-backend", "hello-neg");
  ASSERT_NE(mismatch, nullptr);
  EXPECT_EQ(mismatch->rule, "LB001");
  ASSERT_TRUE(d.worst.has_value());
  EXPECT_EQ(*d.worst, Severity::Error);
  const DiagramNode* run = nodeNamed(d, "hello-run");
  ASSERT_NE(run, nullptr);
  EXPECT_NE(std::find(run->details.begin(), run->details.end(), "invoker: allUsers"),
            run->details.end());
  // The invoker grant's finding (RUN004) is the service's, beside its own RUN005.
  EXPECT_EQ(run->rules, (std::vector<std::string>{"RUN004", "RUN005"}));
  EXPECT_NE(run->where.find("regional-chain.krm.yaml:"), std::string::npos);
}

TEST(Diagram, AReservedAddressIsNamedWhenItsIpIsKnownOnlyAfterApply) {
  const RunResult r = runOn({"fixtures/plans/clean-global-external-tf"});
  const auto diagrams = buildDiagrams(r.sources, r.graph, r.findings);
  ASSERT_EQ(diagrams.size(), 1u);
  EXPECT_EQ(diagrams[0].type, "global-external");
  const DiagramNode* fr = nodeNamed(diagrams[0], "hello-fr");
  ASSERT_NE(fr, nullptr);
  ASSERT_FALSE(fr->details.empty());
  EXPECT_EQ(fr->details[0], "address hello-ip:443");
}

TEST(Diagram, AnEndNotInTheInputsIsItsOwnMissingNode) {
  const RunResult r = runOn({kChain});
  const Diagram d = buildDiagrams(r.sources, r.graph, r.findings).at(0);
  const DiagramNode* api = nodeNamed(d, "api-backend");
  ASSERT_NE(api, nullptr);
  EXPECT_TRUE(api->missing);
  EXPECT_EQ(api->details.at(0), "not in inputs (external)");
  EXPECT_NE(edgeBetween(d, "hello-url-map", "api-backend", "api.example.com /api/*"), nullptr);
  EXPECT_NE(renderMermaid(d).find("class " + api->id + " missing"), std::string::npos);
  EXPECT_NE(renderDot(d).find("style=\"rounded,dashed\""), std::string::npos);
}

TEST(Diagram, IdsComeFromIdentityAndOutputIsDeterministic) {
  const RunResult a = runOn({kChain});
  const RunResult b = runOn({kChain});
  const auto da = buildDiagrams(a.sources, a.graph, a.findings);
  const auto db = buildDiagrams(b.sources, b.graph, b.findings);
  EXPECT_EQ(renderDiagramJson(da), renderDiagramJson(db));
  ASSERT_EQ(da.size(), 1u);
  EXPECT_EQ(da[0].nodes[0].id.rfind("forwardingRules_hello_fr_", 0), 0u) << da[0].nodes[0].id;
  std::vector<std::string> ids;
  for (const DiagramNode& n : da[0].nodes) ids.push_back(n.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "two nodes share an id";
}

TEST(Diagram, GoldenMermaidDotAndJson) {
  const RunResult r = runOn({kChain});
  const auto d = buildDiagrams(r.sources, r.graph, r.findings);
  testing::expectGolden("fixtures/diagram/regional-chain.mmd", renderMermaid(d));
  testing::expectGolden("fixtures/diagram/regional-chain.dot", renderDot(d));
  testing::expectGolden("fixtures/diagram/regional-chain.json", renderDiagramJson(d));
}

TEST(Diagram, TwoForwardingRulesOnOneProxyAreTwoChainsAndThePageKeepsIdsApart) {
  testing::TempDir tmp;
  const std::string second =
      "---\napiVersion: compute.cnrm.cloud.google.com/v1beta1\nkind: ComputeForwardingRule\n"
      "metadata:\n  name: hello-fr-8080\n  namespace: infra\n  annotations:\n"
      "    cnrm.cloud.google.com/project-id: demo-proj\nspec:\n  location: us-central1\n"
      "  loadBalancingScheme: INTERNAL_MANAGED\n  ipProtocol: TCP\n  portRange: \"8080\"\n"
      "  networkRef:\n    name: lb-network\n  subnetworkRef:\n    name: lb-subnet\n"
      "  target:\n    targetHTTPProxyRef:\n      name: hello-http-proxy\n";
  const RunResult r = runOn({tmp.file("two.krm.yaml", testing::readText(kChain) + second)});
  const auto diagrams = buildDiagrams(r.sources, r.graph, r.findings);
  ASSERT_EQ(diagrams.size(), 2u);
  EXPECT_EQ(diagrams[1].nodes.at(0).name, "hello-fr-8080");
  EXPECT_EQ(diagrams[1].nodes.at(0).details.at(0), "(ephemeral):8080");
  ASSERT_NE(nodeNamed(diagrams[0], "hello-http-proxy"), nullptr);
  const DiagramNode* proxy = nodeNamed(diagrams[1], "hello-http-proxy");
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(proxy->id, nodeNamed(diagrams[0], "hello-http-proxy")->id);
  const std::string html = renderHtml(r.sources, r.graph, r.findings);
  EXPECT_NE(html.find("id=\"d0_" + proxy->id + "\""), std::string::npos);
  EXPECT_NE(html.find("id=\"d1_" + proxy->id + "\""), std::string::npos);
}

TEST(Diagram, LinksOverTheGroupLimitCollapseIntoOneNode) {
  const RunResult r = runOn({kChain});
  DiagramOptions o;
  o.groupLimit = 2;  // the URL map has three links: one is kept, two collapse
  const Diagram d = buildDiagrams(r.sources, r.graph, r.findings, o).at(0);
  const auto group = std::find_if(d.nodes.begin(), d.nodes.end(),
                                  [](const DiagramNode& n) { return n.collapsed > 0; });
  ASSERT_NE(group, d.nodes.end());
  EXPECT_EQ(group->collapsed, 2u);
  EXPECT_EQ(group->name, "2 more");
}

TEST(Diagram, NoChainNoDiagram) {
  testing::TempDir tmp;
  const RunResult r = runOn({tmp.file("net.krm.yaml",
                                      "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                                      "kind: ComputeNetwork\nmetadata:\n  name: n\n")});
  EXPECT_TRUE(buildDiagrams(r.sources, r.graph, r.findings).empty());
  EXPECT_EQ(renderMermaid(std::vector<Diagram>{}), "");
  EXPECT_EQ(renderDiagramJson({}), "{\n  \"diagrams\": []\n}\n");
}

TEST(Diagram, GraphvizLaysOutTheDotWithoutWarnings) {
  const RunResult r = runOn({kChain});
  testing::TempDir tmp;
  const std::string dotFile =
      tmp.file("chain.dot", renderDot(buildDiagrams(r.sources, r.graph, r.findings)));
  // Standard error only: any warning (a bad attribute, a syntax error) fails.
  const auto run = testing::runCommand("dot -Tsvg -o /dev/null " + dotFile + " 2>&1");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out, "");
}

TEST(Diagram, GraphCommandWritesEachFormatAndRejectsOthers) {
  const std::string bin = LBCHECK_BINARY;
  const auto mermaid = testing::runCommand(bin + " graph " + kChain);
  EXPECT_EQ(mermaid.status, 0);
  EXPECT_EQ(mermaid.out.rfind("flowchart LR\n", 0), 0u);
  const auto json = testing::runCommand(bin + " graph --format json " + kChain);
  EXPECT_EQ(json.status, 0);
  EXPECT_NE(json.out.find("\"diagrams\""), std::string::npos);
  const auto dot = testing::runCommand(bin + " graph -f dot " + kChain);
  EXPECT_EQ(dot.out.rfind("digraph ", 0), 0u);
  EXPECT_EQ(testing::runCommand(bin + " graph --format png " + kChain + " 2>&1").status, 2);
  EXPECT_EQ(testing::runCommand(bin + " graph 2>&1").status, 2);
}

TEST(Diagram, GraphCommandTakesTheCheckOptionsAfterTheCommand) {
  const std::string bin = LBCHECK_BINARY;
  // Every rule: the LB001 error and the notes are drawn.
  const auto all = testing::runCommand(bin + " graph " + kChain);
  EXPECT_NE(all.out.find("error: LB001"), std::string::npos);
  EXPECT_NE(all.out.find("RUN005"), std::string::npos);
  // --rule after `graph`: only that rule's findings mark the nodes.
  const auto one = testing::runCommand(bin + " graph --rule LB001 " + kChain);
  EXPECT_EQ(one.status, 0);
  EXPECT_NE(one.out.find("error: LB001"), std::string::npos);
  EXPECT_EQ(one.out.find("RUN005"), std::string::npos);
  EXPECT_EQ(testing::runCommand(bin + " graph --rule NOPE " + kChain + " 2>&1").status, 2);
  // --config after `graph`: an ignored rule marks nothing.
  testing::TempDir dir;
  const std::string config = dir.file("lbcheck.yaml", "ignore: [LB001]\n");
  const auto ignored = testing::runCommand(bin + " graph --config " + config + " " + kChain);
  EXPECT_EQ(ignored.status, 0);
  EXPECT_EQ(ignored.out.find("LB001"), std::string::npos);
  EXPECT_NE(ignored.out.find("RUN005"), std::string::npos);
}

TEST(MarkdownReport, CountsFindingsWithLinksAndMermaidBlocks) {
  const RunResult r = runOn({kChain});
  MarkdownStyle style;
  style.blobBase = "https://github.com/o/r/blob/abc/";
  const std::string md = renderMarkdown(r.sources, r.graph, r.findings, style);
  EXPECT_EQ(md.rfind("## lbcheck: 1 error, 0 warnings, 3 notes\n", 0), 0u) << md;
  EXPECT_NE(md.find("| ✖ error | 1 |"), std::string::npos);
  EXPECT_NE(md.find("[fixtures/diagram/regional-chain.krm.yaml:89](https://github.com/o/r/blob/abc/"
                    "fixtures/diagram/regional-chain.krm.yaml#L89)"),
            std::string::npos)
      << md;
  // The error comes first, before the notes of earlier lines.
  EXPECT_LT(md.find("`LB001`"), md.find("`RUN005`"));
  EXPECT_NE(md.find("```mermaid\nflowchart LR\n"), std::string::npos);
  testing::expectGolden("fixtures/diagram/regional-chain.md",
                        renderMarkdown(r.sources, r.graph, r.findings));
}

TEST(MarkdownReport, AFileOutsideTheRepositoryIsNotLinkedIntoIt) {
  testing::TempDir tmp;  // an absolute path
  const RunResult r = runOn({tmp.file("chain.krm.yaml", testing::readText(kChain))});
  MarkdownStyle style;
  style.blobBase = "https://github.com/o/r/blob/abc/";
  const std::string md = renderMarkdown(r.sources, r.graph, r.findings, style);
  EXPECT_EQ(md.find("blob/abc//"), std::string::npos) << md;
  EXPECT_NE(md.find("chain.krm.yaml#L89)"), std::string::npos) << md;
}

TEST(MarkdownReport, TablesAndDiagramsAreCutAtTheirLimits) {
  const RunResult r = runOn({kChain});
  MarkdownStyle style;
  style.maxFindings = 1;
  style.maxDiagrams = 0;
  const std::string md = renderMarkdown(r.sources, r.graph, r.findings, style);
  EXPECT_NE(md.find("… and 3 more (see the full report)."), std::string::npos) << md;
  EXPECT_EQ(md.find("```mermaid"), std::string::npos);
  EXPECT_NE(md.find("… and 1 more load balancers"), std::string::npos);
}

TEST(MarkdownReport, ACleanRunSaysSo) {
  testing::TempDir tmp;
  const RunResult r = runOn({tmp.file("net.krm.yaml",
                                      "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                                      "kind: ComputeNetwork\nmetadata:\n  name: n\n")});
  const std::string md = renderMarkdown(r.sources, r.graph, r.findings);
  EXPECT_EQ(md.rfind("## lbcheck: 0 errors, 0 warnings, 0 notes\n", 0), 0u) << md;
  EXPECT_EQ(md.find("### Findings"), std::string::npos);
}

TEST(HtmlReport, OnePageWithEveryNodeAsSvgAndNothingFetched) {
  const RunResult r = runOn({kChain});
  const std::string html = renderHtml(r.sources, r.graph, r.findings);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  for (const Diagram& d : buildDiagrams(r.sources, r.graph, r.findings))
    for (const DiagramNode& n : d.nodes)
      EXPECT_NE(html.find("id=\"d0_" + n.id + "\" class=\"node\""), std::string::npos) << n.id;
  // Self-contained: no external script, style sheet, font or image, and no
  // address other than the SVG and XLink namespaces.
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  std::string rest = html;
  for (const char* ns : {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"})
    for (size_t at; (at = rest.find(ns)) != std::string::npos;) rest.erase(at, std::strlen(ns));
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_EQ(rest.find("https://"), std::string::npos);
}

TEST(HtmlReport, EachFindingIsLinkedToItsNodeWithItsSourceLines) {
  const RunResult r = runOn({kChain});
  const std::string html = renderHtml(r.sources, r.graph, r.findings);
  const Diagram d = buildDiagrams(r.sources, r.graph, r.findings).at(0);
  const std::string backend = "d0_" + nodeNamed(d, "hello-backend")->id;
  const size_t lb001 = html.find("data-rule=\"LB001\" data-nodes=\"" + backend + "\"");
  ASSERT_NE(lb001, std::string::npos);
  const size_t link = html.find("<a class=\"to-node\" href=\"#" + backend + "\">", lb001);
  EXPECT_NE(link, std::string::npos);
  EXPECT_LT(link, html.find("</article>", lb001));
  EXPECT_NE(html.find("<span class=\"ln hit\">89</span>", lb001), std::string::npos);
  // Filters: a checkbox per severity and a choice per rule.
  EXPECT_NE(html.find("name=\"severity\" value=\"warning\""), std::string::npos);
  EXPECT_NE(html.find("<option value=\"RUN005\">RUN005</option>"), std::string::npos);
}

TEST(HtmlReport, EachChainsFindingsAreBesideItsDiagramTheRestBelow) {
  testing::TempDir tmp;
  // The chain of kChain, plus a network whose subnet lbcheck flags but that no
  // load balancer's diagram draws.
  const RunResult r = runOn({kChain, tmp.file("other.krm.yaml",
                                              "apiVersion: compute.cnrm.cloud.google.com/v1beta1\n"
                                              "kind: ComputeSubnetwork\n"
                                              "metadata:\n  name: proxy-x\n"
                                              "spec:\n  region: us-central1\n"
                                              "  ipCidrRange: 10.9.0.0/28\n"
                                              "  purpose: REGIONAL_MANAGED_PROXY\n"
                                              "  role: ACTIVE\n"
                                              "  networkRef:\n    name: other-net\n")});
  const std::string html = renderHtml(r.sources, r.graph, r.findings);
  const size_t chain = html.find("<section class=\"chain\"");
  const size_t aside = html.find("<aside class=\"chain-findings\">", chain);
  const size_t end = html.find("</section>", chain);
  ASSERT_NE(aside, std::string::npos);
  EXPECT_LT(aside, end);
  EXPECT_NE(html.find("Findings on this load balancer (4)", chain), std::string::npos);
  // The error comes first beside the diagram, before the notes.
  const size_t lb001 = html.find("data-rule=\"LB001\"", aside);
  const size_t note = html.find("data-severity=\"note\"", aside);
  EXPECT_LT(lb001, note);
  // What no diagram draws is listed below the chains.
  const size_t below = html.find("Findings on no load balancer's diagram");
  ASSERT_NE(below, std::string::npos) << html;
  EXPECT_GT(below, end);
  EXPECT_NE(html.find("data-nodes=\"\"", below), std::string::npos);
}

TEST(HtmlReport, BadBytesAndMarkupInInputsStayText) {
  testing::TempDir tmp;
  const RunResult r =
      runOn({tmp.file("bad.tfplan.json", "{\"x\": \"<script>alert(1)</script>\xff")});
  const std::string html = renderHtml(r.sources, r.graph, r.findings);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("No load-balancer chain in the inputs."), std::string::npos);
}

}  // namespace
}  // namespace lbcheck

// Graphviz is loaded when the HTML report draws (dlopen): when it cannot be,
// the reason names the package to install, and no handle is returned.
TEST(Html, SaysWhyGraphvizCannotBeLoaded) {
  void* handle = nullptr;
  const std::string why = lbcheck::loadGraphvizFrom("libgvc-not-installed.so.99",
                                                    "libcgraph-not-installed.so.99", &handle);
  EXPECT_EQ(handle, nullptr);
  EXPECT_NE(why.find("Graphviz cannot be loaded"), std::string::npos) << why;
  EXPECT_NE(why.find("libcgraph-not-installed.so.99"), std::string::npos) << why;
  EXPECT_NE(why.find("libgvc6"), std::string::npos) << why;
}
