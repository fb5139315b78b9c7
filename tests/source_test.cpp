#include <gtest/gtest.h>

#include "engine/source.h"

using lbcheck::SourceFile;

TEST(LineIndex, FirstByteIsLineOneColumnOne) {
  SourceFile f(0, "a", "abc");
  EXPECT_EQ(f.locate(0).line, 1u);
  EXPECT_EQ(f.locate(0).column, 1u);
  EXPECT_EQ(f.locate(2).column, 3u);
}

TEST(LineIndex, CountsLfCrlfAndLoneCrAsLineEnds) {
  SourceFile f(0, "a", "a\nb\r\nc\rd");
  EXPECT_EQ(f.locate(2).line, 2u);  // b
  EXPECT_EQ(f.locate(5).line, 3u);  // c
  EXPECT_EQ(f.locate(7).line, 4u);  // d
  EXPECT_EQ(f.locate(7).column, 1u);
  EXPECT_EQ(f.lineText(2), "b");
}

TEST(LineIndex, ColumnsCountCharactersNotBytes) {
  SourceFile f(0, "a", "\"\xC3\xA9t\xC3\xA9\": 1");  // "été": 1
  EXPECT_EQ(f.locate(8).column, 7u);  // the '1' after 3 characters, quotes, colon, space
}

TEST(LineIndex, OffsetsPastTheEndClampToTheEnd) {
  SourceFile f(0, "a", "ab\ncd");
  EXPECT_EQ(f.locate(1000).line, 2u);
  EXPECT_EQ(f.locate(1000).column, 3u);
}

TEST(LineIndex, EmptyFileIsLineOne) {
  SourceFile f(0, "a", "");
  EXPECT_EQ(f.locate(0).line, 1u);
  EXPECT_EQ(f.locate(0).column, 1u);
}

TEST(LineIndex, ColumnsOnAVeryLongLineCountCharactersAcrossBlocks) {
  // 3,000 two-byte characters then ASCII: offsets cross several 4 KiB blocks.
  std::string text = "x\n";
  for (int i = 0; i < 3000; ++i) text += "\xC3\xA9";
  text += std::string(5000, 'a') + "Z";
  SourceFile f(0, "a", text);
  const auto at = static_cast<uint32_t>(text.size() - 1);
  EXPECT_EQ(f.locate(at).line, 2u);
  EXPECT_EQ(f.locate(at).column, 3000u + 5000u + 1u);
  EXPECT_EQ(f.charCount(2, at), 8000u);
  EXPECT_EQ(f.lineText(at).size(), text.size() - 2);
}
