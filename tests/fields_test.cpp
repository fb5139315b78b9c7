// Fields: a resource's fields as a sorted flat vector read like a std::map.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/model.h"

namespace lbcheck {
namespace {

Field known(std::string text) {
  Field f;
  f.state = State::Known;
  f.text = std::move(text);
  return f;
}

std::vector<std::string> paths(const Fields& fields) {
  std::vector<std::string> out;
  for (const auto& [path, f] : fields) out.push_back(path);
  return out;
}

TEST(Fields, IteratesInPathOrderWhateverTheInsertionOrder) {
  Fields fields;
  fields["protocol"] = known("HTTP");
  fields["backends[1].group"] = known("b");
  fields["backends[0].group"] = known("a");
  fields["name"] = known("web");
  EXPECT_EQ(paths(fields), (std::vector<std::string>{"backends[0].group", "backends[1].group",
                                                     "name", "protocol"}));
  EXPECT_EQ(fields.size(), 4u);
}

TEST(Fields, OperatorBracketFindsWhatIsStillInTheUnsortedTail) {
  Fields fields;
  fields["b"] = known("1");
  fields["a"] = known("2");
  fields["b"].text = "3";  // the same field, not a second one
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_TRUE(fields.contains("a"));
  EXPECT_EQ(fields.count("b"), 1u);
  EXPECT_EQ(fields.count("c"), 0u);
  EXPECT_EQ(fields.find("b")->second.text, "3");
  EXPECT_EQ(fields.find("c"), fields.end());
}

TEST(Fields, LowerBoundWalksAListByPrefix) {
  Fields fields;
  for (const char* p : {"ports[1]", "name", "ports[0]", "portRange", "ports[2]"})
    fields[p] = known(p);
  std::vector<std::string> ports;
  for (auto it = fields.lower_bound("ports[");
       it != fields.end() && it->first.starts_with("ports["); ++it)
    ports.push_back(it->first);
  EXPECT_EQ(ports, (std::vector<std::string>{"ports[0]", "ports[1]", "ports[2]"}));
}

TEST(Fields, EraseByPathByIteratorAndByPredicate) {
  Fields fields;
  for (const char* p : {"labels.a", "name", "labels", "labels.b", "region"}) fields[p] = known(p);
  EXPECT_EQ(fields.erase("name"), 1u);
  EXPECT_EQ(fields.erase("name"), 0u);
  for (auto it = fields.begin(); it != fields.end();)
    it = it->first == "region" ? fields.erase(it) : std::next(it);
  EXPECT_EQ(paths(fields), (std::vector<std::string>{"labels", "labels.a", "labels.b"}));
  EXPECT_EQ(fields.erase_if([](const auto& p) { return p.first.starts_with("labels."); }), 2u);
  EXPECT_EQ(paths(fields), (std::vector<std::string>{"labels"}));
}

// Many fields in a shuffled order (the tail is merged many times over): the
// same contents and order as a std::map given the same writes.
TEST(Fields, AgreesWithStdMapOnManyShuffledWrites) {
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i)
    keys.push_back("pathMatchers[" + std::to_string(i % 700) + "].x" + std::to_string(i));
  std::mt19937 rng(7);
  std::shuffle(keys.begin(), keys.end(), rng);
  Fields fields;
  std::map<std::string, std::string> oracle;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& k = keys[(i * 7919) % keys.size()];  // repeats some keys
    fields[k].text = std::to_string(i);
    oracle[k] = std::to_string(i);
  }
  ASSERT_EQ(fields.size(), oracle.size());
  auto it = fields.begin();
  for (const auto& [k, v] : oracle) {
    ASSERT_EQ(std::string(it->first), k);
    ASSERT_EQ(it->second.text, v);
    ++it;
  }
  fields.shrink();
  EXPECT_EQ(fields.size(), oracle.size());
  EXPECT_EQ(fields.find(oracle.begin()->first)->second.text, oracle.begin()->second);
}

TEST(Fields, ResourceLookupsSeeFieldsWrittenAfterTheResourceWasShrunk) {
  Resource r;
  r.fields["b"] = known("1");
  r.shrinkFields();
  r.fields["a"] = known("2");  // an adapter's later edit
  EXPECT_TRUE(r.field("a").is("2"));
  EXPECT_TRUE(r.field("b").is("1"));
  EXPECT_EQ(r.field("c").state, State::Absent);
  r.fields["backends[1].group"] = known("x");
  EXPECT_EQ(r.listSize("backends"), 2u);
}

}  // namespace
}  // namespace lbcheck
