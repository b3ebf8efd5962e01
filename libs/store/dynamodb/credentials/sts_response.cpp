#include "store/dynamodb/credentials/sts_response.hpp"

namespace mysfits::store::dynamodb::credentials {
namespace {

// Decodes the five predefined entities and numeric character references (ASCII only, which
// is all that keys, tokens and dates contain); anything else is kept as written.
std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 8) {
      out.push_back('&');
      continue;
    }
    std::string_view entity = text.substr(i + 1, semi - i - 1);
    char decoded = 0;
    if (entity == "amp") {
      decoded = '&';
    } else if (entity == "lt") {
      decoded = '<';
    } else if (entity == "gt") {
      decoded = '>';
    } else if (entity == "quot") {
      decoded = '"';
    } else if (entity == "apos") {
      decoded = '\'';
    } else if (entity.size() >= 2 && entity[0] == '#') {
      bool is_hex = entity[1] == 'x' || entity[1] == 'X';
      long value = 0;
      bool ok = entity.size() > (is_hex ? 2u : 1u);
      for (std::size_t k = is_hex ? 2 : 1; ok && k < entity.size(); ++k) {
        char c = entity[k];
        int d = c >= '0' && c <= '9'             ? c - '0'
                : is_hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : is_hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        ok = d >= 0;
        value = value * (is_hex ? 16 : 10) + d;
      }
      if (ok && value > 0 && value < 128) {
        decoded = static_cast<char>(value);
      }
    }
    if (decoded == 0) {
      out.push_back('&');
      continue;
    }
    out.push_back(decoded);
    i = semi;
  }
  return out;
}

// The raw inner text of the first <name> element, markup and entities untouched.
std::optional<std::string_view> raw_element(std::string_view xml, std::string_view name) {
  std::size_t pos = 0;
  while (true) {
    std::size_t open = xml.find('<', pos);
    if (open == std::string_view::npos) {
      return std::nullopt;
    }
    std::size_t after_name = open + 1 + name.size();
    if (xml.substr(open + 1, name.size()) == name && after_name < xml.size() &&
        (xml[after_name] == '>' || xml[after_name] == ' ' || xml[after_name] == '\t' ||
         xml[after_name] == '\n' || xml[after_name] == '\r')) {
      std::size_t start = xml.find('>', after_name);
      if (start == std::string_view::npos || xml[start - 1] == '/') {
        return std::nullopt;
      }
      ++start;
      std::string close = "</" + std::string(name) + ">";
      std::size_t end = xml.find(close, start);
      if (end == std::string_view::npos) {
        return std::nullopt;
      }
      return xml.substr(start, end - start);
    }
    pos = open + 1;
  }
}

}  // namespace

std::optional<std::string> xml_element_text(std::string_view xml, std::string_view name) {
  auto raw = raw_element(xml, name);
  if (!raw) {
    return std::nullopt;
  }
  return decode_entities(*raw);
}

core::Result<Credentials> parse_assume_role_response(std::string_view xml) {
  auto block = raw_element(xml, "Credentials");
  if (!block) {
    return core::Error{core::Errc::kBadGateway, "STS response has no Credentials element"};
  }
  auto key = xml_element_text(*block, "AccessKeyId");
  auto secret = xml_element_text(*block, "SecretAccessKey");
  auto token = xml_element_text(*block, "SessionToken");
  auto expiration = xml_element_text(*block, "Expiration");
  if (!key || !secret || !token || !expiration || key->empty() || secret->empty() ||
      token->empty()) {
    return core::Error{core::Errc::kBadGateway,
                       "STS Credentials lack AccessKeyId, SecretAccessKey, SessionToken or "
                       "Expiration"};
  }
  auto expires = parse_iso8601(*expiration);
  if (!expires) {
    return core::Error{core::Errc::kBadGateway, "STS Expiration is not a date: " + *expiration};
  }
  Credentials credentials;
  credentials.access_key_id = std::move(*key);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = std::move(*token);
  credentials.expiration = *expires;
  return credentials;
}

std::optional<std::string> parse_sts_error(std::string_view xml) {
  auto error = raw_element(xml, "Error");
  if (!error) {
    return std::nullopt;
  }
  std::string code = xml_element_text(*error, "Code").value_or("UnknownError");
  std::string message = xml_element_text(*error, "Message").value_or("");
  return message.empty() ? code : code + ": " + message;
}

}  // namespace mysfits::store::dynamodb::credentials
