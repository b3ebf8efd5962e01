#include "ingress/annotations.hpp"

#include <charconv>

namespace mysfits::ingress {
namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

core::Error manifest_error(std::string message) {
  return core::Error{core::Errc::kBadRequest, std::move(message)};
}

Annotations::Annotations(const std::map<std::string, std::string>& all, std::string where)
    : where_(std::move(where)) {
  for (const auto& [key, value] : all) {
    if (key.size() > kAnnotationPrefix.size() && key.starts_with(kAnnotationPrefix))
      values_.emplace(key.substr(kAnnotationPrefix.size()), value);
  }
}

const std::string* Annotations::find(std::string_view key) const {
  const auto it = values_.find(std::string(key));
  return it == values_.end() ? nullptr : &it->second;
}

std::string Annotations::where(std::string_view key) const {
  return where_ + ": annotation " + std::string(kAnnotationPrefix) + std::string(key);
}

core::Result<std::optional<bool>> Annotations::boolean(std::string_view key) const {
  const std::string* raw = find(key);
  if (raw == nullptr)
    return std::optional<bool>{};
  const std::string v = trim(*raw);
  if (v == "true")
    return std::optional<bool>{true};
  if (v == "false")
    return std::optional<bool>{false};
  return manifest_error(where(key) + ": expected true or false, got '" + *raw + "'");
}

core::Result<std::optional<long>> Annotations::integer(std::string_view key, long min,
                                                       long max) const {
  const std::string* raw = find(key);
  if (raw == nullptr)
    return std::optional<long>{};
  const std::string v = trim(*raw);
  long out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc{} || end != v.data() + v.size())
    return manifest_error(where(key) + ": expected an integer, got '" + *raw + "'");
  if (out < min || out > max) {
    return manifest_error(where(key) + ": " + v + " is outside " + std::to_string(min) + ".." +
                          std::to_string(max));
  }
  return std::optional<long>{out};
}

std::vector<std::string> Annotations::string_list(std::string_view key) const {
  std::vector<std::string> out;
  const std::string* raw = find(key);
  if (raw == nullptr)
    return out;
  std::string_view rest = *raw;
  while (true) {
    const auto comma = rest.find(',');
    std::string item = trim(rest.substr(0, comma));
    if (!item.empty())
      out.push_back(std::move(item));
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

core::Result<std::map<std::string, std::string>> Annotations::string_map(
    std::string_view key) const {
  std::map<std::string, std::string> out;
  const std::string* raw = find(key);
  if (raw == nullptr)
    return out;
  std::vector<std::string> items(1);
  for (std::size_t i = 0; i < raw->size(); ++i) {
    const char c = (*raw)[i];
    if (c == '\\' && i + 1 < raw->size() && (*raw)[i + 1] == ',') {
      items.back() += ',';
      ++i;
    } else if (c == ',') {
      items.emplace_back();
    } else {
      items.back() += c;
    }
  }
  for (const std::string& item : items) {
    if (trim(item).empty())
      continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      return manifest_error(where(key) + ": '" + trim(item) + "' is not key=value");
    std::string k = trim(std::string_view(item).substr(0, eq));
    if (k.empty())
      return manifest_error(where(key) + ": empty key in '" + trim(item) + "'");
    out[k] = trim(std::string_view(item).substr(eq + 1));
  }
  return out;
}

}  // namespace mysfits::ingress
