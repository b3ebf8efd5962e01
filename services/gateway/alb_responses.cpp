#include "services/gateway/alb_responses.hpp"

#include <algorithm>
#include <cctype>

namespace mysfits::gateway {
namespace {

constexpr const char* kServer = "awselb/2.0";

std::string reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 405:
      return "Method Not Allowed";
    case 463:
      return "X-Forwarded-For Too Long";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Temporarily Unavailable";
    case 504:
      return "Gateway Time-out";
    default:
      return "Error";
  }
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

core::Response fixed_response(const ingress::FixedResponse& action) {
  core::Response r;
  r.status = action.status_code;
  r.content_type = action.content_type;
  r.body = action.body;
  r.headers.emplace_back("Server", kServer);
  return r;
}

core::Response alb_error(int status) {
  const std::string title = std::to_string(status) + " " + reason_phrase(status);
  core::Response r;
  r.status = status;
  r.content_type = "text/html";
  r.body = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
           "</h1></center>\r\n</body>\r\n</html>\r\n";
  r.headers.emplace_back("Server", kServer);
  return r;
}

std::string redirect_location(const ingress::Redirect& redirect, const RedirectRequest& request) {
  const std::string port = std::to_string(request.port);
  const std::string path_no_slash(
      request.path.empty() || request.path.front() != '/' ? request.path : request.path.substr(1));
  auto fill = [&](std::string text) {
    text = replace_all(std::move(text), "#{protocol}", request.protocol);
    text = replace_all(std::move(text), "#{host}", request.host);
    text = replace_all(std::move(text), "#{port}", port);
    text = replace_all(std::move(text), "#{path}", path_no_slash);
    return replace_all(std::move(text), "#{query}", request.query);
  };
  const std::string protocol =
      lower(redirect.protocol ? fill(*redirect.protocol) : std::string(request.protocol));
  const std::string host = redirect.host ? fill(*redirect.host) : std::string(request.host);
  const std::string to_port = redirect.port ? fill(*redirect.port) : port;
  const std::string path = redirect.path ? fill(*redirect.path) : std::string(request.path);
  const std::string query = redirect.query ? fill(*redirect.query) : std::string(request.query);

  std::string location = protocol + "://" + host;
  const bool default_port =
      (protocol == "http" && to_port == "80") || (protocol == "https" && to_port == "443");
  if (!default_port)
    location += ":" + to_port;
  location += path.empty() ? "/" : path;
  if (!query.empty())
    location += "?" + query;
  return location;
}

core::Response redirect_response(const ingress::Redirect& redirect,
                                 const RedirectRequest& request) {
  core::Response r;
  r.status = redirect.status_code;
  r.content_type = "text/html";
  r.headers.emplace_back("Location", redirect_location(redirect, request));
  r.headers.emplace_back("Server", kServer);
  return r;
}

}  // namespace mysfits::gateway
