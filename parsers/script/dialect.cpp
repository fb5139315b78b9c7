// How a gcloud script spells fields, values and fixes: command-line flags.
#include <cctype>
#include <string>
#include <string_view>

#include "engine/fix.h"
#include "engine/vocabulary.h"
#include "parsers/common/entries.h"

namespace lbcheck::gcloud {

namespace {

struct FlagName {
  std::string_view field;  // canonical pattern
  std::string_view flag;
};

/// Fields whose flag is not the kebab-case of their path.
constexpr FlagName kFlags[] = {
    {"backends[*].group", "--network-endpoint-group"},
    {"backends[*].balancingMode", "--balancing-mode"},
    {"backends[*].capacityScaler", "--capacity-scaler"},
    {"backends[*].maxUtilization", "--max-utilization"},
    {"backends[*].maxRatePerEndpoint", "--max-rate-per-endpoint"},
    {"cloudFunction.function", "--cloud-function-name"},
    {"routingConfig.routingMode", "--bgp-routing-mode"},
    {"IPProtocol", "--ip-protocol"},
    {"IPAddress", "--address"},
    {"ipCidrRange", "--range"},
    {"subnetwork", "--subnet"},
    {"timeoutSec", "--timeout"},
    {"logConfig", "--enable-logging"},
    {"logConfig.enable", "--enable-logging"},
    {"defaultUriDisabled", "--default-url"},
    {"invokerIamDisabled", "--invoker-iam-check"},
    {"sslCertificates", "--ssl-certificates"},
    {"target", "--target-http-proxy"},
    {"portRange", "--ports"},
    {"iap.enabled", "--iap"},
    {"iapEnabled", "--iap"},
};

/// Booleans whose flag says the opposite of the field (`--no-default-url`
/// sets defaultUriDisabled).
bool inverted(std::string_view field) {
  return field == "defaultUriDisabled" || field == "invokerIamDisabled";
}

/// The gcloud command group that creates a kind ("compute networks subnets").
std::string_view group(Kind kind) {
  switch (kind) {
    case Kind::Network:
      return "compute networks";
    case Kind::Subnetwork:
      return "compute networks subnets";
    case Kind::NetworkEndpointGroup:
      return "compute network-endpoint-groups";
    case Kind::BackendService:
      return "compute backend-services";
    case Kind::UrlMap:
      return "compute url-maps";
    case Kind::TargetHttpProxy:
      return "compute target-http-proxies";
    case Kind::TargetHttpsProxy:
      return "compute target-https-proxies";
    case Kind::SslCertificate:
      return "compute ssl-certificates";
    case Kind::ForwardingRule:
      return "compute forwarding-rules";
    case Kind::Firewall:
      return "compute firewall-rules";
    case Kind::Instance:
      return "compute instances";
    default:
      return {};
  }
}

class GcloudDialect : public Dialect {
 public:
  std::string name(const Resource&, std::string_view field) const override {
    for (const FlagName& f : kFlags)
      if (std::string n = mapPath(field, f.field, f.flag); !n.empty()) return n;
    std::string plain;  // "cloudRun.urlMask" -> "cloudRun-urlMask"; indexes dropped
    for (size_t i = 0; i < field.size(); ++i) {
      if (field[i] == '[') {
        i = field.find(']', i);
        if (i == std::string_view::npos) break;
        continue;
      }
      plain += field[i] == '.' ? '-' : field[i];
    }
    const std::string kebab = kebabCase(plain);
    return "--" + kebab;
  }

  std::string value(const Resource&, std::string_view field,
                    std::string_view canonical) const override {
    if (field == "ingress") return std::string(vocab::shortIngress(canonical));
    // A backend service's `--iap=enabled|disabled` (not a switch).
    if (field == "iap.enabled") return canonical == "true" ? "enabled" : "disabled";
    if (field ==
        "networkEndpointType") {  // SERVERLESS -> serverless, GCE_VM_IP_PORT -> gce-vm-ip-port
      std::string v(canonical);
      for (char& c : v)
        c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return v;
    }
    return std::string(canonical);
  }

  std::string describe(const Resource& r, const Edit& e) const override {
    const std::string n = fieldName(r, e.field);
    if (e.op == Edit::Op::Remove) return "drop " + n;
    const std::string v = value(r, e.field, e.value);
    if (v == "true" || v == "false") {
      const bool on = (v == "true") != inverted(e.field);
      const std::string flag = n.rfind("--no-", 0) == 0 ? "--" + n.substr(5) : n;
      return "pass " + (on ? flag : "--no-" + flag.substr(2));
    }
    return "pass " + n + "=" + v;
  }

  bool removes() const override { return true; }
  bool settle(std::string_view text, Replacement& rep) const override {
    return entries::settleFlag(text, rep);
  }

  std::string createAfter(const Resource& later, const Resource& first) const override {
    const std::string_view g = group(first.id.kind);
    if (g.empty()) return Dialect::createAfter(later, first);
    return "move gcloud " + std::string(g) + " create " + first.id.name + " ... before the " +
           std::string(kindLabel(later.id.kind));
  }

  std::string detachFirst(const Resource& user, const Resource& target) const override {
    if (user.id.kind != Kind::BackendService || target.id.kind != Kind::NetworkEndpointGroup)
      return {};
    const std::string region = target.id.scope.name.empty() ? "REGION" : target.id.scope.name;
    return "detach it first: gcloud compute backend-services remove-backend " + user.id.name +
           " --network-endpoint-group=" + target.id.name +
           " --network-endpoint-group-region=" + region +
           " --region=" + (user.id.scope.name.empty() ? "REGION" : user.id.scope.name);
  }

  std::string missedDrop(const Resource& holder, std::string_view field) const override {
    if (holder.id.kind != Kind::BackendService || field.rfind("backends", 0) != 0) return {};
    return "this remove-backend has no --network-endpoint-group-region, so the command does not "
           "find the regional NEG and removes nothing";
  }

  std::string updateUnattended(const Resource&) const override {
    return "change it with gcloud compute backend-services update (or add-backend / "
           "remove-backend) instead of the interactive editor";
  }

  std::string literal(const Resource& r, const Edit& e) const override {
    const std::string v = value(r, e.field, e.value);
    return v == "true" || v == "false" ? std::string() : v;
  }
};

}  // namespace

LBCHECK_REGISTER_DIALECT(GcloudDialect, "gcloud-script");

}  // namespace lbcheck::gcloud
