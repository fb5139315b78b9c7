// Google Benchmark micro-benchmarks of lbcheck's stages, on one plan and one KRM file:
//
//   json_parse        engine/json: the plan JSON into the span-keeping tree
//   yaml_parse        parsers/yaml: the KRM stream into the same tree
//   plan_adapter      parsers/tfplan: the parsed plan lowered into canonical resources
//   graph_resolve     engine/graph: merge duplicates and resolve every reference
//   rules             every registered rule on the resolved graph
//   pipeline/plan|krm loadBytes + finish (what `lbcheck FILE` does after reading the file)
//
// Inputs: LBCHECK_BENCH_PLAN and LBCHECK_BENCH_KRM (default: the seed fixtures).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "driver/runner.h"
#include "engine/check.h"
#include "engine/graph.h"
#include "engine/json.h"
#include "engine/rule.h"
#include "engine/source.h"
#include "parsers/tfplan/tfplan.h"
#include "parsers/yaml/yaml.h"

namespace {

std::string inputPath(const char* env, const char* fallback) {
  const char* v = std::getenv(env);
  return v && *v ? std::string(v) : std::string(LBCHECK_SOURCE_DIR) + "/" + fallback;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

struct Plan {
  std::string path = inputPath("LBCHECK_BENCH_PLAN", "fixtures/plans/seed-clean.tfplan.json");
  lbcheck::SourceFile file{0, path, slurp(path)};
  std::unique_ptr<lbcheck::json::Document> doc;
  lbcheck::Graph lowered;   // after the plan adapter
  lbcheck::Graph resolved;  // after merge + resolve

  Plan() {
    lbcheck::json::ParseError err;
    doc = lbcheck::json::parse(file, lbcheck::json::Limits{}, &err);
    if (!doc) throw std::runtime_error(path + ": " + err.message);
    std::vector<lbcheck::Finding> diags;
    lbcheck::tfplan::lower(*doc, file, lowered, diags);
    lbcheck::tfplan::lower(*doc, file, resolved, diags);  // a Graph is not copyable
    resolved.merge(diags);
    resolved.resolve();
  }
};

Plan& plan() {
  static Plan p;
  return p;
}

struct Krm {
  std::string path = inputPath("LBCHECK_BENCH_KRM", "fixtures/plans/seed-clean.krm.yaml");
  lbcheck::SourceFile file{0, path, slurp(path)};
};

Krm& krm() {
  static Krm k;
  return k;
}

void json_parse(benchmark::State& state) {
  const auto& f = plan().file;
  for (auto _ : state) {
    lbcheck::json::ParseError err;
    auto doc = lbcheck::json::parse(f, lbcheck::json::Limits{}, &err);
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.text().size()));
}

void yaml_parse(benchmark::State& state) {
  const auto& f = krm().file;
  for (auto _ : state) {
    std::vector<std::unique_ptr<lbcheck::json::Document>> docs;
    lbcheck::json::ParseError err;
    const bool failed = lbcheck::yaml::parse(f, lbcheck::yaml::Limits{}, &docs, &err);
    benchmark::DoNotOptimize(failed);
    benchmark::DoNotOptimize(docs);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.text().size()));
}

void plan_adapter(benchmark::State& state) {
  auto& p = plan();
  for (auto _ : state) {
    lbcheck::Graph graph;
    std::vector<lbcheck::Finding> diags;
    lbcheck::tfplan::lower(*p.doc, p.file, graph, diags);
    benchmark::DoNotOptimize(graph);
  }
  state.counters["resources"] = static_cast<double>(p.lowered.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * p.file.text().size()));
}

void graph_resolve(benchmark::State& state) {
  auto& p = plan();
  for (auto _ : state) {
    state.PauseTiming();
    lbcheck::Graph graph;
    std::vector<lbcheck::Finding> notes;
    lbcheck::tfplan::lower(*p.doc, p.file, graph, notes);
    notes.clear();
    state.ResumeTiming();
    graph.merge(notes);
    graph.resolve();
    benchmark::DoNotOptimize(graph);
  }
  state.counters["resources"] = static_cast<double>(p.lowered.size());
}

void rules(benchmark::State& state) {
  auto& p = plan();
  size_t findings = 0;
  for (auto _ : state) {
    auto out = lbcheck::checkGraph(p.resolved, {});
    findings = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["resources"] = static_cast<double>(p.resolved.size());
  state.counters["findings"] = static_cast<double>(findings);
}

void pipeline(benchmark::State& state, const lbcheck::SourceFile& f) {
  lbcheck::Options options;
  const std::string bytes(f.text());
  for (auto _ : state) {
    lbcheck::RunResult result;
    lbcheck::loadBytes(options, result, f.path(), bytes);
    lbcheck::finish(options, result);
    benchmark::DoNotOptimize(result.findings);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

void pipeline_plan(benchmark::State& state) { pipeline(state, plan().file); }
void pipeline_krm(benchmark::State& state) { pipeline(state, krm().file); }

BENCHMARK(json_parse)->Unit(benchmark::kMicrosecond);
BENCHMARK(yaml_parse)->Unit(benchmark::kMicrosecond);
BENCHMARK(plan_adapter)->Unit(benchmark::kMicrosecond);
BENCHMARK(graph_resolve)->Unit(benchmark::kMicrosecond);
BENCHMARK(rules)->Unit(benchmark::kMicrosecond);
BENCHMARK(pipeline_plan)->Name("pipeline/plan")->Unit(benchmark::kMicrosecond);
BENCHMARK(pipeline_krm)->Name("pipeline/krm")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
