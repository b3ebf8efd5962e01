#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "ingress/rule_json.hpp"
#include "ingress/serving.hpp"

namespace mysfits::cli {
namespace {

struct RoutesOptions {
  std::vector<std::string> args;  // FILE... then PATH...
  std::string method = "GET";
  std::string host;
  std::string source_ip = "127.0.0.1";
  std::vector<std::string> headers;  // "Name: value"
  bool explain = false;
  bool check = false;
};

int usage_error(const std::string& message) {
  std::cerr << "mysfits routes: " << message << "\n";
  return 2;
}

// The documented line format, `{"path": P, "backend": B}`, spaced as Python's json.dumps spaces
// it, so the output can be compared as text as well as parsed.
std::string json_string(std::string_view text) {
  return boost::json::serialize(boost::json::string(text));
}

std::string backend_of(const ingress::RouteMatch& match) {
  return ingress::describe_action(*match.action);
}

std::string line_for(const std::string& path, const ingress::RouteMatch& match, bool explain) {
  // "no rule matches" is the listener's own default 404: that answer is null (README.md, "mysfits
  // routes"); a spec.defaultBackend is a real answer and is printed.
  const bool controller_404 = match.rule == nullptr && match.action != nullptr &&
                              std::holds_alternative<ingress::FixedResponse>(*match.action) &&
                              std::get<ingress::FixedResponse>(*match.action).status_code == 404 &&
                              std::get<ingress::FixedResponse>(*match.action).body.empty();
  std::string out = "{\"path\": " + json_string(path) +
                    ", \"backend\": " + (controller_404 ? "null" : json_string(backend_of(match)));
  if (explain) {
    out += ", \"priority\": " + (match.rule != nullptr ? std::to_string(match.rule->priority)
                                                       : std::string("\"default\""));
    std::string conditions;
    if (match.rule != nullptr) {
      for (const ingress::Condition& c : match.rule->conditions)
        conditions += (conditions.empty() ? "" : " AND ") + ingress::describe_condition(c);
      out += ", \"conditions\": " + json_string(conditions) +
             ", \"from\": " + json_string(match.rule->origin);
    }
  }
  return out + "}";
}

// --check: every argument is a manifest file; they are loaded as the gateway loads them, the
// ALB's limits included. Exit 0 with a summary, or 1 with every reason, one a line.
int run_check(const RoutesOptions& options) {
  if (options.args.empty())
    return usage_error("--check needs manifest FILEs");
  auto serving = ingress::load_serving(options.args);
  if (!serving) {
    std::istringstream reasons(serving.error().message);
    for (std::string line; std::getline(reasons, line);)
      std::cerr << "mysfits routes: " << line << "\n";
    return 1;
  }
  for (const std::string& note : serving->notes)
    std::cerr << "mysfits routes: " << note << "\n";
  std::size_t rules = 0;
  for (const ingress::Listener& listener : serving->load_balancer.listeners)
    rules += listener.rules.size();
  std::cout << "ok: load balancer " << serving->load_balancer.group << ", "
            << serving->load_balancer.listeners.size() << " listener(s), " << rules
            << " rule(s), within the ALB's limits\n";
  return 0;
}

// FILEs come first and exist; the first argument that is not an existing file starts the PATHs.
int run_routes(const RoutesOptions& options) {
  if (options.check)
    return run_check(options);
  std::vector<std::string> files;
  std::vector<std::string> paths;
  for (const std::string& arg : options.args) {
    std::error_code ec;
    if (paths.empty() && std::filesystem::is_regular_file(arg, ec))
      files.push_back(arg);
    else
      paths.push_back(arg);
  }
  if (files.empty())
    return usage_error(options.args.empty() ? "give manifest FILEs and PATHs"
                                            : "no readable manifest file: " + options.args.front());
  if (paths.empty())
    return usage_error("give at least one PATH after the manifest files");
  for (const std::string& p : paths) {
    if (p.empty() || p.front() != '/')
      return usage_error("'" + p + "' is neither a manifest file nor a path starting with '/'");
  }
  auto serving = ingress::load_serving(files);
  if (!serving)
    return usage_error(serving.error().message);
  for (const std::string& note : serving->notes)
    std::cerr << "mysfits routes: " << note << "\n";
  const ingress::RouteTable& table = serving->routes;

  std::vector<std::pair<std::string, std::string>> headers;
  for (const std::string& h : options.headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0)
      return usage_error("--header '" + h + "' is not 'Name: value'");
    const auto value_start = h.find_first_not_of(' ', colon + 1);
    headers.emplace_back(h.substr(0, colon),
                         value_start == std::string::npos ? "" : h.substr(value_start));
  }
  for (const std::string& path : paths) {
    ingress::RequestView request;
    request.method = options.method;
    request.target = path;
    request.host = options.host;
    request.source_ip = options.source_ip;
    for (const auto& [name, value] : headers)
      request.headers.emplace_back(name, value);
    std::cout << line_for(path, table.match(request), options.explain) << "\n";
  }
  return 0;
}

}  // namespace

void add_routes_command(CLI::App& app) {
  auto options = std::make_shared<RoutesOptions>();
  auto* cmd = app.add_subcommand(
      "routes",
      "Which backend the ALB would pick: mysfits routes FILE... [--method M] PATH...\n"
      "Prints one JSON line per PATH: {\"path\": P, \"backend\": \"service:port\"}, "
      "\"fixed-response:CODE\", or null when no rule matches.\n"
      "mysfits routes --check FILE...: validates only, the ALB's limits included; exit 0, or 1 "
      "with the reasons (for CI pipelines).");
  cmd->add_option("args", options->args,
                  "manifest FILEs, then request PATHs (with ?query); with --check only FILEs")
      ->required();
  cmd->add_option("--method,-X", options->method, "request method (case-sensitive, as the ALB)")
      ->capture_default_str();
  cmd->add_option("--host", options->host, "Host header, for host-header rules");
  cmd->add_option("--header,-H", options->headers, "a request header 'Name: value' (repeatable)");
  cmd->add_option("--source-ip", options->source_ip, "client address, for source-ip rules")
      ->capture_default_str();
  cmd->add_flag("--explain", options->explain,
                "also print the matching rule's priority, conditions and origin");
  cmd->add_flag("--check", options->check,
                "validate the FILEs only (the ALB's limits included): exit 0, or 1 with reasons");
  cmd->callback([options] { set_exit_code(run_routes(*options)); });
}

}  // namespace mysfits::cli
