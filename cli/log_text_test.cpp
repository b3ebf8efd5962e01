#include "cli/log_text.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace mysfits::cli {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Local times depend on the zone: these tests pin one with an offset and then restore it.
class InZone {
 public:
  explicit InZone(const char* zone) {
    if (const char* old = std::getenv("TZ"))
      saved_ = old;
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  ~InZone() {
    if (saved_.empty())
      ::unsetenv("TZ");
    else
      ::setenv("TZ", saved_.c_str(), 1);
    ::tzset();
  }

 private:
  std::string saved_;
};

TEST(LogText, TakesAServiceLineApartInItsOrder) {
  InZone utc("UTC");
  auto record = parse_log_line(
      R"({"ts":"2026-01-31T14:02:11.512Z","level":"info","service":"mysfits-monolith",)"
      R"("event":"listening","port":40495,"admin_port":0,"ready":true})");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->time, "14:02:11.512");
  EXPECT_EQ(record->level, "info");
  EXPECT_EQ(record->event, "listening");
  EXPECT_EQ(record->fields, (Fields{{"port", "40495"}, {"admin_port", "0"}, {"ready", "true"}}));
}

TEST(LogText, ShowsTheTimeInTheLocalZone) {
  InZone east("XST-2");  // two hours east of UTC, no summer time
  auto record = parse_log_line(R"({"ts":"2026-01-31T23:59:59.007Z","level":"warn","event":"e"})");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->time, "01:59:59.007");
}

TEST(LogText, KeepsATimestampItCannotReadAsWritten) {
  auto record = parse_log_line(R"({"ts":"yesterday","level":"info","event":"e"})");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->time, "yesterday");
  EXPECT_EQ(parse_log_line(R"({"level":"info","event":"e"})")->time, "");
}

TEST(LogText, QuotesValuesThatWouldBeAmbiguousBare) {
  auto record = parse_log_line(
      R"({"level":"error","event":"store_failed","reason":"disk full","empty":"",)"
      R"("eq":"a=b","quote":"say \"hi\"","path":"/mysfits/x/like","nested":{"a":[1,2]}})");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->fields, (Fields{{"reason", "\"disk full\""},
                                    {"empty", "\"\""},
                                    {"eq", "\"a=b\""},
                                    {"quote", R"("say \"hi\"")"},
                                    {"path", "/mysfits/x/like"},
                                    {"nested", R"({"a":[1,2]})"}}));
}

TEST(LogText, LeavesLinesThatAreNoLogRecordAlone) {
  EXPECT_FALSE(parse_log_line(""));
  EXPECT_FALSE(parse_log_line("AddressSanitizer: heap-use-after-free"));
  EXPECT_FALSE(parse_log_line("{not json"));
  EXPECT_FALSE(parse_log_line(R"(["level","event"])"));
  EXPECT_FALSE(parse_log_line(R"({"level":"info"})"));
  EXPECT_FALSE(parse_log_line(R"({"level":3,"event":"e"})"));
  EXPECT_FALSE(parse_log_line(R"({"level":"info","event":"e"} trailing)"));
}

TEST(LogText, KnowsBothFormats) {
  EXPECT_EQ(parse_log_format("text"), LogFormat::kText);
  EXPECT_EQ(parse_log_format("json"), LogFormat::kJson);
  EXPECT_FALSE(parse_log_format("JSON"));
  EXPECT_EQ(log_format_names(), (std::vector<std::string>{"text", "json"}));
}

}  // namespace
}  // namespace mysfits::cli
