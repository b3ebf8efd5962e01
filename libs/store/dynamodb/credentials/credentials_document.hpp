#pragma once

#include <string_view>

#include "store/dynamodb/credentials/credentials.hpp"

namespace mysfits::store::dynamodb::credentials {

// The JSON document that container credential endpoints (ECS, EKS Pod Identity) and IMDS
// serve: {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"} (IMDS adds "Code").
// A "Code" other than "Success" or missing keys are errors naming what was wrong.
core::Result<Credentials> parse_credentials_document(std::string_view json);

}  // namespace mysfits::store::dynamodb::credentials
