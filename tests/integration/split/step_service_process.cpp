#include "integration/split/step_service_process.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace mysfits::testing {

StepServiceProcess::StepServiceProcess(std::string executable, std::string monolith_url,
                                       std::map<std::string, std::string> env)
    : executable_(std::move(executable)), env_(std::move(env)) {
  env_["MONOLITH_URL"] = std::move(monolith_url);
}

bool StepServiceProcess::start(const std::string& ready_path) {
  port_ = free_port();
  admin_port_ = free_port();
  std::map<std::string, std::string> env = env_;
  env["ADMIN_PORT"] = std::to_string(admin_port_);
  env.emplace("THREADS", "2");
  process_.reset();
  process_.emplace(bin_path(executable_),
                   std::vector<std::string>{"--host", "127.0.0.1", "--port", std::to_string(port_)},
                   env);
  return wait_ready(port_, ready_path, std::chrono::seconds(20), &*process_);
}

HttpResult StepServiceProcess::post(const std::string& target, const Headers& headers) const {
  return http(port_, "POST", target, "", headers);
}

HttpResult StepServiceProcess::get(const std::string& target) const {
  return http(port_, "GET", target);
}

std::optional<double> StepServiceProcess::metric(const std::string& name) const {
  auto response = http(admin_port_, "GET", "/metrics");
  std::istringstream lines(response.body);
  for (std::string line; std::getline(lines, line);) {
    // "name{service=\"...\"} value"
    if (line.rfind(name + "{", 0) == 0 || line.rfind(name + " ", 0) == 0) {
      return std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return std::nullopt;
}

std::string monolith_url(std::uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

int established_connections(int pid, std::uint16_t remote_port) {
  std::set<std::string> inodes;
  const std::string fd_dir = "/proc/" + std::to_string(pid) + "/fd";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(fd_dir, ec)) {
    std::error_code link_ec;
    const auto target = std::filesystem::read_symlink(entry.path(), link_ec).string();
    if (!link_ec && target.rfind("socket:[", 0) == 0) {
      inodes.insert(target.substr(8, target.size() - 9));
    }
  }
  char wanted[16];
  std::snprintf(wanted, sizeof(wanted), "0100007F:%04X", remote_port);
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // header
  // /proc/net/tcp is read in chunks while connections come and go, so one socket can be listed
  // twice: count distinct sockets, not lines.
  std::set<std::string> counted;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode;
    if (remote == wanted && state == "01" && inodes.count(inode) != 0) {  // 01: ESTABLISHED
      counted.insert(inode);
    }
  }
  return static_cast<int>(counted.size());
}

}  // namespace mysfits::testing
