#include "ingress/manifest.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace mysfits::ingress {
namespace {

core::Error error_at(const std::string& where, const std::string& message) {
  return core::Error{core::Errc::kBadRequest, where + ": " + message};
}

struct ObjectMeta {
  std::string name;
  std::string ns = "default";
  std::map<std::string, std::string> annotations;
};

// Reads a document tree without letting yaml-cpp's conversion exceptions escape: every wrong
// shape becomes an error naming the file, the line and the field.
class Reader {
 public:
  // `line_offset`: lines of the file before this document (marks count from the document).
  Reader(std::string source, int doc_line, int line_offset)
      : source_(std::move(source)), doc_line_(doc_line), line_offset_(line_offset) {}

  std::string where(const YAML::Node& node) const {
    const int line = node.Mark().line >= 0 ? node.Mark().line + 1 + line_offset_ : doc_line_;
    return source_ + ":" + std::to_string(line);
  }

  // Optional scalar child; a present non-scalar is an error.
  core::Result<std::optional<std::string>> text(const YAML::Node& parent, const char* key,
                                                const std::string& field) const {
    const YAML::Node node = parent[key];
    if (!node || node.IsNull())
      return std::optional<std::string>{};
    if (!node.IsScalar())
      return error_at(where(node), field + " must be a string");
    return std::optional<std::string>{node.Scalar()};
  }

  core::Result<std::map<std::string, std::string>> string_map(const YAML::Node& node,
                                                              const std::string& field) const {
    std::map<std::string, std::string> out;
    if (!node || node.IsNull())
      return out;
    if (!node.IsMap())
      return error_at(where(node), field + " must be a map");
    for (const auto& kv : node) {
      if (!kv.first.IsScalar() || !(kv.second.IsScalar() || kv.second.IsNull()))
        return error_at(where(kv.first), field + " values must be strings");
      out[kv.first.Scalar()] = kv.second.IsNull() ? "" : kv.second.Scalar();
    }
    return out;
  }

  core::Result<IngressBackend> backend(const YAML::Node& node, const std::string& field) const {
    IngressBackend out;
    out.where = where(node);
    if (!node.IsMap())
      return error_at(where(node), field + " must be a map");
    if (node["resource"]) {
      out.resource = true;
      return out;
    }
    const YAML::Node svc = node["service"];
    if (!svc || !svc.IsMap())
      return error_at(where(node), field + ".service is required");
    ServiceBackend sb;
    auto name = text(svc, "name", field + ".service.name");
    if (!name)
      return name.error();
    if (!*name || (*name)->empty())
      return error_at(where(svc), field + ".service.name is required");
    sb.name = **name;
    const YAML::Node port = svc["port"];
    if (!port || !port.IsMap())
      return error_at(where(svc), field + ".service.port is required");
    auto number = text(port, "number", field + ".service.port.number");
    auto port_name = text(port, "name", field + ".service.port.name");
    if (!number)
      return number.error();
    if (!port_name)
      return port_name.error();
    if (*number && *port_name)
      return error_at(where(port), field + ".service.port: set number or name, not both");
    if (*number) {
      int n = 0;
      try {
        n = std::stoi(**number);
      } catch (const std::exception&) {
        n = 0;
      }
      if (n < 1 || n > 65535 || std::to_string(n) != **number)
        return error_at(where(port), field + ".service.port.number must be 1..65535");
      sb.port = **number;
    } else if (*port_name && !(*port_name)->empty()) {
      sb.port = **port_name;
      sb.port_is_name = true;
    } else {
      return error_at(where(port), field + ".service.port needs number or name");
    }
    out.service = std::move(sb);
    return out;
  }

  // metadata.name (required), metadata.namespace ("default") and metadata.annotations.
  core::Result<ObjectMeta> metadata(const YAML::Node& doc, const std::string& kind) const {
    const YAML::Node meta = doc["metadata"];
    if (!meta || !meta.IsMap())
      return error_at(where(doc), kind + " without metadata");
    auto name = text(meta, "name", "metadata.name");
    if (!name)
      return name.error();
    auto ns = text(meta, "namespace", "metadata.namespace");
    if (!ns)
      return ns.error();
    if (!*name || (*name)->empty())
      return error_at(where(meta), kind + " without metadata.name");
    auto annotations = string_map(meta["annotations"], "metadata.annotations");
    if (!annotations)
      return annotations.error();
    ObjectMeta out;
    out.name = **name;
    if (*ns && !(*ns)->empty())
      out.ns = **ns;
    out.annotations = std::move(*annotations);
    return out;
  }

