#include "running_up.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/http_probe.hpp"

namespace mysfits::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

int counter = 0;

std::string fresh_dir() {
  auto dir = fs::path(temp_dir()) / ("up-" + std::to_string(++counter));
  fs::create_directories(dir);
  return dir.string();
}

}  // namespace

std::string UpLaunch::state_path() const {
  return runtime_dir() + "/mysfits-up/" + std::to_string(port) + "/state.json";
}

UpLaunch plan_up(std::vector<std::string> extra_args) {
  UpLaunch launch;
  launch.dir = fresh_dir();
  launch.port = free_port();
  launch.web_port = free_port();
  launch.args = {"up", "--port", std::to_string(launch.port), "--web-port",
                 std::to_string(launch.web_port)};
  launch.args.insert(launch.args.end(), extra_args.begin(), extra_args.end());
  launch.env = {{"MYSFITS_DB", launch.dir + "/mysfits.db"},
                {"XDG_RUNTIME_DIR", launch.runtime_dir()},
                {"NO_COLOR", "1"},
                {"LOG_LEVEL", "info"}};
  return launch;
}

RunningUp::RunningUp(std::vector<std::string> extra_args)
    : RunningUp(plan_up(std::move(extra_args))) {}

RunningUp::RunningUp(UpLaunch launch)
    : launch_(std::move(launch)), process_(bin_path("mysfits"), launch_.args, launch_.env) {}

bool RunningUp::wait_serving(std::chrono::milliseconds deadline) {
  return wait_ready(launch_.port, "/mysfits", deadline, &process_);
}

bool RunningUp::wait_started(std::chrono::milliseconds deadline) {
  for (auto end = Clock::now() + deadline; Clock::now() < end;) {
    if (process_.log().find(kTableEnd) != std::string::npos)
      return true;
    if (!process_.running())
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a file
  }
  return false;
}

boost::json::value read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return nullptr;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto value = boost::json::parse(text.str(), ec);
  return ec ? boost::json::value(nullptr) : value;
}

std::vector<ChildProcess> children_of(const boost::json::value& state) {
  std::vector<ChildProcess> out;
  if (!state.is_object())
    return out;
  for (const auto& child : state.at("children").as_array()) {
    out.push_back(ChildProcess{std::string(child.at("name").as_string()),
                               std::string(child.at("role").as_string()),
                               static_cast<pid_t>(child.at("pid").to_number<int>()),
                               child.at("port").to_number<std::uint16_t>()});
  }
  return out;
}

bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return true;
  // "pid (comm) S ...": the state follows the last ')', as comm may hold one.
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z' ||
         line[close + 2] == 'X';
}

bool wait_gone(pid_t pid, std::chrono::milliseconds deadline) {
  for (auto end = Clock::now() + deadline; Clock::now() < end;) {
    if (process_gone(pid))
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return process_gone(pid);
}

std::string executable_of(pid_t pid) {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return ec ? "" : exe.filename().string();
}

pid_t parent_of(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return -1;
  auto close = line.rfind(')');
  if (close == std::string::npos)
    return -1;
  std::istringstream rest(line.substr(close + 2));
  std::string state;
  pid_t parent = -1;
  rest >> state >> parent;
  return parent;
}

std::vector<std::string> missing_binaries() {
  std::vector<std::string> missing;
  for (const char* name :
       {"mysfits", "mysfits-monolith", "mysfits-like", "mysfits-adopt", "mysfits-gateway"}) {
    if (::access(bin_path(name).c_str(), X_OK) != 0)
      missing.emplace_back(name);
  }
  return missing;
}

std::set<std::string> running_roles(const boost::json::value& state) {
  std::set<std::string> roles;
  for (const auto& child : children_of(state))
    if (child.pid > 0)
      roles.insert(child.role);
  return roles;
}

}  // namespace mysfits::testing
