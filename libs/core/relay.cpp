#include "core/relay.hpp"

#include <utility>

#include "core/logging.hpp"

namespace mysfits::core {

void relay(HttpClient& client, std::string upstream_name, const Request& incoming,
           std::string method, std::string target, Responder responder) {
  ClientRequest outgoing;
  outgoing.method = std::move(method);
  outgoing.target = std::move(target);
  std::string request_id(incoming.request_id());
  if (!request_id.empty()) {
    outgoing.headers.emplace_back("X-Request-Id", request_id);
  }
  for (const char* name : {"X-Amzn-Trace-Id", "Content-Type"}) {
    if (auto value = incoming.header(name); !value.empty()) {
      outgoing.headers.emplace_back(name, std::string(value));
    }
  }
  outgoing.body = std::string(incoming.body());

  client.send(std::move(outgoing),
              [responder = std::move(responder), upstream = std::move(upstream_name),
               request_id = std::move(request_id)](Result<ClientResponse> result) mutable {
                if (!result) {
                  responder.send(upstream_failure(result.error(), upstream, request_id));
                  return;
                }
                Response response;
                response.status = result->status;
                response.body = std::move(result->body);
                if (auto type = result->header("Content-Type"); !type.empty()) {
                  response.content_type = std::string(type);
                }
                responder.send(std::move(response));
              });
}

Response upstream_failure(const Error& error, const std::string& upstream_name,
                          const std::string& request_id) {
  log_warn("upstream_failed",
           {{"upstream", upstream_name}, {"error", error.message}, {"request_id", request_id}});
  const std::string what =
      error.code == Errc::kTimeout ? " did not answer in time" : " is unreachable or failed";
  return Response::error(http_status_for(error.code), error_code_name(error.code),
                         "the " + upstream_name + what + "; request id " + request_id);
}

}  // namespace mysfits::core
