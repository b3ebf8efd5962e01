#include "store/dynamodb/sigv4.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <stdexcept>

#include "core/hex.hpp"

namespace mysfits::store::dynamodb {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Header values are signed trimmed, with runs of spaces collapsed to one.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) {
      out.push_back(' ');
    }
    in_space = false;
    out.push_back(c);
  }
  return out;
}

using core::hex_value;

// A query component as sent may already be percent-encoded; signing wants one canonical
// encoding, so decode first (malformed escapes are kept literally) and encode again.
std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      std::size_t eq = part.find('=');
      std::string_view key = part.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
      params.emplace_back(uri_encode(percent_decode(key), false),
                          uri_encode(percent_decode(value), false));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += key;
    out.push_back('=');
    out += value;
  }
  return out;
}

// Lower-case name -> comma-joined canonical values, sorted by name.
using CanonicalHeaders = std::map<std::string, std::string>;

CanonicalHeaders canonical_headers(const Headers& headers) {
  CanonicalHeaders out;
  for (const auto& [name, value] : headers) {
    std::string& slot = out[lower(name)];
    if (!slot.empty()) {
      slot.push_back(',');
    }
    slot += canonical_header_value(value);
  }
  return out;
}

std::string names_of(const CanonicalHeaders& headers) {
  std::string out;
  for (const auto& entry : headers) {
    if (!out.empty()) {
      out.push_back(';');
    }
    out += entry.first;
  }
  return out;
}

// The canonical request, from headers already in canonical form (sign() needs them twice).
std::string canonical_request(const SignableRequest& request, const CanonicalHeaders& headers) {
  std::string out = request.method;
  out.push_back('\n');
  out += uri_encode(request.path.empty() ? "/" : request.path, true);
  out.push_back('\n');
  out += canonical_query(request.query);
  out.push_back('\n');
  for (const auto& [name, value] : headers) {
    out += name;
    out.push_back(':');
    out += value;
    out.push_back('\n');
  }
  out.push_back('\n');
  out += names_of(headers);
  out.push_back('\n');
  out += sha256_hex(request.payload);
  return out;
}

// OpenSSL 3 looks an algorithm up by name on every one-shot call (EVP_sha256(), HMAC()): a
// locked table search that cost more than the hashing of a request. Fetched once instead, and
// the HMAC context kept per thread and re-keyed for each use.
const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) {
    throw std::runtime_error("OpenSSL has no SHA-256");
  }
  return md;
}

EVP_MAC_CTX* hmac_sha256_context() {
  struct Context {
    EVP_MAC_CTX* ctx = nullptr;
    Context() {
      EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
      ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
      EVP_MAC_free(mac);  // the context holds its own reference
      char digest[] = "SHA256";
      const OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
          OSSL_PARAM_construct_end()};
      if (ctx != nullptr && EVP_MAC_CTX_set_params(ctx, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        ctx = nullptr;
      }
    }
    ~Context() { EVP_MAC_CTX_free(ctx); }
  };
  thread_local Context context;
  if (context.ctx == nullptr) {
    throw std::runtime_error("OpenSSL has no HMAC-SHA256");
  }
  return context.ctx;
}

}  // namespace

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex(digest.data(), size);
}

Digest hmac_sha256(std::string_view key, std::string_view data) {
  Digest digest{};
  std::size_t size = 0;
  EVP_MAC_CTX* ctx = hmac_sha256_context();
  if (EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr) !=
          1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, digest.data(), &size, digest.size()) != 1) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return digest;
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kDigits[u >> 4]);
      out.push_back(kDigits[u & 0x0f]);
    }
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::size_t n = std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buffer, n);
}

std::string signed_header_names(const Headers& headers) {
  return names_of(canonical_headers(headers));
}

std::string canonical_request(const SignableRequest& request) {
  return canonical_request(request, canonical_headers(request.headers));
}

std::string string_to_sign(std::string_view date_time, const SigningScope& scope,
                           std::string_view canonical) {
  std::string out(kAlgorithm);
  out.push_back('\n');
  out += date_time;
  out.push_back('\n');
  out += date_time.substr(0, 8);
  out += "/" + scope.region + "/" + scope.service + "/aws4_request\n";
  out += sha256_hex(canonical);
  return out;
}

Digest derive_signing_key(std::string_view secret_access_key, std::string_view date,
                          const SigningScope& scope) {
  std::string secret = "AWS4";
  secret += secret_access_key;
  auto as_view = [](const Digest& d) {
    return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
  };
  Digest k_date = hmac_sha256(secret, date);
  Digest k_region = hmac_sha256(as_view(k_date), scope.region);
  Digest k_service = hmac_sha256(as_view(k_region), scope.service);
  return hmac_sha256(as_view(k_service), "aws4_request");
}

const Digest& SigningKeyCache::key(std::string_view secret_access_key, std::string_view date,
                                   const SigningScope& scope) {
  if (derivations_ == 0 || secret_ != secret_access_key || date_ != date ||
      scope_.region != scope.region || scope_.service != scope.service) {
    key_ = derive_signing_key(secret_access_key, date, scope);
    secret_ = secret_access_key;
    date_ = date;
    scope_ = scope;
    ++derivations_;
  }
  return key_;
}

std::string signature(const Digest& signing_key, std::string_view to_sign) {
  Digest mac = hmac_sha256(
      std::string_view(reinterpret_cast<const char*>(signing_key.data()), signing_key.size()),
      to_sign);
  return hex(mac.data(), mac.size());
}

void sign(SignableRequest& request, const SigningKeys& keys, const SigningScope& scope,
          std::chrono::system_clock::time_point time) {
  std::string date_time = amz_date(time);
  request.headers.emplace_back("X-Amz-Date", date_time);
  if (!keys.session_token.empty()) {
    request.headers.emplace_back("X-Amz-Security-Token", keys.session_token);
  }
  const CanonicalHeaders headers = canonical_headers(request.headers);
  std::string to_sign = string_to_sign(date_time, scope, canonical_request(request, headers));
  thread_local SigningKeyCache keys_of_this_thread;
  const Digest& key =
      keys_of_this_thread.key(keys.secret_access_key, date_time.substr(0, 8), scope);
  std::string authorization(kAlgorithm);
  authorization += " Credential=" + keys.access_key_id + "/" + date_time.substr(0, 8) + "/" +
                   scope.region + "/" + scope.service +
                   "/aws4_request, SignedHeaders=" + names_of(headers) +
                   ", Signature=" + signature(key, to_sign);
  request.headers.emplace_back("Authorization", std::move(authorization));
}

}  // namespace mysfits::store::dynamodb
