#pragma once

#include <cstdint>
#include <string>

namespace mysfits::cli {

// Asks the running `mysfits up` whose gateway listens on gateway_port (found through the state
// it records) to do something on its control endpoint: POST target with body, waiting until it
// is done. Prints the outcome; returns the exit code (0 done, 1 refused or nobody there).
int ask_up(const std::string& command, std::uint16_t gateway_port, const std::string& target,
           const std::string& body);

}  // namespace mysfits::cli
