#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/supervisor.hpp"
#include "core/result.hpp"

namespace mysfits::cli {

// The migration stages of the seed, each with its Ingress in deploy/k8s/stages/<name>/.
enum class Stage { kMonolith, kLike, kLikeAdopt };

std::optional<Stage> parse_stage(std::string_view name);
std::string_view stage_name(Stage stage);
std::vector<std::string> stage_names();

// A service the gateway routes to: its role (log prefix and process name stem), executable,
// and the Kubernetes Service the stage's Ingress names for it.
struct ServiceRole {
  std::string_view role;
  std::string_view executable;
  std::string_view k8s_service;
};

// The monolith first (the others call it), then what the stage splits out.
std::vector<ServiceRole> roles_for(Stage stage);
// The same roles by name ("monolith", "like", "adopt").
std::set<std::string, std::less<>> roles_of(Stage stage);

inline constexpr std::string_view kGatewayRole = "gateway";
inline constexpr std::string_view kGatewayExecutable = "mysfits-gateway";
inline constexpr int kServicePort = 80;  // every Service's port in deploy/k8s/base

// What runs instead of a built service (`--exec SERVICE=COMMAND`): COMMAND through `sh -c`, by
// service role ("monolith", "like", "adopt").
using ExecOverrides = std::map<std::string, std::string, std::less<>>;

// "like=python3 like.py" -> {"like", "python3 like.py"}; an error text when the service is not
// one of ours or the command is empty.
std::optional<std::pair<std::string, std::string>> parse_exec_override(std::string_view text,
                                                                       std::string& error);

struct UpSettings {
  Stage stage = Stage::kLikeAdopt;
  std::string host = "127.0.0.1";  // the gateway's and the website's listen address
  std::uint16_t port = 8080;       // the gateway (the "ALB")
  std::uint16_t web_port = 8000;   // the website
  int replicas = 1;                // of each service behind the gateway
  ExecOverrides exec;              // services run from a command of the user's
};

struct UpLayout {
  std::filesystem::path bin_dir;     // where mysfits and the services are
  std::filesystem::path source_dir;  // deploy/ and web/
  std::filesystem::path db_path;     // the SQLite file every monolith replica shares
  // The gateway's --ingress (a link to the stage's manifest) and --upstreams-file, both re-read
  // on SIGHUP (see up_state.hpp).
  std::filesystem::path gateway_ingress;
  std::filesystem::path gateway_upstreams;
};

std::filesystem::path ingress_path(const UpLayout& layout, Stage stage);

// Reads the stage's Ingress as the gateway will (ingress::load_serving, the ALB's limits
// included), so a manifest the gateway would refuse stops `up` before anything starts and
// `migrate` before the stage changes. The error has every reason, one a line.
core::Result<core::Unit> check_stage_ingress(const UpLayout& layout, Stage stage);

// Every child in start order: the replicas of each service, then the gateway. pick_port
// returns a free loopback port for each service replica and for the gateway's admin listener.
// A service in settings.exec runs its command through `sh -c` with the environment ours reads
// (HOST, PORT, ADMIN_PORT, MONOLITH_URL or MYSFITS_DB, as flags are ours alone) and is ready
// when GET / answers 200.
std::vector<ChildSpec> plan_children(const UpSettings& settings, const UpLayout& layout,
                                     const std::function<std::uint16_t()>& pick_port);

// The gateway in the plan (its ready_port is its admin port: status page, /status.json), or null.
const ChildSpec* gateway_of(const std::vector<ChildSpec>& plan);

// The gateway's upstreams (SERVICE:PORT=ADDR,...) for the children planned (or running).
std::vector<std::string> upstream_arguments(Stage stage, const std::vector<ChildSpec>& children);

// What runs where, for the user, once everything is ready, with the gateway's status page on
// its admin port.
std::string render_summary(const UpSettings& settings, const UpLayout& layout,
                           const std::vector<ChildStatus>& children, std::string_view store,
                           std::uint16_t gateway_admin_port);

// The address a browser on this machine uses for a listener bound to host.
std::string browser_url(std::string_view host, std::uint16_t port);

// The gateway's status page as a browser on this machine reaches it.
std::string status_page_url(const UpSettings& settings, std::uint16_t gateway_admin_port);

}  // namespace mysfits::cli
