#pragma once

namespace boost::asio {
class io_context;
}

namespace mysfits::core {

// The io_context that runs on this thread (each server worker, or a tool's own loop).
// Asynchronous components (HTTP client pools, the DynamoDB store) keep their per-thread state
// keyed by it and complete their callbacks on it, so callers never need locks.
boost::asio::io_context& current_io();
bool has_current_io();

// Marks io as this thread's current io_context for the scope's lifetime.
class IoScope {
 public:
  explicit IoScope(boost::asio::io_context& io);
  ~IoScope();
  IoScope(const IoScope&) = delete;
  IoScope& operator=(const IoScope&) = delete;

 private:
  boost::asio::io_context* previous_;
};

}  // namespace mysfits::core
