#include "cli/up_state.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

namespace mysfits::cli {

namespace fs = std::filesystem;

namespace {

core::Error file_error(const std::string& what, const fs::path& path, const std::string& why) {
  return core::Error{core::Errc::kInternal, "cannot " + what + " " + path.string() + ": " + why};
}

// A name beside path that no concurrent writer (another `up` cannot share the directory, but a
// `migrate` may) picks too.
fs::path temporary_beside(const fs::path& path) {
  return path.parent_path() / ("." + path.filename().string() + "." + std::to_string(::getpid()));
}

}  // namespace

fs::path runtime_root() {
  if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg != nullptr && *xdg != '\0')
    return fs::path(xdg) / "mysfits-up";
  return fs::temp_directory_path() / ("mysfits-up-" + std::to_string(::getuid()));
}

UpFiles up_files_in(const fs::path& dir) {
  return UpFiles{dir, dir / "state.json", dir / "ingress.yaml", dir / "upstreams"};
}

UpFiles up_files_for_port(std::uint16_t gateway_port) {
  return up_files_in(runtime_root() / std::to_string(gateway_port));
}

core::Result<core::Unit> prepare_up_files(const UpFiles& files) {
  std::error_code ec;
  fs::create_directories(files.dir, ec);
  if (ec)
    return file_error("create", files.dir, ec.message());
  // Other users on the machine must not redirect our gateway by editing its files.
  fs::permissions(files.dir.parent_path(), fs::perms::owner_all, ec);
  fs::permissions(files.dir, fs::perms::owner_all, ec);
  if (ec)
    return file_error("restrict", files.dir, ec.message());
  remove_up_files(files);
  return core::Unit{};
}

void remove_up_files(const UpFiles& files) {
  std::error_code ignored;
  for (const auto& path : {files.state, files.ingress_link, files.upstreams})
    fs::remove(path, ignored);
}

core::Result<core::Unit> replace_file(const fs::path& path, const std::string& content) {
  fs::path temporary = temporary_beside(path);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out)
      return file_error("write", temporary, "write failed");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return file_error("replace", path, ec.message());
  }
  return core::Unit{};
}

core::Result<core::Unit> replace_symlink(const fs::path& link, const fs::path& target) {
  fs::path temporary = temporary_beside(link);
  std::error_code ec;
  fs::remove(temporary, ec);
  fs::create_symlink(target, temporary, ec);
  if (ec)
    return file_error("link", temporary, ec.message());
  fs::rename(temporary, link, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return file_error("replace", link, ec.message());
  }
  return core::Unit{};
}

std::string upstreams_text(const std::vector<std::string>& upstreams) {
  std::string text = "# Written by `mysfits up`: the gateway re-reads it on SIGHUP.\n";
  for (const auto& line : upstreams)
    text += line + "\n";
  return text;
}

std::string state_json(const UpSnapshot& snapshot) {
  namespace json = boost::json;
  json::array children;
  for (const auto& child : snapshot.children) {
    children.push_back(json::object{{"name", child.name},
                                    {"role", child.role},
                                    {"pid", child.pid},
                                    {"port", child.port},
                                    {"restarts", child.restarts}});
  }
  const UpSettings& s = snapshot.settings;
  json::object state{
      {"pid", snapshot.pid},
      {"stage", std::string(stage_name(s.stage))},
      {"host", s.host},
      {"port", s.port},
      {"web_port", s.web_port},
      {"replicas", s.replicas},
      {"store", snapshot.store},
      {"ingress", snapshot.ingress.string()},
      {"children", std::move(children)},
  };
  if (snapshot.gateway_admin_port != 0)
    state["gateway_admin"] = "http://127.0.0.1:" + std::to_string(snapshot.gateway_admin_port);
  if (snapshot.control_port != 0)
    state["control"] = "http://127.0.0.1:" + std::to_string(snapshot.control_port);
  return json::serialize(state) + "\n";
}

}  // namespace mysfits::cli
