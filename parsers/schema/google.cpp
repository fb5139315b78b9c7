#include "parsers/schema/google.h"

#include <array>
#include <vector>

namespace lbcheck::schema {

namespace {

using K = Kind;
using S = Scope::Type;

constexpr AttrMap kNetwork[] = {
    {"auto_create_subnetworks", "autoCreateSubnetworks"},
    {"routing_mode", "routingConfig.routingMode"},
};

constexpr AttrMap kSubnetwork[] = {
    {"network", "network", K::Network},
    {"ip_cidr_range", "ipCidrRange"},
    {"purpose", "purpose"},
    {"role", "role"},
    {"secondary_ip_range[*].ip_cidr_range", "secondaryIpRanges[*].ipCidrRange"},
    {"log_config", "logConfig"},
    {"enable_flow_logs", "enableFlowLogs"},
    {"private_ip_google_access", "privateIpGoogleAccess"},
    {"stack_type", "stackType"},
};

constexpr AttrMap kRegionNeg[] = {
    {"network_endpoint_type", "networkEndpointType", K::Unknown, "SERVERLESS"},
    {"cloud_run", "cloudRun"},
    {"cloud_run[0].service", "cloudRun.service", K::RunService},
    {"cloud_run[0].tag", "cloudRun.tag"},
    {"cloud_run[0].url_mask", "cloudRun.urlMask"},
    {"cloud_function", "cloudFunction"},
    {"cloud_function[0].function", "cloudFunction.function"},
    {"cloud_function[0].url_mask", "cloudFunction.urlMask"},
    {"app_engine", "appEngine"},
    {"app_engine[0].service", "appEngine.service"},
    {"app_engine[0].version", "appEngine.version"},
    {"app_engine[0].url_mask", "appEngine.urlMask"},
    {"serverless_deployment", "serverlessDeployment"},
    {"serverless_deployment[0].platform", "serverlessDeployment.platform"},
    {"serverless_deployment[0].resource", "serverlessDeployment.resource"},
    {"serverless_deployment[0].url_mask", "serverlessDeployment.urlMask"},
    {"network", "network", K::Network},
    {"subnetwork", "subnetwork", K::Subnetwork},
    {"psc_target_service", "pscTargetService"},
};

constexpr AttrMap kZonalNeg[] = {
    {"network_endpoint_type", "networkEndpointType", K::Unknown, "GCE_VM_IP_PORT"},
    {"network", "network", K::Network},
    {"subnetwork", "subnetwork", K::Subnetwork},
    {"default_port", "defaultPort"},
};

// Backend service attributes shared by the regional and the global resource.
#define LBCHECK_BACKEND_SERVICE_ATTRS                                                              \
  {"protocol", "protocol"}, {"backend[*].group", "backends[*].group", K::NetworkEndpointGroup},    \
      {"backend[*].balancing_mode", "backends[*].balancingMode", K::Unknown, "UTILIZATION"},       \
      {"backend[*].capacity_scaler", "backends[*].capacityScaler"},                                \
      {"backend[*].max_rate", "backends[*].maxRate"},                                              \
      {"backend[*].max_rate_per_endpoint", "backends[*].maxRatePerEndpoint"},                      \
      {"backend[*].max_rate_per_instance", "backends[*].maxRatePerInstance"},                      \
      {"backend[*].max_connections", "backends[*].maxConnections"},                                \
      {"backend[*].max_connections_per_endpoint", "backends[*].maxConnectionsPerEndpoint"},        \
      {"backend[*].max_connections_per_instance", "backends[*].maxConnectionsPerInstance"},        \
      {"backend[*].max_utilization", "backends[*].maxUtilization"},                                \
      {"health_checks[*]", "healthChecks[*]", K::HealthCheck}, {"timeout_sec", "timeoutSec"},      \
      {"port_name", "portName"}, {"session_affinity", "sessionAffinity"},                          \
      {"affinity_cookie_ttl_sec", "affinityCookieTtlSec"}, {"consistent_hash", "consistentHash"},  \
      {"locality_lb_policy", "localityLbPolicy"}, {"outlier_detection", "outlierDetection"},       \
      {"strong_session_affinity_cookie", "strongSessionAffinityCookie"}, {"iap", "iap"},           \
      {"iap[0].enabled", "iap.enabled"}, {"enable_cdn", "enableCDN"}, {"cdn_policy", "cdnPolicy"}, \
      {"security_policy", "securityPolicy", K::SecurityPolicy},                                    \
      {"edge_security_policy", "edgeSecurityPolicy", K::SecurityPolicy},                           \
      {"log_config", "logConfig"}, {                                                               \
    "network", "network", K::Network                                                               \
  }

constexpr AttrMap kRegionBackendService[] = {
    {"load_balancing_scheme", "loadBalancingScheme", K::Unknown, "INTERNAL"},
    LBCHECK_BACKEND_SERVICE_ATTRS,
};

constexpr AttrMap kBackendService[] = {
    {"load_balancing_scheme", "loadBalancingScheme", K::Unknown, "EXTERNAL"},
    {"external_managed_migration_state", "externalManagedMigrationState"},
    LBCHECK_BACKEND_SERVICE_ATTRS,
};

#undef LBCHECK_BACKEND_SERVICE_ATTRS

constexpr AttrMap kUrlMap[] = {
    {"default_service", "defaultService", K::BackendService},
    {"default_url_redirect", "defaultUrlRedirect"},
    {"default_url_redirect[0].https_redirect", "defaultUrlRedirect.httpsRedirect"},
    {"default_route_action[0].weighted_backend_services[*].backend_service",
     "defaultRouteAction.weightedBackendServices[*].backendService", K::BackendService},
    {"default_route_action[0].request_mirror_policy[0].backend_service",
     "defaultRouteAction.requestMirrorPolicy.backendService", K::BackendService},
    {"default_custom_error_response_policy", "defaultCustomErrorResponsePolicy"},
    {"host_rule[*].hosts[*]", "hostRules[*].hosts[*]"},
    {"host_rule[*].path_matcher", "hostRules[*].pathMatcher"},
    {"path_matcher[*].name", "pathMatchers[*].name"},
    {"path_matcher[*].default_service", "pathMatchers[*].defaultService", K::BackendService},
    {"path_matcher[*].default_url_redirect", "pathMatchers[*].defaultUrlRedirect"},
    {"path_matcher[*].default_route_action[0].weighted_backend_services[*].backend_service",
     "pathMatchers[*].defaultRouteAction.weightedBackendServices[*].backendService",
     K::BackendService},
    {"path_matcher[*].default_custom_error_response_policy",
     "pathMatchers[*].defaultCustomErrorResponsePolicy"},
    {"path_matcher[*].path_rule[*].paths[*]", "pathMatchers[*].pathRules[*].paths[*]"},
    {"path_matcher[*].path_rule[*].service", "pathMatchers[*].pathRules[*].service",
     K::BackendService},
    {"path_matcher[*].path_rule[*].custom_error_response_policy",
     "pathMatchers[*].pathRules[*].customErrorResponsePolicy"},
    {"path_matcher[*].route_rules[*].service", "pathMatchers[*].routeRules[*].service",
     K::BackendService},
};

constexpr AttrMap kTargetHttpProxy[] = {
    {"url_map", "urlMap", K::UrlMap},
    {"http_keep_alive_timeout_sec", "httpKeepAliveTimeoutSec"},
};

constexpr AttrMap kTargetHttpsProxy[] = {
    {"url_map", "urlMap", K::UrlMap},
    {"http_keep_alive_timeout_sec", "httpKeepAliveTimeoutSec"},
    {"ssl_certificates[*]", "sslCertificates[*]", K::SslCertificate},
    {"certificate_manager_certificates[*]", "certificateManagerCertificates[*]",
     K::CertificateManagerCertificate},
    {"ssl_policy", "sslPolicy", K::SslPolicy},
    {"server_tls_policy", "serverTlsPolicy"},
    {"quic_override", "quicOverride"},
    {"certificate_map", "certificateMap"},
};

constexpr AttrMap kForwardingRule[] = {
    {"load_balancing_scheme", "loadBalancingScheme", K::Unknown, "EXTERNAL"},
    {"target", "target", K::TargetHttpProxy},
    {"backend_service", "backendService", K::BackendService},
    {"network", "network", K::Network},
    {"subnetwork", "subnetwork", K::Subnetwork},
    {"ip_address", "IPAddress", K::Address},
    {"ip_protocol", "IPProtocol"},
    {"port_range", "portRange"},
    {"ports[*]", "ports[*]"},
    {"all_ports", "allPorts"},
    {"network_tier", "networkTier"},
    {"allow_global_access", "allowGlobalAccess"},
    {"ip_version", "ipVersion"},
};

constexpr AttrMap kGlobalForwardingRule[] = {
    {"load_balancing_scheme", "loadBalancingScheme", K::Unknown, "EXTERNAL"},
    {"target", "target", K::TargetHttpProxy},
    {"network", "network", K::Network},
    {"subnetwork", "subnetwork", K::Subnetwork},
    {"ip_address", "IPAddress", K::Address},
    {"ip_protocol", "IPProtocol"},
    {"port_range", "portRange"},
};

constexpr AttrMap kSslCertificate[] = {
    {"certificate", "certificate"},
    {"private_key", "privateKey"},
    {"expire_time", "expireTime"},
};

constexpr AttrMap kManagedSslCertificate[] = {
    {"type", "type"},
    {"managed[0].domains[*]", "managed.domains[*]"},
    {"expire_time", "expireTime"},
};

constexpr AttrMap kSecurityPolicy[] = {
    {"type", "type"},
    {"rule[*].action", "rules[*].action"},
    {"rule[*].priority", "rules[*].priority"},
};

constexpr AttrMap kSslPolicy[] = {
    {"min_tls_version", "minTlsVersion"},
    {"profile", "profile"},
};

constexpr AttrMap kCertManagerCertificate[] = {
    {"scope", "scope"},
    {"managed", "managed"},
    {"self_managed", "selfManaged"},
    {"self_managed[0].pem_certificate", "selfManaged.pemCertificate"},
    {"self_managed[0].pem_private_key", "selfManaged.pemPrivateKey"},
};

constexpr AttrMap kFirewall[] = {
    {"network", "network", K::Network},
    {"direction", "direction"},
    {"disabled", "disabled"},
    {"priority", "priority"},
    {"source_ranges[*]", "sourceRanges[*]"},
    {"source_tags[*]", "sourceTags[*]"},
    {"target_tags[*]", "targetTags[*]"},
    {"allow[*].protocol", "allowed[*].IPProtocol"},
    {"allow[*].ports[*]", "allowed[*].ports[*]"},
    {"deny[*].protocol", "denied[*].IPProtocol"},
    {"deny[*].ports[*]", "denied[*].ports[*]"},
};

constexpr AttrMap kInstance[] = {
    {"network_interface[*].network", "networkInterfaces[*].network", K::Network},
    {"network_interface[*].subnetwork", "networkInterfaces[*].subnetwork", K::Subnetwork},
    {"network_interface[*].network_ip", "networkInterfaces[*].networkIP"},
    {"tags[*]", "tags.items[*]"},
};

constexpr AttrMap kAddress[] = {
    {"address", "address"},
    {"address_type", "addressType"},
    {"purpose", "purpose"},
    {"network_tier", "networkTier"},
    {"subnetwork", "subnetwork", K::Subnetwork},
};

constexpr AttrMap kRunV2[] = {
    {"ingress", "ingress"},
    {"default_uri_disabled", "defaultUriDisabled"},
    {"invoker_iam_disabled", "invokerIamDisabled"},
    {"iap_enabled", "iapEnabled"},
    {"traffic[*].tag", "traffic[*].tag"},
};

// Cloud Run v1: ingress and the other switches live in annotations; the adapter
// reads those by hand.
constexpr AttrMap kRunV1[] = {
    {"traffic[*].tag", "traffic[*].tag"},
};

constexpr AttrMap kHealthCheck[] = {
    {"type", "type"},
};

// IAM on a Cloud Run service: *_iam_member (one member) and *_iam_binding.
constexpr AttrMap kRunIamV2[] = {
    {"name", "resource", K::RunService},
    {"role", "role"},
    {"member", "members[0]"},
    {"members[*]", "members[*]"},
};
constexpr AttrMap kRunIamV1[] = {
    {"service", "resource", K::RunService},
    {"role", "role"},
    {"member", "members[0]"},
    {"members[*]", "members[*]"},
};

// *_iam_policy: the service; `policy_data` (a JSON policy, usually from a
// `data "google_iam_policy"`) is read by hand into one grant per binding.
constexpr AttrMap kRunIamPolicyV2[] = {
    {"name", "resource", K::RunService},
};
constexpr AttrMap kRunIamPolicyV1[] = {
    {"service", "resource", K::RunService},
};
// Project IAM: the grant holds on every resource of the project; the adapters
// add `grantedOn` = "project".
constexpr AttrMap kProjectIam[] = {
    {"role", "role"},
    {"member", "members[0]"},
    {"members[*]", "members[*]"},
};

constexpr std::array<TypeMap, 41> kTypes{{
    {"google_compute_network", K::Network, S::Global, kNetwork},
    {"google_compute_subnetwork", K::Subnetwork, S::Region, kSubnetwork},
    {"google_compute_region_network_endpoint_group", K::NetworkEndpointGroup, S::Region,
     kRegionNeg},
    {"google_compute_network_endpoint_group", K::NetworkEndpointGroup, S::Zone, kZonalNeg},
    {"google_compute_global_network_endpoint_group", K::NetworkEndpointGroup, S::Global, kZonalNeg},
    {"google_compute_region_backend_service", K::BackendService, S::Region, kRegionBackendService},
    {"google_compute_backend_service", K::BackendService, S::Global, kBackendService},
    {"google_compute_region_url_map", K::UrlMap, S::Region, kUrlMap},
    {"google_compute_url_map", K::UrlMap, S::Global, kUrlMap},
    {"google_compute_region_target_http_proxy", K::TargetHttpProxy, S::Region, kTargetHttpProxy},
    {"google_compute_target_http_proxy", K::TargetHttpProxy, S::Global, kTargetHttpProxy},
    {"google_compute_region_target_https_proxy", K::TargetHttpsProxy, S::Region, kTargetHttpsProxy},
    {"google_compute_target_https_proxy", K::TargetHttpsProxy, S::Global, kTargetHttpsProxy},
    {"google_compute_region_ssl_certificate", K::SslCertificate, S::Region, kSslCertificate},
    {"google_compute_ssl_certificate", K::SslCertificate, S::Global, kSslCertificate},
    {"google_compute_managed_ssl_certificate", K::SslCertificate, S::Global,
     kManagedSslCertificate},
    {"google_compute_region_ssl_policy", K::SslPolicy, S::Region, kSslPolicy},
    {"google_compute_ssl_policy", K::SslPolicy, S::Global, kSslPolicy},
    {"google_compute_security_policy", K::SecurityPolicy, S::Global, kSecurityPolicy},
    {"google_compute_region_security_policy", K::SecurityPolicy, S::Region, kSecurityPolicy},
    {"google_certificate_manager_certificate", K::CertificateManagerCertificate, S::Location,
     kCertManagerCertificate},
    {"google_compute_forwarding_rule", K::ForwardingRule, S::Region, kForwardingRule},
    {"google_compute_global_forwarding_rule", K::ForwardingRule, S::Global, kGlobalForwardingRule},
    {"google_compute_firewall", K::Firewall, S::Global, kFirewall},
    {"google_compute_instance", K::Instance, S::Zone, kInstance},
    {"google_compute_address", K::Address, S::Region, kAddress},
    {"google_compute_global_address", K::Address, S::Global, kAddress},
    {"google_compute_region_health_check", K::HealthCheck, S::Region, kHealthCheck},
    {"google_compute_health_check", K::HealthCheck, S::Global, kHealthCheck},
    {"google_compute_http_health_check", K::HealthCheck, S::Global, kHealthCheck},
    {"google_cloud_run_v2_service", K::RunService, S::Location, kRunV2},
    {"google_cloud_run_service", K::RunService, S::Location, kRunV1},
    {"google_cloud_run_v2_service_iam_member", K::IamMember, S::Location, kRunIamV2},
    {"google_cloud_run_v2_service_iam_binding", K::IamMember, S::Location, kRunIamV2},
    {"google_cloud_run_service_iam_member", K::IamMember, S::Location, kRunIamV1},
    {"google_cloud_run_service_iam_binding", K::IamMember, S::Location, kRunIamV1},
    {"google_cloud_run_v2_service_iam_policy", K::IamMember, S::Location, kRunIamPolicyV2},
    {"google_cloud_run_service_iam_policy", K::IamMember, S::Location, kRunIamPolicyV1},
    {"google_project_iam_member", K::IamMember, S::Global, kProjectIam},
    {"google_project_iam_binding", K::IamMember, S::Global, kProjectIam},
    {"google_compute_region_instance_group_manager", K::InstanceGroup, S::Region, kHealthCheck},
}};

}  // namespace

std::span<const AttrMap> apiFields(Kind kind) {
  static const auto table = [] {
    std::array<std::vector<AttrMap>, kKindCount> byKind;
    for (const auto& t : kTypes) {
      auto& list = byKind[static_cast<size_t>(t.kind)];
      for (const AttrMap& a : t.attrs) {
        bool seen = false;
        for (const AttrMap& b : list) seen = seen || b.api == a.api;
        if (!seen) list.push_back(AttrMap{a.api, a.api, a.ref, {}});
      }
    }
    return byKind;
  }();
  return table[static_cast<size_t>(kind)];
}

const TypeMap* findType(std::string_view type) {
  for (const auto& t : kTypes)
    if (t.type == type) return &t;
  return nullptr;
}

}  // namespace lbcheck::schema
