#include "core/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace mysfits::core {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::string g_service = "mysfits";  // written once in init_logging, before threads start

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void append_json_string(std::string& out, std::string_view text) {
  out += boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

std::shared_ptr<spdlog::logger>& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto l = std::make_shared<spdlog::logger>("mysfits",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    // The timestamp and the closing brace come from spdlog; the fields in between from log().
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ",%v})", spdlog::pattern_time_type::utc);
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return instance;
}

}  // namespace

bool parse_log_level(std::string_view text, LogLevel& out) {
  if (text == "debug")
    out = LogLevel::kDebug;
  else if (text == "info")
    out = LogLevel::kInfo;
  else if (text == "warn")
    out = LogLevel::kWarn;
  else if (text == "error")
    out = LogLevel::kError;
  else
    return false;
  return true;
}

void init_logging(std::string_view service, LogLevel level) {
  g_service = std::string(service);
  g_level.store(static_cast<int>(level));
  logger();
}

bool log_enabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load();
}

void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (!log_enabled(level))
    return;
  std::string line;
  line.reserve(128);
  line += R"("level":")";
  line += level_name(level);
  line += R"(","service":)";
  append_json_string(line, g_service);
  line += R"(,"event":)";
  append_json_string(line, event);
  for (const auto& f : fields) {
    line += ',';
    append_json_string(line, f.key);
    line += ':';
    switch (f.kind) {
      case LogField::Kind::kString:
        append_json_string(line, f.text);
        break;
      case LogField::Kind::kInt:
        line += std::to_string(f.number);
        break;
      case LogField::Kind::kBool:
        line += f.number != 0 ? "true" : "false";
        break;
    }
  }
  logger()->log(spdlog::level::info, "{}", line);
}

}  // namespace mysfits::core
