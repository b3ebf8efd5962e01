#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace mysfits::cli {

// Where `mysfits up` finds what it runs: the executables beside itself (build/bin), and the
// source tree's deploy/ (the stage manifests) and web/ (the site). It builds nothing.
struct Installation {
  std::filesystem::path bin_dir;
  std::filesystem::path source_dir;

  // $MYSFITS_SOURCE_DIR when set; otherwise the first directory, walking up from the
  // executable's own (/proc/self/exe), that holds deploy/k8s/stages.
  static core::Result<Installation> locate();
};

// The walk-up part of locate(), for tests.
std::optional<std::filesystem::path> find_source_dir(const std::filesystem::path& start);
bool is_source_dir(const std::filesystem::path& dir);

// The executables among names that are missing or not executable in bin_dir.
std::vector<std::string> missing_executables(const std::filesystem::path& bin_dir,
                                             const std::vector<std::string>& names);

}  // namespace mysfits::cli
