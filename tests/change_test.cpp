// The format-neutral change model (engine/change.*): a plan's lifecycle and a
// script's timeline lower into the same steps, order and holders.
#include "engine/change.h"

#include <gtest/gtest.h>

#include "engine/graph.h"

namespace lbcheck {
namespace {

Identity idOf(Kind kind, std::string name) {
  return Identity{kind, "p", Scope{Scope::Type::Region, "us-central1"}, std::move(name)};
}

Span spanAt(uint32_t begin) {
  Span s;
  s.file = 1;
  s.begin = begin;
  s.end = begin + 1;
  return s;
}

Resource planned(Kind kind, const std::string& name, Lifecycle lifecycle,
                 const std::string& address) {
  Resource r;
  r.id = idOf(kind, name);
  r.displayName = address;
  r.lifecycle = lifecycle;
  r.document = 7;
  r.header = spanAt(100);
  r.setLifecycleSpan(spanAt(200));
  r.editRare().dependsOn = std::vector<std::string>{};
  return r;
}

Field refTo(int32_t target, Kind kind, const std::string& name, uint32_t at) {
  Field f;
  f.state = State::Known;
  f.text = name;
  f.span = spanAt(at);
  f.spelling = "group";
  f.ref.edit().identity = idOf(kind, name);
  f.ref.edit().target = target;
  return f;
}

const Step& onlyStepOf(const Changes& c, int32_t resource) {
  const auto steps = c.stepsOf(resource);
  EXPECT_EQ(steps.size(), 1u);
  return *steps.front();
}

TEST(Changes, PlanActionsBecomeSteps) {
  Graph g;
  const int32_t kept = g.add(planned(Kind::Network, "net", Lifecycle::NoOp, "google_x.net"));
  const int32_t fixed = g.add(planned(Kind::Network, "old", Lifecycle::Static, "google_x.old"));
  const int32_t neg = g.add(
      planned(Kind::NetworkEndpointGroup, "neg", Lifecycle::ReplaceCreateFirst, "google_x.neg"));
  const Changes& c = g.changes();
  EXPECT_FALSE(c.changed(kept));
  EXPECT_FALSE(c.changed(fixed));
  ASSERT_TRUE(c.changed(neg));
  const Step& s = onlyStepOf(c, neg);
  EXPECT_EQ(s.action, Step::Action::Replace);
  EXPECT_TRUE(s.createFirst);
  EXPECT_FALSE(s.destroysFirst());
  EXPECT_FALSE(s.sequential);
  EXPECT_EQ(s.at.begin, 200u);
  EXPECT_EQ(s.name.begin, 100u);
}

TEST(Changes, PlanDeleteIsHeldByWhatStays) {
  Graph g;
  const int32_t neg =
      g.add(planned(Kind::NetworkEndpointGroup, "neg", Lifecycle::Delete, "google_x.neg"));
  Resource stays = planned(Kind::BackendService, "bs", Lifecycle::Update, "google_x.bs");
  stays.fields["backends[0].group"] = refTo(neg, Kind::NetworkEndpointGroup, "neg", 300);
  const int32_t bs = g.add(std::move(stays));
  Resource drops = planned(Kind::BackendService, "bs2", Lifecycle::Update, "google_x.bs2");
  drops.editPrior()["backends[0].group"] = refTo(neg, Kind::NetworkEndpointGroup, "neg", 400);
  g.add(std::move(drops));
  Resource goes = planned(Kind::BackendService, "bs3", Lifecycle::Delete, "google_x.bs3");
  goes.editPrior()["backends[0].group"] = refTo(neg, Kind::NetworkEndpointGroup, "neg", 500);
  g.add(std::move(goes));

  const Changes& c = g.changes();
  const auto held = c.holders(onlyStepOf(c, neg));
  // bs2's update drops its reference first; bs3 is destroyed first.
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].resource, bs);
  EXPECT_EQ(held[0].span.begin, 300u);
  EXPECT_EQ(held[0].spelling, "group");
  EXPECT_FALSE(held[0].prior);
}

