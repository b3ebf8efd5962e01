#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace mysfits::cli {

// Where `mysfits up` talks to its user: every child's lines prefixed with the child's name,
// the supervisor's own events under "up", and the start-up table. Colours only on a terminal
// (set NO_COLOR to turn them off there too). Safe to call from any thread.
class Console {
 public:
  Console(std::FILE* out, bool color) : out_(out), color_(color) {}

  // True when stdout is a terminal and NO_COLOR is unset.
  static bool colour_wanted();

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

 private:
  void write(const std::string& text);

  std::FILE* out_;
  bool color_;
  std::size_t width_ = 2;
  std::mutex mutex_;
};

}  // namespace mysfits::cli
