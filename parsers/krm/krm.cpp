#include "parsers/krm/krm.h"

#include <array>
#include <span>

#include "engine/fix.h"
#include "engine/link.h"
#include "parsers/common/entries.h"
#include "parsers/common/lower.h"

namespace lbcheck::krm {

namespace {

using json::Value;
using lower::PathMap;
using lower::RefStyle;
constexpr RefStyle K = RefStyle::Krm;

constexpr PathMap kNetwork[] = {
    {"spec.autoCreateSubnetworks", "autoCreateSubnetworks"},
    {"spec.routingMode", "routingConfig.routingMode"},
};
constexpr PathMap kSubnetwork[] = {
    {"spec.networkRef", "network", Kind::Network, K},
    {"spec.ipCidrRange", "ipCidrRange"},
    {"spec.purpose", "purpose"},
    {"spec.role", "role"},
    {"spec.secondaryIpRange[*].ipCidrRange", "secondaryIpRanges[*].ipCidrRange"},
    {"spec.logConfig", "logConfig"},
    {"spec.privateIpGoogleAccess", "privateIpGoogleAccess"},
};
constexpr PathMap kNeg[] = {
    {"spec.networkEndpointType", "networkEndpointType"},
    {"spec.cloudRun", "cloudRun"},
    {"spec.appEngine", "appEngine"},
    {"spec.cloudFunction", "cloudFunction"},
    {"spec.cloudRun.serviceRef", "cloudRun.service", Kind::RunService, K},
    {"spec.cloudRun.tag", "cloudRun.tag"},
    {"spec.cloudRun.urlMask", "cloudRun.urlMask"},
    {"spec.cloudFunction.urlMask", "cloudFunction.urlMask"},
    {"spec.networkRef", "network", Kind::Network, K},
    {"spec.subnetworkRef", "subnetwork", Kind::Subnetwork, K},
    {"spec.pscTargetService", "pscTargetService"},
    {"spec.defaultPort", "defaultPort"},
};
constexpr PathMap kBackendService[] = {
    {"spec.loadBalancingScheme", "loadBalancingScheme"},
    {"spec.protocol", "protocol"},
    {"spec.backend[*].group.networkEndpointGroupRef", "backends[*].group",
     Kind::NetworkEndpointGroup, K},
    {"spec.backend[*].group.instanceGroupRef", "backends[*].group", Kind::InstanceGroup, K},
    {"spec.backend[*].balancingMode", "backends[*].balancingMode"},
    {"spec.backend[*].capacityScaler", "backends[*].capacityScaler"},
    {"spec.backend[*].maxRate", "backends[*].maxRate"},
    {"spec.backend[*].maxRatePerEndpoint", "backends[*].maxRatePerEndpoint"},
    {"spec.backend[*].maxRatePerInstance", "backends[*].maxRatePerInstance"},
    {"spec.backend[*].maxConnections", "backends[*].maxConnections"},
    {"spec.backend[*].maxConnectionsPerEndpoint", "backends[*].maxConnectionsPerEndpoint"},
    {"spec.backend[*].maxConnectionsPerInstance", "backends[*].maxConnectionsPerInstance"},
    {"spec.backend[*].maxUtilization", "backends[*].maxUtilization"},
    {"spec.affinityCookieTtlSec", "affinityCookieTtlSec"},
    {"spec.consistentHash", "consistentHash"},
    {"spec.localityLbPolicy", "localityLbPolicy"},
    {"spec.outlierDetection", "outlierDetection"},
    {"spec.iap", "iap"},
    {"spec.iap.enabled", "iap.enabled"},
    {"spec.enableCdn", "enableCDN"},
    {"spec.cdnPolicy", "cdnPolicy"},
    {"spec.securityPolicyRef", "securityPolicy", Kind::SecurityPolicy, K},
    {"spec.edgeSecurityPolicyRef", "edgeSecurityPolicy", Kind::SecurityPolicy, K},
    {"spec.logConfig", "logConfig"},
    {"spec.healthChecks[*].healthCheckRef", "healthChecks[*]", Kind::HealthCheck, K},
    {"spec.timeoutSec", "timeoutSec"},
    {"spec.portName", "portName"},
    {"spec.sessionAffinity", "sessionAffinity"},
    {"spec.networkRef", "network", Kind::Network, K},
};
constexpr PathMap kUrlMap[] = {
    {"spec.defaultService.backendServiceRef", "defaultService", Kind::BackendService, K},
    {"spec.defaultService.backendBucketRef", "defaultService", Kind::BackendBucket, K},
    {"spec.defaultUrlRedirect", "defaultUrlRedirect"},
    {"spec.defaultUrlRedirect.httpsRedirect", "defaultUrlRedirect.httpsRedirect"},
    {"spec.defaultRouteAction.weightedBackendServices[*].backendServiceRef",
     "defaultRouteAction.weightedBackendServices[*].backendService", Kind::BackendService, K},
    {"spec.defaultRouteAction.requestMirrorPolicy.backendServiceRef",
     "defaultRouteAction.requestMirrorPolicy.backendService", Kind::BackendService, K},
    {"spec.pathMatcher[*].defaultRouteAction.weightedBackendServices[*].backendServiceRef",
     "pathMatchers[*].defaultRouteAction.weightedBackendServices[*].backendService",
     Kind::BackendService, K},
    {"spec.defaultCustomErrorResponsePolicy", "defaultCustomErrorResponsePolicy"},
    {"spec.hostRule[*].hosts[*]", "hostRules[*].hosts[*]"},
    {"spec.hostRule[*].pathMatcher", "hostRules[*].pathMatcher"},
    {"spec.pathMatcher[*].defaultUrlRedirect", "pathMatchers[*].defaultUrlRedirect"},
    {"spec.pathMatcher[*].pathRule[*].paths[*]", "pathMatchers[*].pathRules[*].paths[*]"},
    {"spec.pathMatcher[*].routeRules[*].service.backendServiceRef",
     "pathMatchers[*].routeRules[*].service", Kind::BackendService, K},
    {"spec.pathMatcher[*].name", "pathMatchers[*].name"},
    {"spec.pathMatcher[*].defaultService.backendServiceRef", "pathMatchers[*].defaultService",
     Kind::BackendService, K},
    {"spec.pathMatcher[*].pathRule[*].service.backendServiceRef",
     "pathMatchers[*].pathRules[*].service", Kind::BackendService, K},
};
constexpr PathMap kHttpProxy[] = {
    {"spec.urlMapRef", "urlMap", Kind::UrlMap, K},
    {"spec.httpKeepAliveTimeoutSec", "httpKeepAliveTimeoutSec"},
};
constexpr PathMap kHttpsProxy[] = {
    {"spec.urlMapRef", "urlMap", Kind::UrlMap, K},
    {"spec.httpKeepAliveTimeoutSec", "httpKeepAliveTimeoutSec"},
    {"spec.sslCertificates[*]", "sslCertificates[*]", Kind::SslCertificate, K},
    {"spec.certificateManagerCertificates[*]", "certificateManagerCertificates[*]",
     Kind::CertificateManagerCertificate, K},
    {"spec.serverTlsPolicyRef", "serverTlsPolicy", Kind::Unknown, K},
    {"spec.sslPolicyRef", "sslPolicy", Kind::SslPolicy, K},
    {"spec.certificateMapRef", "certificateMap", Kind::Unknown, K},
    {"spec.quicOverride", "quicOverride"},
};
constexpr PathMap kForwardingRule[] = {
    {"spec.loadBalancingScheme", "loadBalancingScheme"},
    {"spec.target.targetHTTPProxyRef", "target", Kind::TargetHttpProxy, K},
    {"spec.target.targetHTTPSProxyRef", "target", Kind::TargetHttpsProxy, K},
    // Targets of other load balancers (proxy Network Load Balancers, PSC): a target
    // lbcheck does not model, never a missing one.
    {"spec.target.targetTCPProxyRef", "target", Kind::Unknown, K},
    {"spec.target.targetSSLProxyRef", "target", Kind::Unknown, K},
    {"spec.target.targetGRPCProxyRef", "target", Kind::Unknown, K},
    {"spec.target.serviceAttachmentRef", "target", Kind::Unknown, K},
    {"spec.target.googleAPIsBundle", "target"},
    {"spec.backendServiceRef", "backendService", Kind::BackendService, K},
    {"spec.networkRef", "network", Kind::Network, K},
    {"spec.subnetworkRef", "subnetwork", Kind::Subnetwork, K},
    {"spec.ipAddress.ip", "IPAddress"},
    {"spec.ipAddress.addressRef", "IPAddress", Kind::Address, K},
    {"spec.ipProtocol", "IPProtocol"},
    {"spec.portRange", "portRange"},
    {"spec.ports[*]", "ports[*]"},
    {"spec.allPorts", "allPorts"},
    {"spec.networkTier", "networkTier"},
    {"spec.allowGlobalAccess", "allowGlobalAccess"},
};
constexpr PathMap kFirewall[] = {
    {"spec.networkRef", "network", Kind::Network, K},
    {"spec.direction", "direction"},
    {"spec.disabled", "disabled"},
    {"spec.sourceRanges[*]", "sourceRanges[*]"},
    {"spec.targetTags[*]", "targetTags[*]"},
    {"spec.allow[*].protocol", "allowed[*].IPProtocol"},
    {"spec.allow[*].ports[*]", "allowed[*].ports[*]"},
    {"spec.deny[*].protocol", "denied[*].IPProtocol"},
    {"spec.deny[*].ports[*]", "denied[*].ports[*]"},
    {"spec.priority", "priority"},
    {"spec.sourceTags[*]", "sourceTags[*]"},
};
constexpr PathMap kSslCertificate[] = {
    {"spec.certificate.value", "certificate"},
    {"spec.privateKey.value", "privateKey"},
};
constexpr PathMap kSecurityPolicy[] = {
    {"spec.type", "type"},
    {"spec.rule[*].action", "rules[*].action"},
    {"spec.rule[*].priority", "rules[*].priority"},
};
constexpr PathMap kSslPolicy[] = {
    {"spec.minTlsVersion", "minTlsVersion"},
    {"spec.profile", "profile"},
};
constexpr PathMap kCertManagerCertificate[] = {
    {"spec.scope", "scope"},
    {"spec.managed", "managed"},
    {"spec.selfManaged", "selfManaged"},
    {"spec.selfManaged.pemCertificate", "selfManaged.pemCertificate"},
    {"spec.selfManaged.pemPrivateKey.value", "selfManaged.pemPrivateKey"},
};
constexpr PathMap kIamMember[] = {
    {"spec.resourceRef", "resource", Kind::RunService, K},
    {"spec.role", "role"},
    {"spec.member", "members[0]"},
};
// IAMPolicy / IAMPartialPolicy: spec.bindings are read by hand.
constexpr PathMap kIamPolicy[] = {
    {"spec.resourceRef", "resource", Kind::RunService, K},
};
constexpr PathMap kInstance[] = {
    {"spec.networkInterface[*].networkRef", "networkInterfaces[*].network", Kind::Network, K},
    {"spec.networkInterface[*].subnetworkRef", "networkInterfaces[*].subnetwork", Kind::Subnetwork,
     K},
    {"spec.tags[*]", "tags.items[*]"},
};
constexpr PathMap kRunService[] = {
    {"spec.ingress", "ingress"},
    {"spec.traffic[*].tag", "traffic[*].tag"},
};
constexpr PathMap kAddress[] = {
    {"spec.address", "address"},
    {"spec.addressType", "addressType"},
    {"spec.purpose", "purpose"},
    {"spec.subnetworkRef", "subnetwork", Kind::Subnetwork, K},
};
constexpr PathMap kNone[] = {{"spec.description", "description"}};

struct KindMap {
  std::string_view krmKind;
  Kind kind;
  const char* scopeField;  // spec field holding the region/location ("" for global)
  Scope::Type scope;
  std::span<const PathMap> paths;
};

const std::array<KindMap, 23> kKinds{{
    {"ComputeNetwork", Kind::Network, "", Scope::Type::Global, kNetwork},
    {"ComputeSubnetwork", Kind::Subnetwork, "region", Scope::Type::Region, kSubnetwork},
    {"ComputeRegionNetworkEndpointGroup", Kind::NetworkEndpointGroup, "region", Scope::Type::Region,
     kNeg},
    {"ComputeNetworkEndpointGroup", Kind::NetworkEndpointGroup, "location", Scope::Type::Zone,
     kNeg},
    {"ComputeBackendService", Kind::BackendService, "location", Scope::Type::Region,
     kBackendService},
    {"ComputeURLMap", Kind::UrlMap, "location", Scope::Type::Region, kUrlMap},
    {"ComputeTargetHTTPProxy", Kind::TargetHttpProxy, "location", Scope::Type::Region, kHttpProxy},
    {"ComputeTargetHTTPSProxy", Kind::TargetHttpsProxy, "location", Scope::Type::Region,
     kHttpsProxy},
    {"ComputeSSLCertificate", Kind::SslCertificate, "location", Scope::Type::Region,
     kSslCertificate},
    {"ComputeSSLPolicy", Kind::SslPolicy, "location", Scope::Type::Region, kSslPolicy},
    {"ComputeSecurityPolicy", Kind::SecurityPolicy, "", Scope::Type::Global, kSecurityPolicy},
    {"ComputeRegionSSLPolicy", Kind::SslPolicy, "region", Scope::Type::Region, kSslPolicy},
    {"CertificateManagerCertificate", Kind::CertificateManagerCertificate, "location",
     Scope::Type::Location, kCertManagerCertificate},
    {"IAMPolicyMember", Kind::IamMember, "", Scope::Type::Global, kIamMember},
    {"IAMPolicy", Kind::IamMember, "", Scope::Type::Global, kIamPolicy},
    {"IAMPartialPolicy", Kind::IamMember, "", Scope::Type::Global, kIamPolicy},
    {"ComputeInstance", Kind::Instance, "zone", Scope::Type::Zone, kInstance},
    {"ComputeForwardingRule", Kind::ForwardingRule, "location", Scope::Type::Region,
     kForwardingRule},
    {"ComputeFirewall", Kind::Firewall, "", Scope::Type::Global, kFirewall},
    {"ComputeHealthCheck", Kind::HealthCheck, "location", Scope::Type::Region, kNone},
    {"ComputeRegionHealthCheck", Kind::HealthCheck, "region", Scope::Type::Region, kNone},
    {"ComputeAddress", Kind::Address, "location", Scope::Type::Region, kAddress},
    {"RunService", Kind::RunService, "location", Scope::Type::Location, kRunService},
}};

/// What an IAM object's `spec.resourceRef` names: a RunService keeps the
/// `resource` reference; a Project makes the grant project-wide (`grantedOn`);
/// any other kind is no Cloud Run grant, so the reference is dropped.
void lowerIamTarget(Resource& r, Value spec) {
  const Value ref = spec.get("resourceRef");
  const std::string_view kind = ref.get("kind").str();
  if (kind == "RunService" || kind.empty()) return;
  r.fields.erase("resource");
  if (kind != "Project") return;
  lower::markProjectWide(r, ref.get("kind").span(), "spec.resourceRef");
  std::string_view p =
      ref.get("external").isString() ? ref.get("external").str() : ref.get("name").str();
  if (p.substr(0, 9) == "projects/") p.remove_prefix(9);
  if (!p.empty()) r.id.project = std::string(p);
}

}  // namespace

bool isKrm(Value o) {
  const std::string_view v = o.get("apiVersion").str();
  return o.isObject() && v.find(".cnrm.cloud.google.com/") != std::string_view::npos;
}

bool lower(Value o, const SourceFile& file, Graph& graph, std::vector<Finding>& diags) {
  (void)diags;
  const std::string_view krmKind = o.get("kind").str();
  const KindMap* map = nullptr;
  for (const auto& k : kKinds)
    if (k.krmKind == krmKind) map = &k;
  if (!map) return false;
  const Value meta = o.get("metadata");
  const Value spec = o.get("spec");
  const Value metaName = meta.get("name");
  if (!metaName.isString()) return false;
  const std::string ns = meta.get("namespace").isString() ? std::string(meta.get("namespace").str())
                                                          : std::string("default");

  Resource r;
  r.format = "krm";
  r.document = file.id();
  r.header = metaName.span();
  r.id.kind = map->kind;
  r.id.name = spec.get("resourceID").isString() ? std::string(spec.get("resourceID").str())
                                                : std::string(metaName.str());
  r.displayName = std::string(krmKind) + "/" + std::string(metaName.str());
  r.krmPrefix = lower::krmPrefix(ns, map->kind);
  r.krmName = metaName.str();
  // Project: the project-id annotation, or RunService's projectRef.
  const Value project = meta.get("annotations").get("cnrm.cloud.google.com/project-id");
  if (project.isString()) r.id.project = std::string(project.str());
  const Value projectRef = spec.get("projectRef").get("external");
  if (projectRef.isString()) {
    std::string_view p = projectRef.str();
    if (p.substr(0, 9) == "projects/") p.remove_prefix(9);
    r.id.project = std::string(p);
  }
  if (map->scope == Scope::Type::Global) {
    r.id.scope = Scope{Scope::Type::Global, ""};
  } else {
    const Value where = spec.get(map->scopeField);
    if (where.isString()) {
      const std::string_view w = where.str();
      r.id.scope =
          w == "global" ? Scope{Scope::Type::Global, ""} : Scope{map->scope, regionName(w)};
      Field f;
      f.state = State::Known;
      f.text = r.id.scope.name;
      f.spelling = "spec." + std::string(map->scopeField);
      f.span = where.span();
      r.fields[map->kind == Kind::RunService ? "location" : "region"] = f;
    }
  }
  Field name;
  name.state = State::Known;
  name.text = r.id.name;
  name.spelling = "metadata.name";
  name.span = r.header;
  r.fields["name"] = name;
  lower::lowerPaths(r, o, map->paths, true, ns);
  lower::lowerLabels(r, meta.get("labels"), "metadata.labels", true);
  // Spelling in messages: KRM's own paths (spec.ingress, spec.loadBalancingScheme).
  lower::redactKeyMaterial(r, file);
  if (map->kind == Kind::IamMember) {
    lowerIamTarget(r, spec);
    if (krmKind != "IAMPolicyMember") {
      // One grant per binding (IAMPartialPolicy members are {member: ...}).
      std::vector<Resource> grants;
      lower::iamGrants(r, lower::readIamBindings(spec.get("bindings"), "spec.bindings", true),
                       grants);
      for (Resource& g : grants) graph.add(std::move(g));
      return true;
    }
    if (spec.get("memberFrom") && !spec.get("member")) {
      Field f;
      f.state = State::Unknown;
      f.span = spec.get("memberFrom").span();
      f.spelling = "spec.memberFrom";
      r.fields["members[0]"] = f;
    }
  }
  graph.add(std::move(r));
  return true;
}

namespace {

/// Config Connector spells a field by its spec path (`spec.backend[0].balancingMode`)
/// and writes values as YAML scalars.
/// String fields whose values may look like numbers: YAML must quote them.
constexpr std::string_view kStringFields[] = {"portRange", "ports[*]"};

class KrmDialect : public Dialect {
 public:
  std::string value(const Resource&, std::string_view field,
                    std::string_view canonical) const override {
    for (std::string_view s : kStringFields)
      if (!mapPath(field, s, s).empty() && bareValue(canonical))
        return "'" + std::string(canonical) + "'";
    return std::string(canonical);
  }
  std::string name(const Resource& r, std::string_view field) const override {
    for (const auto& k : kKinds) {
      if (k.kind != r.id.kind) continue;
      for (const PathMap& p : k.paths)
        if (std::string n = mapPath(field, p.api, p.source); !n.empty()) return n;
      break;
    }
    return "spec." + std::string(field);
  }
  std::string describe(const Resource& r, const Edit& e) const override {
    const std::string n = fieldName(r, e.field);
    if (e.op == Edit::Op::Remove) return "remove " + n;
    return "set " + n + ": " + value(r, e.field, e.value);
  }
  std::string_view document() const override { return "manifest"; }
  std::string literal(const Resource& r, const Edit& e) const override {
    return value(r, e.field, e.value);
  }
  bool removes() const override { return true; }
  bool settle(std::string_view text, Replacement& rep) const override {
    return entries::settleYaml(text, rep);
  }
  bool writes(const Resource& r, std::string_view field) const override {
    // RunService has no field for the default run.app URL.
    return !(r.id.kind == Kind::RunService && field == "defaultUriDisabled");
  }
};

}  // namespace

LBCHECK_REGISTER_DIALECT(KrmDialect, "krm");

}  // namespace lbcheck::krm
