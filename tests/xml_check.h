// Checks XML with libxml2's xmllint (package libxml2-utils, installed by
// scripts/deps.sh --test): an independent parser, not our own writer's idea of XML.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "helpers.h"

namespace lbcheck::testing {

/// Asserts `xml` is well-formed XML 1.0 (a missing xmllint is a failure, not a skip).
inline void expectWellFormedXml(const std::string& xml) {
  ASSERT_EQ(runCommand("command -v xmllint >/dev/null").status, 0)
      << "xmllint is missing: run scripts/deps.sh --test (package libxml2-utils)";
  TempDir tmp;
  const std::string path = tmp.file("report.xml", xml);
  const CommandRun r = runCommand("xmllint --noout '" + path + "' 2>&1");
  EXPECT_EQ(r.status, 0) << r.out << "\n" << xml;
}

/// The value of an XPath expression (count(...), string(...)) over `xml`.
inline std::string xpath(const std::string& xml, const std::string& expression) {
  TempDir tmp;
  const std::string path = tmp.file("report.xml", xml);
  const CommandRun r = runCommand("xmllint --xpath \"" + expression + "\" '" + path + "' 2>&1");
  EXPECT_EQ(r.status, 0) << expression << ": " << r.out;
  std::string value = r.out;
  if (!value.empty() && value.back() == '\n') value.pop_back();  // xmllint adds one
  return value;
}

}  // namespace lbcheck::testing
