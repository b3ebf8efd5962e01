#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace mysfits::testing::deploy {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (found through PATH) with its arguments, no shell; captures stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv);

// $KUBECTL, else kubectl on PATH, else /usr/bin/kubectl; nullopt when none is executable.
std::optional<std::string> find_kubectl();

// What to tell a developer whose machine lacks a usable kubectl.
std::string kubectl_install_hint();

// The objects of a multi-document YAML stream (kubectl kustomize's output, or a manifest file),
// looked up by kind and metadata.name.
class ManifestSet {
 public:
  static ManifestSet parse(const std::string& yaml_text);
  static ManifestSet load_file(const std::string& path);

  const std::vector<YAML::Node>& objects() const { return objects_; }
  std::vector<YAML::Node> of_kind(const std::string& kind) const;
  std::vector<std::string> names_of_kind(const std::string& kind) const;  // sorted
  // The object, or an undefined node when there is none.
  YAML::Node find(const std::string& kind, const std::string& name) const;

 private:
  std::vector<YAML::Node> objects_;
};

// `kubectl kustomize <dir>`: the rendered set, or an error text (kubectl missing or too old,
// render failed) to report as the test failure.
struct RenderResult {
  std::optional<ManifestSet> manifests;
  std::string text;  // kubectl's output, for tools that read the render as a file
  std::string error;
};
RenderResult kustomize(const std::string& dir);
// kustomize(source_path(relative_dir)), rendered once per test process.
const RenderResult& rendered_overlay(const std::string& relative_dir);

inline const std::string kNolike = "mythical-mysfits-nolike";
inline const std::string kLike = "mythical-mysfits-like";
inline const std::string kAdopt = "mythical-mysfits-adopt";

// A kustomize root under deploy/k8s that the how-to applies or `mysfits up` reads.
struct Overlay {
  std::string dir;                       // relative to the source tree
  std::vector<std::string> deployments;  // sorted
  bool release = false;                  // images from a registry, pinned
  bool pod_identity = false;             // no IRSA annotation on the ServiceAccount
};
const std::vector<Overlay>& all_overlays();

// Small lookups the checks share.
std::string str(const YAML::Node& node);  // scalar as string, "" when absent
bool labels_match(const YAML::Node& selector, const YAML::Node& labels);  // selector subset
YAML::Node container_port(const YAML::Node& container, const YAML::Node& port_ref);  // int|name
YAML::Node env_var(const YAML::Node& container, const std::string& name);
// Same content, map keys in any order (kubectl sorts them; files keep the author's order).
bool same_yaml(const YAML::Node& a, const YAML::Node& b);

}  // namespace mysfits::testing::deploy
