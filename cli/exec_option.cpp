#include "cli/exec_option.hpp"

#include <CLI/CLI.hpp>

namespace mysfits::cli {

void add_exec_option(CLI::App& command, std::vector<std::string>& values) {
  command
      .add_option("--exec", values,
                  "SERVICE=COMMAND: run COMMAND through sh -c in place of a built service "
                  "(monolith, like or adopt), with the environment ours gets (HOST, PORT, "
                  "MONOLITH_URL, MYSFITS_DB...); ready when GET / answers 200. Repeatable")
      ->check(CLI::Validator(
          [](std::string& value) {
            std::string error;
            return parse_exec_override(value, error) ? std::string() : error;
          },
          "SERVICE=COMMAND"))
      ->always_capture_default(false);
}

ExecOverrides exec_overrides(const std::vector<std::string>& values) {
  ExecOverrides overrides;
  for (const auto& value : values) {
    std::string error;
    if (auto parsed = parse_exec_override(value, error))
      overrides[parsed->first] = parsed->second;
  }
  return overrides;
}

}  // namespace mysfits::cli
