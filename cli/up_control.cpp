#include "cli/up_control.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/http_probe.hpp"
#include "cli/up_state.hpp"

namespace mysfits::cli {
namespace {

// Starting services and draining the old ones takes seconds; this only bounds a stuck `up`.
constexpr std::chrono::seconds kMigrationTimeout{120};

}  // namespace

std::optional<boost::json::object> read_up_state(std::uint16_t gateway_port, std::string& error) {
  auto files = up_files_for_port(gateway_port);
  std::ifstream in(files.state);
  if (!in) {
    error = "no mysfits up is running with its gateway on port " + std::to_string(gateway_port) +
            " (nothing at " + files.state.string() + ")";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto doc = boost::json::parse(text.str(), ec);
  if (ec || !doc.is_object()) {
    error = "unreadable " + files.state.string();
    return std::nullopt;
  }
  return std::move(doc.as_object());
}

std::uint16_t port_in_state(const boost::json::object& state, const char* key,
                            std::uint16_t gateway_port, std::string& error) {
  const boost::json::value* address = state.if_contains(key);
  if (address == nullptr || !address->is_string()) {
    error = "mysfits up on port " + std::to_string(gateway_port) + " is not ready yet";
    return 0;
  }
  std::string url(address->as_string());
  auto colon = url.rfind(':');
  int port = colon == std::string::npos ? 0 : std::atoi(url.c_str() + colon + 1);
  if (port <= 0 || port > 65535) {
    error = std::string("unreadable ") + key + " address in the state of mysfits up on port " +
            std::to_string(gateway_port) + ": " + url;
    return 0;
  }
  return static_cast<std::uint16_t>(port);
}

std::uint16_t control_port_of(std::uint16_t gateway_port, std::string& error) {
  auto state = read_up_state(gateway_port, error);
  return state ? port_in_state(*state, "control", gateway_port, error) : 0;
}

ProbeResponse post_to_control(std::uint16_t control_port, const std::string& target,
                              const std::string& body, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  ProbeResponse answer;
  boost::asio::co_spawn(io, probe_request(control_port, "POST", target, body, timeout),
                        [&answer](std::exception_ptr, ProbeResponse r) { answer = std::move(r); });
  io.run();
  return answer;
}

int ask_up(const std::string& command, std::uint16_t gateway_port, const std::string& target,
           const std::string& body) {
  std::string error;
  const std::uint16_t control = control_port_of(gateway_port, error);
  if (control == 0) {
    std::cerr << "mysfits " << command << ": " << error << '\n';
    return 1;
  }
  const auto answer = post_to_control(control, target, body, kMigrationTimeout);
  if (answer.status == 0) {
    std::cerr << "mysfits " << command << ": mysfits up on port " << gateway_port
              << " did not answer (stopped?)\n";
    return 1;
  }
  boost::system::error_code ec;
  auto doc = boost::json::parse(answer.body, ec);
  auto text = [&](const char* key) {
    const boost::json::value* v =
        !ec && doc.is_object() ? doc.as_object().if_contains(key) : nullptr;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  if (answer.status != 200) {
    std::cerr << "mysfits " << command << ": " << text("message") << " (" << answer.status << ")\n";
    return 1;
  }
  auto names = [&](const char* key) {
    std::string out;
    const boost::json::value* v =
        !ec && doc.is_object() ? doc.as_object().if_contains(key) : nullptr;
    if (v && v->is_array())
      for (const auto& n : v->as_array())
        if (n.is_string())
          out += (out.empty() ? "" : ", ") + std::string(n.as_string());
    return out.empty() ? std::string("nothing") : out;
  };
  std::cout << text("message") << "; started " << names("started") << "; stopped "
            << names("stopped") << '\n';
  return 0;
}

}  // namespace mysfits::cli
