#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/dynamodb/credentials/chain.hpp"
#include "store/dynamodb/dynamodb_store.hpp"

namespace mysfits::store::dynamodb {

// Region (AWS_REGION, AWS_DEFAULT_REGION, us-east-1) and endpoint (AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL, the regional one), in the order docs/api.md gives.
ClientSettings client_settings_from(const credentials::Environment& env);

// The standard credential chain, resolved once now: a chain that finds nothing fails here, at
// start, naming every source it tried, instead of on the first request.
core::Result<std::unique_ptr<credentials::Chain>> resolved_chain(
    const credentials::Environment& env);

// Everything the monolith needs to run on table: settings from env, a resolved chain, the
// store. Fails with a message that says what to fix.
core::Result<std::unique_ptr<DynamoDbStore>> open_store_from_environment(
    StoreSettings settings, const credentials::Environment& env);

}  // namespace mysfits::store::dynamodb