  core::Result<Ingress> ingress(const YAML::Node& doc) const {
    Ingress ing;
    ing.where = where(doc);
    auto meta = metadata(doc, "Ingress");
    if (!meta)
      return meta.error();
    ing.name = std::move(meta->name);
    ing.ns = std::move(meta->ns);
    ing.annotations = std::move(meta->annotations);

    const YAML::Node spec = doc["spec"];
    if (!spec || spec.IsNull())
      return ing;
    if (!spec.IsMap())
      return error_at(where(spec), "spec must be a map");
    auto cls = text(spec, "ingressClassName", "spec.ingressClassName");
    if (!cls)
      return cls.error();
    ing.class_name = *cls;
    if (const YAML::Node db = spec["defaultBackend"]; db && !db.IsNull()) {
      auto b = backend(db, "spec.defaultBackend");
      if (!b)
        return b.error();
      ing.default_backend = std::move(b.value());
    }
    const YAML::Node rules = spec["rules"];
    if (rules && !rules.IsNull() && !rules.IsSequence())
      return error_at(where(rules), "spec.rules must be a list");
    for (std::size_t i = 0; rules && i < rules.size(); ++i) {
      auto rule = ingress_rule(rules[i], "spec.rules[" + std::to_string(i) + "]");
      if (!rule)
        return rule.error();
      ing.rules.push_back(std::move(rule.value()));
    }
    return ing;
  }

  core::Result<IngressRule> ingress_rule(const YAML::Node& node, const std::string& field) const {
    IngressRule rule;
    if (!node.IsMap())
      return error_at(where(node), field + " must be a map");
    auto host = text(node, "host", field + ".host");
    if (!host)
      return host.error();
    rule.host = host->value_or("");
    const YAML::Node http = node["http"];
    if (!http || http.IsNull())
      return rule;
    rule.has_http = true;
    const YAML::Node paths = http["paths"];
    if (!http.IsMap() || !paths || !paths.IsSequence())
      return error_at(where(http), field + ".http.paths must be a list");
    for (std::size_t j = 0; j < paths.size(); ++j) {
      const std::string pf = field + ".http.paths[" + std::to_string(j) + "]";
      const YAML::Node p = paths[j];
      if (!p.IsMap())
        return error_at(where(p), pf + " must be a map");
      IngressPath path;
      path.where = where(p);
      auto value = text(p, "path", pf + ".path");
      auto type = text(p, "pathType", pf + ".pathType");
      if (!value)
        return value.error();
      if (!type)
        return type.error();
      path.path = value->value_or("");
      path.path_type = *type;
      // The Kubernetes API refuses relative paths (#3056: "*/api" never reaches the controller).
      if (!path.path.empty() && path.path.front() != '/')
        return error_at(path.where, pf + ".path must start with '/', got '" + path.path + "'");
      if (!p["backend"])
        return error_at(path.where, pf + ".backend is required");
      auto b = backend(p["backend"], pf + ".backend");
      if (!b)
        return b.error();
      path.backend = std::move(b.value());
      rule.paths.push_back(std::move(path));
    }
    return rule;
  }

  core::Result<Service> service(const YAML::Node& doc) const {
    Service svc;
    svc.where = where(doc);
    auto meta = metadata(doc, "Service");
    if (!meta)
      return meta.error();
    svc.name = std::move(meta->name);
    svc.ns = std::move(meta->ns);
    svc.annotations = std::move(meta->annotations);
    const YAML::Node ports = doc["spec"] ? doc["spec"]["ports"] : YAML::Node();
    for (std::size_t i = 0; ports && ports.IsSequence() && i < ports.size(); ++i) {
      auto port_name = text(ports[i], "name", "spec.ports.name");
      auto port = text(ports[i], "port", "spec.ports.port");
      if (!port_name)
        return port_name.error();
      if (!port)
        return port.error();
      ServicePort sp;
      sp.name = port_name->value_or("");
      try {
        sp.port = std::stoi(port->value_or("0"));
      } catch (const std::exception&) {
        return error_at(where(ports[i]), "spec.ports.port must be a number");
      }
      svc.ports.push_back(std::move(sp));
    }
    return svc;
  }

