#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mysfits::store::dynamodb {

// One reason of a TransactionCanceledException, in the order of the transaction's actions.
struct CancellationReason {
  std::string code;  // "None", "ConditionalCheckFailed", "TransactionConflict", ...
  std::string message;
  std::optional<boost::json::object> item;  // with ReturnValuesOnConditionCheckFailure ALL_OLD
};

// What a DynamoDB error answer says. Bodies look like
// {"__type": "com.amazonaws.dynamodb.v20120810#X", "message": "..."} (some types spell it
// "Message"). A TransactionCanceledException adds CancellationReasons; where they are left
// out, its message still lists the codes ("... specific reasons [A, B]"), as AWS documents for
// clients other than Java's.
struct ErrorBody {
  std::string type;  // without its namespace
  std::string message;
  std::vector<CancellationReason> reasons;
};

// Anything that is not such a body gives an empty ErrorBody.
ErrorBody parse_error_body(std::string_view body);

}  // namespace mysfits::store::dynamodb
