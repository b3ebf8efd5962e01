#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace mysfits::testing {

// TransactWriteItems as DynamoDB documents it, for an emulator that has only the single-item
// operations (dynalite 4.0 has no transactions at all: it answers UnknownOperationException).
// The proxy applies a transaction's Update as an UpdateItem on dynalite and keeps around it
// what DynamoDB keeps:
//
// - ClientRequestToken: a repeat of a transaction that succeeded, within 10 minutes of its end,
//   succeeds without applying again; the same token with any other parameter changed is
//   IdempotentParameterMismatchException; a repeat while the first is still running is
//   TransactionInProgressException. A token whose transaction failed is not remembered (a
//   cancelled transaction changed nothing, so its repeat is a new attempt).
// - Conflicts: an item in a running transaction cancels another transaction on it
//   (TransactionCanceledException, reason TransactionConflict) and fails a plain write of it
//   (TransactionConflictException); reads pass.
// - A failed condition cancels with reason ConditionalCheckFailed and, when the Update asks with
//   ReturnValuesOnConditionCheckFailure = ALL_OLD, the item as it was.
// - Capacity: both underlying writes of the item (prepare and commit) count, 2 write units.
//
// Only a transaction of exactly one Update is modelled (all the store sends). Anything else is
// answered ValidationException, so a test can never pass on a request the model does not
// understand. Not thread-safe: the proxy holds its lock around every call.

// One Update transaction, as the proxy applies it.
struct TransactWrite {
  std::string token;                // ClientRequestToken; empty when none was given
  std::string fingerprint;          // the whole request, to tell a repeat from a changed request
  std::string item;                 // table and key: what conflicts and write limits are counted on
  boost::json::object update_item;  // the UpdateItem request that applies it
  boost::json::object read_item;    // the GetItem request for the item as it was
  bool old_item_on_failure = false;
};

// The request as a TransactWrite, or the ValidationException's message.
std::variant<TransactWrite, std::string> parse_transact_write(const boost::json::object& body);

// "table\nkey" for requests that name one item by Key (UpdateItem, DeleteItem, GetItem);
// empty when there is none.
std::string item_of(const boost::json::object& body);

class TransactModel {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Admission { kApply, kReplay, kParameterMismatch, kInProgress, kConflict };

  explicit TransactModel(std::chrono::milliseconds idempotency_window);

  // What DynamoDB does with this request now. kApply marks its token and item as in progress
  // until finish().
  Admission admit(const TransactWrite& write, Clock::time_point now);
  void finish(const TransactWrite& write, bool applied, Clock::time_point now);

  bool in_transaction(const std::string& item) const { return busy_items_.contains(item); }

 private:
  struct Done {
    std::string fingerprint;
    Clock::time_point finished;
  };
  void forget_expired(Clock::time_point now);

  std::chrono::milliseconds window_;
  std::map<std::string, std::string> running_;  // token -> fingerprint
  std::set<std::string> busy_items_;
  std::map<std::string, Done> succeeded_;  // token -> what it was, and when it ended
  std::deque<std::pair<Clock::time_point, std::string>> expiry_;  // tokens in finish order
};

// DynamoDB's JSON error body for a cancelled transaction of one item.
std::string cancellation_body(std::string_view code, std::string_view message,
                              const boost::json::object* item);

}  // namespace mysfits::testing