TEST(Changes, DestroyFirstReplacementIsHeldByTheOldReference) {
  Graph g;
  const int32_t neg = g.add(
      planned(Kind::NetworkEndpointGroup, "neg", Lifecycle::ReplaceDeleteFirst, "google_x.neg"));
  Resource user = planned(Kind::BackendService, "bs", Lifecycle::Update, "google_x.bs");
  user.editPrior()["backends[0].group"] = refTo(neg, Kind::NetworkEndpointGroup, "neg", 400);
  const int32_t bs = g.add(std::move(user));
  const Changes& c = g.changes();
  const Step& s = onlyStepOf(c, neg);
  EXPECT_TRUE(s.destroysFirst());
  const auto held = c.holders(s);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].resource, bs);
  EXPECT_TRUE(held[0].prior);
}

TEST(Changes, PlanCreationsWaitOnlyForTheirDependencies) {
  Graph g;
  const int32_t subnet =
      g.add(planned(Kind::Subnetwork, "proxy", Lifecycle::Create, "module.net.google_x.proxy"));
  const int32_t hop = g.add(planned(Kind::Network, "net", Lifecycle::NoOp, "google_x.net"));
  g.at(hop).editRare().dependsOn = std::vector<std::string>{"module.net"};
  Resource waits = planned(Kind::ForwardingRule, "fr", Lifecycle::Create, "google_x.fr");
  waits.editRare().dependsOn = std::vector<std::string>{"google_x.net"};
  const int32_t fr = g.add(std::move(waits));
  const int32_t loose =
      g.add(planned(Kind::ForwardingRule, "fr2", Lifecycle::Create, "google_x.fr2"));
  Resource unknown = planned(Kind::ForwardingRule, "fr3", Lifecycle::Create, "google_x.fr3");
  unknown.editRare().dependsOn.reset();
  const int32_t blind = g.add(std::move(unknown));

  const Changes& c = g.changes();
  const Step& made = onlyStepOf(c, subnet);
  // Through a resource the plan does not change, and a module address.
  EXPECT_TRUE(c.before(made, onlyStepOf(c, fr)));
  EXPECT_TRUE(c.existsAt(subnet, onlyStepOf(c, fr)));
  EXPECT_FALSE(c.before(onlyStepOf(c, fr), made));
  EXPECT_FALSE(c.before(made, onlyStepOf(c, loose)));
  EXPECT_FALSE(c.existsAt(subnet, onlyStepOf(c, loose)));
  EXPECT_FALSE(onlyStepOf(c, blind).dependenciesKnown);
  EXPECT_FALSE(c.before(made, onlyStepOf(c, blind)));
}

Operation op(Operation::Verb verb, uint32_t sequence, int32_t resource, const Graph& g) {
  Operation o;
  o.verb = verb;
  o.document = 3;
  o.sequence = sequence;
  o.resource = resource;
  o.target = g.at(resource).id;
  o.command = "tool verb";
  o.nameSpan = spanAt(10 * sequence + 1);
  o.span = spanAt(10 * sequence);
  return o;
}

Resource scripted(Kind kind, const std::string& name, Lifecycle lifecycle) {
  Resource r;
  r.id = idOf(kind, name);
  r.displayName = name;
  r.lifecycle = lifecycle;
  r.document = 3;
  return r;
}

TEST(Changes, ScriptStepsSeeWhatTheStepsBeforeLeft) {
  Graph g;
  const int32_t neg = g.add(scripted(Kind::NetworkEndpointGroup, "neg", Lifecycle::Delete));
  const int32_t bs = g.add(scripted(Kind::BackendService, "bs", Lifecycle::Create));
  const int32_t old = g.add(scripted(Kind::Subnetwork, "old", Lifecycle::Update));
  const int32_t elsewhere = g.add(planned(Kind::Subnetwork, "other", Lifecycle::Static, "x"));
  g.addOperation(op(Operation::Verb::Create, 0, neg, g));
  Operation attach = op(Operation::Verb::Create, 1, bs, g);
  attach.refs.push_back(
      {"backends[0].group", g.at(neg).id, spanAt(15), "--network-endpoint-group", true});
  g.addOperation(std::move(attach));
  Operation edit = op(Operation::Verb::Edit, 2, bs, g);
  edit.refs = g.timeline().back().refs;
  g.addOperation(std::move(edit));
  g.addOperation(op(Operation::Verb::Update, 3, old, g));
  g.addOperation(op(Operation::Verb::Delete, 4, neg, g));

  const Changes& c = g.changes();
  ASSERT_EQ(c.steps().size(), 5u);
  const auto negSteps = c.stepsOf(neg);
  ASSERT_EQ(negSteps.size(), 2u);
  const Step& created = *negSteps[0];
  const Step& deleted = *negSteps[1];
  EXPECT_TRUE(deleted.sequential);
  EXPECT_EQ(deleted.action, Step::Action::Delete);
  EXPECT_TRUE(c.before(created, deleted));
  EXPECT_FALSE(c.before(deleted, created));

  const auto held = c.holders(deleted);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].resource, bs);
  EXPECT_EQ(held[0].spelling, "--network-endpoint-group");
  EXPECT_EQ(held[0].span.begin, 15u);

  const auto bsSteps = c.stepsOf(bs);
  ASSERT_EQ(bsSteps.size(), 2u);
  EXPECT_TRUE(bsSteps[1]->interactive);
  const auto before = c.heldBefore(*bsSteps[1]);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].target, neg);
  EXPECT_TRUE(c.heldBefore(*bsSteps[0]).empty());  // nothing there before the create
  EXPECT_EQ(c.earlierStepsOf(bs, deleted).size(), 2u);

  // The script created the NEG at step 0 and deleted it at step 4; it changed a
  // subnet it never created, so that one was there all along; another input's
  // resource exists throughout.
  EXPECT_FALSE(c.existsAt(bs, created));
  EXPECT_TRUE(c.existsAt(neg, deleted));
  EXPECT_TRUE(c.existsAt(old, created));
  EXPECT_TRUE(c.existsAt(elsewhere, deleted));
  EXPECT_FALSE(c.changed(elsewhere));
}

