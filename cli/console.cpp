#include "cli/console.hpp"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <functional>

namespace mysfits::cli {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kWarn = "\x1b[1;31m";
// Readable on dark and light terminals; the same name always gets the same colour.
constexpr std::array<std::string_view, 6> kPalette = {"\x1b[36m", "\x1b[32m", "\x1b[35m",
                                                      "\x1b[33m", "\x1b[34m", "\x1b[96m"};
constexpr std::string_view kOwnName = "up";

std::string_view colour_for(std::string_view name) {
  if (name == kOwnName)
    return "\x1b[1m";
  return kPalette[std::hash<std::string_view>{}(name) % kPalette.size()];
}

}  // namespace

bool Console::colour_wanted() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

std::string Console::format(std::string_view name, std::size_t width, std::string_view line,
                            bool color) {
  std::string out;
  out.reserve(width + line.size() + 16);
  if (color)
    out.append(colour_for(name));
  out.append(name);
  if (name.size() < width)
    out.append(width - name.size(), ' ');
  out.append(" |");
  if (color)
    out.append(kReset);
  if (!line.empty()) {
    out.push_back(' ');
    out.append(line);
  }
  out.push_back('\n');
  return out;
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
  write(format(name, width_, line, color_));
}

void Console::event(std::string_view text) {
  std::lock_guard lock(mutex_);
  write(format(kOwnName, width_, text, color_));
}

void Console::warning(std::string_view text) {
  std::lock_guard lock(mutex_);
  if (!color_) {
    write(format(kOwnName, width_, text, false));
    return;
  }
  std::string highlighted = std::string(kWarn) + std::string(text) + std::string(kReset);
  write(format(kOwnName, width_, highlighted, true));
}

void Console::block(std::string_view text) {
  std::lock_guard lock(mutex_);
  write(std::string(text));
}

}  // namespace mysfits::cli
