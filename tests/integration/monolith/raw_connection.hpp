#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mysfits::testing {

// One loopback TCP connection the test drives byte by byte: half requests, pauses between
// parts, pipelining, many open at once. raw_exchange() covers the send-everything-then-read
// cases; this covers the ones that need the connection to stay open in between.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False when the peer has closed or reset the connection.
  bool send(const std::string& bytes);
  // Reads until the bytes read so far hold a whole response (headers plus Content-Length
  // body, or an interim 1xx), the peer closes, or timeout passes. Returns the response and
  // keeps anything after it for the next call.
  std::string read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the peer closes (EOF or reset) within timeout; bytes that arrive first are kept.
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  // Appends what arrives within timeout; false on timeout, true on data, EOF sets eof_.
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  std::string pending_;
};

}  // namespace mysfits::testing
