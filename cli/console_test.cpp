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

TEST(Console, TextFormatShowsTimeLevelNameEventAndPairs) {
  LogRecord record{"14:02:11.512", "info", "listening", {{"port", "8080"}, {"admin_port", "0"}}};
  EXPECT_EQ(Console::format_record("gateway", 10, record, false),
            "14:02:11.512 INFO  gateway    | listening port=8080 admin_port=0\n");
  record.level = "error";
  EXPECT_EQ(Console::format_record("gateway", 7, record, false),
            "14:02:11.512 ERROR gateway | listening port=8080 admin_port=0\n");
}

TEST(Console, TextFormatColoursWarningsAndErrorsWhole) {
  LogRecord record{"14:02:11.512", "warn", "target_health", {{"to", "unhealthy"}}};
  std::string warn = Console::format_record("gateway", 7, record, true);
  EXPECT_NE(warn.find("\x1b[1;33mWARN \x1b[0m"), std::string::npos) << warn;
  EXPECT_NE(warn.find("\x1b[33mtarget_health to=unhealthy\x1b[0m\n"), std::string::npos) << warn;
  record.level = "error";
  std::string error = Console::format_record("gateway", 7, record, true);
  EXPECT_NE(error.find("\x1b[1;31mtarget_health to=unhealthy\x1b[0m\n"), std::string::npos)
      << error;
  record.level = "info";
  std::string info = Console::format_record("gateway", 7, record, true);
  EXPECT_NE(info.find("target_health \x1b[2mto=\x1b[0munhealthy\n"), std::string::npos) << info;
  EXPECT_EQ(info.find("\x1b[33m"), std::string::npos) << info;
}

TEST(Console, TextFormatAlignsLinesThatAreNoRecord) {
  EXPECT_EQ(Console::format_raw("like-1", 8, "Segmentation fault", false),
            "                   like-1   | Segmentation fault\n");
}

TEST(Console, TextFormatRendersChildRecordsAndPassesOtherLinesThrough) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Console console(f, false, LogFormat::kText);
    console.announce_name("monolith-1");
    console.child_line("monolith-1",
                       R"({"ts":"bad","level":"info","service":"s","event":"listening","port":1})");
    console.child_line("monolith-1", "plain words");
    console.warning("like-1 exited");
  }
  std::string out = read_all(f);
  std::fclose(f);
  EXPECT_NE(out.find("bad          INFO  monolith-1 | listening port=1\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("                   monolith-1 | plain words\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" WARN  up         | like-1 exited\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace mysfits::cli
