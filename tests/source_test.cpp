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
