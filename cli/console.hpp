#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "cli/log_text.hpp"

namespace mysfits::cli {

// Where `mysfits up` talks to its user: every child's lines under the child's name, the
// supervisor's own events under "up", and the start-up table. In the json format a child's
// lines are shown exactly as written, after "name | "; in the text format its JSON log lines
// become "time LEVEL name | event key=value..." (see format_record). Colours only on a
// terminal (set NO_COLOR to turn them off there too). Safe to call from any thread.
class Console {
 public:
  Console(std::FILE* out, bool color, LogFormat format = LogFormat::kJson)
      : out_(out), color_(color), format_(format) {}

  // True when stdout is a terminal and NO_COLOR is unset.
  static bool colour_wanted();
  // Text when stdout is a terminal, else json.
  static LogFormat default_log_format();

  // Names are padded to the longest one announced, so the text columns line up.
  void announce_name(std::string_view name);

  void child_line(std::string_view name, std::string_view line);
  void event(std::string_view text);    // the supervisor's own events ("up | ...")
  void warning(std::string_view text);  // same, highlighted
  void block(std::string_view text);    // printed as is (the table)

  // "name | line" with the prefix padded to width and coloured when color is set. Pure, for
  // tests.
  static std::string format(std::string_view name, std::size_t width, std::string_view line,
                            bool color);
  // The text format: "14:02:11.512 WARN  gateway    | target_health target=... reason=...".
  // With color, warnings and errors are coloured whole so they stand out in a scrolling
  // terminal; without it the upper-case level column still does. Pure, for tests.
  static std::string format_record(std::string_view name, std::size_t width,
                                   const LogRecord& record, bool color);
  // The text format for a line that is no log record: time and level columns left blank.
  static std::string format_raw(std::string_view name, std::size_t width, std::string_view line,
                                bool color);

 private:
  void write(const std::string& text);
  void own_line(std::string_view level, std::string_view text);

  std::FILE* out_;
  bool color_;
  LogFormat format_;
  std::size_t width_ = 2;
  std::mutex mutex_;
};

}  // namespace mysfits::cli
