#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mysfits::cli {

// Cuts a child's output stream into lines, whatever sizes the reads come in. A line longer than
// max_line is cut there, so a child that never writes '\n' cannot grow our memory.
class LineSplitter {
 public:
  using LineFn = std::function<void(std::string_view line)>;

  explicit LineSplitter(std::size_t max_line = 16 * 1024) : max_line_(max_line) {}

  // Calls fn once per complete line, without its "\n" (or "\r\n").
  void feed(std::string_view bytes, const LineFn& fn);
  // At end of stream: the unterminated tail, if any.
  void finish(const LineFn& fn);

 private:
  void emit(const LineFn& fn);

  std::size_t max_line_;
  std::string pending_;
};

}  // namespace mysfits::cli
