#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/dynamodb/credentials/credentials.hpp"

namespace mysfits::store::dynamodb::credentials {

// STS answers in XML. We need a handful of leaf elements from documents of a fixed shape, so
// this reads exactly those (no general XML parser, no DTDs, no external entities).

// The inner text of the first <name> element (attributes allowed) inside xml, entities
// decoded; nullopt when absent or not closed.
std::optional<std::string> xml_element_text(std::string_view xml, std::string_view name);

// AssumeRoleWithWebIdentityResponse -> the Credentials element's keys and expiration.
core::Result<Credentials> parse_assume_role_response(std::string_view xml);

// ErrorResponse -> "Code: Message", or nullopt when the body is not an STS error document.
std::optional<std::string> parse_sts_error(std::string_view xml);

}  // namespace mysfits::store::dynamodb::credentials
