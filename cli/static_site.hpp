#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/http_message.hpp"
#include "core/router.hpp"

namespace mysfits::cli {

// The website as the seed's S3 bucket serves it: the files of web/ as they are, plus a
// /config.js written on the fly that points the site at our gateway (the "ALB").
class StaticSite {
 public:
  // api_port: the gateway's port. The API's host name is the one the browser used to reach
  // the site (so http://localhost:8000 talks to http://localhost:8080), or 127.0.0.1.
  // root must exist: the constructor resolves it (std::filesystem::filesystem_error if not).
  StaticSite(std::filesystem::path root, std::uint16_t api_port);

  // Every request goes through the router's fallback to serve().
  void add_routes(core::Router& router) const;

  core::Response serve(std::string_view method, std::string_view target,
                       std::string_view host_header) const;
  std::string config_js(std::string_view host_header) const;

 private:
  std::filesystem::path root_;
  std::uint16_t api_port_;
};

// The file a URL path names, relative to the site's root ("/" is index.html), or nullopt when
// the path tries to leave the root or hide from checks: "..", any percent-encoded '.', '/',
// '\\' or NUL, a raw backslash or NUL, a malformed escape, or a hidden (dot) segment.
std::optional<std::string> site_relative_path(std::string_view url_path);

// Content-Type by file extension (text types in UTF-8); application/octet-stream otherwise.
std::string_view content_type_for(std::string_view file_name);

}  // namespace mysfits::cli
