// The graph's indexes and the interned strings under them, at sizes where
// their tables grow many times: the answers are those of a plain scan.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/atom.h"
#include "engine/graph.h"

using namespace lbcheck;

namespace {

Resource named(Kind kind, std::string name, Scope scope, std::string project = "p") {
  Resource r;
  r.id.kind = kind;
  r.id.name = std::move(name);
  r.id.scope = scope;
  r.id.project = project;
  return r;
}

const Scope kGlobal{Scope::Type::Global, ""};
const Scope kEast{Scope::Type::Region, "us-east1"};

/// What named() must answer: the resources of that kind and name, in graph order.
std::vector<int32_t> scan(const Graph& g, Kind kind, std::string_view name) {
  std::vector<int32_t> out;
  for (size_t i = 0; i < g.size(); ++i)
    if (g.resources()[i].id.kind == kind && g.resources()[i].id.name == name)
      out.push_back(static_cast<int32_t>(i));
  return out;
}

std::vector<int32_t> asVector(Graph::Named range) {
  std::vector<int32_t> out;
  for (int32_t i : range) out.push_back(i);
  return out;
}

}  // namespace

TEST(InternedStrings, EqualTextsShareOneCopyAndDistinctOnesDoNot) {
  // Enough distinct texts that every shard's table grows several times, and
  // more than the per-thread cache holds.
  std::vector<Atom> first;
  for (int i = 0; i < 50000; ++i) first.emplace_back("atom-test-" + std::to_string(i));
  std::set<const std::string*> copies;
  for (int i = 0; i < 50000; ++i) {
    const Atom again("atom-test-" + std::to_string(i));
    EXPECT_EQ(again, first[static_cast<size_t>(i)]) << i;
    EXPECT_EQ(again.view(), "atom-test-" + std::to_string(i));
    copies.insert(&again.str());
  }
  EXPECT_EQ(copies.size(), 50000u);
  EXPECT_TRUE(Atom("").empty());
  EXPECT_EQ(Atom(""), Atom());
}

TEST(InternedStrings, ThreadsInterningTheSameTextsGetTheSameCopies) {
  constexpr int kTexts = 20000;
  std::vector<Atom> a(kTexts), b(kTexts);
  auto fill = [](std::vector<Atom>& out, bool backwards) {
    for (int k = 0; k < kTexts; ++k) {
      const int i = backwards ? kTexts - 1 - k : k;
      out[static_cast<size_t>(i)] = Atom("thread-test-" + std::to_string(i));
    }
  };
  std::thread one(fill, std::ref(a), false), two(fill, std::ref(b), true);
  one.join();
  two.join();
  for (int i = 0; i < kTexts; ++i) ASSERT_EQ(a[static_cast<size_t>(i)], b[static_cast<size_t>(i)]);
}

TEST(InternedStrings, SmallAtomsKeepTheirTextInOneByte) {
  static_assert(sizeof(SmallAtom) == 1);
  const SmallAtom a("Terraform (google provider)");
  const SmallAtom b(std::string("Terraform (google provider)"));
  const SmallAtom c("gcloud");
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == c);
  EXPECT_EQ(a.str(), "Terraform (google provider)");
  EXPECT_EQ(std::string("by ") + c, "by gcloud");
  EXPECT_TRUE(SmallAtom().empty());
  EXPECT_EQ(SmallAtom().str(), "");
  EXPECT_FALSE(c.empty());
}

TEST(CompactFields, ANumberIsReadFromItsText) {
  Field f;
  f.state = State::Known;
  f.text = "45";
  EXPECT_EQ(f.number(), 0) << "not marked as a number";
  f.isNumber = true;
  EXPECT_EQ(f.number(), 45);
  f.text = "1.5";
  EXPECT_EQ(f.number(), 1.5);
  f.text = "-1e3";
  EXPECT_EQ(f.number(), -1000);
  f.text = "1e999";  // out of range: infinite, as strtod reads it
  EXPECT_TRUE(std::isinf(f.number()));
}

