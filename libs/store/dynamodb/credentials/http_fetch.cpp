#include "store/dynamodb/credentials/http_fetch.hpp"

namespace mysfits::store::dynamodb::credentials {

core::Result<Url> parse_url(std::string_view text) {
  std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return core::Error{core::Errc::kBadRequest, "not a URL (no scheme): " + std::string(text)};
  }
  std::size_t path_start = text.find_first_of("/?", scheme_end + 3);
  auto endpoint = core::Endpoint::parse(text.substr(0, path_start));
  if (!endpoint.ok()) {
    return endpoint.error();
  }
  Url url;
  url.endpoint = std::move(endpoint.value());
  if (path_start != std::string_view::npos) {
    url.target = std::string(text.substr(path_start));
    if (url.target.front() == '?') {
      url.target.insert(url.target.begin(), '/');
    }
  }
  return url;
}

void fetch(core::HttpClient& client, core::ClientRequest request, std::string what,
           std::function<void(core::Result<std::string>)> done) {
  client.send(std::move(request), [what = std::move(what), done = std::move(done)](
                                      core::Result<core::ClientResponse> response) {
    if (!response.ok()) {
      done(core::Error{response.error().code, what + ": " + response.error().message});
      return;
    }
    if (response->status < 200 || response->status > 299) {
      std::string body = response->body.substr(0, 200);
      done(core::Error{
          core::Errc::kBadGateway,
          what + ": HTTP " + std::to_string(response->status) + (body.empty() ? "" : " " + body)});
      return;
    }
    done(std::move(response->body));
  });
}

}  // namespace mysfits::store::dynamodb::credentials
