#include "ingress/backend_annotations.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <regex>

#include "ingress/alb_limits.hpp"
#include "ingress/annotations.hpp"
#include "ingress/cidr.hpp"
#include "ingress/glob.hpp"

namespace mysfits::ingress {
namespace json = boost::json;
namespace {

// Go prefers an exact key, then any key equal under case folding.
const json::value* field(const json::object& obj, std::string_view key) {
  if (const auto* exact = obj.if_contains(key))
    return exact;
  for (const auto& kv : obj) {
    if (ascii_iequals(kv.key(), key))
      return &kv.value();
  }
  return nullptr;
}

// Thrown inside this file only; the public functions turn it into a core::Error.
struct Invalid {
  std::string message;
};

// Typed reads with errors that name the JSON path.
class Fields {
 public:
  Fields(const json::object& obj, std::string where) : obj_(&obj), where_(std::move(where)) {}

  const std::string& where() const { return where_; }
  [[noreturn]] void fail(const std::string& message) const {
    throw Invalid{where_ + ": " + message};
  }

  std::optional<std::string> string(std::string_view key) const {
    const json::value* v = field(*obj_, key);
    if (v == nullptr || v->is_null())
      return std::nullopt;
    if (!v->is_string())
      fail(std::string(key) + " must be a string");
    return std::string(v->get_string());
  }

  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    const json::value* v = field(*obj_, key);
    if (v == nullptr || v->is_null())
      return out;
    if (!v->is_array())
      fail(std::string(key) + " must be a list of strings");
    for (const auto& item : v->get_array()) {
      if (!item.is_string())
        fail(std::string(key) + " must be a list of strings");
      out.emplace_back(item.get_string());
    }
    return out;
  }

  std::optional<Fields> object(std::string_view key) const {
    const json::value* v = field(*obj_, key);
    if (v == nullptr || v->is_null())
      return std::nullopt;
    if (!v->is_object())
      fail(std::string(key) + " must be an object");
    return Fields(v->get_object(), where_ + "." + std::string(key));
  }

  Fields required(std::string_view key, const std::string& why) const {
    auto f = object(key);
    if (!f)
      fail(why);
    return *f;
  }

  const json::value* raw(std::string_view key) const { return field(*obj_, key); }

 private:
  const json::object* obj_;
  std::string where_;
};

json::value parse(std::string_view text, const std::string& where) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec)
    throw Invalid{where + ": invalid JSON: " + ec.message()};
  return v;
}

FixedResponse fixed_response(const Fields& f) {
  const Fields c = f.required("fixedResponseConfig", "fixed-response needs fixedResponseConfig");
  FixedResponse out;
  const std::string sc = c.string("statusCode").value_or("");
  if (sc.size() != 3 || (sc[0] != '2' && sc[0] != '4' && sc[0] != '5') ||
      sc.find_first_not_of("0123456789") != std::string::npos)
    c.fail("statusCode must be a 2XX, 4XX or 5XX code as a string, got '" + sc + "'");
  out.status_code = std::stoi(sc);
  if (auto type = c.string("contentType")) {
    static constexpr std::string_view kTypes[] = {"text/plain", "text/css", "text/html",
                                                  "application/javascript", "application/json"};
    if (std::find(std::begin(kTypes), std::end(kTypes), *type) == std::end(kTypes))
      c.fail("contentType '" + *type + "' is not one the ALB accepts");
    out.content_type = *type;
  }
  out.body = c.string("messageBody").value_or("");
  if (out.body.size() > 1024)
    c.fail("messageBody is longer than 1024 characters");
  return out;
}

Redirect redirect(const Fields& f) {
  const Fields c = f.required("redirectConfig", "redirect needs redirectConfig");
  Redirect out;
  out.protocol = c.string("protocol");
  out.host = c.string("host");
  out.port = c.string("port");
  out.path = c.string("path");
  out.query = c.string("query");
  const auto code = c.string("statusCode");
  if (code == "HTTP_301") {
    out.status_code = 301;
  } else if (code == "HTTP_302") {
    out.status_code = 302;
  } else {
    c.fail("statusCode must be HTTP_301 or HTTP_302");
  }
  if (out.protocol && *out.protocol != "HTTP" && *out.protocol != "HTTPS" &&
      *out.protocol != "#{protocol}")
    c.fail("protocol must be HTTP, HTTPS or #{protocol}");
  if (out.path && (out.path->empty() || out.path->front() != '/'))
    c.fail("path must start with '/'");
  if ((out.path && out.path->size() > 128) || (out.query && out.query->size() > 128))
    c.fail("path and query are limited to 128 characters");
  return out;
}

