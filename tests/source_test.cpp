#include <gtest/gtest.h>

#include "engine/source.h"

#include <string>
#include <vector>

#include "tests/helpers.h"

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

// Released bytes (SourceManager::release): the run gives an input's bytes back
// once it is lowered, and reads them again for the lines a report quotes.
namespace {

using lbcheck::FileStamp;
using lbcheck::SourceManager;

/// A file added to `sources` as the runner adds one it reads from disk.
const SourceFile& addFromDisk(SourceManager& sources, const std::string& path) {
  std::string bytes;
  FileStamp stamp;
  EXPECT_TRUE(lbcheck::readFileBytes(path, &bytes, &stamp)) << path;
  SourceFile& f = sources.add(path, std::move(bytes));
  f.setOrigin(path, stamp);
  return f;
}

}  // namespace

TEST(ReleasedSource, IsReadAgainWhenAskedAndLocatesAsBefore) {
  lbcheck::testing::TempDir dir;
  SourceManager sources;
  const std::string text = "kind: x\nname: \xC3\xA9t\xC3\xA9\n";
  const SourceFile& f = addFromDisk(sources, dir.file("a.yaml", text));
  const auto before = f.locate(17);
  f.release();
  EXPECT_FALSE(f.resident());
  EXPECT_EQ(f.size(), text.size());  // known without reading
  EXPECT_EQ(f.locate(17).line, before.line);
  EXPECT_EQ(f.locate(17).column, before.column);
  EXPECT_TRUE(f.resident());
  EXPECT_EQ(f.lineText(10), "name: \xC3\xA9t\xC3\xA9");
  EXPECT_FALSE(f.changedOnDisk());
}

TEST(ReleasedSource, AFileWithoutOriginIsNeverReleased) {
  SourceManager sources;
  const SourceFile& f = sources.add("stdin", "kind: x\n");
  f.release();
  sources.release([](const SourceFile&) { return false; });
  EXPECT_TRUE(f.resident());
  EXPECT_EQ(f.text(), "kind: x\n");
}

TEST(ReleasedSource, KeepSaysWhichFilesStay) {
  lbcheck::testing::TempDir dir;
  SourceManager sources;
  const SourceFile& a = addFromDisk(sources, dir.file("a", "keep me"));
  const SourceFile& b = addFromDisk(sources, dir.file("b", "let me go"));
  sources.release([](const SourceFile& f) { return f.text().starts_with("keep"); });
  EXPECT_TRUE(a.resident());
  EXPECT_FALSE(b.resident());
}

TEST(ReleasedSource, AFileChangedOnDiskIsSaidAndItsNewBytesAreUsed) {
  lbcheck::testing::TempDir dir;
  SourceManager sources;
  const std::string path = dir.file("a", "one\n");
  const SourceFile& f = addFromDisk(sources, path);
  f.release();
  lbcheck::testing::writeText(path, "changed\n");
  EXPECT_EQ(f.text(), "changed\n");
  EXPECT_TRUE(f.changedOnDisk());
}

TEST(ReleasedSource, AGoneFileReadsAsEmptyAndIsSaid) {
  SourceManager sources;
  const SourceFile* f = nullptr;
  {
    lbcheck::testing::TempDir dir;
    f = &addFromDisk(sources, dir.file("a", "one\n"));
    f->release();
  }
  EXPECT_EQ(f->text(), "");
  EXPECT_EQ(f->locate(3).line, 1u);  // clamps, never reads past the end
  EXPECT_TRUE(f->changedOnDisk());
}

TEST(ReleasedSource, FilesReadAgainStayWithinBounds) {
  lbcheck::testing::TempDir dir;
  SourceManager sources;
  // More files read again than kResidentFiles, and more bytes than kResidentBytes.
  const size_t n = SourceManager::kResidentFiles + 8;
  const std::string big(SourceManager::kResidentBytes / SourceManager::kResidentFiles + 1, 'x');
  std::vector<const SourceFile*> files;
  for (size_t i = 0; i < n; ++i)
    files.push_back(&addFromDisk(sources, dir.file("f" + std::to_string(i), big)));
  for (const SourceFile* f : files) f->release();
  for (const SourceFile* f : files) EXPECT_EQ(f->text().size(), big.size());
  size_t resident = 0;
  for (const SourceFile* f : files) resident += f->resident() ? 1 : 0;
  EXPECT_EQ(resident, SourceManager::kResidentFiles);
  // The most recently read stay; the first ones went, and come back when asked.
  EXPECT_TRUE(files.back()->resident());
  EXPECT_FALSE(files.front()->resident());
  EXPECT_EQ(files.front()->text().size(), big.size());
}

TEST(ReleasedSource, SurvivesMovingItsManager) {
  lbcheck::testing::TempDir dir;
  SourceManager sources;
  const SourceFile& f = addFromDisk(sources, dir.file("a", "abc\n"));
  f.release();
  SourceManager moved = std::move(sources);
  EXPECT_EQ(moved.get(0).text(), "abc\n");
}
