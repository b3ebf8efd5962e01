#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "ingress/rule.hpp"

namespace mysfits::ingress {

// The JSON of `actions.<name>` and `conditions.<name>` annotations. The controller decodes them
// with Go's encoding/json, which matches object keys case-insensitively and ignores unknown
// keys, so "Type", "RedirectConfig" and "sourceIpConfig" all work there and here too.
// Forward legs naming a Service come back without a target-group id: the builder assigns it.
core::Result<Action> parse_action_json(std::string_view json, const std::string& where);
core::Result<std::vector<Condition>> parse_conditions_json(std::string_view json,
                                                           const std::string& where);

// Validates a path-pattern value the way the ALB API would: at most alb_limit::kPathPatternLength
// characters from the allowed set. Returns an error message, or empty when fine.
std::string check_path_pattern(std::string_view pattern);

// An error message when `pattern` is not a regular expression we can run, or empty.
std::string check_regex(const std::string& pattern);

}  // namespace mysfits::ingress
