#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "cli/http_probe.hpp"

namespace mysfits::cli {

// The state.json of the running `mysfits up` whose gateway listens on gateway_port; nullopt
// with a message for people in error when there is none (or it cannot be read).
std::optional<boost::json::object> read_up_state(std::uint16_t gateway_port, std::string& error);

// The port of a loopback URL that state.json names for key ("control", "gateway_admin"); 0 with
// a message in error when it is missing (up still starting) or unreadable.
std::uint16_t port_in_state(const boost::json::object& state, const char* key,
                            std::uint16_t gateway_port, std::string& error);

// The control endpoint's port of the running `mysfits up` whose gateway listens on gateway_port;
// 0 with a message for people in error when there is none.
std::uint16_t control_port_of(std::uint16_t gateway_port, std::string& error);

// POST target with body to up's control endpoint, waiting at most timeout (status 0: no answer).
ProbeResponse post_to_control(std::uint16_t control_port, const std::string& target,
                              const std::string& body, std::chrono::milliseconds timeout);

// Asks the running `mysfits up` whose gateway listens on gateway_port (found through the state
// it records) to do something on its control endpoint: POST target with body, waiting until it
// is done. Prints the outcome; returns the exit code (0 done, 1 refused or nobody there).
int ask_up(const std::string& command, std::uint16_t gateway_port, const std::string& target,
           const std::string& body);

}  // namespace mysfits::cli
