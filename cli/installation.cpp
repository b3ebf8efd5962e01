#include "cli/installation.hpp"

#include <unistd.h>

#include <cstdlib>

namespace mysfits::cli {

namespace fs = std::filesystem;

bool is_source_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "deploy" / "k8s" / "stages", ec) &&
         fs::is_directory(dir / "web", ec);
}

std::optional<fs::path> find_source_dir(const fs::path& start) {
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    if (is_source_dir(dir))
      return dir;
    if (dir == dir.root_path())
      break;
  }
  return std::nullopt;
}

core::Result<Installation> Installation::locate() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return core::Error{core::Errc::kInternal,
                       "cannot find my own executable (/proc/self/exe): " + ec.message()};
  }
  Installation found;
  found.bin_dir = exe.parent_path();
  if (const char* env = std::getenv("MYSFITS_SOURCE_DIR"); env != nullptr && *env != '\0') {
    fs::path dir = fs::absolute(env, ec);
    if (ec || !is_source_dir(dir)) {
      return core::Error{core::Errc::kBadRequest,
                         "MYSFITS_SOURCE_DIR=" + std::string(env) +
                             " is not the project's source tree (no deploy/k8s/stages and web/)"};
    }
    found.source_dir = dir;
    return found;
  }
  auto dir = find_source_dir(found.bin_dir);
  if (!dir) {
    return core::Error{core::Errc::kBadRequest,
                       "cannot find the source tree (deploy/k8s/stages and web/) above " +
                           found.bin_dir.string() + "; set MYSFITS_SOURCE_DIR to it"};
  }
  found.source_dir = *dir;
  return found;
}

std::vector<std::string> missing_executables(const fs::path& bin_dir,
                                             const std::vector<std::string>& names) {
  std::vector<std::string> missing;
  for (const auto& name : names) {
    if (::access((bin_dir / name).c_str(), X_OK) != 0)
      missing.push_back(name);
  }
  return missing;
}

}  // namespace mysfits::cli
