#include "cli/stage_plan.hpp"

#include <array>
#include <map>
#include <set>
#include <sstream>

#include "ingress/serving.hpp"

namespace mysfits::cli {
namespace {

constexpr std::array<std::pair<Stage, std::string_view>, 3> kStages = {{
    {Stage::kMonolith, "monolith"},
    {Stage::kLike, "like"},
    {Stage::kLikeAdopt, "like-adopt"},
}};

constexpr ServiceRole kMonolith{"monolith", "mysfits-monolith", "mythical-mysfits-nolike"};
constexpr ServiceRole kLike{"like", "mysfits-like", "mythical-mysfits-like"};
constexpr ServiceRole kAdopt{"adopt", "mysfits-adopt", "mythical-mysfits-adopt"};

std::string local_url(std::uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width)
    text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string browser_url(std::string_view host, std::uint16_t port) {
  bool wildcard = host == "0.0.0.0" || host == "::" || host.empty();
  std::string name(wildcard ? "127.0.0.1" : host);
  if (name.find(':') != std::string::npos)
    name = "[" + name + "]";
  return "http://" + name + ":" + std::to_string(port);
}

std::optional<std::pair<std::string, std::string>> parse_exec_override(std::string_view text,
                                                                       std::string& error) {
  const auto equals = text.find('=');
  const auto service = text.substr(0, equals);
  const bool known = service == kMonolith.role || service == kLike.role || service == kAdopt.role;
  if (equals == std::string_view::npos || !known) {
    error = "SERVICE=COMMAND with SERVICE one of monolith, like, adopt (got '" +
            std::string(text.substr(0, 40)) + "')";
    return std::nullopt;
  }
  const auto command = text.substr(equals + 1);
  if (command.find_first_not_of(" \t") == std::string_view::npos) {
    error = std::string(service) + "= needs a command";
    return std::nullopt;
  }
  return std::pair{std::string(service), std::string(command)};
}

std::optional<Stage> parse_stage(std::string_view name) {
  for (const auto& [stage, text] : kStages) {
    if (text == name)
      return stage;
  }
  return std::nullopt;
}

std::string_view stage_name(Stage stage) {
  for (const auto& [s, text] : kStages) {
    if (s == stage)
      return text;
  }
  return "?";
}

std::vector<std::string> stage_names() {
  std::vector<std::string> out;
  for (const auto& [stage, text] : kStages)
    out.emplace_back(text);
  return out;
}

std::vector<ServiceRole> roles_for(Stage stage) {
  switch (stage) {
    case Stage::kMonolith:
      return {kMonolith};
    case Stage::kLike:
      return {kMonolith, kLike};
    case Stage::kLikeAdopt:
      return {kMonolith, kLike, kAdopt};
  }
  return {kMonolith};
}

std::set<std::string, std::less<>> roles_of(Stage stage) {
  std::set<std::string, std::less<>> roles;
  for (const auto& role : roles_for(stage))
    roles.emplace(role.role);
  return roles;
}

std::filesystem::path ingress_path(const UpLayout& layout, Stage stage) {
  return layout.source_dir / "deploy" / "k8s" / "stages" / std::string(stage_name(stage)) /
         "ingress.yaml";
}

core::Result<core::Unit> check_stage_ingress(const UpLayout& layout, Stage stage) {
  auto serving = ingress::load_serving({ingress_path(layout, stage).string()});
  if (!serving) {
    return core::Error{core::Errc::kBadRequest,
                       "the Ingress of stage " + std::string(stage_name(stage)) +
                           " would be refused:\n" + serving.error().message};
  }
  return core::Unit{};
}

std::vector<ChildSpec> plan_children(const UpSettings& settings, const UpLayout& layout,
                                     const std::function<std::uint16_t()>& pick_port) {
  std::vector<ChildSpec> children;
  std::vector<std::uint16_t> monolith_ports;
  for (const ServiceRole& role : roles_for(settings.stage)) {
    for (int i = 1; i <= settings.replicas; ++i) {
      ChildSpec child;
      child.role = std::string(role.role);
      child.name = child.role + "-" + std::to_string(i);
      child.port = pick_port();
      child.ready_port = child.port;
      if (const auto command = settings.exec.find(role.role); command != settings.exec.end()) {
        child.launch.exe = "/bin/sh";
        child.launch.args = {"-c", command->second};
        child.launch.env = {
            {"HOST", "127.0.0.1"}, {"PORT", std::to_string(child.port)}, {"ADMIN_PORT", "0"}};
        child.ready_target = "/";
      } else {
        child.launch.exe = (layout.bin_dir / role.executable).string();
        // Flags beat the environment, so a HOST, PORT or ADMIN_PORT exported in the user's
        // shell cannot make every replica fight over one port.
        child.launch.args = {"--host",       "127.0.0.1", "--port", std::to_string(child.port),
                             "--admin-port", "0"};
      }
      if (role.role == kMonolith.role) {
        child.launch.env.emplace_back("MYSFITS_DB", layout.db_path.string());
        monolith_ports.push_back(child.port);
      } else {
        // Replica i calls monolith replica i (round robin when there are fewer): in the
        // cluster the monolith's Service spreads these calls the same way.
        std::uint16_t monolith = monolith_ports[(i - 1) % monolith_ports.size()];
        child.launch.env.emplace_back("MONOLITH_URL", local_url(monolith));
      }
      children.push_back(std::move(child));
    }
  }

  ChildSpec gateway;
  gateway.role = std::string(kGatewayRole);
  gateway.name = gateway.role;
  gateway.port = settings.port;
  gateway.ready_port = pick_port();
  gateway.launch.exe = (layout.bin_dir / kGatewayExecutable).string();
  gateway.launch.args = {"--host",           settings.host,
                         "--port",           std::to_string(settings.port),
                         "--admin-port",     std::to_string(gateway.ready_port),
                         "--ingress",        layout.gateway_ingress.string(),
                         "--upstreams-file", layout.gateway_upstreams.string()};
  children.push_back(std::move(gateway));
  return children;
}

const ChildSpec* gateway_of(const std::vector<ChildSpec>& plan) {
  for (const auto& child : plan) {
    if (child.role == kGatewayRole)
      return &child;
  }
  return nullptr;
}

std::string status_page_url(const UpSettings& settings, std::uint16_t gateway_admin_port) {
  return browser_url(settings.host, gateway_admin_port) + "/status";
}

std::vector<std::string> upstream_arguments(Stage stage, const std::vector<ChildSpec>& children) {
  std::vector<std::string> out;
  for (const ServiceRole& role : roles_for(stage)) {
    std::string addresses;
    for (const auto& child : children) {
      if (child.role != role.role)
        continue;
      if (!addresses.empty())
        addresses += ",";
      addresses += "127.0.0.1:" + std::to_string(child.port);
    }
    if (!addresses.empty()) {
      out.push_back(std::string(role.k8s_service) + ":" + std::to_string(kServicePort) + "=" +
                    addresses);
    }
  }
  return out;
}

std::string render_summary(const UpSettings& settings, const UpLayout& layout,
                           const std::vector<ChildStatus>& children, std::string_view store,
                           std::uint16_t gateway_admin_port) {
  std::map<std::string, std::string> k8s_names;
  for (const ServiceRole& role : roles_for(Stage::kLikeAdopt)) {
    k8s_names[std::string(role.role)] =
        std::string(role.k8s_service) + ":" + std::to_string(kServicePort);
  }
  std::string api = browser_url(settings.host, settings.port);
  std::string site = browser_url(settings.host, settings.web_port);
  auto relative_ingress =
      std::filesystem::relative(ingress_path(layout, settings.stage), layout.source_dir);

  std::ostringstream out;
  out << "\n  Mythical Mysfits is up: stage " << stage_name(settings.stage) << ", "
      << settings.replicas << (settings.replicas == 1 ? " replica" : " replicas")
      << " of each service\n\n";
  out << "  " << pad("process", 13) << pad("pid", 9) << pad("listens on", 26) << "role\n";
  for (const auto& child : children) {
    std::string role;
    std::string where;
    if (child.role == kGatewayRole) {
      where = browser_url(settings.host, child.port);
      role = "the \"ALB\": " + relative_ingress.string();
    } else {
      where = local_url(child.port);
      role = k8s_names[child.role];
    }
    out << "  " << pad(child.name, 13) << pad(std::to_string(child.pid), 9) << pad(where, 26)
        << role << "\n";
  }
  out << "  " << pad("website", 13) << pad("(up)", 9) << pad(site, 26) << "web/, config.js -> "
      << api << "\n\n";
  out << "  Website  " << site << "\n";
  out << "  API      " << api << "/mysfits\n";
  out << "  Status   " << status_page_url(settings, gateway_admin_port)
      << "  (in a terminal: mysfits status --port " << settings.port << ")\n";
  out << "  Data     " << store << "\n";
  out << "  Ctrl-C stops everything.\n\n";
  return out.str();
}

}  // namespace mysfits::cli
