#include "integration/dynamodb/fault_proxy.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "integration/dynamodb/dynalite_connection.hpp"
#include "integration/dynamodb/item_write_limit.hpp"
#include "integration/dynamodb/request_signature.hpp"
#include "integration/dynamodb/transact_model.hpp"

namespace mysfits::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using HttpResponse = http::response<http::string_body>;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Answer unanswered(Answer::Kind kind) {
  Answer answer;
  answer.kind = kind;
  return answer;
}

Answer cancelled(std::string_view code, std::string_view message,
                 const json::object* item = nullptr) {
  return Answer{Answer::Kind::kAnswer, 400, cancellation_body(code, message, item),
                "FAULT-PROXY-REQUEST-ID", "TransactionCanceledException"};
}

// Takes one unit from counter when it has one.
bool take(std::atomic<int>& counter) {
  for (int n = counter.load(); n > 0;) {
    if (counter.compare_exchange_weak(n, n - 1))
      return true;
  }
  return false;
}

bool is_item_write(std::string_view operation) {
  return operation == "UpdateItem" || operation == "DeleteItem";
}

}  // namespace

struct FaultProxy::State {
  State(FaultProxy& p, std::uint16_t upstream, FaultProxyOptions o)
      : proxy(p),
        upstream_port(upstream),
        options(std::move(o)),
        model(options.idempotency_window),
        limit(options.item_write_limit) {}

  FaultProxy& proxy;
  std::uint16_t upstream_port;
  FaultProxyOptions options;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;

  std::mutex mutex;  // everything below
  TransactModel model;
  ItemWriteLimit limit;
  std::set<std::size_t> lost_requests;  // hashes of request bodies whose answer was lost
  std::map<std::string, std::shared_ptr<asio::steady_timer>> held;  // token -> its hold
  long long answers = 0;
  bool reset_next_alternate = false;
  Clock::duration clock_offset{};

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<Answer> serve(const HttpRequest& request, DynaliteConnection& upstream);
  std::optional<Answer> fault_before(std::string_view operation);
  asio::awaitable<Answer> single(const HttpRequest& request, std::string_view operation,
                                 const json::object& body, DynaliteConnection& upstream);
  asio::awaitable<Answer> transact(const HttpRequest& request, const json::object& body,
                                   DynaliteConnection& upstream);
  asio::awaitable<void> hold_until_repeated(const std::string& token);
  void release(const std::string& token);
  Answer lose_or_keep(const std::string& body, Answer answer);
};

FaultProxy::FaultProxy(std::uint16_t upstream_port, FaultProxyOptions options)
    : state_(std::make_unique<State>(*this, upstream_port, std::move(options))) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  asio::co_spawn(asio::make_strand(state_->io), state_->accept_loop(), asio::detached);
  for (int i = 0; i < 2; ++i)
    state_->threads.emplace_back([this] { state_->io.run(); });
}

FaultProxy::~FaultProxy() {
  state_->io.stop();
  for (auto& thread : state_->threads)
    thread.join();
}

std::string FaultProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

std::uint16_t FaultProxy::port() const {
  return state_->acceptor.local_endpoint().port();
}

void FaultProxy::advance_clock(std::chrono::milliseconds by) {
  std::lock_guard lock(state_->mutex);
  state_->clock_offset += by;
}

asio::awaitable<void> FaultProxy::State::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
    if (ec == asio::error::operation_aborted)
      co_return;
    if (!ec)
      asio::co_spawn(socket.get_executor(), session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> FaultProxy::State::session(tcp::socket socket) {
  beast::tcp_stream client(std::move(socket));
  DynaliteConnection upstream(client.get_executor(), upstream_port);
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    auto [read_ec, read] = co_await http::async_read(client, buffer, parser, kTuple);
    if (read_ec)
      co_return;
    HttpRequest request = parser.release();
    Answer answer = co_await serve(request, upstream);
    if (answer.kind == Answer::Kind::kReset) {
      beast::error_code ignored;
      client.socket().set_option(asio::socket_base::linger(true, 0), ignored);
      client.socket().close(ignored);
      co_return;
    }
    if (answer.kind == Answer::Kind::kSilence) {
      // Until the client gives up and closes (or the proxy stops).
      char byte = 0;
      for (;;) {
        auto [ec, n] = co_await client.socket().async_read_some(asio::buffer(&byte, 1), kTuple);
        if (ec)
          co_return;
      }
    }
    HttpResponse response{static_cast<http::status>(answer.status), 11};
    response.set(http::field::content_type, "application/x-amz-json-1.0");
    response.set("x-amzn-RequestId", answer.request_id);
    response.body() = std::move(answer.body);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto [write_ec, written] = co_await http::async_write(client, response, kTuple);
    if (write_ec || !request.keep_alive())
      co_return;
  }
}

