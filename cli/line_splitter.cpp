#include "cli/line_splitter.hpp"

namespace mysfits::cli {

void LineSplitter::emit(const LineFn& fn) {
  std::string_view line = pending_;
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  fn(line);
  pending_.clear();
}

void LineSplitter::feed(std::string_view bytes, const LineFn& fn) {
  while (!bytes.empty()) {
    auto newline = bytes.find('\n');
    std::string_view chunk = bytes.substr(0, newline);
    std::size_t room = max_line_ - pending_.size();
    if (chunk.size() > room) {
      pending_.append(chunk.substr(0, room));
      emit(fn);
      bytes.remove_prefix(room);
      continue;
    }
    pending_.append(chunk);
    if (newline == std::string_view::npos)
      return;
    emit(fn);
    bytes.remove_prefix(newline + 1);
  }
}

void LineSplitter::finish(const LineFn& fn) {
  if (!pending_.empty())
    emit(fn);
}

}  // namespace mysfits::cli
