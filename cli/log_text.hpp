#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mysfits::cli {

// How `mysfits up` shows its children's log lines: for people (text) or exactly as the
// services write them (json, what Kubernetes would collect).
enum class LogFormat { kText, kJson };

std::optional<LogFormat> parse_log_format(std::string_view name);
std::vector<std::string> log_format_names();

// One of the services' JSON log lines ({"ts","level","service","event", fields...}) taken
// apart for people. The service is left out: the console names the child that wrote it.
struct LogRecord {
  std::string time;   // local "HH:MM:SS.mmm"; the ts as written when it is not UTC ISO 8601
  std::string level;  // as written: "debug", "info", "warn", "error"
  std::string event;
  std::vector<std::pair<std::string, std::string>> fields;  // key, value as text, in line order
};

// nullopt when the line is not a JSON object with a string "level" and "event" (a crash
// report, the own output of an --exec command): such a line is shown as it is.
std::optional<LogRecord> parse_log_line(std::string_view line);

// "HH:MM:SS.mmm" in the machine's time zone.
std::string local_time_of_day(std::chrono::system_clock::time_point when);

}  // namespace mysfits::cli