  core::Result<core::Unit> document(const YAML::Node& doc, Manifests& out) const {
    if (!doc || doc.IsNull())
      return core::Unit{};
    if (!doc.IsMap())
      return error_at(where(doc), "a Kubernetes object must be a map");
    auto kind = text(doc, "kind", "kind");
    auto api = text(doc, "apiVersion", "apiVersion");
    if (!kind)
      return kind.error();
    if (!api)
      return api.error();
    const std::string k = kind->value_or("");
    const std::string v = api->value_or("");
    if (k == "List") {
      const YAML::Node items = doc["items"];
      for (std::size_t i = 0; items && items.IsSequence() && i < items.size(); ++i) {
        if (auto r = document(items[i], out); !r)
          return r;
      }
    } else if (k == "Ingress") {
      if (v != "networking.k8s.io/v1")
        return error_at(where(doc), "Ingress " + v + " is not supported: use networking.k8s.io/v1");
      auto ing = ingress(doc);
      if (!ing)
        return ing.error();
      out.ingresses.push_back(std::move(ing.value()));
    } else if (k == "Service" && v == "v1") {
      auto svc = service(doc);
      if (!svc)
        return svc.error();
      out.services.push_back(std::move(svc.value()));
    } else if (k == "IngressClass" && v == "networking.k8s.io/v1") {
      IngressClass cls;
      auto meta = metadata(doc, "IngressClass");
      if (!meta)
        return meta.error();
      auto controller = doc["spec"] ? text(doc["spec"], "controller", "spec.controller")
                                    : std::optional<std::string>{};
      if (!controller)
        return controller.error();
      cls.name = meta->name;
      cls.controller = controller->value_or("");
      const auto it = meta->annotations.find("ingressclass.kubernetes.io/is-default-class");
      cls.is_default = it != meta->annotations.end() && it->second == "true";
      out.classes.push_back(std::move(cls));
    }
    return core::Unit{};
  }

 private:
  std::string source_;
  int doc_line_;
  int line_offset_;
};

struct DocumentText {
  std::string text;
  int first_line = 0;         // 0-based line of the file where it starts
  std::string first_content;  // its first line that is not a marker, comment or directive
  bool has_marker = false;    // a "---" line is in it already
};

bool is_marker(std::string_view line, std::string_view marker) {
  return line.substr(0, 3) == marker && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' ||
                                         line[3] == '\r' || line[3] == '\n');
}

// Splits a multi-document file at its "---" and "..." marker lines (such a line always ends a
// document in YAML, even inside a block scalar). Each document is then parsed with YAML::Load:
// yaml-cpp 0.7's LoadAll loops forever on a stray "," at block level (found by the fuzzer,
// tests/data/fuzz/manifest/timeout-5f2d*), while Load reads one document and returns.
std::vector<DocumentText> split_documents(std::string_view text) {
  std::vector<DocumentText> docs(1);
  int line_number = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line =
        text.substr(0, newline == std::string_view::npos ? text.size() : newline + 1);
    text.remove_prefix(line.size());
    // Directives and comments before the first "---" belong to the document it starts.
    if (is_marker(line, "---") && (docs.back().has_marker || !docs.back().first_content.empty()))
      docs.push_back(DocumentText{{}, line_number, {}, false});
    docs.back().has_marker = docs.back().has_marker || is_marker(line, "---");
    docs.back().text += line;
    const auto first = line.find_first_not_of(" \t\r\n");
    const bool marker_only =
        is_marker(line, "---") && line.find_first_not_of(" \t\r\n", 3) == std::string_view::npos;
    if (first != std::string_view::npos && line[first] != '#' && line[first] != '%' &&
        !marker_only && !is_marker(line, "...") && docs.back().first_content.empty()) {
      const auto last = line.find_last_not_of(" \t\r\n");
      docs.back().first_content = std::string(line.substr(first, last - first + 1));
    }
    if (is_marker(line, "..."))
      docs.push_back(DocumentText{{}, line_number + 1, {}, false});
    ++line_number;
  }
  return docs;
}

}  // namespace

core::Result<core::Unit> parse_manifest_text(std::string_view text, const std::string& source,
                                             Manifests& out) {
  for (const DocumentText& piece : split_documents(text)) {
    const std::string at = source + ":" + std::to_string(piece.first_line + 1);
    try {
      const YAML::Node doc = YAML::Load(piece.text);
      // yaml-cpp reads some garbage (a leading ",") as an empty document: refuse it.
      const std::string& content = piece.first_content;
      if (doc.IsNull() && !content.empty() && content != "null" && content != "~" &&
          content != "--- null" && content != "--- ~")
        return error_at(at, "invalid YAML: '" + content.substr(0, 40) + "' reads as nothing");
      const Reader reader(source, piece.first_line + 1, piece.first_line);
      if (auto r = reader.document(doc, out); !r)
        return r;
    } catch (const YAML::Exception& e) {
      return error_at(source + ":" + std::to_string(piece.first_line + e.mark.line + 1),
                      "invalid YAML: " + e.msg);
    }
  }
  return core::Unit{};
}

core::Result<Manifests> load_manifest_files(const std::vector<std::string>& files) {
  Manifests out;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      return core::Error{core::Errc::kBadRequest, file + ": cannot read the file"};
    std::ostringstream text;
    text << in.rdbuf();
    if (auto r = parse_manifest_text(text.str(), file, out); !r)
      return r.error();
  }
  return out;
}

}  // namespace mysfits::ingress
