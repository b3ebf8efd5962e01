#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace mysfits::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Parses "debug" | "info" | "warn" | "error"; false when the text is none of them.
bool parse_log_level(std::string_view text, LogLevel& out);

// One JSON object per line on stderr: {"ts","level","service","event", ...fields}.
void init_logging(std::string_view service, LogLevel level);
bool log_enabled(LogLevel level);

struct LogField {
  std::string_view key;
  enum class Kind { kString, kInt, kBool } kind = Kind::kString;
  std::string_view text;
  long long number = 0;

  LogField(std::string_view k, std::string_view v) : key(k), text(v) {}
  LogField(std::string_view k, const char* v) : key(k), text(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), text(v) {}
  LogField(std::string_view k, long long v) : key(k), kind(Kind::kInt), number(v) {}
  LogField(std::string_view k, int v) : key(k), kind(Kind::kInt), number(v) {}
  LogField(std::string_view k, unsigned v) : key(k), kind(Kind::kInt), number(v) {}
  LogField(std::string_view k, long v) : key(k), kind(Kind::kInt), number(v) {}
  LogField(std::string_view k, unsigned long v)
      : key(k), kind(Kind::kInt), number(static_cast<long long>(v)) {}
  LogField(std::string_view k, bool v) : key(k), kind(Kind::kBool), number(v ? 1 : 0) {}
};

void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});
inline void log_debug(std::string_view e, std::initializer_list<LogField> f = {}) {
  if (log_enabled(LogLevel::kDebug))
    log(LogLevel::kDebug, e, f);
}
inline void log_info(std::string_view e, std::initializer_list<LogField> f = {}) {
  log(LogLevel::kInfo, e, f);
}
inline void log_warn(std::string_view e, std::initializer_list<LogField> f = {}) {
  log(LogLevel::kWarn, e, f);
}
inline void log_error(std::string_view e, std::initializer_list<LogField> f = {}) {
  log(LogLevel::kError, e, f);
}

}  // namespace mysfits::core
