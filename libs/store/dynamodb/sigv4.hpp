#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mysfits::store::dynamodb {

// AWS Signature Version 4 (header form), written from AWS's description of the algorithm and
// checked against its published test suite (sigv4_test.cpp). We sign only requests we build
// ourselves, so paths are taken as already normalised (no "." / ".." segments).

using Headers = std::vector<std::pair<std::string, std::string>>;
using Digest = std::array<unsigned char, 32>;

struct SigningKeys {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct SigningScope {
  std::string region;
  std::string service;
};

// The parts of an HTTP request that take part in the signature.
struct SignableRequest {
  std::string method;
  std::string path = "/";  // unencoded; each segment is URI-encoded for signing
  std::string query;       // as sent, without '?'
  Headers headers;         // must contain Host; every header given here is signed
  std::string_view payload;
};

std::string hex(const unsigned char* data, std::size_t size);
std::string sha256_hex(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept, everything else
// %XX in upper case; '/' kept only when keep_slash.
std::string uri_encode(std::string_view text, bool keep_slash);

// "20150830T123600Z" for a time point (UTC).
std::string amz_date(std::chrono::system_clock::time_point time);

std::string canonical_request(const SignableRequest& request);
// The signed header names, lower case, sorted, ';'-joined.
std::string signed_header_names(const Headers& headers);
std::string string_to_sign(std::string_view amz_date, const SigningScope& scope,
                           std::string_view canonical_request);
Digest derive_signing_key(std::string_view secret_access_key, std::string_view date,
                          const SigningScope& scope);
// The signing key depends only on the secret, the day, the region and the service, so a signer
// keeps the last one: four HMACs fewer on every request, derived again when the day turns or
// temporary credentials rotate. One per thread (sign() keeps a thread_local one): no lock.
class SigningKeyCache {
 public:
  const Digest& key(std::string_view secret_access_key, std::string_view date,
                    const SigningScope& scope);
  std::size_t derivations() const { return derivations_; }

 private:
  std::string secret_, date_;
  SigningScope scope_;
  Digest key_{};
  std::size_t derivations_ = 0;
};

// The lower-case hex signature of a string to sign.
std::string signature(const Digest& signing_key, std::string_view string_to_sign);

// Adds X-Amz-Date, X-Amz-Security-Token (when there is a session token; signed, as STS and
// DynamoDB accept) and Authorization to request.headers, signed for time.
void sign(SignableRequest& request, const SigningKeys& keys, const SigningScope& scope,
          std::chrono::system_clock::time_point time);

}  // namespace mysfits::store::dynamodb
