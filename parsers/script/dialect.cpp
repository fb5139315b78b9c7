// How a gcloud script spells fields, values and fixes: command-line flags.
#include <string>
#include <string_view>

#include "engine/fix.h"
#include "engine/vocabulary.h"

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
    {"portRange", "--ports"},
};

/// Booleans whose flag says the opposite of the field (`--no-default-url`
/// sets defaultUriDisabled).
bool inverted(std::string_view field) {
  return field == "defaultUriDisabled" || field == "invokerIamDisabled";
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

  std::string literal(const Resource& r, const Edit& e) const override {
    const std::string v = value(r, e.field, e.value);
    return v == "true" || v == "false" ? std::string() : v;
  }
};

}  // namespace

LBCHECK_REGISTER_DIALECT(GcloudDialect, "gcloud-script");

}  // namespace lbcheck::gcloud
