#include "integration/dynamodb/request_signature.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "store/dynamodb/sigv4.hpp"

namespace mysfits::testing {
namespace {

namespace sigv4 = store::dynamodb;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value after "name=" in "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
std::string part(std::string_view authorization, std::string_view name) {
  std::string key = std::string(name) + "=";
  auto at = authorization.find(key);
  if (at == std::string_view::npos)
    return {};
  auto start = at + key.size();
  auto end = authorization.find(',', start);
  return std::string(
      authorization.substr(start, end == std::string_view::npos ? end : end - start));
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string piece; std::getline(in, piece, separator);)
    parts.push_back(piece);
  return parts;
}

}  // namespace

std::string signature_problem(const ArrivedRequest& request, std::string_view access_key_id,
                              std::string_view secret_access_key) {
  std::string authorization, date;
  for (const auto& [name, value] : request.headers) {
    if (lower(name) == "authorization")
      authorization = value;
    if (lower(name) == "x-amz-date")
      date = value;
  }
  if (authorization.rfind("AWS4-HMAC-SHA256 ", 0) != 0)
    return "no AWS4-HMAC-SHA256 Authorization header";
  auto credential = split(part(authorization, "Credential"), '/');
  if (credential.size() != 5 || credential[4] != "aws4_request")
    return "Credential is not KEY/DATE/REGION/SERVICE/aws4_request";
  if (credential[0] != access_key_id)
    return "unknown access key " + credential[0];
  if (credential[3] != "dynamodb")
    return "signed for service " + credential[3];
  if (date.size() != 16 || date.substr(0, 8) != credential[1])
    return "X-Amz-Date '" + date + "' does not match the credential's date";
  auto signed_names = split(part(authorization, "SignedHeaders"), ';');
  for (const char* needed : {"host", "x-amz-date"}) {
    if (std::find(signed_names.begin(), signed_names.end(), needed) == signed_names.end())
      return std::string(needed) + " is not signed";
  }
  sigv4::SignableRequest signable;
  signable.method = request.method;
  auto query = request.target.find('?');
  signable.path = request.target.substr(0, query);
  if (query != std::string::npos)
    signable.query = request.target.substr(query + 1);
  for (const auto& [name, value] : request.headers) {
    if (std::find(signed_names.begin(), signed_names.end(), lower(name)) != signed_names.end())
      signable.headers.emplace_back(name, value);
  }
  if (sigv4::signed_header_names(signable.headers) != part(authorization, "SignedHeaders"))
    return "a signed header is missing from the request";
  signable.payload = request.body;
  sigv4::SigningScope scope{credential[2], credential[3]};
  std::string expected =
      sigv4::signature(sigv4::derive_signing_key(secret_access_key, credential[1], scope),
                       sigv4::string_to_sign(date, scope, sigv4::canonical_request(signable)));
  if (expected != part(authorization, "Signature"))
    return "the signature does not match the request";
  return {};
}

}  // namespace mysfits::testing
