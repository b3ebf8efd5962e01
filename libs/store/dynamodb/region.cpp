#include "store/dynamodb/region.hpp"

namespace mysfits::store::dynamodb {

std::string resolve_region(const credentials::Environment& env) {
  if (auto region = env("AWS_REGION")) {
    return *region;
  }
  return env("AWS_DEFAULT_REGION").value_or("us-east-1");
}

std::string resolve_dynamodb_endpoint(const credentials::Environment& env,
                                      const std::string& region) {
  if (auto url = env("AWS_ENDPOINT_URL_DYNAMODB")) {
    return *url;
  }
  if (auto url = env("AWS_ENDPOINT_URL")) {
    return *url;
  }
  return "https://dynamodb." + region + ".amazonaws.com";
}

}  // namespace mysfits::store::dynamodb
