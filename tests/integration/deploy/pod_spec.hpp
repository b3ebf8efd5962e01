#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "manifest_set.hpp"

namespace mysfits::testing::deploy {

// What Kubernetes would give the first container of a rendered Deployment's pod, read from the
// render (ConfigMap references resolved in the same render): the tests start the built
// executables, or their images, under exactly these settings.
struct PodSpec {
  std::string deployment;
  std::string image;
  std::map<std::string, std::string> env;
  std::optional<long> run_as_user;
  std::optional<long> run_as_group;
  bool run_as_non_root = false;
  bool read_only_root = false;
  bool allow_privilege_escalation = true;
  std::vector<std::string> dropped_capabilities;
  struct EmptyDir {
    std::string mount_path;
    std::string size_limit;  // Kubernetes quantity ("64Mi"), "" when unlimited
  };
  std::vector<EmptyDir> empty_dirs;
  std::string memory_limit;  // Kubernetes quantity, "" when none
  std::string cpu_limit;
  std::vector<std::string> errors;  // what the render holds that this reading does not know
};

PodSpec pod_spec(const ManifestSet& set, const std::string& deployment);

// A Kubernetes memory quantity ("64Mi", "1Gi", "500M") in bytes; nullopt when malformed.
std::optional<long long> quantity_bytes(const std::string& quantity);
// A CPU quantity ("250m", "1", "1.5") in millicores; nullopt when malformed.
std::optional<long long> quantity_millicores(const std::string& quantity);

}  // namespace mysfits::testing::deploy
