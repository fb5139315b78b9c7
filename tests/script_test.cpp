// The shell reader (parsers/script/shell.*) and the gcloud flag mapping
// (parsers/script/gcloud.*). Expected request bodies were recorded with the
// gcloud 528 installed here, offline, with a fake token:
//   CLOUDSDK_CORE_PROJECT=demo-proj CLOUDSDK_AUTH_ACCESS_TOKEN=fake gcloud ... --log-http
// (the request is printed, then DNS fails; nothing leaves the machine).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/rule.h"
#include "engine/source.h"
#include "parsers/script/gcloud.h"
#include "parsers/script/shell.h"

namespace lbcheck {
namespace {

struct Read {
  SourceManager sources;
  script::Script script;
};

std::unique_ptr<Read> readShell(const std::string& text, bool markdown = false) {
  auto r = std::make_unique<Read>();
  SourceFile& f = r->sources.add(markdown ? "t.md" : "t.sh", text);
  r->script =
      script::read(f, markdown ? script::markdownBlocks(f.text()) : script::wholeFile(f.text()));
  return r;
}

std::vector<std::string> words(const script::Command& c) {
  std::vector<std::string> out;
  for (const auto& w : c.words) out.push_back(w.unknown ? "?" : w.text);
  return out;
}

std::string at(const Read& r, Span s) {
  return std::string(r.sources.get(s.file).text().substr(s.begin, s.end - s.begin));
}

TEST(ShellReader, ContinuationsQuotesCommentsAndChains) {
  auto r = readShell(
      "# comment\n"
      "gcloud a \\\n  --x='single $X' --y \"double\" # trailing\n"
      "echo one && echo two; echo three | cat\n");
  ASSERT_EQ(r->script.commands.size(), 5u);
  EXPECT_EQ(words(r->script.commands[0]),
            (std::vector<std::string>{"gcloud", "a", "--x=single $X", "--y", "double"}));
  EXPECT_EQ(words(r->script.commands[1]), (std::vector<std::string>{"echo", "one"}));
  EXPECT_EQ(words(r->script.commands[4]), (std::vector<std::string>{"cat"}));
  EXPECT_EQ(at(*r, r->script.commands[0].words[2].span), "--x='single $X'");
  EXPECT_TRUE(r->script.problems.empty());
}

TEST(ShellReader, VariablesInOrderAndUnknownsStayUnknown) {
  auto r = readShell(
      "REGION=us-central1\n"
      "echo $REGION ${REGION} \"${REGION}-a\" ${ZONE:-us-east1-b} ${UNSET} $(date) `date`\n"
      "export REGION=europe-west1 NAME=${NAME:=neg}\n"
      "echo $REGION $NAME $1\n"
      "P=$(gcloud config get-value project)\n"
      "echo $P\n"
      "unset REGION\n"
      "echo $REGION\n");
  ASSERT_EQ(r->script.commands.size(), 4u);
  EXPECT_EQ(words(r->script.commands[0]),
            (std::vector<std::string>{"echo", "us-central1", "us-central1", "us-central1-a",
                                      "us-east1-b", "?", "?", "?"}));
  EXPECT_EQ(words(r->script.commands[1]),
            (std::vector<std::string>{"echo", "europe-west1", "neg", "?"}));
  // The command substitution's own gcloud command is not run, and P is unknown.
  EXPECT_EQ(words(r->script.commands[2]), (std::vector<std::string>{"echo", "?"}));
  EXPECT_EQ(words(r->script.commands[3]), (std::vector<std::string>{"echo", "?"}));
}

TEST(ShellReader, LoopsConditionalsAndFunctionsAreWalkedOnce) {
  auto r = readShell(
      "for R in us-central1 europe-west1; do\n"
      "  gcloud x --region=$R\n"
      "done\n"
      "if [ -n \"$A\" ]; then gcloud y; else gcloud z; fi\n"
      "setup() {\n  gcloud w\n}\n"
      "cat <<EOF\ngcloud not-a-command\nEOF\n"
      "echo done 2>/dev/null >out.txt\n");
  std::vector<std::vector<std::string>> got;
  for (const auto& c : r->script.commands) got.push_back(words(c));
  const std::vector<std::vector<std::string>> want = {{"gcloud", "x", "?"},
                                                      {"[", "-n", "?", "]"},
                                                      {"gcloud", "y"},
                                                      {"gcloud", "z"},
                                                      {"setup"},
                                                      {"gcloud", "w"},
                                                      {"cat"},
                                                      {"echo", "done"}};
  EXPECT_EQ(got, want);
}

TEST(ShellReader, BrokenContinuationIsALocatedProblem) {
  auto r = readShell("gcloud a \\ # why\n  --b=1\ngcloud c --d \\ \n  --e\n");
  ASSERT_EQ(r->script.problems.size(), 2u);
  EXPECT_EQ(r->sources.get(0).locate(r->script.problems[0].span.begin).line, 1u);
  EXPECT_EQ(r->sources.get(0).locate(r->script.problems[0].span.begin).column, 10u);
  EXPECT_NE(r->script.problems[0].message.find("comment"), std::string::npos);
  // Read on as the author meant: one command each.
  ASSERT_EQ(r->script.commands.size(), 2u);
  EXPECT_EQ(words(r->script.commands[0]), (std::vector<std::string>{"gcloud", "a", "--b=1"}));
  EXPECT_EQ(words(r->script.commands[1]), (std::vector<std::string>{"gcloud", "c", "--d", "--e"}));
}

TEST(ShellReader, UnterminatedQuoteIsAProblemNotACrash) {
  auto r = readShell("echo 'abc\n");
  ASSERT_EQ(r->script.problems.size(), 1u);
  EXPECT_EQ(r->script.problems[0].span.begin, 5u);
}

TEST(Markdown, ShellBlocksOnlyAndConsolePrompts) {
  auto r = readShell(
      "# T\n\n```bash\nexport A=1\n```\n\n```python\nprint(1)\n```\n\n"
      "```console\n$ echo $A \\\n  two\noutput line\n$ echo three\n```\n\n"
      "~~~sh\necho four\n~~~\n",
      true);
  std::vector<std::vector<std::string>> got;
  for (const auto& c : r->script.commands) got.push_back(words(c));
  const std::vector<std::vector<std::string>> want = {
      {"echo", "1", "two"}, {"echo", "three"}, {"echo", "four"}};
  EXPECT_EQ(got, want);
  // Locations point into the Markdown file.
  EXPECT_EQ(r->sources.get(0).locate(r->script.commands[0].span.begin).line, 12u);
  EXPECT_EQ(r->sources.get(0).locate(r->script.commands[0].span.begin).column, 3u);
}

TEST(Markdown, ShebangDetection) {
  EXPECT_TRUE(script::hasShellShebang("#!/bin/bash\n"));
  EXPECT_TRUE(script::hasShellShebang("#! /usr/bin/env -S bash -e\n"));
  EXPECT_TRUE(script::hasShellShebang("#!/bin/sh"));
  EXPECT_FALSE(script::hasShellShebang("#!/usr/bin/env python3\n"));
  EXPECT_FALSE(script::hasShellShebang("{\"a\": 1}"));
}

// ---------------------------------------------------------------------------
// The gcloud mapping.

struct Lowered {
  SourceManager sources;
  Graph graph;
  std::vector<Finding> diags;
  const Resource& get(Kind k, std::string_view name) const {
    for (const auto& r : graph.resources())
      if (r.id.kind == k && r.id.name == name) return r;
    ADD_FAILURE() << "no " << kindLabel(k) << " " << name;
    static const Resource none;
    return none;
  }
  std::string text(Span s) const {
    return std::string(sources.get(s.file).text().substr(s.begin, s.end - s.begin));
  }
};

std::unique_ptr<Lowered> lowerScript(const std::string& text) {
  auto l = std::make_unique<Lowered>();
  SourceFile& f = l->sources.add("t.sh", text);
  gcloud::load(f, false, l->graph, l->diags);
  l->graph.resolve();
  return l;
}

std::string link(const Field& f) { return f.ref->identity ? f.ref->identity->str() : "-"; }

// $ gcloud compute networks create lb-network --subnet-mode=custom
// {"autoCreateSubnetworks": false, "name": "lb-network", "routingConfig": {"routingMode":
// "REGIONAL"}} $ gcloud compute networks create net2
// {"autoCreateSubnetworks": true, "name": "net2", "routingConfig": {"routingMode": "REGIONAL"}}
TEST(GcloudMapping, Networks) {
  auto l = lowerScript(
      "gcloud compute networks create lb-network --subnet-mode=custom\n"
      "gcloud compute networks create net2\n");
  const Resource& n = l->get(Kind::Network, "lb-network");
  EXPECT_EQ(n.id.scope.type, Scope::Type::Global);
  EXPECT_TRUE(n.field("autoCreateSubnetworks").is("false"));
  EXPECT_EQ(n.field("autoCreateSubnetworks").state, State::Known);
  EXPECT_EQ(n.field("routingConfig.routingMode").state, State::Defaulted);
  EXPECT_TRUE(n.field("routingConfig.routingMode").is("REGIONAL"));
  const Resource& n2 = l->get(Kind::Network, "net2");
  EXPECT_EQ(n2.field("autoCreateSubnetworks").state, State::Defaulted);
  EXPECT_TRUE(n2.field("autoCreateSubnetworks").is("true"));
}

// $ gcloud compute networks subnets create proxy-only-subnet --purpose=REGIONAL_MANAGED_PROXY
//     --role=ACTIVE --region=us-central1 --network=lb-network --range=10.129.0.0/23
// {"ipCidrRange": "10.129.0.0/23", "name": "proxy-only-subnet", "network":
//  ".../global/networks/lb-network", "purpose": "REGIONAL_MANAGED_PROXY", "role": "ACTIVE"}
// $ gcloud compute networks subnets create lb-subnet --network=lb-network --range=10.1.2.0/24
//     --region=us-central1
// {"ipCidrRange": "10.1.2.0/24", "name": "lb-subnet", "network": ".../global/networks/lb-network",
//  "privateIpGoogleAccess": false}
// $ gcloud compute networks subnets update s1 --region=us-central1 --role=BACKUP
// ERROR: (gcloud.compute.networks.subnets.update) argument --role: Invalid choice: 'BACKUP'.
TEST(GcloudMapping, Subnets) {
  auto l = lowerScript(
      "gcloud compute networks subnets create proxy-only-subnet --purpose=REGIONAL_MANAGED_PROXY "
      "--role=ACTIVE --region=us-central1 --network=lb-network --range=10.129.0.0/23\n"
      "gcloud compute networks subnets create lb-subnet --network=lb-network "
      "--range=10.1.2.0/24 --region=us-central1\n"
      "gcloud compute networks subnets update proxy-only-subnet --region=us-central1 "
      "--role=BACKUP\n");
  const Resource& p = l->get(Kind::Subnetwork, "proxy-only-subnet");
  EXPECT_EQ(p.id.scope.str(), "regions/us-central1");
  EXPECT_TRUE(p.field("ipCidrRange").is("10.129.0.0/23"));
  EXPECT_TRUE(p.field("purpose").is("REGIONAL_MANAGED_PROXY"));
  EXPECT_EQ(p.field("purpose").spelling, "--purpose");
  EXPECT_TRUE(p.field("purpose").authored);
  EXPECT_EQ(l->text(p.field("purpose").span), "REGIONAL_MANAGED_PROXY");
  EXPECT_EQ(link(p.field("network")), "projects/?/global/networks/lb-network");
  const Resource& s = l->get(Kind::Subnetwork, "lb-subnet");
  EXPECT_EQ(s.field("purpose").state, State::Absent);
  EXPECT_EQ(s.field("privateIpGoogleAccess").state, State::Defaulted);
  ASSERT_EQ(l->diags.size(), 1u);
  EXPECT_NE(l->diags[0].message.find("Invalid choice"), std::string::npos);
}

// After a bare `--` every word is positional, as in argparse (the fix fuzzer
// found `create -- NAME` read as a flag `--` whose value was the name).
TEST(GcloudMapping, DoubleDashEndsTheFlags) {
  auto l = lowerScript(
      "gcloud compute networks subnets create --region=us-central1 --network=n "
      "--range=10.1.0.0/24 -- s1\n");
  const Resource& s = l->get(Kind::Subnetwork, "s1");
  EXPECT_EQ(s.id.scope.str(), "regions/us-central1");
  EXPECT_TRUE(s.field("ipCidrRange").is("10.1.0.0/24"));
}

// $ gcloud compute network-endpoint-groups create run-neg --region=us-central1
//     --network-endpoint-type=serverless --cloud-run-service=orders-api
// {"cloudRun": {"service": "orders-api"}, "name": "run-neg", "networkEndpointType": "SERVERLESS"}
// $ gcloud compute network-endpoint-groups create run-neg-mask --region=us-central1
//     --network-endpoint-type=serverless --cloud-run-url-mask=<service>.internal.example.com
// {"cloudRun": {"urlMask": "<service>.internal.example.com"}, "name": "run-neg-mask", ...}
// $ gcloud compute network-endpoint-groups create n3 ... --cloud-run-service=s --cloud-run-tag=t
// {"cloudRun": {"service": "s", "tag": "t"}, "name": "n3", "networkEndpointType": "SERVERLESS"}
// $ gcloud compute network-endpoint-groups create n1 --region=us-central1 --cloud-run-service=s
// ERROR: ... Type gce-vm-ip-port must be specified in the zonal scope.
TEST(GcloudMapping, ServerlessNegs) {
  auto l = lowerScript(
      "gcloud compute network-endpoint-groups create run-neg --region=us-central1 "
      "--network-endpoint-type=serverless --cloud-run-service=orders-api\n"
      "gcloud compute network-endpoint-groups create run-neg-mask --region=us-central1 "
      "--network-endpoint-type=serverless "
      "--cloud-run-url-mask='<service>.internal.example.com'\n"
      "gcloud compute network-endpoint-groups create n3 --region=us-central1 "
      "--network-endpoint-type=serverless --cloud-run-service=s --cloud-run-tag=t\n"
      "gcloud compute network-endpoint-groups create n1 --region=us-central1 "
      "--cloud-run-service=s\n");
  const Resource& n = l->get(Kind::NetworkEndpointGroup, "run-neg");
  EXPECT_TRUE(n.field("networkEndpointType").is("SERVERLESS"));
  EXPECT_TRUE(n.field("cloudRun.service").is("orders-api"));
  EXPECT_EQ(link(n.field("cloudRun.service")),
            "projects/?/locations/us-central1/services/orders-api");
  const Resource& m = l->get(Kind::NetworkEndpointGroup, "run-neg-mask");
  EXPECT_TRUE(m.field("cloudRun.urlMask").is("<service>.internal.example.com"));
  EXPECT_EQ(l->text(m.field("cloudRun.urlMask").span), "'<service>.internal.example.com'");
  EXPECT_TRUE(l->get(Kind::NetworkEndpointGroup, "n3").field("cloudRun.tag").is("t"));
  const Field& t = l->get(Kind::NetworkEndpointGroup, "n1").field("networkEndpointType");
  EXPECT_EQ(t.state, State::Defaulted);
  EXPECT_EQ(t.text, "GCE_VM_IP_PORT");
  EXPECT_EQ(t.defaultedBy, "gcloud");
}

// $ gcloud compute backend-services create run-backend --load-balancing-scheme=INTERNAL_MANAGED
//     --protocol=HTTP --region=us-central1
// {"loadBalancingScheme": "INTERNAL_MANAGED", "name": "run-backend", "protocol": "HTTP",
// "timeoutSec": 30} $ gcloud compute backend-services create bs2 --region=us-central1
// {"loadBalancingScheme": "EXTERNAL", "name": "bs2", "protocol": "TCP", "timeoutSec": 30}
// $ gcloud compute backend-services create bs3 --global
// {"name": "bs3", "portName": "http", "protocol": "HTTP", "timeoutSec": 30}
// $ gcloud compute backend-services create b5 --region=us-central1
//     --load-balancing-scheme=INTERNAL_MANAGED --protocol=HTTP --timeout=45s
// {"loadBalancingScheme": "INTERNAL_MANAGED", "name": "b5", "protocol": "HTTP", "timeoutSec": 45}
// $ gcloud compute backend-services create bs4
// ERROR: ... Underspecified resource [bs4]. Specify one of the [--global, --region] flags.
TEST(GcloudMapping, BackendServicesAndDefaults) {
  auto l = lowerScript(
      "gcloud compute backend-services create run-backend --load-balancing-scheme=INTERNAL_MANAGED "
      "--protocol=HTTP --region=us-central1\n"
      "gcloud compute backend-services create bs2 --region=us-central1\n"
      "gcloud compute backend-services create bs3 --global\n"
      "gcloud compute backend-services create b5 --region=us-central1 "
      "--load-balancing-scheme=internal_managed --protocol=http --timeout=45s\n"
      "gcloud compute backend-services create bs4\n");
  const Resource& a = l->get(Kind::BackendService, "run-backend");
  EXPECT_TRUE(a.field("loadBalancingScheme").is("INTERNAL_MANAGED"));
  EXPECT_EQ(a.field("loadBalancingScheme").spelling, "--load-balancing-scheme");
  EXPECT_TRUE(a.field("protocol").is("HTTP"));
  EXPECT_EQ(a.field("timeoutSec").state, State::Defaulted);
  EXPECT_TRUE(a.field("timeoutSec").is("30"));
  const Resource& b = l->get(Kind::BackendService, "bs2");
  EXPECT_EQ(b.field("loadBalancingScheme").state, State::Defaulted);
  EXPECT_TRUE(b.field("loadBalancingScheme").is("EXTERNAL"));
  EXPECT_TRUE(b.field("protocol").is("TCP"));
  const Resource& c = l->get(Kind::BackendService, "bs3");
  EXPECT_EQ(c.id.scope.type, Scope::Type::Global);
  EXPECT_EQ(c.field("loadBalancingScheme").state, State::Absent);  // not sent
  EXPECT_TRUE(c.field("protocol").is("HTTP"));
  EXPECT_TRUE(c.field("portName").is("http"));
  const Resource& d = l->get(Kind::BackendService, "b5");
  EXPECT_TRUE(d.field("loadBalancingScheme").is("INTERNAL_MANAGED"));  // case-insensitive
  EXPECT_TRUE(d.field("protocol").is("HTTP"));
  EXPECT_TRUE(d.field("timeoutSec").is("45"));
  ASSERT_EQ(l->diags.size(), 1u);
  EXPECT_NE(l->diags[0].message.find("Underspecified"), std::string::npos);
}

// add-backend / remove-backend GET the backend service first (the body was not captured offline);
// the mapping follows gcloud's add_backend.py: backends[]{group, balancingMode if given}.
TEST(GcloudMapping, AddAndRemoveBackend) {
  auto l = lowerScript(
      "gcloud compute backend-services add-backend run-backend --region=us-central1 "
      "--network-endpoint-group=orders-neg --network-endpoint-group-region=us-central1\n"
      "gcloud compute backend-services add-backend run-backend --region=us-central1 "
      "--network-endpoint-group=other-neg --network-endpoint-group-region=us-central1 "
      "--balancing-mode=rate\n"
      "gcloud compute backend-services remove-backend run-backend --region=us-central1 "
      "--network-endpoint-group=orders-neg --network-endpoint-group-region=us-central1\n");
  const Resource& b = l->get(Kind::BackendService, "run-backend");
  EXPECT_TRUE(b.partial);  // never created here: the rest is unknown
  EXPECT_EQ(b.field("loadBalancingScheme").state, State::Unknown);
  EXPECT_EQ(b.listSize("backends"), 1u);
  EXPECT_EQ(link(b.field("backends[0].group")),
            "projects/?/regions/us-central1/networkEndpointGroups/other-neg");
  EXPECT_TRUE(b.field("backends[0].balancingMode").is("RATE"));
  ASSERT_EQ(l->graph.timeline().size(), 3u);
  EXPECT_EQ(l->graph.timeline()[2].verb, Operation::Verb::RemoveBackend);
}

// $ gcloud compute url-maps create run-url-map --default-service=run-backend --region=us-central1
// {"defaultService": ".../regions/us-central1/backendServices/run-backend", "name": "run-url-map"}
// $ gcloud compute url-maps create m1 --default-service=bs
// uri: .../global/urlMaps   {"defaultService": ".../global/backendServices/bs", "name": "m1"}
// $ gcloud compute target-http-proxies create p4 --url-map=m --region=us-central1
// {"name": "p4", "urlMap": ".../regions/us-central1/urlMaps/m"}
// $ gcloud compute target-http-proxies create p1 --url-map=m
// uri: .../global/targetHttpProxies   {"name": "p1", "urlMap": ".../global/urlMaps/m"}
// $ gcloud compute target-https-proxies create run-https-proxy --url-map=run-url-map
//     --url-map-region=us-central1 --region=us-central1 --ssl-certificates=run-cert
//     --ssl-certificates-region=us-central1
// {"name": "run-https-proxy", "sslCertificates":
// [".../regions/us-central1/sslCertificates/run-cert"],
//  "urlMap": ".../regions/us-central1/urlMaps/run-url-map"}
// $ gcloud compute target-https-proxies create p2 --url-map=run-url-map
// --url-map-region=us-central1
//     --region=us-central1 --certificate-manager-certificates=c1 --http-keep-alive-timeout-sec=300
// {"httpKeepAliveTimeoutSec": 300, "name": "p2", "sslCertificates":
//  ["https://certificatemanager.googleapis.com/v1/projects/demo-proj/locations/us-central1/certificates/c1"],
//  ...}
TEST(GcloudMapping, UrlMapsAndProxiesInheritTheCommandsScope) {
  auto l = lowerScript(
      "gcloud compute url-maps create run-url-map --default-service=run-backend "
      "--region=us-central1\n"
      "gcloud compute url-maps create m1 --default-service=bs\n"
      "gcloud compute target-http-proxies create p4 --url-map=m --region=us-central1\n"
      "gcloud compute target-http-proxies create p1 --url-map=m\n"
      "gcloud compute target-https-proxies create run-https-proxy --url-map=run-url-map "
      "--url-map-region=us-central1 --region=us-central1 --ssl-certificates=run-cert "
      "--ssl-certificates-region=us-central1\n"
      "gcloud compute target-https-proxies create p2 --url-map=run-url-map "
      "--url-map-region=us-central1 --region=us-central1 --certificate-manager-certificates=c1 "
      "--http-keep-alive-timeout-sec=300\n");
  EXPECT_EQ(link(l->get(Kind::UrlMap, "run-url-map").field("defaultService")),
            "projects/?/regions/us-central1/backendServices/run-backend");
  EXPECT_EQ(l->get(Kind::UrlMap, "m1").id.scope.type, Scope::Type::Global);
  EXPECT_EQ(link(l->get(Kind::UrlMap, "m1").field("defaultService")),
            "projects/?/global/backendServices/bs");
  EXPECT_EQ(link(l->get(Kind::TargetHttpProxy, "p4").field("urlMap")),
            "projects/?/regions/us-central1/urlMaps/m");
  EXPECT_EQ(l->get(Kind::TargetHttpProxy, "p1").id.scope.type, Scope::Type::Global);
  EXPECT_EQ(link(l->get(Kind::TargetHttpProxy, "p1").field("urlMap")),
            "projects/?/global/urlMaps/m");
  const Resource& s = l->get(Kind::TargetHttpsProxy, "run-https-proxy");
  EXPECT_EQ(link(s.field("sslCertificates[0]")),
            "projects/?/regions/us-central1/sslCertificates/run-cert");
  const Resource& p2 = l->get(Kind::TargetHttpsProxy, "p2");
  EXPECT_TRUE(p2.field("httpKeepAliveTimeoutSec").is("300"));
  EXPECT_TRUE(p2.field("httpKeepAliveTimeoutSec").isNumber);
  EXPECT_EQ(link(p2.field("certificateManagerCertificates[0]")),
            "projects/?/locations/us-central1/certificates/c1");
}

// #17: the regional external and cross-region internal setup pages create their
// certificate with `gcloud certificate-manager certificates create`; it is read as the
// Certificate Manager certificate the .tf declares (location from --location, "global"
// without it; --scope=all-regions is ALL_REGIONS, DEFAULT when not written), so the
// proxy's --certificate-manager-certificates reaches it instead of staying unresolved.
TEST(GcloudMapping, CertificateManagerCertificatesAreRead) {
  auto l = lowerScript(
      "gcloud certificate-manager certificates create c1 --domains=a.example.com,b.example.com "
      "--dns-authorizations=auth --location=us-central1\n"
      "gcloud certificate-manager certificates create c2 --domains=a.example.com "
      "--dns-authorizations=auth --scope=all-regions\n"
      "gcloud certificate-manager certificates create c3 --certificate-file=cert.pem "
      "--private-key-file=key.pem\n"
      "gcloud compute target-https-proxies create p1 --url-map=m --region=us-central1 "
      "--certificate-manager-certificates=c1\n"
      "gcloud compute target-https-proxies create p2 --url-map=m --global "
      "--certificate-manager-certificates=c2\n");
  const Resource& c1 = l->get(Kind::CertificateManagerCertificate, "c1");
  EXPECT_EQ(c1.id.scope.type, Scope::Type::Location);
  EXPECT_EQ(c1.id.scope.name, "us-central1");
  EXPECT_TRUE(c1.field("scope").is("DEFAULT"));
  EXPECT_EQ(c1.field("scope").state, State::Defaulted);
  EXPECT_TRUE(c1.field("managed.domains[1]").is("b.example.com"));
  const Resource& c2 = l->get(Kind::CertificateManagerCertificate, "c2");
  EXPECT_EQ(c2.id.scope.type, Scope::Type::Location);
  EXPECT_EQ(c2.id.scope.name, "global");
  EXPECT_TRUE(c2.field("scope").is("ALL_REGIONS"));
  EXPECT_EQ(c2.field("scope").state, State::Known);
  const Resource& c3 = l->get(Kind::CertificateManagerCertificate, "c3");
  EXPECT_EQ(c3.field("selfManaged.pemCertificate").state, State::Unknown);
  EXPECT_EQ(c3.field("managed.domains[0]").state, State::Absent);
  // Each proxy's reference names the certificate created in its scope.
  EXPECT_EQ(l->graph.target(
                l->get(Kind::TargetHttpsProxy, "p1").field("certificateManagerCertificates[0]")),
            &c1);
  EXPECT_EQ(l->graph.target(
                l->get(Kind::TargetHttpsProxy, "p2").field("certificateManagerCertificates[0]")),
            &c2);
}

// #17: the external setup pages reserve the load balancer's address with `gcloud compute
// addresses create` and name it in the forwarding rule's --address; it is read as the
// address the .tf declares (global or regional, tier, internal when --subnet is given).
TEST(GcloudMapping, AddressesAreRead) {
  auto l = lowerScript(
      "gcloud compute addresses create ip1 --network-tier=PREMIUM --ip-version=IPV4 --global\n"
      "gcloud compute addresses create ip2 --region=us-central1 --network-tier=STANDARD\n"
      "gcloud compute addresses create ip3 --region=us-central1 --subnet=lb-subnet "
      "--addresses=10.1.2.99\n"
      "gcloud compute forwarding-rules create fr1 --load-balancing-scheme=EXTERNAL_MANAGED "
      "--address=ip1 --target-https-proxy=p --global --ports=443\n"
      "gcloud compute forwarding-rules create fr2 --load-balancing-scheme=EXTERNAL_MANAGED "
      "--network=lb-network --address=ip2 --target-https-proxy=p "
      "--target-https-proxy-region=us-central1 --region=us-central1 --ports=443\n");
  const Resource& ip1 = l->get(Kind::Address, "ip1");
  EXPECT_EQ(ip1.id.scope.type, Scope::Type::Global);
  EXPECT_TRUE(ip1.field("networkTier").is("PREMIUM"));
  EXPECT_TRUE(ip1.field("addressType").is("EXTERNAL"));
  const Resource& ip2 = l->get(Kind::Address, "ip2");
  EXPECT_EQ(ip2.id.scope.name, "us-central1");
  EXPECT_TRUE(ip2.field("networkTier").is("STANDARD"));
  const Resource& ip3 = l->get(Kind::Address, "ip3");
  EXPECT_TRUE(ip3.field("address").is("10.1.2.99"));
  EXPECT_TRUE(ip3.field("addressType").is("INTERNAL"));
  EXPECT_EQ(link(ip3.field("subnetwork")), "projects/?/regions/us-central1/subnetworks/lb-subnet");
  EXPECT_EQ(l->graph.target(l->get(Kind::ForwardingRule, "fr1").field("IPAddress")), &ip1);
  EXPECT_EQ(l->graph.target(l->get(Kind::ForwardingRule, "fr2").field("IPAddress")), &ip2);
}

// $ gcloud compute forwarding-rules create run-https-fr --load-balancing-scheme=INTERNAL_MANAGED
//     --network=lb-network --subnet=lb-subnet --address=10.1.2.99
//     --target-https-proxy=run-https-proxy
//     --target-https-proxy-region=us-central1 --region=us-central1 --ports=443
// {"IPAddress": "10.1.2.99", "loadBalancingScheme": "INTERNAL_MANAGED", "name": "run-https-fr",
//  "network": ".../global/networks/lb-network", "portRange": "443",
//  "subnetwork": ".../regions/us-central1/subnetworks/lb-subnet",
//  "target": ".../regions/us-central1/targetHttpsProxies/run-https-proxy"}
// $ gcloud compute forwarding-rules create f3 --region=us-central1
//     --load-balancing-scheme=INTERNAL_MANAGED --subnet=lb-subnet --network=lb-network
//     --target-http-proxy=p --ip-protocol=TCP --allow-global-access --port-range=8080
// {"IPProtocol": "TCP", "allowGlobalAccess": true, ..., "portRange": "8080",
//  "target": ".../global/targetHttpProxies/p"}      <- the quirk: a global proxy
// $ gcloud compute forwarding-rules create fr1 --target-http-proxy=p --ports=80
//     --region=us-central1 --network=n --subnet=s
// {"loadBalancingScheme": "EXTERNAL", ...}
// $ gcloud compute forwarding-rules create f2 ... --ports=80,8080
// ERROR: ... Invalid value for [--ports]: Must specify consecutive ports at this time.
// $ gcloud compute forwarding-rules create f3 ... --allow-global-access=true
// ERROR: ... argument --allow-global-access: ignored explicit argument 'true'
TEST(GcloudMapping, ForwardingRulesAndTheGlobalProxyQuirk) {
  auto l = lowerScript(
      "gcloud compute forwarding-rules create run-https-fr "
      "--load-balancing-scheme=INTERNAL_MANAGED --network=lb-network --subnet=lb-subnet "
      "--address=10.1.2.99 --target-https-proxy=run-https-proxy "
      "--target-https-proxy-region=us-central1 --region=us-central1 --ports=443\n"
      "gcloud compute forwarding-rules create f3 --region=us-central1 "
      "--load-balancing-scheme=INTERNAL_MANAGED --subnet=lb-subnet --network=lb-network "
      "--target-http-proxy=p --ip-protocol=TCP --allow-global-access --port-range=8080\n"
      "gcloud compute forwarding-rules create fr1 --target-http-proxy=p --ports=80 "
      "--region=us-central1 --network=n --subnet=s\n"
      "gcloud compute forwarding-rules create f2 --region=us-central1 --ports=80,8080 "
      "--allow-global-access=true\n");
  const Resource& a = l->get(Kind::ForwardingRule, "run-https-fr");
  EXPECT_TRUE(a.field("IPAddress").is("10.1.2.99"));
  EXPECT_FALSE(a.field("IPAddress").ref->identity.has_value());
  EXPECT_TRUE(a.field("portRange").is("443"));
  EXPECT_EQ(link(a.field("network")), "projects/?/global/networks/lb-network");
  EXPECT_EQ(link(a.field("subnetwork")), "projects/?/regions/us-central1/subnetworks/lb-subnet");
  EXPECT_EQ(link(a.field("target")),
            "projects/?/regions/us-central1/targetHttpsProxies/run-https-proxy");
  const Resource& b = l->get(Kind::ForwardingRule, "f3");
  EXPECT_EQ(link(b.field("target")), "projects/?/global/targetHttpProxies/p");
  EXPECT_TRUE(b.field("IPProtocol").is("TCP"));
  EXPECT_TRUE(b.field("allowGlobalAccess").is("true"));
  EXPECT_TRUE(b.field("portRange").is("8080"));
  const Resource& c = l->get(Kind::ForwardingRule, "fr1");
  EXPECT_EQ(c.field("loadBalancingScheme").state, State::Defaulted);
  EXPECT_TRUE(c.field("loadBalancingScheme").is("EXTERNAL"));
  ASSERT_EQ(l->diags.size(), 2u);
}

// $ gcloud compute firewall-rules create fw-allow-ssh --network=lb-network --action=allow
//     --direction=ingress --target-tags=allow-ssh --rules=tcp:22
// {"allowed": [{"IPProtocol": "tcp", "ports": ["22"]}], "direction": "INGRESS",
//  "name": "fw-allow-ssh", "network": ".../global/networks/lb-network", "targetTags":
//  ["allow-ssh"]}
// $ gcloud compute ssl-certificates create c1 --domains=a.example.com --global
// {"managed": {"domains": ["a.example.com"]}, "name": "c1", "type": "MANAGED"}
TEST(GcloudMapping, FirewallsCertificatesInstancesAndCloudRun) {
  auto l = lowerScript(
      "gcloud compute firewall-rules create fw-allow-ssh --network=lb-network --action=allow "
      "--direction=ingress --target-tags=allow-ssh --rules=tcp:22\n"
      "gcloud compute ssl-certificates create c1 --domains=a.example.com --global\n"
      "gcloud compute instances create vm-client --network=lb-network --subnet=lb-subnet "
      "--zone=us-central1-a\n"
      "gcloud run deploy orders-api --region=us-central1 --allow-unauthenticated\n"
      "gcloud run services update orders-api --region=us-central1 "
      "--ingress=internal-and-cloud-load-balancing\n");
  const Resource& f = l->get(Kind::Firewall, "fw-allow-ssh");
  EXPECT_TRUE(f.field("allowed[0].IPProtocol").is("tcp"));
  EXPECT_TRUE(f.field("allowed[0].ports[0]").is("22"));
  EXPECT_TRUE(f.field("direction").is("INGRESS"));
  EXPECT_TRUE(f.field("targetTags[0]").is("allow-ssh"));
  EXPECT_EQ(link(f.field("network")), "projects/?/global/networks/lb-network");
  const Resource& c = l->get(Kind::SslCertificate, "c1");
  EXPECT_TRUE(c.field("type").is("MANAGED"));
  EXPECT_TRUE(c.field("managed.domains[0]").is("a.example.com"));
  const Resource& vm = l->get(Kind::Instance, "vm-client");
  EXPECT_EQ(link(vm.field("networkInterfaces[0].subnetwork")),
            "projects/?/regions/us-central1/subnetworks/lb-subnet");
  const Resource& run = l->get(Kind::RunService, "orders-api");
  EXPECT_TRUE(run.field("ingress").is("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"));
  const Resource& grant = l->get(Kind::IamMember, "allUsers");
  EXPECT_TRUE(grant.field("role").is("roles/run.invoker"));
  EXPECT_EQ(l->graph.target(grant.field("resource")), &run);
}

TEST(GcloudMapping, ConfigAndDeletesShapeTheTimeline) {
  auto l = lowerScript(
      "gcloud config set compute/region europe-west1\n"
      "gcloud compute networks subnets create s --network=n --range=10.0.0.0/24\n"
      "gcloud beta compute url-maps delete m1 m2 --region=europe-west1 --quiet\n"
      "gcloud compute url-maps describe m3 --region=europe-west1\n"
      "gcloud storage buckets create gs://x\n");
  EXPECT_EQ(l->get(Kind::Subnetwork, "s").id.scope.str(), "regions/europe-west1");
  EXPECT_EQ(l->get(Kind::Subnetwork, "s").field("region").state, State::Defaulted);
  EXPECT_EQ(l->get(Kind::UrlMap, "m2").lifecycle, Lifecycle::Delete);
  ASSERT_EQ(l->graph.timeline().size(), 3u);
  EXPECT_EQ(l->graph.timeline()[1].verb, Operation::Verb::Delete);
  EXPECT_EQ(l->text(l->graph.timeline()[2].nameSpan), "m2");
}

}  // namespace
}  // namespace lbcheck
