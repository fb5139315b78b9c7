// Resource::prior is stored only where a change can make it differ from the
// planned object; no-op, read and deleted resources answer from `fields`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/change.h"
#include "engine/graph.h"
#include "helpers.h"

using namespace lbcheck;
using lbcheck::testing::byAddress;
using lbcheck::testing::runOn;

namespace {
int32_t indexOf(const Graph& g, std::string_view address) {
  for (size_t i = 0; i < g.size(); ++i)
    if (g.resources()[i].displayName == address) return static_cast<int32_t>(i);
  return -1;
}

/// Every referrer and every holder of the graph, as text.
std::vector<std::string> referrersAndHolders(const Graph& g) {
  std::vector<std::string> out;
  for (size_t i = 0; i < g.size(); ++i)
    for (const auto& ref : g.referrers(static_cast<int32_t>(i)))
      out.push_back(std::to_string(i) + " <- " + std::to_string(ref.resource) + " " +
                    std::string(ref.path) + (ref.prior ? " prior" : ""));
  const Changes& c = g.changes();
  for (const Step& s : c.steps())
    for (const Holder& h : c.holders(s))
      out.push_back("step of " + std::to_string(s.resource) + " held by " +
                    std::to_string(h.resource) + " " + std::string(h.path) + " " + h.spelling +
                    " " + std::to_string(h.span.begin) + "-" + std::to_string(h.span.end) +
                    (h.prior ? " prior" : ""));
  return out;
}

/// The graph as it was when every no-op, read and deleted resource kept a copy
/// of its fields as its prior object.
Graph withPriorCopies(const Graph& g) {
  Graph copy;
  for (Resource r : g.resources()) {
    if (r.priorIsFields()) r.prior = r.fields;
    copy.add(std::move(r));
  }
  copy.resolve();
  return copy;
}

constexpr std::string_view kBackend = "google_compute_region_backend_service.backend";
constexpr std::string_view kNeg = "google_compute_region_network_endpoint_group.serverless_neg";
}  // namespace

TEST(Prior, NoOpPlanResourceStoresNoPriorButAnswersFromItsFields) {
  const auto r = runOn({"fixtures/rules/OPS001/fail.tfplan.json"});
  const Resource* bs = byAddress(r.graph, kBackend);
  ASSERT_NE(bs, nullptr);
  ASSERT_EQ(bs->lifecycle, Lifecycle::NoOp);
  EXPECT_FALSE(bs->hasPrior());
  EXPECT_TRUE(bs->priorIsFields());
  EXPECT_EQ(&bs->priorFields(), &bs->fields);
  const Field& group = bs->priorField("backends[0].group");
  EXPECT_EQ(group.state, State::Known);
  EXPECT_EQ(&group, &bs->field("backends[0].group"));
  EXPECT_EQ(bs->priorListSize("backends"), bs->listSize("backends"));
  EXPECT_GT(bs->priorListSize("backends"), 0U);
}

TEST(Prior, DeletedResourceStoresNoPriorAndCreatedOneHasNone) {
  const auto r = runOn({"fixtures/rules/OPS001/fail.tfplan.json"});
  const Resource* neg = byAddress(r.graph, kNeg);
  ASSERT_NE(neg, nullptr);
  ASSERT_EQ(neg->lifecycle, Lifecycle::Delete);
  EXPECT_FALSE(neg->hasPrior());
  EXPECT_EQ(neg->priorField("cloudRun.service").text, "hello-run");

  Resource created;
  created.lifecycle = Lifecycle::Create;
  created.fields["name"].state = State::Known;
  EXPECT_FALSE(created.priorIsFields());
  EXPECT_TRUE(created.priorFields().empty());
  EXPECT_EQ(created.priorField("name").state, State::Absent);
  // A stored prior wins over the fallback.
  Resource noop;
  noop.lifecycle = Lifecycle::NoOp;
  noop.fields["name"].text = "after";
  noop.editPrior()["name"].text = "before";
  EXPECT_TRUE(noop.hasPrior());
  EXPECT_EQ(noop.priorField("name").text, "before");
}

TEST(Prior, UpdatedPlanResourceStillStoresItsPrior) {
  for (const char* file :
       {"fixtures/rules/OPS001/fail.tfplan.json", "fixtures/rules/OPS001/fail-replace.tfplan.json",
        "fixtures/rules/OPS001/pass-cbd.tfplan.json"}) {
    const auto r = runOn({file});
    for (const Resource& res : r.graph.resources()) {
      if (res.lifecycle == Lifecycle::Update || res.lifecycle == Lifecycle::ReplaceCreateFirst ||
          res.lifecycle == Lifecycle::ReplaceDeleteFirst) {
        EXPECT_TRUE(res.hasPrior()) << file << " " << res.displayName;
      }
      if (res.lifecycle == Lifecycle::NoOp || res.lifecycle == Lifecycle::Delete) {
        EXPECT_FALSE(res.hasPrior()) << file << " " << res.displayName;
      }
    }
  }
}

TEST(Prior, ReferrersAndHoldersOfADeleteAreAsWithACopiedPrior) {
  const auto r = runOn({"fixtures/rules/OPS001/fail.tfplan.json"});
  const int32_t neg = indexOf(r.graph, kNeg);
  const int32_t bs = indexOf(r.graph, kBackend);
  ASSERT_GE(neg, 0);
  ASSERT_GE(bs, 0);
  // The no-op backend service refers to the deleted NEG from its object now and before.
  std::vector<std::pair<std::string, bool>> refs;
  for (const auto& ref : r.graph.referrers(neg))
    if (ref.resource == bs) refs.emplace_back(std::string(ref.path), ref.prior);
  EXPECT_EQ(refs, (std::vector<std::pair<std::string, bool>>{{"backends[0].group", false},
                                                             {"backends[0].group", true}}));
  // On a plain delete only the current reference holds it.
  const Changes& c = r.graph.changes();
  size_t holders = 0;
  for (const Step& s : c.steps()) {
    if (s.resource != neg) continue;
    for (const Holder& h : c.holders(s)) {
      ++holders;
      EXPECT_EQ(h.resource, bs);
      EXPECT_FALSE(h.prior);
    }
  }
  EXPECT_EQ(holders, 1U);
  EXPECT_EQ(referrersAndHolders(r.graph), referrersAndHolders(withPriorCopies(r.graph)));
}

TEST(Prior, ReferrersAndHoldersOfADestroyFirstReplacementAreAsWithACopiedPrior) {
  const auto r = runOn({"fixtures/rules/OPS001/fail-replace.tfplan.json"});
  const int32_t neg = indexOf(r.graph, kNeg);
  const int32_t bs = indexOf(r.graph, kBackend);
  ASSERT_GE(neg, 0);
  ASSERT_GE(bs, 0);
  ASSERT_EQ(r.graph.at(neg).lifecycle, Lifecycle::ReplaceDeleteFirst);
  // The old NEG is still held by the backend service's object before its (no) change.
  const Changes& c = r.graph.changes();
  bool heldByPrior = false;
  for (const Step& s : c.steps())
    if (s.resource == neg)
      for (const Holder& h : c.holders(s)) heldByPrior |= h.resource == bs && h.prior;
  EXPECT_TRUE(heldByPrior);
  EXPECT_EQ(referrersAndHolders(r.graph), referrersAndHolders(withPriorCopies(r.graph)));
}
