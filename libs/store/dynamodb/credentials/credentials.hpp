#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mysfits::store::dynamodb::credentials {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                                        // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // nullopt: never expires
  std::string source;  // the provider that produced them, for logs
};

using CredentialsCallback = std::function<void(core::Result<Credentials>)>;

// Reads one environment variable (nullopt when unset or empty). A function rather than getenv
// so that tests describe an environment without touching the process's.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;
Environment process_environment();
Environment fixed_environment(std::map<std::string, std::string> variables);

// "2015-08-30T12:36:00Z", with optional fractional seconds and a "Z" or "+hh:mm" offset, as
// STS, ECS/EKS and IMDS write expirations.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// The whole file, or an error naming it.
core::Result<std::string> read_text_file(const std::string& path);

// "AKIA...XYZ" shortened to its first 4 and last 4 characters, for logs.
std::string redact(std::string_view access_key_id);

}  // namespace mysfits::store::dynamodb::credentials
