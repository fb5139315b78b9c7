// libFuzzer target: the Terraform plan adapter on any JSON (the reader's
// output is the adapter's input), then the graph and every rule.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/check.h"
#include "engine/graph.h"
#include "engine/json.h"
#include "parsers/tfplan/tfplan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lbcheck::SourceManager sources;
  auto& file = sources.add("plan.json", std::string(reinterpret_cast<const char*>(data), size));
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
