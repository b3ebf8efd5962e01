#include "cli/static_site.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/hex.hpp"

namespace mysfits::cli {
namespace {

constexpr std::size_t kMaxFileSize = 8 * 1024 * 1024;

using core::hex_value;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Host names a browser can send that are safe to write into JavaScript as they are.
bool plain_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253)
    return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

core::Response text_response(int status, std::string body, std::string content_type) {
  core::Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  // The site is read from disk on every request, so an edit shows on the next reload.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

std::optional<std::string> site_relative_path(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/')
    return std::nullopt;
  std::string decoded;
  for (std::size_t i = 0; i < url_path.size(); ++i) {
    char c = url_path[i];
    if (c == '%') {
      if (i + 2 >= url_path.size())
        return std::nullopt;
      int hi = hex_value(url_path[i + 1]);
      int lo = hex_value(url_path[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      // Encoded separators and dots only ever serve to slip past a check like ours.
      if (c == '.' || c == '/' || c == '\\' || c == '\0')
        return std::nullopt;
      i += 2;
    } else if (c == '\\' || c == '\0') {
      return std::nullopt;
    }
    decoded.push_back(c);
  }
  std::string relative;
  std::size_t start = 1;
  while (start <= decoded.size()) {
    std::size_t end = decoded.find('/', start);
    if (end == std::string::npos)
      end = decoded.size();
    std::string_view segment = std::string_view(decoded).substr(start, end - start);
    if (!segment.empty()) {
      if (segment.front() == '.')  // "..", ".", and hidden files alike
        return std::nullopt;
      if (!relative.empty())
        relative.push_back('/');
      relative.append(segment);
    }
    start = end + 1;
  }
  if (relative.empty() || decoded.back() == '/')
    relative += relative.empty() ? "index.html" : "/index.html";
  return relative;
}

std::string_view content_type_for(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (ends_with(file_name, extension))
      return type;
  }
  return "application/octet-stream";
}

StaticSite::StaticSite(std::filesystem::path root, std::uint16_t api_port)
    : root_(std::filesystem::canonical(root)), api_port_(api_port) {}

std::string StaticSite::config_js(std::string_view host_header) const {
  std::string_view host = host_header.substr(0, host_header.rfind(':'));
  if (!plain_host_name(host))
    host = "127.0.0.1";
  return "// Written by `mysfits up`: the API is its gateway (the \"ALB\"). ?api=URL overrides.\n"
         "window.MYSFITS_CONFIG = {apiBase: \"http://" +
         std::string(host) + ":" + std::to_string(api_port_) + "\"};\n";
}

core::Response StaticSite::serve(std::string_view method, std::string_view target,
                                 std::string_view host_header) const {
  if (method != "GET" && method != "HEAD") {
    auto r = core::Response::error(405, "method_not_allowed", "the site is read-only");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/config.js")
    return text_response(200, config_js(host_header), std::string(content_type_for(path)));
  auto relative = site_relative_path(path);
  if (!relative)
    return core::Response::error(400, "bad_request", "invalid path");
  std::error_code ec;
  // A symbolic link inside web/ must not lead out of it either.
  std::filesystem::path file = std::filesystem::canonical(root_ / *relative, ec);
  auto [root_end, file_it] = std::mismatch(root_.begin(), root_.end(), file.begin(), file.end());
  if (ec || root_end != root_.end() || !std::filesystem::is_regular_file(file, ec))
    return core::Response::error(404, "not_found", "no such file");
  if (std::filesystem::file_size(file, ec) > kMaxFileSize || ec)
    return core::Response::error(500, "internal", "file too large to serve");
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return core::Response::error(500, "internal", "cannot read file");
  std::ostringstream content;
  content << in.rdbuf();
  return text_response(200, std::move(content).str(), std::string(content_type_for(*relative)));
}

void StaticSite::add_routes(core::Router& router) const {
  router.fallback([this](const core::Request& request, core::Responder responder) {
    responder.send(serve(request.method(), request.target(), request.header("host")));
  });
}

}  // namespace mysfits::cli