TEST(CompactFields, AReferenceIsBoxedAndCopiedWithItsField) {
  Field plain;
  EXPECT_FALSE(plain.ref->present());
  EXPECT_EQ(plain.ref->target, -1);
  Field f;
  f.ref.edit().address = "google_compute_network.default";
  f.ref.edit().target = 7;
  Field copy = f;
  f.ref.edit().target = 8;
  EXPECT_EQ(copy.ref->target, 7) << "a copy owns its own reference";
  EXPECT_EQ(copy.ref->address, "google_compute_network.default");
  EXPECT_TRUE(copy.ref->present());
  plain = copy;
  EXPECT_EQ(plain.ref->target, 7);
  Field moved = std::move(copy);
  EXPECT_EQ(moved.ref->target, 7);
}

TEST(GraphNames, NamedFindsEveryResourceOfAKindAndNameInGraphOrder) {
  Graph g;
  // 3,000 names; each name on a network and a subnetwork (kinds stay apart),
  // every third one twice more in other scopes and projects.
  for (int i = 0; i < 3000; ++i) {
    const std::string name = "n" + std::to_string(i);
    g.add(named(Kind::Network, name, kGlobal));
    g.add(named(Kind::Subnetwork, name, kEast));
    if (i % 3 == 0) {
      g.add(named(Kind::Subnetwork, name, Scope{Scope::Type::Region, "europe-west1"}));
      g.add(named(Kind::Subnetwork, name, kEast, "other-project"));
    }
  }
  g.add(named(Kind::Network, "", kGlobal));  // no name: in no group
  for (int i = 0; i < 3000; i += 7) {
    const std::string name = "n" + std::to_string(i);
    EXPECT_EQ(asVector(g.named(Kind::Network, name)), scan(g, Kind::Network, name));
    EXPECT_EQ(asVector(g.named(Kind::Subnetwork, name)), scan(g, Kind::Subnetwork, name));
  }
  EXPECT_TRUE(g.named(Kind::Network, "missing").empty());
  EXPECT_TRUE(g.named(Kind::Firewall, "n1").empty());
  EXPECT_TRUE(g.named(Kind::Network, "").empty());

  // find() picks within the group: scope and project decide.
  Identity want{Kind::Subnetwork, "p", kEast, "n3"};
  EXPECT_EQ(g.find(want), scan(g, Kind::Subnetwork, "n3")[0]);
  want.project = "other-project";
  EXPECT_EQ(g.find(want), scan(g, Kind::Subnetwork, "n3")[2]);
  want.scope = Scope{Scope::Type::Region, "asia-east1"};
  EXPECT_EQ(g.find(want), -1);
  // Another scope: findAnyScope takes the one candidate of that project...
  want.project = "other-project";
  EXPECT_EQ(g.findAnyScope(want), scan(g, Kind::Subnetwork, "n3")[2]);
  // ...and never guesses between two.
  want.project = "p";
  EXPECT_EQ(g.findAnyScope(want), -1);
}

TEST(GraphNames, ResourcesAddedAfterALookupAreFoundToo) {
  Graph g;
  for (int i = 0; i < 5000; ++i) {
    const std::string name = "r" + std::to_string(i % 1000);
    g.add(named(Kind::BackendService, name, kEast));
    // A lookup between adds indexes what is there; the next add must join it.
    if (i % 97 == 0) {
      ASSERT_EQ(asVector(g.named(Kind::BackendService, name)), scan(g, Kind::BackendService, name));
    }
  }
  for (int i = 0; i < 1000; i += 37) {
    const std::string name = "r" + std::to_string(i);
    const std::vector<int32_t> all = asVector(g.named(Kind::BackendService, name));
    EXPECT_EQ(all.size(), 5u);
    EXPECT_EQ(all, scan(g, Kind::BackendService, name));
  }
}

