#include "store/dynamodb/credentials/credentials_document.hpp"

#include <boost/json.hpp>

namespace mysfits::store::dynamodb::credentials {
namespace {

std::string string_field(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return "";
  }
  return std::string(value->get_string());
}

core::Error bad(std::string message) {
  return core::Error{core::Errc::kBadGateway, std::move(message)};
}

}  // namespace

core::Result<Credentials> parse_credentials_document(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(json, ec);
  if (ec || !document.is_object()) {
    return bad("credentials document is not a JSON object");
  }
  const auto& object = document.get_object();
  std::string code = string_field(object, "Code");
  if (!code.empty() && code != "Success") {
    std::string message = string_field(object, "Message");
    return bad("credentials endpoint answered Code " + code +
               (message.empty() ? "" : ": " + message));
  }
  Credentials credentials;
  credentials.access_key_id = string_field(object, "AccessKeyId");
  credentials.secret_access_key = string_field(object, "SecretAccessKey");
  credentials.session_token = string_field(object, "Token");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return bad("credentials document lacks AccessKeyId or SecretAccessKey");
  }
  std::string expiration = string_field(object, "Expiration");
  if (!expiration.empty()) {
    credentials.expiration = parse_iso8601(expiration);
    if (!credentials.expiration) {
      return bad("credentials Expiration is not a date: " + expiration);
    }
  }
  return credentials;
}

}  // namespace mysfits::store::dynamodb::credentials