TargetGroupRef forward_leg(const Fields& leg, bool weighted) {
  TargetGroupRef ref;
  const auto arn = leg.string("targetGroupARN");
  const auto name = leg.string("targetGroupName");
  if (const auto service = leg.string("serviceName")) {
    ref.service = *service;
    const json::value* port = leg.raw("servicePort");
    if (port != nullptr && port->is_int64()) {
      ref.port = std::to_string(port->get_int64());
    } else if (port != nullptr && port->is_string() && !port->get_string().empty()) {
      ref.port = std::string(port->get_string());
      // A numeric string is normalised to the number, as the controller does.
      if (ref.port.size() <= 5 && ref.port.find_first_not_of("0123456789") == std::string::npos)
        ref.port = std::to_string(std::stoi(ref.port));
    } else {
      leg.fail("servicePort is required with serviceName (number or name)");
    }
  } else if (arn || name) {
    ref.external = true;
    ref.target_group = arn ? *arn : *name;
  } else {
    leg.fail("needs serviceName, targetGroupARN or targetGroupName");
  }
  const json::value* weight = leg.raw("weight");
  if (weight != nullptr && !weight->is_null()) {
    if (!weight->is_int64() || weight->get_int64() < 0 ||
        weight->get_int64() > alb_limit::kMaxForwardWeight)
      leg.fail("weight must be an integer in 0.." + std::to_string(alb_limit::kMaxForwardWeight) +
               " (the ALB's range)");
    ref.weight = static_cast<int>(weight->get_int64());
  } else if (weighted) {
    leg.fail("weight is required when forwarding to more than one target group");
  }
  return ref;
}

Forward forward(const Fields& f) {
  Forward out;
  const auto arn = f.string("targetGroupARN");
  const auto name = f.string("targetGroupName");
  if (const auto cfg = f.object("forwardConfig")) {
    const json::value* groups = cfg->raw("targetGroups");
    if (groups == nullptr || !groups->is_array() || groups->get_array().empty())
      cfg->fail("targetGroups must be a non-empty list");
    const auto& list = groups->get_array();
    if (list.size() > alb_limit::kTargetGroupsPerForward)
      cfg->fail(std::to_string(list.size()) + " target groups; the ALB allows at most " +
                std::to_string(alb_limit::kTargetGroupsPerForward) + " per forward action");
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_object())
        cfg->fail("targetGroups entries must be objects");
      const Fields leg(list[i].get_object(),
                       cfg->where() + ".targetGroups[" + std::to_string(i) + "]");
      out.target_groups.push_back(forward_leg(leg, list.size() > 1));
    }
  } else if (arn || name) {
    TargetGroupRef ref;
    ref.external = true;
    ref.target_group = arn ? *arn : *name;
    out.target_groups.push_back(std::move(ref));
  } else {
    f.fail("forward needs forwardConfig, targetGroupARN or targetGroupName");
  }
  return out;
}

struct FieldKind {
  const char* name;
  ConditionField field;
  const char* config;
};

constexpr FieldKind kFields[] = {
    {"host-header", ConditionField::kHostHeader, "hostHeaderConfig"},
    {"path-pattern", ConditionField::kPathPattern, "pathPatternConfig"},
    {"http-header", ConditionField::kHttpHeader, "httpHeaderConfig"},
    {"http-request-method", ConditionField::kHttpRequestMethod, "httpRequestMethodConfig"},
    {"query-string", ConditionField::kQueryString, "queryStringConfig"},
    {"source-ip", ConditionField::kSourceIp, "sourceIPConfig"},
};

void query_values(const Fields& c, Condition& out) {
  const json::value* values = c.raw("values");
  if (values == nullptr || !values->is_array() || values->get_array().empty())
    c.fail("values must be a non-empty list of {key, value}");
  for (const auto& item : values->get_array()) {
    if (!item.is_object())
      c.fail("values entries must be objects {key, value}");
    const Fields kv(item.get_object(), c.where() + ".values");
    auto value = kv.string("value");
    if (!value)
      kv.fail("value is required");
    out.query_values.push_back(QueryValue{kv.string("key"), *value});
  }
}

Condition condition(const Fields& f) {
  const std::string name = f.string("field").value_or("");
  const auto* kind = std::find_if(std::begin(kFields), std::end(kFields),
                                  [&](const FieldKind& k) { return name == k.name; });
  if (kind == std::end(kFields))
    f.fail("unknown field '" + name + "'");
  Condition out;
  out.field = kind->field;
  const Fields c = f.required(kind->config, name + " needs " + kind->config);
  if (out.field == ConditionField::kQueryString) {
    query_values(c, out);
    return out;
  }
  out.values = c.strings("values");
  out.regex_values = c.strings("regexValues");
  if (out.field == ConditionField::kHttpHeader) {
    const auto header = c.string("httpHeaderName");
    if (!header || header->empty() || header->size() > 40)
      c.fail("httpHeaderName is required (at most 40 characters)");
    out.header_name = *header;
  }
  const bool regex_allowed = out.field == ConditionField::kHostHeader ||
                             out.field == ConditionField::kPathPattern ||
                             out.field == ConditionField::kHttpHeader;
  if (!out.regex_values.empty() && !regex_allowed)
    c.fail("regexValues is not allowed for " + name);
  if (!out.values.empty() && !out.regex_values.empty())
    c.fail("set values or regexValues, not both");
  if (out.values.empty() && out.regex_values.empty())
    c.fail("values must not be empty");
  if (out.field == ConditionField::kPathPattern) {
    for (const auto& v : out.values) {
      if (auto problem = check_path_pattern(v); !problem.empty())
        c.fail(problem);
    }
  }
  if (out.field == ConditionField::kSourceIp) {
    for (const auto& v : out.values) {
      if (!Cidr::parse(v) || v == "255.255.255.255/32")
        c.fail("source-ip '" + v + "' is not a usable CIDR block");
    }
  }
  for (const auto& re : out.regex_values) {
    if (auto problem = check_regex(re); !problem.empty())
      c.fail(problem);
  }
  return out;
}

