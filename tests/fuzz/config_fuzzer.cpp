// libFuzzer target: the configuration file (.lbcheck.yaml) and the inline
// suppression comments. The first byte chooses: even reads the bytes as a
// configuration (then applies its exclude globs and suppressions to a path and
// a finding), odd reads them as a commented YAML input whose `lbcheck:ignore`
// comments go through the policy stage.
#include <cstddef>
#include <cstdint>
#include <string>

#include "driver/config.h"
#include "driver/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<lbcheck::Finding> findings;
  if (data[0] % 2 == 0) {
    lbcheck::SourceFile file(0, ".lbcheck.yaml", bytes);
    auto config = lbcheck::loadConfig(file, "/repo", findings);
    (void)config->excludes("/repo/a/b/stack.krm.yaml");
    (void)config->enabled("NET001");
    for (const auto& s : config->suppress) {
      (void)lbcheck::globMatch(s.path, "a/b/plan.json");
      if (!s.until.empty() && !lbcheck::validDate(s.until)) __builtin_trap();
    }
    for (const auto& f : findings)
      if (f.span.file != 0 || f.span.begin > f.span.end || f.span.end > bytes.size())
        __builtin_trap();
  } else {
    lbcheck::SourceManager sources;
    sources.add("input.yaml", bytes);
    lbcheck::Graph graph;
    lbcheck::ConfigSet configs;
    configs.disable();
    lbcheck::Finding f;
    f.ruleId = "LB016";
    f.span = lbcheck::Span{0, 0, static_cast<uint32_t>(bytes.size() / 2)};
    findings.push_back(f);
    lbcheck::applyPolicy(graph, {}, configs, sources, findings);
    for (const auto& d : findings)
      if (d.span.valid() && (d.span.begin > d.span.end || d.span.end > bytes.size()))
        __builtin_trap();
  }
  return 0;
}
