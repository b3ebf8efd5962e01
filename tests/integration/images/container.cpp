#include "images/container.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "deploy/manifest_set.hpp"

namespace mysfits::testing::images {

namespace {

std::string podman_path() {
  for (const char* candidate : {"/usr/bin/podman", "/usr/local/bin/podman"}) {
    if (::access(candidate, X_OK) == 0)
      return candidate;
  }
  throw std::runtime_error("podman is not installed (scripts/setup --test installs it)");
}

// The runtime may only lower resource limits on these machines (raising one fails the start
// with "error setting rlimit ... operation not permitted", and so does keeping a high process
// count), so each container gets this process's limits, capped.
std::string ulimit(int resource, const char* name, rlim_t cap) {
  rlimit limit{};
  ::getrlimit(resource, &limit);
  const auto value = std::to_string(std::min({limit.rlim_cur, limit.rlim_max, cap}));
  return std::string(name) + "=" + value + ":" + value;
}

std::string unique_name() {
  static std::atomic<int> counter{0};
  return "mysfits-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

std::vector<std::string> pod_run_arguments(const ContainerOptions& options) {
  const auto& pod = options.pod;
  std::vector<std::string> args;
  if (pod.run_as_user)
    args.push_back("--user=" + std::to_string(*pod.run_as_user) +
                   (pod.run_as_group ? ":" + std::to_string(*pod.run_as_group) : ""));
  if (pod.read_only_root) {
    // Only what the pod mounts is writable: no tmpfs of podman's own on /tmp, /run, /var/tmp.
    args.push_back("--read-only");
    args.push_back("--read-only-tmpfs=false");
  }
  for (const auto& dir : pod.empty_dirs) {
    std::string tmpfs = "--tmpfs=" + dir.mount_path + ":rw,mode=1777";
    if (const auto bytes = deploy::quantity_bytes(dir.size_limit))
      tmpfs += ",size=" + std::to_string(*bytes);
    args.push_back(tmpfs);
  }
  for (const auto& capability : pod.dropped_capabilities)
    args.push_back("--cap-drop=" + capability);
  if (!pod.allow_privilege_escalation)
    args.push_back("--security-opt=no-new-privileges");
  if (const auto bytes = deploy::quantity_bytes(pod.memory_limit))
    args.push_back("--memory=" + std::to_string(*bytes));
  auto env = pod.env;
  for (const auto& [name, value] : options.env_overrides)
    env[name] = value;
  for (const auto& [name, value] : env)
    args.push_back("--env=" + name + "=" + value);
  for (const auto& [host, inside] : options.read_only_mounts)
    args.push_back("--volume=" + host + ":" + inside + ":ro");
  return args;
}

Container::Container(ContainerOptions options) : name_(unique_name()) {
  std::vector<std::string> args = {"--runtime", "runc",
                                   "run",       "--rm",
                                   "--name",    name_,
                                   "--label",   "mysfits-test=1",
                                   "--network", "host",
                                   "--ulimit",  ulimit(RLIMIT_NOFILE, "nofile", 65536),
                                   "--ulimit",  ulimit(RLIMIT_NPROC, "nproc", 4096)};
  for (auto& arg : pod_run_arguments(options))
    args.push_back(std::move(arg));
  args.push_back(options.image);
  for (auto& arg : options.args)
    args.push_back(std::move(arg));
  process_ = std::make_unique<Process>(podman_path(), std::move(args));
}

Container::~Container() {
  podman({"rm", "--force", "--time", "1", name_});
}

std::optional<int> Container::stop(std::chrono::seconds grace) {
  podman({"stop", "--time", std::to_string(grace.count()), name_});
  return process_->wait(std::chrono::seconds(10));
}

PodmanResult podman(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {podman_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = deploy::run_command(argv);
  return {result.exit_code, result.out + result.err};
}

std::string image_name(const std::string& executable) {
  const char* tag = std::getenv("MYSFITS_IMAGE_TAG");
  if (tag == nullptr || *tag == '\0')
    throw std::runtime_error("MYSFITS_IMAGE_TAG is not set (CTest sets it for the image tests)");
  return "localhost/" + executable + ":" + tag;
}

}  // namespace mysfits::testing::images
