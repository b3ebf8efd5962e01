#include "cli/line_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mysfits::cli {
namespace {

struct Collector {
  std::vector<std::string> lines;
  LineSplitter::LineFn fn() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
};

TEST(LineSplitter, JoinsLinesSplitAcrossReads) {
  LineSplitter splitter;
  Collector c;
  splitter.feed("hel", c.fn());
  splitter.feed("lo\nwor", c.fn());
  splitter.feed("ld\n", c.fn());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"hello", "world"}));
}

TEST(LineSplitter, StripsCarriageReturnAndKeepsEmptyLines) {
  LineSplitter splitter;
  Collector c;
  splitter.feed("a\r\n\nb\n", c.fn());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"a", "", "b"}));
}

TEST(LineSplitter, FinishEmitsTheUnterminatedTailOnce) {
  LineSplitter splitter;
  Collector c;
  splitter.feed("done\npartial", c.fn());
  splitter.finish(c.fn());
  splitter.finish(c.fn());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"done", "partial"}));
}

TEST(LineSplitter, CutsLinesLongerThanTheLimit) {
  LineSplitter splitter(4);
  Collector c;
  splitter.feed("abcdefghij\nxy\n", c.fn());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"abcd", "efgh", "ij", "xy"}));
}

TEST(LineSplitter, LineOfExactlyTheLimitIsNotFollowedByAnEmptyOne) {
  LineSplitter splitter(4);
  Collector c;
  splitter.feed("abcd", c.fn());
  splitter.feed("\nef\n", c.fn());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"abcd", "ef"}));
}

}  // namespace
}  // namespace mysfits::cli
