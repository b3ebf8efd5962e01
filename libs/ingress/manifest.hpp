#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mysfits::ingress {

// The parts of Kubernetes objects the controller reads, as written in the files. Every object
// and path remembers where it was ("deploy/x.yaml:12") so errors can say what and where.

struct ServiceBackend {
  std::string name;
  std::string port;  // port.number as text, or port.name ("use-annotation" selects an action)
  bool port_is_name = false;
  bool use_annotation() const { return port_is_name && port == "use-annotation"; }
};

struct IngressBackend {
  std::optional<ServiceBackend> service;
  bool resource = false;  // backend.resource: not supported by the controller
  std::string where;
};

struct IngressPath {
  std::string path;                      // empty: no path condition
  std::optional<std::string> path_type;  // Exact | Prefix | ImplementationSpecific
  IngressBackend backend;
  std::string where;
};

struct IngressRule {
  std::string host;
  bool has_http = false;
  std::vector<IngressPath> paths;
};

struct Ingress {
  std::string ns = "default";
  std::string name;
  std::map<std::string, std::string> annotations;
  std::optional<std::string> class_name;  // spec.ingressClassName
  std::optional<IngressBackend> default_backend;
  std::vector<IngressRule> rules;
  std::string where;  // file:line of the document

  std::string key() const { return ns + "/" + name; }
  std::string describe() const { return where + ": Ingress " + key(); }
};

struct ServicePort {
  std::string name;
  int port = 0;
};

struct Service {
  std::string ns = "default";
  std::string name;
  std::map<std::string, std::string> annotations;
  std::vector<ServicePort> ports;
  std::string where;
};

struct IngressClass {
  std::string name;
  std::string controller;
  bool is_default = false;
};

struct Manifests {
  std::vector<Ingress> ingresses;
  std::vector<Service> services;
  std::vector<IngressClass> classes;
};

// Parses multi-document YAML (and `kind: List`). Other kinds are skipped; an Ingress that is not
// networking.k8s.io/v1, or a malformed one, is an error that names the file and line.
core::Result<core::Unit> parse_manifest_text(std::string_view text, const std::string& source,
                                             Manifests& out);
core::Result<Manifests> load_manifest_files(const std::vector<std::string>& files);

}  // namespace mysfits::ingress
