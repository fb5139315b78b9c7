// RuleInfo::kinds: a rule that declares the kinds it looks at is handed the
// resources of those kinds one at a time (in graph order) by the rule runner,
// engine/check.h; a rule without kinds checks the whole graph.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/check.h"
#include "engine/graph.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

Resource resource(Kind kind, const std::string& name) {
  Resource r;
  r.id = Identity{kind, "p", Scope{Scope::Type::Region, "r1"}, name};
  r.displayName = name;
  return r;
}

/// Reports every resource it is handed, by name.
class PerKind : public Rule {
 public:
  explicit PerKind(RuleInfo info) : info_(info) {}
  const RuleInfo& info() const override { return info_; }
  void check(const Graph& /*g*/, const Resource& r, Reporter& out) const override {
    out.report(r, "", r.id.name);
  }

 private:
  RuleInfo info_;
};

/// Reports once per call, with the number of resources it sees.
class WholeGraph : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"TST003", "whole-graph", "", Severity::Error, "lb"};
    return kInfo;
  }
  void check(const Graph& g, Reporter& out) const override {
    out.report(g.at(0), "", "whole graph of " + std::to_string(g.size()));
  }
};

std::vector<std::string> messages(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.ruleId + " " + f.message);
  return out;
}

/// No registered rule has this id: checkGraph runs only the `extra` rules.
const std::vector<std::string> kNoRegistered = {"TST000"};

TEST(RuleKinds, KindSetHoldsTheKindsItIsGiven) {
  constexpr KindSet none;
  static_assert(none.empty());
  constexpr KindSet two{Kind::BackendService, Kind::UrlMap};
  static_assert(!two.empty() && two.contains(Kind::BackendService) && two.contains(Kind::UrlMap));
  static_assert(!two.contains(Kind::Unknown) && !two.contains(Kind::RunService));
  static_assert(KindSet{Kind::RunService}.contains(Kind::RunService));
  KindSet built;
  built.add(Kind::UrlMap).add(Kind::BackendService);
  EXPECT_EQ(built, two);
}

TEST(RuleKinds, ARuleIsHandedOnlyTheResourcesOfItsKindsInGraphOrder) {
  Graph g;
  g.add(resource(Kind::NetworkEndpointGroup, "neg"));
  g.add(resource(Kind::BackendService, "bs1"));
  g.add(resource(Kind::UrlMap, "map1"));
  g.add(resource(Kind::Subnetwork, "subnet"));
  Resource merged = resource(Kind::BackendService, "bs2");
  merged.mergedInto = 1;  // merged-away resources are handed too: the rule asks live()
  g.add(merged);
  g.add(resource(Kind::UrlMap, "map2"));
  g.add(resource(Kind::ForwardingRule, "fr"));

  const PerKind rule(RuleInfo{
      "TST001", "per-kind", "", Severity::Error, "lb", {Kind::UrlMap, Kind::BackendService}});
  const auto found = checkGraph(g, kNoRegistered, nullptr, 1, {&rule});
  // The two kinds interleave as the graph does (not all URL maps, then all backend services).
  EXPECT_EQ(messages(found),
            (std::vector<std::string>{"TST001 bs1", "TST001 map1", "TST001 bs2", "TST001 map2"}));

  // One kind, and a kind that is not in the graph.
  const PerKind frOnly(
      RuleInfo{"TST002", "one-kind", "", Severity::Error, "lb", {Kind::ForwardingRule}});
  const PerKind absent(
      RuleInfo{"TST004", "absent-kind", "", Severity::Error, "lb", {Kind::RunService}});
  EXPECT_EQ(messages(checkGraph(g, kNoRegistered, nullptr, 1, {&frOnly, &absent})),
            (std::vector<std::string>{"TST002 fr"}));
}

TEST(RuleKinds, ARuleWithoutKindsChecksTheWholeGraphOnce) {
  Graph g;
  g.add(resource(Kind::BackendService, "bs"));
  g.add(resource(Kind::UrlMap, "map"));
  const WholeGraph rule;
  EXPECT_EQ(messages(checkGraph(g, kNoRegistered, nullptr, 1, {&rule})),
            (std::vector<std::string>{"TST003 whole graph of 2"}));
}

TEST(RuleKinds, ThePerResourceCheckIsAlsoWhatTheWholeGraphCheckDoes) {
  // Callers that ask a rule for its whole-graph check (rather than the runner)
  // get the same findings.
  Graph g;
  g.add(resource(Kind::UrlMap, "map"));
  g.add(resource(Kind::BackendService, "bs"));
  const PerKind rule(
      RuleInfo{"TST001", "per-kind", "", Severity::Error, "lb", {Kind::BackendService}});
  std::vector<Finding> found;
  Reporter reporter(rule.info(), &found);
  static_cast<const Rule&>(rule).check(g, reporter);
  EXPECT_EQ(messages(found), (std::vector<std::string>{"TST001 bs"}));
}

TEST(RuleKinds, ThreadsJoinFindingsInRuleOrderAsOneThreadDoes) {
  // Large enough for checkGraph to use the threads (2048 resources and up).
  Graph g;
  const Kind kinds[] = {Kind::BackendService, Kind::UrlMap, Kind::NetworkEndpointGroup,
                        Kind::ForwardingRule};
  for (int i = 0; i < 3000; ++i) g.add(resource(kinds[i % 4], "r" + std::to_string(i)));
  const PerKind a(RuleInfo{"TST001", "a", "", Severity::Error, "lb", {Kind::BackendService}});
  const PerKind b(RuleInfo{"TST002",
                           "b",
                           "",
                           Severity::Error,
                           "lb",
                           {Kind::ForwardingRule, Kind::NetworkEndpointGroup}});
  const WholeGraph c;
  const std::vector<const Rule*> rules = {&a, &b, &c};
  const auto one = messages(checkGraph(g, kNoRegistered, nullptr, 1, rules));
  const auto four = messages(checkGraph(g, kNoRegistered, nullptr, 4, rules));
  ASSERT_EQ(one.size(), 750u + 1500u + 1u);
  EXPECT_EQ(one.front(), "TST001 r0");
  EXPECT_EQ(one[750], "TST002 r2");
  EXPECT_EQ(one[751], "TST002 r3");
  EXPECT_EQ(one.back(), "TST003 whole graph of 3000");
  EXPECT_EQ(four, one);
}

TEST(RuleKinds, RegisteredChecksDeclareKindsOfRealResources) {
  // Rules that look at one resource at a time declare their kinds; cross-resource
  // rules (and the tool diagnostics) do not.
  size_t perResource = 0;
  for (const Rule* r : allRules()) {
    const RuleInfo& i = r->info();
    if (i.diagnostic) {
      EXPECT_TRUE(i.kinds.empty()) << i.id;
      continue;
    }
    EXPECT_FALSE(i.kinds.contains(Kind::Unknown)) << i.id;
    if (!i.kinds.empty()) ++perResource;
  }
  EXPECT_GT(perResource, 0u);
  EXPECT_EQ(findRule("LB016")->info().kinds,
            (KindSet{Kind::TargetHttpProxy, Kind::TargetHttpsProxy}));
  EXPECT_EQ(findRule("NEG007")->info().kinds, KindSet{Kind::NetworkEndpointGroup});
  EXPECT_TRUE(findRule("NET007")->info().kinds.empty());  // overlapping subnets: pairs
  EXPECT_TRUE(findRule("OPS001")->info().kinds.empty());  // g.changes()
}

}  // namespace
}  // namespace lbcheck
