#include "cli/log_text.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

namespace mysfits::cli {
namespace {

namespace json = boost::json;

// Values that would be ambiguous bare (empty, with spaces, quotes, '=' or control characters)
// are quoted with JSON's escapes, as logfmt does.
bool needs_quotes(std::string_view text) {
  if (text.empty())
    return true;
  for (unsigned char c : text) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f)
      return true;
  }
  return false;
}

std::string value_text(const json::value& value) {
  if (const auto* text = value.if_string()) {
    std::string_view view(text->data(), text->size());
    return needs_quotes(view) ? json::serialize(*text) : std::string(view);
  }
  return json::serialize(value);
}

// The services write "2026-01-31T14:02:11.512Z" (UTC, milliseconds).
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view ts) {
  std::tm tm{};
  int millis = 0;
  char zone = 0;
  std::string text(ts);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis, &zone) != 8 ||
      zone != 'Z') {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t seconds = ::timegm(&tm);
  if (seconds == -1)
    return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text")
    return LogFormat::kText;
  if (name == "json")
    return LogFormat::kJson;
  return std::nullopt;
}

std::vector<std::string> log_format_names() {
  return {"text", "json"};
}

std::string local_time_of_day(std::chrono::system_clock::time_point when) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d:%02d.%03d", local.tm_hour, local.tm_min, local.tm_sec,
                static_cast<int>(millis));
  return text;
}

std::optional<LogRecord> parse_log_line(std::string_view line) {
  if (line.empty() || line.front() != '{')
    return std::nullopt;
  boost::system::error_code ec;
  json::value parsed = json::parse(line, ec);
  const json::object* object = ec ? nullptr : parsed.if_object();
  if (object == nullptr)
    return std::nullopt;
  const json::value* level = object->if_contains("level");
  const json::value* event = object->if_contains("event");
  if (level == nullptr || !level->is_string() || event == nullptr || !event->is_string())
    return std::nullopt;

  LogRecord record;
  record.level = std::string(level->get_string());
  record.event = std::string(event->get_string());
  if (const json::value* ts = object->if_contains("ts"); ts != nullptr && ts->is_string()) {
    std::string_view written(ts->get_string());
    auto when = parse_utc(written);
    record.time = when ? local_time_of_day(*when) : std::string(written);
  }
  for (const auto& [key, value] : *object) {
    if (key == "ts" || key == "level" || key == "service" || key == "event")
      continue;
    record.fields.emplace_back(std::string(key), value_text(value));
  }
  return record;
}

}  // namespace mysfits::cli
