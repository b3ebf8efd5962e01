#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/http_probe.hpp"
#include "support/process.hpp"

namespace mysfits::testing {

// The real mysfits-monolith on free loopback ports (public and admin) over its own store: an
// SQLite file, or a DynamoDB table on dynalite when the test links store_on_dynamodb.cpp. The
// data outlives stop(), so a test can restart the server on the same data.
class MonolithServer {
 public:
  // A fresh database file unique to this server unless db_path is given.
  explicit MonolithServer(std::string db_path = "", std::map<std::string, std::string> env = {});

  // Starts the process and waits until /readyz answers 200; false if it never does. On a free
  // port, or on the given one (a restart where clients expect it).
  [[nodiscard]] bool start(std::uint16_t port = 0);
  // SIGTERM and wait; the exit code, or nullopt when it did not exit in time.
  std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGKILL of the whole process group, reaped: a crash with no chance to clean up.
  void kill_hard();

  std::uint16_t port() const { return port_; }
  std::uint16_t admin_port() const { return admin_port_; }
  const std::string& db_path() const { return db_path_; }
  Process& process() { return *process_; }
  std::string log() const { return process_ ? process_->log() : std::string(); }

  HttpResult get(const std::string& target, const Headers& headers = {}) const;
  HttpResult post(const std::string& target) const;
  // The likes of one mysfit as GET /mysfits/{id} reports them; -1 when that fails.
  std::int64_t likes(const std::string& id) const;
  // GET /mysfits/{id} of every catalog mysfit, by id: what a test compares before and after
  // a request that must change nothing.
  std::map<std::string, std::string> snapshot() const;

 private:
  std::string db_path_;
  std::map<std::string, std::string> env_;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
  std::optional<Process> process_;
};

// The environment that puts a monolith on the store named by data_name (the SQLite file, or
// the key of its DynamoDB table). Defined once per test binary: store_on_sqlite.cpp or
// store_on_dynamodb.cpp, so the same tests run on both stores.
std::map<std::string, std::string> store_environment(const std::string& data_name);

// The body parsed as JSON; a null value when it is not JSON.
boost::json::value parse_json(const std::string& body);

// The keys of a JSON object, sorted; empty for anything else.
std::vector<std::string> keys_of(const boost::json::value& value);

// Splits a raw HTTP/1.1 response (as raw_exchange returns it) into status, lower-case headers
// and the body that its Content-Length announces.
HttpResult parse_raw_response(const std::string& raw);

}  // namespace mysfits::testing
