#include "core/io_context.hpp"

#include <stdexcept>

namespace mysfits::core {
namespace {
thread_local boost::asio::io_context* t_current = nullptr;
}

boost::asio::io_context& current_io() {
  if (t_current == nullptr) {
    throw std::logic_error("no io_context runs on this thread (missing core::IoScope)");
  }
  return *t_current;
}

bool has_current_io() {
  return t_current != nullptr;
}

IoScope::IoScope(boost::asio::io_context& io) : previous_(t_current) {
  t_current = &io;
}
IoScope::~IoScope() {
  t_current = previous_;
}

}  // namespace mysfits::core
