#include "store/dynamodb/credentials/credentials.hpp"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

namespace mysfits::store::dynamodb::credentials {
namespace {

// Reads exactly n digits at text[pos]; -1 when they are not there.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') {
      return std::nullopt;
    }
    return std::string(value);
  };
}

Environment fixed_environment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end() || it->second.empty()) {
      return std::nullopt;
    }
    return it->second;
  };
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::tm tm{};
  int year = digits(text, 0, 4);
  int month = digits(text, 5, 2);
  int day = digits(text, 8, 2);
  int hour = digits(text, 11, 2);
  int minute = digits(text, 14, 2);
  int second = digits(text, 17, 2);
  // system_clock counts nanoseconds in 64 bits: it ends in 2262. An expiration past 2200 is
  // not a real one (fuzzing found the overflow a later year caused), so it is refused.
  if (year < 1970 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ++pos;
    }
    if (pos == start) {
      return std::nullopt;
    }
  }
  long offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int hours = digits(text, pos + 1, 2);
    int minutes = pos + 3 < text.size() && text[pos + 3] == ':' ? digits(text, pos + 4, 2) : -1;
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = (text[pos] == '+' ? 1 : -1) * (hours * 3600L + minutes * 60L);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t t = timegm(&tm);
  return std::chrono::system_clock::from_time_t(t) - std::chrono::seconds(offset_seconds);
}

core::Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error{core::Errc::kUnavailable, "cannot read " + path};
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string redact(std::string_view access_key_id) {
  if (access_key_id.size() <= 8) {
    return "****";
  }
  return std::string(access_key_id.substr(0, 4)) + "..." +
         std::string(access_key_id.substr(access_key_id.size() - 4));
}

}  // namespace mysfits::store::dynamodb::credentials
