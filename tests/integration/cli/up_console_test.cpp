// What `mysfits up` shows: on a terminal, every child's JSON log lines for people (time, level,
// name, event, key=value; warnings and errors coloured); without one, or with --log-format
// json, the lines exactly as the services write them.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "running_up.hpp"
#include "terminal_up.hpp"

namespace mysfits::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

bool has_line(const std::string& text, const std::regex& pattern) {
  for (const auto& line : lines_of(text)) {
    if (std::regex_match(line, pattern))
      return true;
  }
  return false;
}

// The gateway's lines after "gateway    | ", each of which must be one of its JSON log records.
void expect_gateway_lines_are_json(const std::string& output) {
  int records = 0;
  for (const auto& line : lines_of(output)) {
    std::smatch match;
    if (!std::regex_match(line, match, std::regex(R"(gateway +\| (.*))")))
      continue;
    boost::system::error_code ec;
    auto record = json::parse(match[1].str(), ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    EXPECT_EQ(record.at("service").as_string(), "mysfits-gateway") << line;
    EXPECT_TRUE(record.as_object().contains("ts")) << line;
    ++records;
  }
  EXPECT_GE(records, 2) << output;
}

pid_t pid_of(const json::value& state, const std::string& name) {
  for (const auto& child : children_of(state)) {
    if (child.name == name)
      return child.pid;
  }
  return -1;
}

TEST(UpConsole, OnATerminalShowsLogLinesForPeopleWithErrorsAndWarningsColoured) {
  TerminalUp up({"--stage", "monolith"}, {});
  ASSERT_TRUE(up.wait_for(kTableEnd, 40s)) << up.output();
  const auto state = read_json_file(up.launch().state_path());
  const pid_t gateway = pid_of(state, "gateway");
  const pid_t monolith = pid_of(state, "monolith-1");
  ASSERT_GT(gateway, 0) << state;
  ASSERT_GT(monolith, 0) << state;

  // A real error from a service: the gateway refuses an upstreams file it cannot read.
  {
    std::ofstream upstreams(up.launch().runtime_dir() + "/mysfits-up/" +
                            std::to_string(up.launch().port) + "/upstreams");
    upstreams << "not an upstream\n";
  }
  ASSERT_EQ(::kill(gateway, SIGHUP), 0);
  ASSERT_TRUE(up.wait_for("reload_refused", 15s)) << up.output();
  // And a warning from up itself: a child that dies is restarted.
  ASSERT_EQ(::kill(monolith, SIGKILL), 0);
  ASSERT_TRUE(up.wait_for("restarting in", 15s)) << up.output();
  EXPECT_EQ(up.stop(40s), 0) << up.output();

  const std::string& raw = up.output();
  const std::string plain = without_colours(raw);
  const std::string time = R"(\d\d:\d\d:\d\d\.\d{3})";
  const std::string port = std::to_string(up.launch().port);
  EXPECT_TRUE(has_line(
      plain, std::regex(time + " INFO  gateway +\\| listening port=" + port + " admin_port=\\d+")))
      << plain;
  EXPECT_TRUE(has_line(plain, std::regex(time + " INFO  monolith-1 +\\| workers threads=\\d+ "
                                                "from=\"\\d+ CPUs?\"")))
      << plain;
  EXPECT_TRUE(has_line(plain, std::regex(time + " ERROR gateway +\\| reload_refused error=.*")))
      << plain;
  EXPECT_TRUE(has_line(plain, std::regex(time + " WARN  up +\\| monolith-1 killed by SIGKILL.*")))
      << plain;
  EXPECT_EQ(plain.find("{\"ts\":"), std::string::npos) << "no JSON line on a terminal";
  EXPECT_NE(plain.find(kTableEnd), std::string::npos);

  // Errors red and warnings yellow, the whole message; other lines only their columns.
  EXPECT_NE(raw.find("\x1b[1;31mreload_refused error="), std::string::npos) << raw;
  EXPECT_NE(raw.find("\x1b[33mmonolith-1 killed by SIGKILL"), std::string::npos) << raw;
  EXPECT_NE(raw.find("\x1b[32mINFO \x1b[0m"), std::string::npos) << raw;
}

TEST(UpConsole, OnATerminalLogFormatJsonShowsTheLinesAsWrittenAndNoColourWithNoColor) {
  TerminalUp up({"--stage", "monolith", "--log-format", "json"}, {{"NO_COLOR", "1"}});
  ASSERT_TRUE(up.wait_for(kTableEnd, 40s)) << up.output();
  EXPECT_EQ(up.stop(40s), 0) << up.output();
  expect_gateway_lines_are_json(up.output());
  EXPECT_EQ(up.output().find('\x1b'), std::string::npos) << "NO_COLOR is respected";
}

TEST(UpConsole, WithoutATerminalTheLinesStayJson) {
  RunningUp up({"--stage", "monolith"});
  ASSERT_TRUE(up.wait_started()) << up.process().log();
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 40s), 0) << up.process().log();
  expect_gateway_lines_are_json(up.process().log());
}

TEST(UpConsole, LogFormatTextWithoutATerminalIsForPeopleWithoutColour) {
  RunningUp up({"--stage", "monolith", "--log-format", "text"});
  ASSERT_TRUE(up.wait_started()) << up.process().log();
  EXPECT_EQ(up.process().signal_and_wait(SIGTERM, 40s), 0) << up.process().log();
  const std::string log = up.process().log();
  EXPECT_TRUE(has_line(log, std::regex(R"(\d\d:\d\d:\d\d\.\d{3} INFO  gateway +\| listening .*)")))
      << log;
  EXPECT_EQ(log.find("{\"ts\":"), std::string::npos) << log;
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
}

TEST(UpConsole, RefusesAnUnknownLogFormat) {
  Process up(bin_path("mysfits"), {"up", "--log-format", "yaml"});
  EXPECT_EQ(up.wait(10s), 2);
  EXPECT_NE(up.log().find("yaml"), std::string::npos) << up.log();
}

}  // namespace
}  // namespace mysfits::testing
