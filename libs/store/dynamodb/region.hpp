#pragma once

#include <string>

#include "store/dynamodb/credentials/credentials.hpp"

namespace mysfits::store::dynamodb {

// AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1 (docs/api.md).
std::string resolve_region(const credentials::Environment& env);

// AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL, then https://dynamodb.<region>.amazonaws.com.
std::string resolve_dynamodb_endpoint(const credentials::Environment& env,
                                      const std::string& region);

}  // namespace mysfits::store::dynamodb
