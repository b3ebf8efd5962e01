#include "manifest_set.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "support/process.hpp"

namespace mysfits::testing::deploy {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool is_executable(const std::string& path) {
  return !path.empty() && ::access(path.c_str(), X_OK) == 0 &&
         std::filesystem::is_regular_file(path);
}

std::optional<std::string> on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr)
    return std::nullopt;
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty())
      continue;
    const auto candidate = (std::filesystem::path(dir) / name).string();
    if (is_executable(candidate))
      return candidate;
  }
  return std::nullopt;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv) {
  // Output goes through files rather than pipes: no risk of the child blocking on a full pipe
  // while the parent waits for it.
  static std::atomic<int> counter{0};
  const auto base = temp_dir() + "/cmd-" + std::to_string(counter++);
  const auto out_path = base + ".out";
  const auto err_path = base + ".err";
  CommandResult result;
  const pid_t pid = ::fork();
  if (pid < 0) {
    result.err = "fork failed";
    return result;
  }
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0)
      ::_exit(127);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& arg : argv)
      args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_all(out_path);
  result.err = read_all(err_path);
  return result;
}

std::optional<std::string> find_kubectl() {
  if (const char* env = std::getenv("KUBECTL"); env != nullptr && is_executable(env))
    return env;
  if (auto found = on_path("kubectl"))
    return found;
  if (is_executable("/usr/bin/kubectl"))
    return "/usr/bin/kubectl";
  return std::nullopt;
}

std::string kubectl_install_hint() {
  return "these tests need kubectl >= 1.27 (it bundles kustomize v5, for components and "
         "labels): install it from https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ "
         "(the pkgs.k8s.io apt repository, or the static binary into /usr/local/bin), or point "
         "$KUBECTL at one. Debian 12's kubernetes-client (1.20) is too old.";
}

ManifestSet ManifestSet::parse(const std::string& yaml_text) {
  ManifestSet set;
  for (auto& doc : YAML::LoadAll(yaml_text)) {
    if (doc.IsMap())
      set.objects_.push_back(doc);
  }
  return set;
}

ManifestSet ManifestSet::load_file(const std::string& path) {
  return parse(read_all(path));
}

std::vector<YAML::Node> ManifestSet::of_kind(const std::string& kind) const {
  std::vector<YAML::Node> found;
  for (const auto& object : objects_) {
    if (str(object["kind"]) == kind)
      found.push_back(object);
  }
  return found;
}

std::vector<std::string> ManifestSet::names_of_kind(const std::string& kind) const {
  std::vector<std::string> names;
  for (const auto& object : of_kind(kind))
    names.push_back(str(object["metadata"]["name"]));
  std::sort(names.begin(), names.end());
  return names;
}

YAML::Node ManifestSet::find(const std::string& kind, const std::string& name) const {
  for (const auto& object : objects_) {
    if (str(object["kind"]) == kind && str(object["metadata"]["name"]) == name)
      return object;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

RenderResult kustomize(const std::string& dir) {
  RenderResult result;
  const auto kubectl = find_kubectl();
  if (!kubectl) {
    result.error = "kubectl not found. " + kubectl_install_hint();
    return result;
  }
  const auto version = run_command({*kubectl, "version", "--client"});
  static const std::regex kustomize_major(R"(Kustomize Version: v(\d+)\.)");
  std::smatch match;
  if (!std::regex_search(version.out, match, kustomize_major) || std::stoi(match[1]) < 5) {
    result.error = "kubectl at " + *kubectl +
                   " does not bundle kustomize v5 (`kubectl version "
                   "--client` said: " +
                   version.out + version.err + "). " + kubectl_install_hint();
    return result;
  }
  const auto rendered = run_command({*kubectl, "kustomize", dir});
  if (rendered.exit_code != 0) {
    result.error = "kubectl kustomize " + dir + " failed (exit " +
                   std::to_string(rendered.exit_code) + "): " + rendered.err;
    return result;
  }
  result.text = rendered.out;
  try {
    result.manifests = ManifestSet::parse(rendered.out);
  } catch (const YAML::Exception& error) {
    result.error =
        "kubectl kustomize " + dir + " printed YAML that does not parse: " + error.what();
  }
  return result;
}

const std::vector<Overlay>& all_overlays() {
  static const std::vector<Overlay> all = [] {
    const std::vector<std::pair<std::string, std::vector<std::string>>> stages = {
        {"monolith", {kNolike}},
        {"like", {kLike, kNolike}},
        {"like-adopt", {kAdopt, kLike, kNolike}},
    };
    std::vector<Overlay> overlays;
    for (const auto& [stage, deployments] : stages) {
      overlays.push_back({"deploy/k8s/stages/" + stage, deployments, false, false});
      overlays.push_back({"deploy/k8s/overlays/release/" + stage, deployments, true, false});
      overlays.push_back(
          {"deploy/k8s/overlays/release-pod-identity/" + stage, deployments, true, true});
    }
    return overlays;
  }();
  return all;
}

const RenderResult& rendered_overlay(const std::string& relative_dir) {
  static std::map<std::string, RenderResult> cache;
  auto it = cache.find(relative_dir);
  if (it == cache.end())
    it = cache.emplace(relative_dir, kustomize(source_path(relative_dir))).first;
  return it->second;
}

std::string str(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : std::string();
}

bool labels_match(const YAML::Node& selector, const YAML::Node& labels) {
  if (!selector || !selector.IsMap() || selector.size() == 0)
    return false;
  for (const auto& entry : selector) {
    const auto key = entry.first.Scalar();
    if (!labels || !labels[key] || str(labels[key]) != str(entry.second))
      return false;
  }
  return true;
}

YAML::Node container_port(const YAML::Node& container, const YAML::Node& port_ref) {
  const auto wanted = str(port_ref);
  for (const auto& port : container["ports"]) {
    if (str(port["containerPort"]) == wanted || str(port["name"]) == wanted)
      return port;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node env_var(const YAML::Node& container, const std::string& name) {
  for (const auto& var : container["env"]) {
    if (str(var["name"]) == name)
      return var;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

bool same_yaml(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type())
    return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      return a.Scalar() == b.Scalar();
    case YAML::NodeType::Sequence:
      if (a.size() != b.size())
        return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same_yaml(a[i], b[i]))
          return false;
      }
      return true;
    case YAML::NodeType::Map:
      if (a.size() != b.size())
        return false;
      for (const auto& entry : a) {
        const auto other = b[entry.first.Scalar()];
        if (!other || !same_yaml(entry.second, other))
          return false;
      }
      return true;
    default:
      return true;
  }
}

}  // namespace mysfits::testing::deploy