asio::awaitable<Answer> FaultProxy::State::serve(const HttpRequest& request,
                                                 DynaliteConnection& upstream) {
  std::string_view target = request["X-Amz-Target"];
  std::string operation(target.substr(target.find('.') + 1));
  ArrivedRequest arrived{
      std::string(request.method_string()), std::string(request.target()), {}, request.body()};
  for (const auto& field : request)
    arrived.headers.emplace_back(field.name_string(), field.value());
  if (auto problem = signature_problem(arrived, options.access_key_id, options.secret_access_key);
      !problem.empty()) {
    ++proxy.bad_signatures;
    co_return error_answer(400, "InvalidSignatureException", problem, "com.amazon.coral.service");
  }
  const std::string& body = request.body();
  if (body.find("readiness-probe") != std::string::npos) {
    Answer untouched = co_await upstream.exchange(request, operation, body);
    co_return untouched;
  }
  if (auto fault = fault_before(operation))
    co_return *fault;
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  json::object parsed = !ec && doc.is_object() ? doc.get_object() : json::object();
  // One co_await a statement: GCC 12 miscompiles co_await inside a conditional expression.
  Answer answer;
  if (operation == "TransactWriteItems")
    answer = co_await transact(request, parsed, upstream);
  else
    answer = co_await single(request, operation, parsed, upstream);
  co_return lose_or_keep(body, std::move(answer));
}

std::optional<Answer> FaultProxy::State::fault_before(std::string_view operation) {
  if (proxy.stall) {
    ++proxy.injected;
    return unanswered(Answer::Kind::kSilence);
  }
  if (take(proxy.throttle_next)) {
    ++proxy.injected;
    if (operation == "TransactWriteItems")
      return cancelled("ThrottlingError", "injected throttling");
    return error_answer(400, "ProvisionedThroughputExceededException", "injected throttling");
  }
  if (take(proxy.fail_next)) {
    ++proxy.injected;
    return error_answer(500, "InternalServerError", "injected failure");
  }
  if (take(proxy.reject_next)) {
    ++proxy.injected;
    return error_answer(400, "ValidationException", "injected verdict");
  }
  return std::nullopt;
}

asio::awaitable<Answer> FaultProxy::State::single(const HttpRequest& request,
                                                  std::string_view operation,
                                                  const json::object& body,
                                                  DynaliteConnection& upstream) {
  const bool write = is_item_write(operation);
  if (write) {
    std::string item = item_of(body);
    std::lock_guard lock(mutex);
    if (model.in_transaction(item)) {
      ++proxy.conflicts;
      co_return error_answer(400, "TransactionConflictException",
                             "Operation was rejected because there is an ongoing transaction "
                             "for the item");
    }
    if (options.item_write_limit > 0 && !limit.take(item, 1, Clock::now() + clock_offset)) {
      ++proxy.throttled;
      co_return error_answer(400, "ProvisionedThroughputExceededException",
                             "The level of configured provisioned throughput for the table was "
                             "exceeded");
    }
  }
  ++proxy.forwarded;
  Answer answer = co_await upstream.exchange(request, operation, request.body());
  if (write && answer.status == 200)
    ++proxy.applied_writes;
  co_return answer;
}

