#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace mysfits::testing {

// A stand-in for the monolith on a loopback port, run by its own thread, with teeth:
//  - kRecord: answers every request with status 201 and a fixed body, and remembers the last
//    request's method, target and headers (what the like service sent);
//  - kSilent: accepts and reads requests, never answers (a monolith stuck on its store);
//  - kClosingProxy: forwards each request to the real monolith on upstream_port, relays the
//    answer as it is (keep-alive, no "Connection: close") and then, on every connection after
//    1, 2 or 3 requests in turn, closes it: a server that drops keep-alives between requests.
class FakeMonolith {
 public:
  enum class Mode { kRecord, kSilent, kClosingProxy };
  static constexpr const char* kRecordBody = R"({"fake":"monolith"})";

  explicit FakeMonolith(Mode mode, std::uint16_t upstream_port = 0);
  ~FakeMonolith();
  FakeMonolith(const FakeMonolith&) = delete;
  FakeMonolith& operator=(const FakeMonolith&) = delete;

  std::uint16_t port() const;
  int requests() const;  // readiness checks (GET /readyz) not counted
  int connections_closed_by_us() const;

  struct Seen {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // lower-case names
  };
  Seen last_request() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mysfits::testing