// libstdc++ compiles a counted repetition by copying its operand, so nested or repeated counts
// multiply the automaton: "(a{999}){999}" is a million states. Refuse before compiling when the
// product of all counts (an upper bound) is large.
constexpr double kMaxRepetitionProduct = 1000;

double repetition_product(std::string_view pattern) {
  double product = 1;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
      continue;
    }
    if (pattern[i] != '{')
      continue;
    double largest = 0;
    double number = 0;
    int digits = 0;
    std::size_t j = i + 1;
    for (; j < pattern.size() && ((pattern[j] >= '0' && pattern[j] <= '9') || pattern[j] == ',');
         ++j) {
      digits = pattern[j] == ',' ? 0 : digits + 1;
      // libstdc++ reads a count into a long before it checks the brace closes: a long run of
      // digits overflows (undefined behaviour, found by fuzzing) even in a broken pattern.
      if (digits > 6)
        return kMaxRepetitionProduct * 2;
      number = pattern[j] == ',' ? 0 : number * 10 + (pattern[j] - '0');
      largest = std::max(largest, number);
    }
    if (j < pattern.size() && pattern[j] == '}' && j > i + 1)
      product *= std::max(largest, 1.0);
  }
  return product;
}

// A backreference (\1, \2, ...): the ALB's regexValues have none, and libstdc++ reads its number
// into a long without an overflow check (undefined behaviour that fuzzing found).
bool has_backreference(std::string_view pattern) {
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '\\')
      continue;
    if (pattern[i + 1] >= '1' && pattern[i + 1] <= '9')
      return true;
    ++i;  // an escaped character, whatever it is
  }
  return false;
}

// libstdc++ reads any number in a pattern (a count, a backreference) into a long without an
// overflow check, and which digits form a number depends on its escape rules (\\cX takes the
// next character too). No ALB condition needs a 7-digit number in a regex: refuse them all.
bool has_long_number(std::string_view pattern) {
  int run = 0;
  for (char c : pattern) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run > 6)
      return true;
  }
  return false;
}

}  // namespace

std::string check_regex(const std::string& pattern) {
  if (has_long_number(pattern))
    return "regular expression '" + pattern + "' has a number longer than 6 digits";
  if (has_backreference(pattern))
    return "regular expression '" + pattern +
           "' uses a backreference, which the ALB does not support";
  if (repetition_product(pattern) > kMaxRepetitionProduct)
    return "regular expression '" + pattern + "' repeats too much (counts multiply past " +
           std::to_string(static_cast<int>(kMaxRepetitionProduct)) + ")";
  try {
    const std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return "invalid regular expression '" + pattern + "': " + e.what();
  }
  return {};
}

std::string check_path_pattern(std::string_view pattern) {
  static constexpr std::string_view kAllowed =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.$/~\"'@:+&*?";
  if (pattern.empty())
    return "empty path pattern";
  if (pattern.size() > alb_limit::kPathPatternLength)
    return "path pattern of " + std::to_string(pattern.size()) +
           " characters; the ALB allows at most " + std::to_string(alb_limit::kPathPatternLength) +
           ": " + std::string(pattern.substr(0, 40)) + "...";
  const auto bad = pattern.find_first_not_of(kAllowed);
  if (bad != std::string_view::npos) {
    return "path pattern '" + std::string(pattern) + "' has a character the ALB rejects: '" +
           std::string(1, pattern[bad]) + "'";
  }
  return {};
}

core::Result<Action> parse_action_json(std::string_view text, const std::string& where) {
  try {
    const json::value v = parse(text, where);
    if (!v.is_object())
      return manifest_error(where + ": an action must be a JSON object");
    const Fields f(v.get_object(), where);
    const std::string type = f.string("type").value_or("");
    if (type == "fixed-response")
      return Action{fixed_response(f)};
    if (type == "redirect")
      return Action{redirect(f)};
    if (type == "forward")
      return Action{forward(f)};
    f.fail("type must be fixed-response, redirect or forward, got '" + type + "'");
  } catch (const Invalid& e) {
    return manifest_error(e.message);
  }
}

core::Result<std::vector<Condition>> parse_conditions_json(std::string_view text,
                                                           const std::string& where) {
  try {
    const json::value v = parse(text, where);
    if (!v.is_array())
      return manifest_error(where + ": conditions must be a JSON list");
    std::vector<Condition> out;
    const auto& list = v.get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      if (!list[i].is_object())
        return manifest_error(at + ": a condition must be a JSON object");
      out.push_back(condition(Fields(list[i].get_object(), at)));
    }
    return out;
  } catch (const Invalid& e) {
    return manifest_error(e.message);
  }
}

}  // namespace mysfits::ingress
