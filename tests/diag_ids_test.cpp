// The tool diagnostics' ids (LBC...) are spelled in one file, engine/diagnostics.h:
// every other C++ file of the four layers names them by its constants, and the
// rules of rules/diag/ are registered from its table.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "engine/diagnostics.h"
#include "engine/rule.h"
#include "helpers.h"

namespace fs = std::filesystem;

namespace {
constexpr const char* kHome = "engine/diagnostics.h";
}

TEST(DiagIds, SpelledOnlyInTheirHome) {
  const fs::path root(LBCHECK_SOURCE_DIR);
  std::vector<std::string> offenders;
  size_t scanned = 0;
  for (const char* layer : {"engine", "parsers", "rules", "driver"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / layer)) {
      if (!entry.is_regular_file()) continue;
      const std::string ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".hpp" && ext != ".cpp" && ext != ".cc") continue;
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      ++scanned;
      if (rel == kHome) continue;
      const std::string text = lbcheck::testing::readText(entry.path().string());
      for (size_t at = text.find("\"LBC0"); at != std::string::npos;
           at = text.find("\"LBC0", at + 1)) {
        const size_t line =
            1 + static_cast<size_t>(std::count(text.begin(), text.begin() + at, '\n'));
        offenders.push_back(rel + ":" + std::to_string(line));
      }
    }
  }
  EXPECT_GT(scanned, 50u) << "the layers were not found under " << root;
  std::string list;
  for (const std::string& o : offenders) list += "  " + o + "\n";
  EXPECT_TRUE(offenders.empty()) << "an \"LBC0...\" literal outside " << kHome
                                 << "; use the diag:: constants instead:\n"
                                 << list;
}

TEST(DiagIds, TableIsRegisteredAndDocumented) {
  std::set<std::string_view> ids;
  for (const lbcheck::diag::Info& d : lbcheck::diag::kAll) {
    EXPECT_TRUE(ids.insert(d.id).second) << d.id << " twice in diag::kAll";
    const lbcheck::Rule* rule = lbcheck::findRule(d.id);
    ASSERT_NE(rule, nullptr) << d.id;
    EXPECT_TRUE(rule->info().diagnostic) << d.id;
    EXPECT_EQ(rule->info().slug, d.slug) << d.id;
    EXPECT_EQ(rule->info().severity, d.severity) << d.id;
    const fs::path doc = fs::path(LBCHECK_SOURCE_DIR) / "rules" / "diag" /
                         (std::string(d.id) + "-" + std::string(d.slug) + ".md");
    EXPECT_TRUE(fs::exists(doc)) << doc;
  }
  size_t registered = 0;
  for (const lbcheck::Rule* r : lbcheck::allRules())
    if (r->info().diagnostic) {
      ++registered;
      EXPECT_TRUE(ids.count(r->info().id)) << r->info().id << " is not in diag::kAll";
    }
  EXPECT_EQ(registered, ids.size());
}