asio::awaitable<Answer> FaultProxy::State::transact(const HttpRequest& request,
                                                    const json::object& body,
                                                    DynaliteConnection& upstream) {
  auto parsed = parse_transact_write(body);
  if (auto* problem = std::get_if<std::string>(&parsed))
    co_return error_answer(400, "ValidationException", *problem);
  const TransactWrite& write = std::get<TransactWrite>(parsed);
  {
    std::lock_guard lock(mutex);
    const auto at = Clock::now() + clock_offset;
    switch (model.admit(write, at)) {
      case TransactModel::Admission::kReplay:
        ++proxy.replays;
        co_return Answer{};
      case TransactModel::Admission::kParameterMismatch:
        co_return error_answer(400, "IdempotentParameterMismatchException",
                               "The request uses the same client token as a previous, but "
                               "non-identical request.");
      case TransactModel::Admission::kInProgress:
        ++proxy.conflicts;
        release(write.token);
        co_return error_answer(400, "TransactionInProgressException",
                               "Transaction from previous request is still in progress");
      case TransactModel::Admission::kConflict:
        ++proxy.conflicts;
        co_return cancelled("TransactionConflict", "Transaction is ongoing for the item");
      case TransactModel::Admission::kApply:
        break;
    }
    // Prepare and commit: two writes of the item.
    if (options.item_write_limit > 0 && !limit.take(write.item, 2, at)) {
      model.finish(write, false, at);
      ++proxy.throttled;
      co_return cancelled("ThrottlingError",
                          "Throughput exceeds the current capacity of your table or index.");
    }
  }
  if (proxy.hold_next_transaction.exchange(false))
    co_await hold_until_repeated(write.token);
  ++proxy.forwarded;
  Answer applied =
      co_await upstream.exchange(request, "UpdateItem", json::serialize(write.update_item));
  Answer answer = applied;
  if (applied.status == 200) {
    ++proxy.applied_writes;
    answer = Answer{};
    answer.request_id = applied.request_id;
  } else if (applied.error_type == "ConditionalCheckFailedException") {
    std::optional<json::object> old;
    if (write.old_item_on_failure) {
      Answer read =
          co_await upstream.exchange(request, "GetItem", json::serialize(write.read_item));
      boost::system::error_code ec;
      json::value doc = json::parse(read.body, ec);
      const json::value* item =
          !ec && doc.is_object() ? doc.get_object().if_contains("Item") : nullptr;
      if (item != nullptr && item->is_object())
        old = item->get_object();
    }
    answer = cancelled("ConditionalCheckFailed", "The conditional request failed",
                       old ? &*old : nullptr);
  }
  std::lock_guard lock(mutex);
  model.finish(write, applied.status == 200, Clock::now() + clock_offset);
  co_return answer;
}

asio::awaitable<void> FaultProxy::State::hold_until_repeated(const std::string& token) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                    asio::steady_timer::time_point::max());
  {
    std::lock_guard lock(mutex);
    held[token] = timer;
  }
  co_await timer->async_wait(kTuple);
}

// Called with mutex held. The timer belongs to another connection's strand: cancelled there.
void FaultProxy::State::release(const std::string& token) {
  auto it = held.find(token);
  if (it == held.end())
    return;
  asio::post(it->second->get_executor(), [timer = it->second] { timer->cancel(); });
  held.erase(it);
}

Answer FaultProxy::State::lose_or_keep(const std::string& body, Answer answer) {
  bool lose = take(proxy.lose_next);
  std::lock_guard lock(mutex);
  const std::size_t request = std::hash<std::string>{}(body);
  if (!lose && proxy.lose_every > 0 && ++answers % proxy.lose_every == 0)
    lose = lost_requests.insert(request).second;
  if (!lose)
    return answer;
  ++proxy.lost_answers;
  LostAs as = proxy.lose_as;
  if (as == LostAs::kAlternate) {
    reset_next_alternate = !reset_next_alternate;
    as = reset_next_alternate ? LostAs::kReset : LostAs::kServerError;
  }
  if (as == LostAs::kReset)
    return unanswered(Answer::Kind::kReset);
  if (as == LostAs::kSilence)
    return unanswered(Answer::Kind::kSilence);
  return error_answer(500, "InternalServerError", "Internal server error (the answer was lost)");
}

}  // namespace mysfits::testing