TEST(GraphReferrers, ResolvedAnswersAreTheScansAnswers) {
  Graph g;
  // Backend services point at NEGs; every NEG but the last few has referrers,
  // some several, one from the object before a change.
  for (int i = 0; i < 400; ++i)
    g.add(named(Kind::NetworkEndpointGroup, "neg" + std::to_string(i), kEast));
  for (int i = 0; i < 1000; ++i) {
    Resource bs = named(Kind::BackendService, "bs" + std::to_string(i), kEast);
    for (int k = 0; k < 1 + i % 3; ++k) {
      Field& f = bs.fields["backends[" + std::to_string(k) + "].group"];
      f.state = State::Known;
      f.text = "neg" + std::to_string((i + k * 7) % 390);
      f.ref.edit().identity = Identity{Kind::NetworkEndpointGroup, "p", kEast, f.text};
    }
    if (i == 5) {
      bs.lifecycle = Lifecycle::Update;
      Field& old = bs.editPrior()["backends[0].group"];
      old.state = State::Known;
      old.text = "neg399";
      old.ref.edit().identity = Identity{Kind::NetworkEndpointGroup, "p", kEast, "neg399"};
    }
    g.add(std::move(bs));
  }
  // Before resolve() there are no targets; set them as resolve() would,
  // then compare its precomputed lists with the scan of every field.
  g.resolve();
  std::vector<std::string> scanned, indexed;
  for (size_t t = 0; t < g.size(); ++t) {
    for (size_t i = 0; i < g.size(); ++i) {
      const Resource& r = g.resources()[i];
      for (const auto& [path, f] : r.fields)
        if (f.ref->target == static_cast<int32_t>(t))
          scanned.push_back(std::to_string(t) + "<-" + std::to_string(i) + " " + std::string(path));
      for (const auto& [path, f] : r.priorFields())
        if (f.ref->target == static_cast<int32_t>(t))
          scanned.push_back(std::to_string(t) + "<-" + std::to_string(i) + " " + std::string(path) +
                            " prior");
    }
    for (const Graph::Referrer& ref : g.referrers(static_cast<int32_t>(t)))
      indexed.push_back(std::to_string(t) + "<-" + std::to_string(ref.resource) + " " +
                        std::string(ref.path) + (ref.prior ? " prior" : ""));
  }
  EXPECT_EQ(indexed, scanned);
  EXPECT_EQ(indexed.size(), 2000u);        // 1,999 backends and one prior
  EXPECT_EQ(g.referrers(390).size(), 0u);  // no backend points at neg390..neg398
  EXPECT_EQ(g.referrers(399).size(), 1u);  // only the object before bs5's change does
  EXPECT_TRUE(g.referrers(-1).empty());
  EXPECT_TRUE(g.referrers(static_cast<int32_t>(g.size())).empty());
}

TEST(KrmKeys, ANameReferenceResolvesByItsNamespaceKindAndName) {
  Graph g;
  auto object = [&](std::string ns, Kind kind, std::string krmName, std::string gcpName) {
    Resource r = named(kind, std::move(gcpName), kEast);
    r.krmPrefix = "krm:" + ns + "/" + std::string(collectionName(kind)) + "/";
    r.krmName = krmName;
    g.add(std::move(r));
  };
  object("infra", Kind::Network, "net-a", "net-a");
  object("other", Kind::Network, "net-a", "net-a-other");      // same name, other namespace
  object("infra", Kind::Subnetwork, "net-a", "sub-net-a");     // same name, other kind
  object("infra", Kind::Network, "net-b", "custom-gcp-name");  // spec.resourceID differs
  Resource referrer = named(Kind::Subnetwork, "sub", kEast);
  auto refer = [&](std::string path, std::string prefix, std::string name) {
    Field f;
    f.state = State::Known;
    f.text = name;
    f.ref.edit().address = prefix;
    referrer.fields[path] = std::move(f);
  };
  refer("network", "krm:infra/networks/", "net-a");
  refer("other", "krm:other/networks/", "net-a");
  refer("byKrmName", "krm:infra/networks/", "net-b");
  refer("missing", "krm:infra/networks/", "net-c");
  g.add(std::move(referrer));
  g.resolve();
  const Resource& r = g.at(4);
  EXPECT_EQ(r.field("network").ref->target, 0);
  EXPECT_EQ(r.field("other").ref->target, 1);
  EXPECT_EQ(r.field("byKrmName").ref->target, 3);
  EXPECT_EQ(r.field("missing").ref->target, -1);
  EXPECT_EQ(r.field("network").refAddress(), "krm:infra/networks/net-a");
  EXPECT_EQ(r.field("missing").refAddress(), "krm:infra/networks/net-c");
  // The whole key, as a string, finds the same objects.
  EXPECT_EQ(g.findByAddress(0, "krm:other/networks/net-a", ""), 1);
  EXPECT_EQ(g.findByAddress(0, "krm:infra/subnetworks/net-a", ""), 2);
  EXPECT_EQ(g.findByAddress(0, "krm:infra/networks/net-c", ""), -1);
}
