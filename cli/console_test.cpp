#include "cli/console.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace mysfits::cli {
namespace {

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[256];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  return out;
}

TEST(Console, PadsNamesToTheLongestAnnounced) {
  EXPECT_EQ(Console::format("like-1", 10, "hello", false), "like-1     | hello\n");
  EXPECT_EQ(Console::format("gateway", 4, "", false), "gateway |\n");
}

TEST(Console, ColoursOnlyThePrefixWhenAsked) {
  std::string plain = Console::format("monolith-1", 10, "x", false);
  std::string coloured = Console::format("monolith-1", 10, "x", true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_EQ(coloured.rfind("\x1b[0m x\n"), coloured.size() - 7);
  EXPECT_EQ(coloured.find("\x1b["), 0u);
}

TEST(Console, ChildLinesAndEventsShareOneColumn) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Console console(f, false);
    console.announce_name("monolith-1");
    console.child_line("monolith-1", "{\"event\":\"listening\"}");
    console.event("monolith-1 is ready");
    console.warning("like-1 exited");
  }
  EXPECT_EQ(read_all(f),
            "monolith-1 | {\"event\":\"listening\"}\n"
            "up         | monolith-1 is ready\n"
            "up         | like-1 exited\n");
  std::fclose(f);
}

}  // namespace
}  // namespace mysfits::cli