TEST(Changes, ScriptHoldersAreTheReferencesAsTheLastStepLeftThem) {
  Graph g;
  const int32_t neg = g.add(scripted(Kind::NetworkEndpointGroup, "neg", Lifecycle::Delete));
  const int32_t a = g.add(scripted(Kind::BackendService, "a", Lifecycle::Create));
  const int32_t b = g.add(scripted(Kind::BackendService, "b", Lifecycle::Create));
  const Operation::Ref use{"backends[0].group", g.at(neg).id, spanAt(15), "--flag", true};
  g.addOperation(op(Operation::Verb::Create, 0, neg, g));
  Operation first = op(Operation::Verb::Create, 1, b, g);
  first.refs.push_back(use);
  g.addOperation(std::move(first));
  Operation second = op(Operation::Verb::Create, 2, a, g);
  second.refs.push_back(use);
  g.addOperation(std::move(second));
  g.addOperation(op(Operation::Verb::Update, 3, b, g));  // b drops it
  g.addOperation(op(Operation::Verb::Delete, 4, neg, g));
  g.addOperation(op(Operation::Verb::Create, 5, neg, g));
  Operation again = op(Operation::Verb::Update, 6, b, g);
  again.refs.push_back(use);
  g.addOperation(std::move(again));
  g.addOperation(op(Operation::Verb::Delete, 7, neg, g));
  // Another script starts from nothing.
  Operation other = op(Operation::Verb::Delete, 0, neg, g);
  other.document = 4;
  g.addOperation(std::move(other));

  const Changes& c = g.changes();
  const auto negSteps = c.stepsOf(neg);
  ASSERT_EQ(negSteps.size(), 5u);
  const auto firstDelete = c.holders(*negSteps[1]);
  ASSERT_EQ(firstDelete.size(), 1u);
  EXPECT_EQ(firstDelete[0].resource, a);
  // In the order the objects appeared: b before a.
  const auto secondDelete = c.holders(*negSteps[3]);
  ASSERT_EQ(secondDelete.size(), 2u);
  EXPECT_EQ(secondDelete[0].resource, b);
  EXPECT_EQ(secondDelete[1].resource, a);
  EXPECT_TRUE(c.holders(*negSteps[2]).empty());  // not a delete
  const auto lastSteps = c.stepsOf(neg);
  EXPECT_EQ(lastSteps.back()->document, 4u);
  EXPECT_TRUE(c.holders(*lastSteps.back()).empty());
  EXPECT_FALSE(c.before(*negSteps[1], *lastSteps.back()));
}

