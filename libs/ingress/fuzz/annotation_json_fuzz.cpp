// libFuzzer target: arbitrary bytes as the JSON of an actions.<name> or conditions.<name>
// annotation (both parsers see every input). Errors are fine; crashes and hangs are not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingress/backend_annotations.hpp"
#include "ingress/rule_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mysfits::ingress;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto action = parse_action_json(text, "fuzz: actions.x"))
    (void)to_json(*action);
  if (auto conditions = parse_conditions_json(text, "fuzz: conditions.x")) {
    for (const Condition& c : *conditions) {
      (void)to_json(c);
      (void)describe_condition(c);
    }
  }
  return 0;
}
