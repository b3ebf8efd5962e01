#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deploy/pod_spec.hpp"
#include "support/process.hpp"

namespace mysfits::testing::images {

// How one container runs: the image, what Kubernetes' pod spec asks of it, and what the local
// run adds (the host's network, files mounted read-only, arguments after the image).
struct ContainerOptions {
  std::string image;
  deploy::PodSpec pod;  // user, read-only root, emptyDirs, capabilities, limits, environment
  std::map<std::string, std::string> env_overrides;                   // applied over pod.env
  std::vector<std::pair<std::string, std::string>> read_only_mounts;  // host path -> container path
  std::vector<std::string> args;
};

// The `podman run` arguments that give a container its pod's settings (without the image).
std::vector<std::string> pod_run_arguments(const ContainerOptions& options);

// One container run by `podman --runtime runc run --rm --network host` in the foreground, so its
// output is the Process log and its exit code the container's. The destructor removes the
// container (podman rm -f), which killing the podman client alone would not.
class Container {
 public:
  explicit Container(ContainerOptions options);
  ~Container();
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

  const std::string& name() const { return name_; }
  Process& process() { return *process_; }
  std::string log() const { return process_->log(); }
  // `podman stop --time grace`: SIGTERM, then SIGKILL after grace, as the kubelet does at the
  // end of terminationGracePeriodSeconds. Returns the container's exit code.
  std::optional<int> stop(std::chrono::seconds grace);

 private:
  std::string name_;
  std::unique_ptr<Process> process_;
};

// Runs `podman ARGS...` to completion; exit code and combined output.
struct PodmanResult {
  int exit_code = -1;
  std::string output;
};
PodmanResult podman(const std::vector<std::string>& args);

// The name the image test gives an executable's image: localhost/EXECUTABLE:$MYSFITS_IMAGE_TAG.
std::string image_name(const std::string& executable);

}  // namespace mysfits::testing::images
