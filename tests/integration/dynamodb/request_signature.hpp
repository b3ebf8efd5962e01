#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mysfits::testing {

// A request as it arrived, with the parts SigV4 covers.
struct ArrivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
};

// Checks a request's AWS SigV4 signature (Authorization header form) as the service would:
// the credential names our key and the "dynamodb" service, the signed headers include Host
// and X-Amz-Date, and the signature over method, path, signed headers and body is the one the
// secret key gives. Returns what is wrong, or an empty string when the signature holds.
std::string signature_problem(const ArrivedRequest& request, std::string_view access_key_id,
                              std::string_view secret_access_key);

}  // namespace mysfits::testing
