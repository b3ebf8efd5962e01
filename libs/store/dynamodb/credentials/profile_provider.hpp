#pragma once

#include <map>
#include <string_view>

#include "store/dynamodb/credentials/provider.hpp"

namespace mysfits::store::dynamodb::credentials {

// The shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) and its
// profile (AWS_PROFILE, else "default"). The file is read on every load, so rotated keys are
// picked up at the next refresh.
class ProfileProvider final : public Provider {
 public:
  explicit ProfileProvider(Environment env);

  std::string name() const override { return "shared credentials file"; }
  std::optional<std::string> not_configured() const override;
  void load(CredentialsCallback done) override;

  const std::string& path() const { return path_; }
  const std::string& profile() const { return profile_; }

 private:
  std::string path_;
  std::string profile_;
  bool profile_chosen_ = false;  // AWS_PROFILE was set: a missing profile is then an error
};

// INI sections of a credentials file: section -> key -> value (keys lower-cased, values
// trimmed). Comments start with '#' or ';'.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;
IniSections parse_ini(std::string_view text);

}  // namespace mysfits::store::dynamodb::credentials
