#include "store/dynamodb/credentials/profile_provider.hpp"

#include <cctype>
#include <filesystem>

namespace mysfits::store::dynamodb::credentials {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string default_path(const Environment& env) {
  if (auto file = env("AWS_SHARED_CREDENTIALS_FILE")) {
    return *file;
  }
  return env("HOME").value_or("") + "/.aws/credentials";
}

}  // namespace

IniSections parse_ini(std::string_view text) {
  IniSections sections;
  std::string current;
  bool in_section = false;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      continue;
    }
    if (line.front() == '[') {
      std::size_t close = line.find(']');
      in_section = close != std::string_view::npos;
      if (in_section) {
        current = std::string(trim(line.substr(1, close - 1)));
        sections[current];
      }
      continue;
    }
    std::size_t eq = line.find('=');
    if (!in_section || eq == std::string_view::npos) {
      continue;
    }
    sections[current][lower(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
  }
  return sections;
}

ProfileProvider::ProfileProvider(Environment env) : path_(default_path(env)) {
  auto profile = env("AWS_PROFILE");
  profile_chosen_ = profile.has_value();
  profile_ = profile.value_or("default");
}

std::optional<std::string> ProfileProvider::not_configured() const {
  if (profile_chosen_) {
    return std::nullopt;
  }
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) {
    return "no file " + path_;
  }
  auto text = read_text_file(path_);
  if (!text.ok()) {
    return text.error().message;
  }
  if (parse_ini(text.value()).count(profile_) == 0) {
    return "no [" + profile_ + "] profile in " + path_;
  }
  return std::nullopt;
}

void ProfileProvider::load(CredentialsCallback done) {
  auto text = read_text_file(path_);
  if (!text.ok()) {
    done(core::Error{core::Errc::kUnavailable,
                     "profile " + profile_ + " (AWS_PROFILE): " + text.error().message});
    return;
  }
  IniSections sections = parse_ini(text.value());
  auto section = sections.find(profile_);
  if (section == sections.end()) {
    done(core::Error{core::Errc::kUnavailable, "no [" + profile_ + "] profile in " + path_});
    return;
  }
  auto& values = section->second;
  auto key = values.find("aws_access_key_id");
  auto secret = values.find("aws_secret_access_key");
  if (key == values.end() || secret == values.end() || key->second.empty() ||
      secret->second.empty()) {
    done(core::Error{core::Errc::kUnavailable,
                     "profile [" + profile_ + "] in " + path_ +
                         " lacks aws_access_key_id or aws_secret_access_key"});
    return;
  }
  Credentials credentials;
  credentials.access_key_id = key->second;
  credentials.secret_access_key = secret->second;
  if (auto token = values.find("aws_session_token"); token != values.end()) {
    credentials.session_token = token->second;
  }
  credentials.source = name() + " [" + profile_ + "]";
  done(std::move(credentials));
}

}  // namespace mysfits::store::dynamodb::credentials
