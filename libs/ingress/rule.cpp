#include "ingress/rule.hpp"

namespace mysfits::ingress {

std::string_view field_name(ConditionField field) {
  switch (field) {
    case ConditionField::kHostHeader:
      return "host-header";
    case ConditionField::kPathPattern:
      return "path-pattern";
    case ConditionField::kHttpHeader:
      return "http-header";
    case ConditionField::kHttpRequestMethod:
      return "http-request-method";
    case ConditionField::kQueryString:
      return "query-string";
    case ConditionField::kSourceIp:
      return "source-ip";
  }
  return "path-pattern";
}

std::string describe_action(const Action& action) {
  if (const auto* fixed = std::get_if<FixedResponse>(&action))
    return "fixed-response:" + std::to_string(fixed->status_code);
  if (const auto* redirect = std::get_if<Redirect>(&action))
    return "redirect:" + std::to_string(redirect->status_code);
  const auto& legs = std::get<Forward>(action).target_groups;
  std::vector<const TargetGroupRef*> live;
  for (const TargetGroupRef& leg : legs) {
    if (legs.size() == 1 || leg.weight > 0)
      live.push_back(&leg);
  }
  std::string out;
  for (const TargetGroupRef* leg : live) {
    if (!out.empty())
      out += ',';
    out += leg->external ? leg->target_group : leg->service + ":" + leg->port;
    if (live.size() > 1)
      out += "@" + std::to_string(leg->weight);
  }
  return out;
}

}  // namespace mysfits::ingress
