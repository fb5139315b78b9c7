// libFuzzer target: the Terraform plan adapter on any JSON (the reader's
// output is the adapter's input), then the graph and every rule. A plan read a
// piece at a time (tfplan::lowerInPieces) must give what the whole tree gives:
// any difference aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../plan_pieces.h"
#include "engine/check.h"
#include "engine/graph.h"
#include "engine/json.h"
#include "parsers/tfplan/tfplan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (lbcheck::tfplan::startsLikePlan(text)) {
    const auto both = lbcheck::testing::readPlanBothWays(text);
    if (both.inPieces && both.whole != both.pieces) {
      std::fprintf(stderr, "whole:\n%s\nin pieces:\n%s\n", both.whole.c_str(), both.pieces.c_str());
      std::abort();
    }
  }
  lbcheck::SourceManager sources;
  auto& file = sources.add("plan.json", text);
  lbcheck::json::ParseError error;
  auto doc = lbcheck::json::parse(file, lbcheck::json::Limits{}, &error);
  if (!doc) return 0;
  lbcheck::Graph graph;
  std::vector<lbcheck::Finding> findings;
  lbcheck::tfplan::lower(*doc, file, graph, findings);
  graph.merge(findings);
  graph.resolve();
  lbcheck::checkGraph(graph, {});
  return 0;
}
