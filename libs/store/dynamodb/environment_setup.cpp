#include "store/dynamodb/environment_setup.hpp"

#include "store/dynamodb/region.hpp"

namespace mysfits::store::dynamodb {

ClientSettings client_settings_from(const credentials::Environment& env) {
  ClientSettings settings;
  settings.region = resolve_region(env);
  settings.endpoint_url = resolve_dynamodb_endpoint(env, settings.region);
  return settings;
}

core::Result<std::unique_ptr<credentials::Chain>> resolved_chain(
    const credentials::Environment& env) {
  auto chain = credentials::Chain::standard(env);
  auto first = chain->resolve_blocking();
  if (!first)
    return first.error();
  return chain;
}

core::Result<std::unique_ptr<DynamoDbStore>> open_store_from_environment(
    StoreSettings settings, const credentials::Environment& env) {
  ClientSettings from_env = client_settings_from(env);
  settings.client.region = from_env.region;
  settings.client.endpoint_url = from_env.endpoint_url;
  auto chain = resolved_chain(env);
  if (!chain)
    return chain.error();
  return DynamoDbStore::create(std::move(settings), std::move(*chain));
}

}  // namespace mysfits::store::dynamodb
