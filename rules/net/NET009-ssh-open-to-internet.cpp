// NET009: an ingress firewall rule that opens TCP 22 (or every port) to
// 0.0.0.0/0 or ::/0.
#include <cctype>
#include <optional>
#include <string>

#include "engine/chain.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

/// Whether a port spec ("22", "20-30") covers port 22; nullopt when unreadable.
std::optional<bool> coversSsh(std::string_view spec) {
  auto number = [](std::string_view s) -> std::optional<int> {
    if (s.empty() || s.size() > 5) return std::nullopt;
    int n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  };
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) {
    const auto p = number(spec);
    if (!p) return std::nullopt;
    return *p == 22;
  }
  const auto lo = number(spec.substr(0, dash));
  const auto hi = number(spec.substr(dash + 1));
  if (!lo || !hi) return std::nullopt;
  return *lo <= 22 && 22 <= *hi;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

class SshOpenToInternet : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET009",
                                "ssh-open-to-internet",
                                "An ingress firewall rule allows SSH (TCP 22) or all ports from "
                                "the whole internet (0.0.0.0/0 or ::/0).",
                                Severity::Warning,
                                "net",
                                {Kind::Firewall},
                                false,
                                FixSafety::Unsafe};
    return kInfo;
  }

  void check(const Graph& /*g*/, const Resource& fw, Reporter& out) const override {
    if (!live(fw)) return;
    const Field& direction = fw.field("direction");
    if (direction.state == State::Unknown) return;
    if (direction.known() && !iequals(direction.text, "INGRESS")) return;  // absent: INGRESS
    const Field& disabled = fw.field("disabled");
    if (disabled.state == State::Unknown || disabled.is("true")) return;
    if (anyUnknown(fw, "sourceRanges") || anyUnknown(fw, "allowed")) return;

    std::string openPath;
    forEachField(fw, "sourceRanges[*]", [&](const std::string& path, const Field& f) {
      if (openPath.empty() && (f.is("0.0.0.0/0") || f.is("::/0"))) openPath = path;
    });
    if (openPath.empty()) return;

    // The allowed entry that covers TCP 22.
    std::string allowPath;
    std::string what;
    const size_t n = fw.listSize("allowed");
    for (size_t i = 0; i < n && allowPath.empty(); ++i) {
      const std::string base = "allowed[" + std::to_string(i) + "]";
      const Field& protocol = fw.field(base + ".IPProtocol");
      if (!protocol.known()) continue;
      std::string proto = protocol.text;
      for (char& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (proto != "tcp" && proto != "all" && proto != "6") continue;
      const size_t ports = fw.listSize(base + ".ports");
      if (ports == 0) {
        allowPath = base + ".IPProtocol";
        what = proto == "all" ? "every protocol and port" : "every TCP port";
        continue;
      }
      for (size_t k = 0; k < ports; ++k) {
        const std::string path = base + ".ports[" + std::to_string(k) + "]";
        const Field& port = fw.field(path);
        if (!port.known()) continue;
        const auto covers = coversSsh(port.text);
        if (covers && *covers) {
          allowPath = path;
          what = port.text == "22" ? "TCP port 22 (SSH)"
                                   : "TCP ports " + port.text + ", which include 22 (SSH)";
          break;
        }
      }
    }
    if (allowPath.empty()) return;

    const Field& open = fw.field(openPath);
    Finding& f = out.report(fw, openPath,
                            describe(fw) + " allows " + what + " from " + open.text +
                                ", i.e. from any address on the internet");
    f.help = "restrict " + spelled(fw, "sourceRanges") +
             " to the addresses that need SSH, e.g. the range IAP TCP forwarding connects "
             "from: " +
             out.fix(f, fw, Edit::set(openPath, "35.235.240.0/20"));
    f.related.push_back({fw.field(allowPath).span, "the port is allowed here"});
  }

 private:
  static bool anyUnknown(const Resource& r, std::string_view prefix) {
    for (const auto& [path, field] : r.fields)
      if (path.rfind(prefix, 0) == 0 && field.state == State::Unknown) return true;
    return false;
  }
};

LBCHECK_REGISTER_RULE(SshOpenToInternet);

}  // namespace
}  // namespace lbcheck