TEST(Changes, ScriptStepsThatNameWhatTheScriptDeleted) {
  Graph g;
  const int32_t map = g.add(scripted(Kind::UrlMap, "map", Lifecycle::Create));
  const int32_t proxy = g.add(scripted(Kind::TargetHttpProxy, "proxy", Lifecycle::Create));
  const int32_t again = g.add(scripted(Kind::TargetHttpProxy, "again", Lifecycle::Create));
  const int32_t scheduled =
      g.add(planned(Kind::TargetHttpProxy, "tf", Lifecycle::Create, "google_x.tf"));
  g.at(scheduled).fields["urlMap"] = refTo(map, Kind::UrlMap, "map", 90);
  // The reference names the map with no scope, as a flag without its region does.
  Identity unscoped = g.at(map).id;
  unscoped.scope = Scope{};
  const Operation::Ref use{"urlMap", unscoped, spanAt(25), "--url-map", true};
  Operation::Ref kept = use;
  kept.written = false;
  g.addOperation(op(Operation::Verb::Create, 0, map, g));
  g.addOperation(op(Operation::Verb::Delete, 1, map, g));
  Operation uses = op(Operation::Verb::Create, 2, proxy, g);
  uses.refs.push_back(use);
  g.addOperation(std::move(uses));
  Operation keeps = op(Operation::Verb::Update, 3, proxy, g);
  keeps.refs.push_back(kept);  // still there from step 2, not written again
  g.addOperation(std::move(keeps));
  g.addOperation(op(Operation::Verb::Create, 4, map, g));  // made again
  Operation after = op(Operation::Verb::Create, 5, again, g);
  after.refs.push_back(use);
  g.addOperation(std::move(after));
  // Another script never deleted it.
  Operation other = op(Operation::Verb::Update, 0, proxy, g);
  other.document = 4;
  other.refs.push_back(use);
  g.addOperation(std::move(other));

  const Changes& c = g.changes();
  const auto proxySteps = c.stepsOf(proxy);
  ASSERT_EQ(proxySteps.size(), 3u);
  const auto gone = c.goneBefore(*proxySteps[0]);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].ref->spelling, "--url-map");
  EXPECT_EQ(gone[0].ref->span.begin, 25u);
  ASSERT_NE(gone[0].deletedBy, nullptr);
  EXPECT_EQ(gone[0].deletedBy->action, Step::Action::Delete);
  EXPECT_EQ(gone[0].deletedBy->resource, map);
  EXPECT_EQ(gone[0].deletedBy->name.begin, 11u);
  EXPECT_TRUE(c.goneBefore(*proxySteps[1]).empty());  // kept, not written
  EXPECT_EQ(proxySteps[2]->document, 4u);
  EXPECT_TRUE(c.goneBefore(*proxySteps[2]).empty());
  EXPECT_TRUE(c.goneBefore(onlyStepOf(c, again)).empty());
  EXPECT_TRUE(c.goneBefore(onlyStepOf(c, scheduled)).empty());
}

TEST(Changes, AddAndRemoveOfAListMemberAttachAndDetach) {
  Graph g;
  const int32_t bs = g.add(scripted(Kind::BackendService, "bs", Lifecycle::Update));
  const int32_t tf = g.add(planned(Kind::BackendService, "tf", Lifecycle::Update, "google_x.tf"));
  g.addOperation(op(Operation::Verb::AddBackend, 0, bs, g));
  g.addOperation(op(Operation::Verb::RemoveBackend, 1, bs, g));  // names no backend
  g.addOperation(op(Operation::Verb::Update, 2, bs, g));
  const Changes& c = g.changes();
  const auto steps = c.stepsOf(bs);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0]->action, Step::Action::Update);
  EXPECT_TRUE(steps[0]->attaches);
  EXPECT_FALSE(steps[0]->detaches);
  EXPECT_TRUE(steps[1]->detaches);
  EXPECT_FALSE(steps[1]->attaches);
  EXPECT_TRUE(steps[1]->drops.empty());
  EXPECT_FALSE(steps[2]->attaches || steps[2]->detaches);
  const Step& planStep = onlyStepOf(c, tf);
  EXPECT_FALSE(planStep.attaches || planStep.detaches);
}

TEST(Changes, FieldBeforeReadsThePriorObjectOfAScheduledChange) {
  Graph g;
  Resource s = planned(Kind::Subnetwork, "s", Lifecycle::Update, "google_x.s");
  Field now;
  now.state = State::Known;
  now.text = "10.0.0.0/23";
  Field then = now;
  then.text = "10.0.0.0/24";
  s.fields["ipCidrRange"] = now;
  s.editPrior()["ipCidrRange"] = then;
  const int32_t i = g.add(std::move(s));
  const Changes& c = g.changes();
  const Step& step = onlyStepOf(c, i);
  EXPECT_EQ(c.fieldBefore(step, g.at(i), "ipCidrRange").text, "10.0.0.0/24");
  Step sequential = step;
  sequential.sequential = true;
  EXPECT_EQ(c.fieldBefore(sequential, g.at(i), "ipCidrRange").text, "10.0.0.0/23");
}

