// Locators (Graph::attachLocators): a finding about a resource read from
// generated input points at the source it was generated from when the rule
// reports it, with the generated input's span as the first related location.
#include <gtest/gtest.h>

#include "engine/graph.h"
#include "engine/rule.h"

namespace lbcheck {
namespace {

constexpr uint32_t kPlan = 0, kTf = 1;

Resource resource(const std::string& address, uint32_t file, uint32_t at) {
  Resource r;
  r.id = Identity{Kind::BackendService, "p", Scope{Scope::Type::Region, "r1"}, "bs"};
  r.displayName = address;
  r.header = Span{file, at, at + 5};
  Field protocol;
  protocol.state = State::Known;
  protocol.text = "TCP";
  protocol.span = Span{file, at + 10, at + 15};
  r.fields["protocol"] = protocol;
  return r;
}

const RuleInfo kInfo{"LB004", "backend-protocol-not-http", "", Severity::Error, "lb"};

TEST(Locators, FindingsPointAtTheSourceFieldWithThePlanValueRelated) {
  Graph g;
  g.add(resource("google_compute_region_backend_service.bs", kPlan, 100));
  std::vector<Locator> locators;
  locators.push_back({resource("google_compute_region_backend_service.bs", kTf, 500), "in plan"});
  g.attachLocators(std::move(locators));

  std::vector<Finding> out;
  Reporter reporter(kInfo, &out);
  reporter.report(g.at(0), "protocol", "field");
  reporter.report(g.at(0), "", "whole resource");
  reporter.report(g.at(0), "timeoutSec", "absent field");
  reporter.reportAt(g.at(0), "", Span{kPlan, 42, 43}, "a step");
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].span.file, kTf);
  EXPECT_EQ(out[0].span.begin, 510u);  // the .tf field
  ASSERT_EQ(out[0].related.size(), 1u);
  EXPECT_EQ(out[0].related[0].span.begin, 110u);  // the plan's value
  EXPECT_EQ(out[0].related[0].message, "in plan");
  EXPECT_EQ(out[1].span.begin, 500u);  // the .tf header
  EXPECT_EQ(out[1].related[0].span.begin, 100u);
  EXPECT_EQ(out[2].span.begin, 500u);  // not written in the .tf: its header
  EXPECT_EQ(out[3].span.begin, 500u);
  EXPECT_EQ(out[3].related[0].span.begin, 42u);  // where the rule pointed
}

TEST(Locators, InstancesMatchTheirExpandedSourceAndOthersKeepTheirSpans) {
  Graph g;
  g.add(resource("module.lb.google_compute_region_backend_service.bs[\"a\"]", kPlan, 100));
  g.add(resource("google_compute_region_backend_service.other", kPlan, 200));
  std::vector<Locator> locators;
  locators.push_back(
      {resource("module.lb.google_compute_region_backend_service.bs[*]", kTf, 500), "in plan"});
  g.attachLocators(std::move(locators));
  ASSERT_NE(g.at(0).locator, nullptr);
  EXPECT_EQ(g.at(1).locator, nullptr);
  EXPECT_EQ(g.locators().size(), 1u);

  std::vector<Finding> out;
  Reporter reporter(kInfo, &out);
  reporter.report(g.at(0), "protocol", "located");
  reporter.report(g.at(1), "protocol", "not located");
  EXPECT_EQ(out[0].span.begin, 510u);
  EXPECT_EQ(out[1].span.file, kPlan);
  EXPECT_EQ(out[1].span.begin, 210u);
  EXPECT_TRUE(out[1].related.empty());
}

}  // namespace
}  // namespace lbcheck
