#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mysfits::split {

// A service split out of the monolith (strangler pattern): it owns one business step and hands
// persistence back to the monolith. For POST {route}: validate the id, run the step, then relay
// to POST {MONOLITH_URL}{upstream_route} and answer with the monolith's status and body (or with
// the step's refusal, the monolith not called).
// The like and adopt services are each one of these.
struct StepService {
  std::string name;            // "mysfits-like": logs, metrics, usage
  std::string description;     // first line of --help
  std::string root_message;    // GET / answers {"message": root_message}
  std::string route;           // "/mysfits/{id}/like": one "{id}" segment
  std::string upstream_route;  // "/mysfits/{id}/fulfill-like"
  std::function<bool(std::string_view id)> valid_id;
  std::string invalid_id_message;  // the 400's message
  // The business step itself, run before the monolith is called. A seam: real rules grow here.
  // An error refuses the request: it is the answer (its status by its code) and the monolith is
  // not called, so nothing is written.
  std::function<core::Result<core::Unit>(std::string_view id, std::string_view request_id)> step;
};

// Reads the configuration (environment, then flags: the ServiceConfig options, plus
// MONOLITH_URL / --monolith-url as "host", "host:port" or "http://host[:port]",
// MONOLITH_TIMEOUT_MS / --monolith-timeout-ms, MONOLITH_CONNECTIONS / --monolith-connections),
// then serves until SIGTERM/SIGINT. --help exits 0; a missing or malformed setting exits 2 with
// one line on stderr. Returns the process's exit code.
int run_step_service(const StepService& service, int argc, char** argv);

}  // namespace mysfits::split
