#include "integration/monolith/monolith_server.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <cctype>

#include "store/mysfit.hpp"

namespace mysfits::testing {

MonolithServer::MonolithServer(std::string db_path, std::map<std::string, std::string> env)
    : db_path_(std::move(db_path)), env_(std::move(env)) {
  static std::atomic<int> counter{0};
  if (db_path_.empty())
    db_path_ = temp_dir() + "/monolith-" + std::to_string(++counter) + ".db";
}

bool MonolithServer::start(std::uint16_t port) {
  port_ = port != 0 ? port : free_port();
  admin_port_ = free_port();
  std::map<std::string, std::string> env = store_environment(db_path_);
  for (const auto& [key, value] : env_)
    env[key] = value;
  env["ADMIN_PORT"] = std::to_string(admin_port_);
  env["THREADS"] = "2";
  process_.reset();
  process_.emplace(bin_path("mysfits-monolith"),
                   std::vector<std::string>{"--host", "127.0.0.1", "--port", std::to_string(port_)},
                   env);
  return wait_ready(port_, "/readyz", std::chrono::seconds(20), &*process_);
}

std::optional<int> MonolithServer::stop(std::chrono::milliseconds timeout) {
  if (!process_)
    return std::nullopt;
  return process_->signal_and_wait(SIGTERM, timeout);
}

void MonolithServer::kill_hard() {
  if (!process_)
    return;
  process_->kill_group(SIGKILL);
  process_->wait(std::chrono::seconds(10));
}

HttpResult MonolithServer::get(const std::string& target, const Headers& headers) const {
  return http(port_, "GET", target, "", headers);
}

HttpResult MonolithServer::post(const std::string& target) const {
  return http(port_, "POST", target);
}

std::int64_t MonolithServer::likes(const std::string& id) const {
  auto r = get("/mysfits/" + id);
  if (!r.ok || r.status != 200)
    return -1;
  auto json = parse_json(r.body);
  const auto* likes = json.is_object() ? json.as_object().if_contains("likes") : nullptr;
  return likes != nullptr && likes->is_int64() ? likes->as_int64() : -1;
}

std::map<std::string, std::string> MonolithServer::snapshot() const {
  std::map<std::string, std::string> out;
  for (const auto& m : store::catalog()) {
    auto r = get("/mysfits/" + m.id);
    out[m.id] = std::to_string(r.status) + " " + r.body;
  }
  return out;
}

boost::json::value parse_json(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

std::vector<std::string> keys_of(const boost::json::value& value) {
  std::vector<std::string> keys;
  if (value.is_object()) {
    for (const auto& kv : value.as_object())
      keys.emplace_back(kv.key());
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

HttpResult parse_raw_response(const std::string& raw) {
  HttpResult r;
  auto head_end = raw.find("\r\n\r\n");
  r.status = status_of(raw);
  if (head_end == std::string::npos)
    return r;
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    auto eol = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    pos = eol + 2;
  }
  std::size_t length = 0;
  if (auto cl = r.header("content-length"); !cl.empty())
    length = std::stoul(cl);
  r.body = raw.substr(head_end + 4, length);
  r.ok = r.body.size() == length;
  return r;
}

}  // namespace mysfits::testing
