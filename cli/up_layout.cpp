#include "cli/up_layout.hpp"

#include <cstdlib>

#include "cli/free_ports.hpp"
#include "cli/installation.hpp"

namespace mysfits::cli {
namespace {

namespace fs = std::filesystem;

// MYSFITS_DB when set; else .mysfits/mysfits.db under the working directory, so data survives
// restarts of `up` started from the same place and never lands in build/.
fs::path db_path() {
  const char* env = std::getenv("MYSFITS_DB");
  return fs::absolute(env != nullptr && *env != '\0' ? fs::path(env)
                                                     : fs::path(".mysfits") / "mysfits.db");
}

}  // namespace

bool uses_dynamodb() {
  const char* table = std::getenv("DDB_TABLE_NAME");
  return table != nullptr && *table != '\0';
}

std::string store_description(const fs::path& db_path) {
  if (uses_dynamodb())
    return "DynamoDB table " + std::string(std::getenv("DDB_TABLE_NAME")) + " (DDB_TABLE_NAME)";
  return "SQLite " + db_path.string();
}

core::Result<UpLayout> prepare_layout(const UpSettings& settings, const UpFiles& files) {
  auto installation = Installation::locate();
  if (!installation)
    return installation.error();
  UpLayout layout{installation->bin_dir, installation->source_dir, db_path(), files.ingress_link,
                  files.upstreams};
  auto usage = [](std::string message) { return core::Error{core::Errc::kBadRequest, message}; };

  if (settings.port == settings.web_port)
    return usage("--port and --web-port must differ");
  std::vector<std::string> executables{std::string(kGatewayExecutable)};
  for (const auto& role : roles_for(settings.stage))
    executables.emplace_back(role.executable);
  auto missing = missing_executables(layout.bin_dir, executables);
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing)
      list += (list.empty() ? "" : ", ") + name;
    return usage("missing in " + layout.bin_dir.string() + ": " + list +
                 " (build them first: cmake --build build)");
  }
  if (std::error_code ec; !fs::is_regular_file(ingress_path(layout, settings.stage), ec))
    return usage("no Ingress manifest at " + ingress_path(layout, settings.stage).string());
  if (auto checked = check_stage_ingress(layout, settings.stage); !checked)
    return checked.error();
  if (auto error = bind_error(settings.host, settings.port); !error.empty()) {
    return usage("cannot use " + settings.host + ":" + std::to_string(settings.port) +
                 " for the gateway: " + error);
  }
  if (!uses_dynamodb()) {
    std::error_code ec;
    fs::create_directories(layout.db_path.parent_path(), ec);
    if (ec)
      return usage("cannot create " + layout.db_path.parent_path().string() + ": " + ec.message());
  }
  return layout;
}

core::Result<core::Unit> write_gateway_inputs(const UpSettings& settings, const UpLayout& layout,
                                              const UpFiles& files,
                                              const std::vector<ChildSpec>& plan) {
  if (auto prepared = prepare_up_files(files); !prepared)
    return prepared;
  if (auto linked = replace_symlink(files.ingress_link, ingress_path(layout, settings.stage));
      !linked)
    return linked;
  return replace_file(files.upstreams, upstreams_text(upstream_arguments(settings.stage, plan)));
}

}  // namespace mysfits::cli