Field known(const std::string& text, uint32_t at) {
  Field f;
  f.state = State::Known;
  f.text = text;
  f.span = spanAt(at);
  return f;
}

TEST(Changes, FieldBeforeReadsWhatTheEarlierStepsOfAScriptWrote) {
  Graph g;
  // A backend service the script only updates, three times.
  Resource r = scripted(Kind::BackendService, "bs", Lifecycle::Update);
  r.fields["externalManagedMigrationState"] = known("TEST_ALL_TRAFFIC", 15);
  r.fields["loadBalancingScheme"] = known("EXTERNAL_MANAGED", 25);
  r.fields["protocol"] = known("HTTP", 99);
  const int32_t bs = g.add(std::move(r));
  // A subnet the script creates, then updates.
  Resource s = scripted(Kind::Subnetwork, "s", Lifecycle::Create);
  s.fields["role"] = known("ACTIVE", 45);
  const int32_t subnet = g.add(std::move(s));
  Operation prepare = op(Operation::Verb::Update, 0, bs, g);
  prepare.writes.emplace_back("externalManagedMigrationState", known("PREPARE", 5));
  g.addOperation(std::move(prepare));
  Operation all = op(Operation::Verb::Update, 1, bs, g);
  all.writes.emplace_back("externalManagedMigrationState", known("TEST_ALL_TRAFFIC", 15));
  g.addOperation(std::move(all));
  Operation scheme = op(Operation::Verb::Update, 2, bs, g);
  scheme.writes.emplace_back("loadBalancingScheme", known("EXTERNAL_MANAGED", 25));
  g.addOperation(std::move(scheme));
  g.addOperation(op(Operation::Verb::Create, 3, subnet, g));
  Operation role = op(Operation::Verb::Update, 4, subnet, g);
  role.writes.emplace_back("role", known("ACTIVE", 45));
  g.addOperation(std::move(role));

  const Changes& c = g.changes();
  const auto steps = c.stepsOf(bs);
  ASSERT_EQ(steps.size(), 3u);
  const Resource& b = g.at(bs);
  // Before the first write, the value before the script is not known.
  EXPECT_EQ(c.fieldBefore(*steps[0], b, "externalManagedMigrationState").state, State::Unknown);
  EXPECT_EQ(c.fieldAfter(*steps[0], "externalManagedMigrationState").text, "PREPARE");
  EXPECT_EQ(c.fieldBefore(*steps[1], b, "externalManagedMigrationState").text, "PREPARE");
  EXPECT_EQ(c.fieldBefore(*steps[2], b, "externalManagedMigrationState").text, "TEST_ALL_TRAFFIC");
  EXPECT_EQ(c.fieldBefore(*steps[2], b, "loadBalancingScheme").state, State::Unknown);
  EXPECT_EQ(c.fieldAfter(*steps[2], "loadBalancingScheme").text, "EXTERNAL_MANAGED");
  // A field no step writes keeps the object's value.
  EXPECT_EQ(c.fieldBefore(*steps[0], b, "protocol").text, "HTTP");
  // Another resource, as the steps before the asking step left it.
  const auto subnetSteps = c.stepsOf(subnet);
  ASSERT_EQ(subnetSteps.size(), 2u);
  EXPECT_EQ(c.fieldBefore(*subnetSteps[0], b, "loadBalancingScheme").text, "EXTERNAL_MANAGED");
  EXPECT_EQ(c.fieldBefore(*steps[1], g.at(subnet), "role").state, State::Unknown);
  // Created by the script and not written since: absent (the API default applies).
  EXPECT_EQ(c.fieldBefore(*subnetSteps[1], g.at(subnet), "role").state, State::Absent);
  EXPECT_EQ(c.fieldAfter(*subnetSteps[1], "role").text, "ACTIVE");
}

TEST(Changes, AddingToTheGraphForgetsTheChanges) {
  Graph g;
  g.add(planned(Kind::Network, "a", Lifecycle::Create, "google_x.a"));
  EXPECT_EQ(g.changes().steps().size(), 1u);
  g.add(planned(Kind::Network, "b", Lifecycle::Create, "google_x.b"));
  EXPECT_EQ(g.changes().steps().size(), 2u);
}

}  // namespace
}  // namespace lbcheck
