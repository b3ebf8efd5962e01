#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mysfits::cli {

// Hands out loopback ports the kernel picked (bind to port 0) and keeps each one bound until
// this object dies, so no two picks collide. The children are started after release(), and
// bind the ports themselves.
class FreePorts {
 public:
  FreePorts() = default;
  // Never hands out these: ports the caller will bind itself later (up's gateway port), which
  // the kernel could otherwise offer, as it is free until then.
  explicit FreePorts(std::vector<std::uint16_t> avoid) : avoid_(std::move(avoid)) {}
  ~FreePorts() { release(); }
  FreePorts(const FreePorts&) = delete;
  FreePorts& operator=(const FreePorts&) = delete;

  std::uint16_t pick();  // throws std::runtime_error when no port can be bound
  void release();

 private:
  std::uint16_t pick_any();

  std::vector<std::uint16_t> avoid_;
  std::vector<int> sockets_;
};

// Whether a listener could bind host:port right now (an empty error when it could; else why
// not, e.g. "Address already in use").
std::string bind_error(const std::string& host, std::uint16_t port);

}  // namespace mysfits::cli
