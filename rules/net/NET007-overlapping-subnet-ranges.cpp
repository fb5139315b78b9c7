// NET007: primary and secondary ranges of the subnets of one VPC network must
// not overlap.
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/chain.h"
#include "engine/rule.h"
#include "engine/views.h"
#include "rules/net/ipv4.h"

namespace lbcheck {
namespace {

class OverlappingSubnetRanges : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"NET007", "overlapping-subnet-ranges",
                                "Two subnet ranges (primary or secondary) in the same VPC "
                                "network overlap.",
                                Severity::Error, "net"};
    return kInfo;
  }

  void check(const Graph& g, Reporter& out) const override {
    struct Range {
      const Resource* subnet;
      std::string path;
      const Field* field;
      net::Cidr cidr;
      Identity network;
    };
    std::vector<Range> ranges;
    for (const Resource& s : g.resources()) {
      if (s.id.kind != Kind::Subnetwork || !live(s)) continue;
      const auto network = refIdentity(g, SubnetworkView(s).network());
      if (!network) continue;
      auto add = [&](const std::string& path, const Field& f) {
        if (f.state != State::Known) return;
        if (const auto cidr = net::parseCidr(f.text))
          ranges.push_back({&s, path, &f, *cidr, *network});
      };
      add(SubnetworkView::kIpCidrRange, SubnetworkView(s).ipCidrRange());
      forEachField(s, "secondaryIpRanges[*].ipCidrRange", add);
    }
    // Only ranges in a network of the same name can clash: compare within those.
    std::unordered_map<std::string_view, std::vector<size_t>> byNetwork;
    for (size_t j = 0; j < ranges.size(); ++j) {
      const Range& b = ranges[j];
      std::vector<size_t>& earlier = byNetwork[b.network.name];
      for (size_t i : earlier) {
        const Range& a = ranges[i];
        if (!sameObject(a.network, b.network) || !a.cidr.overlaps(b.cidr)) continue;
        const std::string kindA =
            a.path == SubnetworkView::kIpCidrRange ? "primary range" : "secondary range";
        const std::string kindB =
            b.path == SubnetworkView::kIpCidrRange ? "primary range" : "secondary range";
        const std::string other = a.subnet == b.subnet ? "its own " + kindA
                                                       : "the " + kindA + " " + a.field->text +
                                                             " of " + describe(*a.subnet);
        Finding& f =
            out.report(*b.subnet, b.path,
                       "the " + kindB + " " + b.field->text + " of " + describe(*b.subnet) +
                           " overlaps " + other + " in network " + q(b.network.name) +
                           "; subnet ranges must be unique across the whole network");
        f.help =
            "pick a range that no other subnet of the network uses (primary and secondary "
            "ranges, in every region)";
        f.related.push_back({a.field->span, "the overlapping " + kindA + " is here"});
        break;  // one finding per range
      }
      earlier.push_back(j);
    }
  }
};

LBCHECK_REGISTER_RULE(OverlappingSubnetRanges);

}  // namespace
}  // namespace lbcheck
