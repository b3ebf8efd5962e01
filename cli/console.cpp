#include "cli/console.hpp"

#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <functional>

namespace mysfits::cli {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kWarn = "\x1b[1;31m";
// Readable on dark and light terminals; the same name always gets the same colour.
constexpr std::array<std::string_view, 6> kPalette = {"\x1b[36m", "\x1b[32m", "\x1b[35m",
                                                      "\x1b[33m", "\x1b[34m", "\x1b[96m"};
constexpr std::string_view kOwnName = "up";
constexpr std::size_t kTimeWidth = 12;  // "HH:MM:SS.mmm"
constexpr std::size_t kLevelWidth = 5;  // "ERROR"

std::string_view colour_for(std::string_view name) {
  if (name == kOwnName)
    return "\x1b[1m";
  return kPalette[std::hash<std::string_view>{}(name) % kPalette.size()];
}

// The level's colour in the level column, and the colour of the whole message for the levels
// people must not miss (empty: the message keeps the terminal's colour).
struct LevelStyle {
  std::string_view label;
  std::string_view message;
};

LevelStyle level_style(std::string_view level) {
  if (level == "error")
    return {kWarn, kWarn};
  if (level == "warn")
    return {"\x1b[1;33m", "\x1b[33m"};
  if (level == "debug")
    return {kDim, ""};
  return {"\x1b[32m", ""};
}

void append_padded(std::string& out, std::string_view text, std::size_t width) {
  out.append(text);
  if (text.size() < width)
    out.append(width - text.size(), ' ');
}

void append_coloured(std::string& out, std::string_view text, std::string_view colour, bool color) {
  if (color && !colour.empty()) {
    out.append(colour).append(text).append(kReset);
    return;
  }
  out.append(text);
}

// "name    |" (coloured by name), the column every line format shares.
void append_name_column(std::string& out, std::string_view name, std::size_t width, bool color) {
  if (color)
    out.append(colour_for(name));
  append_padded(out, name, width);
  out.append(" |");
  if (color)
    out.append(kReset);
}

}  // namespace

bool Console::colour_wanted() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

LogFormat Console::default_log_format() {
  return ::isatty(STDOUT_FILENO) == 1 ? LogFormat::kText : LogFormat::kJson;
}

std::string Console::format(std::string_view name, std::size_t width, std::string_view line,
                            bool color) {
  std::string out;
  out.reserve(width + line.size() + 16);
  append_name_column(out, name, width, color);
  if (!line.empty()) {
    out.push_back(' ');
    out.append(line);
  }
  out.push_back('\n');
  return out;
}

std::string Console::format_record(std::string_view name, std::size_t width,
                                   const LogRecord& record, bool color) {
  const LevelStyle style = level_style(record.level);
  std::string level;
  for (char c : record.level)
    level.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  std::string out;
  out.reserve(64 + record.event.size() + record.fields.size() * 24);
  std::string time = record.time;
  if (time.size() < kTimeWidth)
    time.append(kTimeWidth - time.size(), ' ');
  append_coloured(out, time, kDim, color);
  out.push_back(' ');
  if (level.size() < kLevelWidth)
    level.append(kLevelWidth - level.size(), ' ');
  append_coloured(out, level, style.label, color);
  out.push_back(' ');
  append_name_column(out, name, width, color);
  out.push_back(' ');

  const bool whole = color && !style.message.empty();
  if (whole)
    out.append(style.message);
  out.append(record.event);
  for (const auto& [key, value] : record.fields) {
    out.push_back(' ');
    if (color && !whole) {
      out.append(kDim).append(key).append("=").append(kReset);
    } else {
      out.append(key).append("=");
    }
    out.append(value);
  }
  if (whole)
    out.append(kReset);
  out.push_back('\n');
  return out;
}

std::string Console::format_raw(std::string_view name, std::size_t width, std::string_view line,
                                bool color) {
  return std::string(kTimeWidth + 1 + kLevelWidth + 1, ' ') + format(name, width, line, color);
}

void Console::announce_name(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (name.size() > width_)
    width_ = name.size();
}

void Console::write(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

void Console::child_line(std::string_view name, std::string_view line) {
  std::lock_guard lock(mutex_);
  if (format_ == LogFormat::kJson) {
    write(format(name, width_, line, color_));
    return;
  }
  if (auto record = parse_log_line(line))
    write(format_record(name, width_, *record, color_));
  else
    write(format_raw(name, width_, line, color_));
}

// The supervisor's own lines: in the text format they look like a child's log record.
void Console::own_line(std::string_view level, std::string_view text) {
  std::lock_guard lock(mutex_);
  if (format_ == LogFormat::kText) {
    LogRecord record{local_time_of_day(std::chrono::system_clock::now()),
                     std::string(level),
                     std::string(text),
                     {}};
    write(format_record(kOwnName, width_, record, color_));
    return;
  }
  if (level == "warn" && color_) {
    std::string highlighted = std::string(kWarn) + std::string(text) + std::string(kReset);
    write(format(kOwnName, width_, highlighted, true));
    return;
  }
  write(format(kOwnName, width_, text, color_));
}

void Console::event(std::string_view text) {
  own_line("info", text);
}

void Console::warning(std::string_view text) {
  own_line("warn", text);
}

void Console::block(std::string_view text) {
  std::lock_guard lock(mutex_);
  write(std::string(text));
}

}  // namespace mysfits::cli
