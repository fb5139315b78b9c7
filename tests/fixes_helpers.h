// Helpers of the structured-fix tests: run one rule on one input, pick its
// finding, and check the canonical edit and the bytes a fix replaces.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "tests/helpers.h"

namespace lbcheck::testing {

/// Runs rule `rule` alone on a file `name` holding `text`, in a directory of its own.
inline RunResult runOnInput(std::string_view name, std::string_view text, std::string_view rule) {
  TempDir dir;
  RunResult r = runOn({dir.file(std::string(name), std::string(text))}, {std::string(rule)});
  // The run gave the input's bytes back (SourceManager::release): read them
  // again while the file still exists, for textAt().
  for (uint32_t i = 0; i < r.sources.size(); ++i) (void)r.sources.get(i).text();
  return r;
}

/// The findings of rule `id`, in report order.
inline std::vector<const Finding*> findingsOf(const RunResult& r, std::string_view id) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings)
    if (f.ruleId == id) out.push_back(&f);
  return out;
}

/// The one finding of rule `id` whose message contains `part`; fails the test
/// (and is null) when there is not exactly one.
inline const Finding* only(const RunResult& r, std::string_view id, std::string_view part = {}) {
  std::vector<const Finding*> found;
  for (const Finding* f : findingsOf(r, id))
    if (f->message.find(part) != std::string::npos) found.push_back(f);
  EXPECT_EQ(found.size(), 1u) << id << " findings with \"" << part << "\"";
  return found.size() == 1 ? found[0] : nullptr;
}

/// The first finding of rule `id`; fails the test (and is null) when there is none.
inline const Finding* first(const RunResult& r, std::string_view id) {
  const std::vector<const Finding*> found = findingsOf(r, id);
  if (found.empty()) ADD_FAILURE() << "no " << id << " finding";
  return found.empty() ? nullptr : found[0];
}

/// The bytes of the run's input that `s` covers; "(bad span)" when it is not within the file.
inline std::string textAt(const RunResult& r, Span s) {
  const std::string_view text = r.sources.get(s.file).text();
  if (s.end < s.begin || s.end > text.size()) return "(bad span)";
  return std::string(text.substr(s.begin, s.end - s.begin));
}

inline void expectEdit(const Edit& e, Edit::Op op, std::string_view field,
                       std::string_view value = {}) {
  EXPECT_EQ(e.op, op);
  EXPECT_EQ(e.field, field);
  EXPECT_EQ(e.value, value);
}

/// `f` proposes exactly one fix, of exactly one edit: `op` of `field` (to `value`).
/// The fix; null (and the test fails) when it is not so.
inline const Fix* expectOneFix(const Finding& f, Edit::Op op, std::string_view field,
                               std::string_view value = {}) {
  EXPECT_EQ(f.fixes.size(), 1u);
  if (f.fixes.size() != 1) return nullptr;
  EXPECT_EQ(f.fixes[0].edits.size(), 1u);
  if (f.fixes[0].edits.size() != 1) return nullptr;
  expectEdit(f.fixes[0].edits[0], op, field, value);
  return &f.fixes[0];
}

/// `fix` replaces exactly one written value: the bytes `was` by `text`.
inline void expectReplacement(const RunResult& r, const Fix& fix, std::string_view was,
                              std::string_view text) {
  ASSERT_EQ(fix.replacements.size(), 1u);
  EXPECT_EQ(textAt(r, fix.replacements[0].span), was);
  EXPECT_EQ(fix.replacements[0].text, text);
}

}  // namespace lbcheck::testing
