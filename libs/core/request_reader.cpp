#include "core/request_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "core/ascii.hpp"
#include "core/head_text.hpp"

namespace mysfits::core::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using BeastRequest = http::request<http::string_body>;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// 0: close without a response (the peer left, or the socket is already closed by a timeout).
int status_for_read_error(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit)
    return 431;
  if (ec == http::error::body_limit)
    return 413;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message)
    return 0;
  if (ec.category() == http::make_error_code(http::error::bad_method).category())
    return 400;
  return 0;
}

ReadOutcome refused_or_closed(int status) {
  return status == 0 ? ReadOutcome{ReadOutcome::Kind::kClosed, 0}
                     : ReadOutcome{ReadOutcome::Kind::kRefused, status};
}

// Beast limits only the whole header, so a request line of more than max_header_total bytes
// fails as "header too large"; it is still a request line too long (414), as a shorter one is.
// Measured on the bytes before Beast parses them: when a header is what overflows, Beast has
// already consumed the request line from the buffer.
std::size_t request_line_length(std::string_view bytes) {
  const auto end_of_line = bytes.find("\r\n");
  return end_of_line == std::string_view::npos ? bytes.size() : end_of_line;
}

// Limits Beast does not enforce itself: the request line and each header field on its own.
int status_for_oversized_parts(const BeastRequest& msg, const ServerLimits& limits) {
  if (msg.method_string().size() + msg.target().size() + 10 > limits.max_request_line)
    return 414;
  for (const auto& f : msg.base()) {
    if (f.name_string().size() + f.value().size() + 2 > limits.max_header_field)
      return 431;
  }
  return 0;
}

// Framing that two parsers could read differently is how requests get smuggled through a proxy:
// a server in front of others must refuse it rather than guess. Only a lone "chunked" is a
// transfer coding we accept (Beast already refuses Content-Length together with chunked).
int status_for_ambiguous_framing(const BeastRequest& msg) {
  int codings = 0;
  for (const auto& f : msg.base()) {
    if (f.name() != http::field::transfer_encoding)
      continue;
    if (++codings > 1 || msg.version() < 11)
      return 400;
    if (!iequals(trim_ows(f.value()), "chunked"))
      return 400;
  }
  return 0;
}

// obs-fold (a header line continued on the next line) is obsolete; a server may reject it or
// unfold it, and an edge that unfolds can be read differently by the next hop, so we reject.
// Control bytes outside line ends: not an HTTP head at all (TLS, binary junk). Beast refuses
// such bytes at once, so there is no point waiting for the rest of a header block.
bool is_binary(std::string_view bytes) {
  for (unsigned char c : bytes)
    if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f)
      return true;
  return false;
}

bool has_obs_fold(std::string_view header_block) {
  return header_block.find("\r\n ") != std::string_view::npos ||
         header_block.find("\r\n\t") != std::string_view::npos;
}

// What the raw head bytes said before Beast parsed (and partly consumed) them.
struct RawHead {
  bool folded = false;
  std::size_t request_line_length = 0;
};

// Reads until the header block is complete, or is surely not coming (too long, binary): the
// raw block is looked at once before Beast parses it, because Beast unfolds obs-fold silently.
// Past the size limit, Beast's own parse then answers 431.
asio::awaitable<RawHead> read_raw_head(Connection& c) {
  RawHead head;
  const ServerLimits& limits = c.limits();
  for (;;) {
    const std::string_view seen(static_cast<const char*>(c.buffer.data().data()), c.buffer.size());
    head.request_line_length = request_line_length(seen);
    const auto end = seen.find("\r\n\r\n");
    if (end != std::string_view::npos) {
      head.folded = has_obs_fold(seen.substr(0, end + 2));
      co_return head;
    }
    if (seen.size() > limits.max_header_total + limits.max_request_line || is_binary(seen))
      co_return head;
    auto [ec, n] = co_await c.stream.async_read_some(c.buffer.prepare(8192), kAsTuple);
    if (ec)
      co_return head;
    c.buffer.commit(n);
  }
}

}  // namespace

asio::awaitable<bool> wait_for_request(Connection& c) {
  if (c.buffer.size() != 0)
    co_return true;
  c.handle.idle = true;
  if (c.worker.draining)
    co_return false;
  c.arm(c.limits().idle_timeout);
  auto [ec, n] = co_await c.stream.async_read_some(c.buffer.prepare(8192), kAsTuple);
  if (ec)
    co_return false;
  c.buffer.commit(n);
  co_return true;
}

asio::awaitable<ReadOutcome> read_request(Connection& c, RequestParser& parser) {
  const ServerLimits& limits = c.limits();
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_total));
  parser.body_limit(limits.max_body);
  c.arm(limits.request_timeout);
  const RawHead raw = co_await read_raw_head(c);
  auto [head_ec, head_n] = co_await http::async_read_header(c.stream, c.buffer, parser, kAsTuple);
  if (head_ec) {
    const bool line_too_long =
        head_ec == http::error::header_limit && raw.request_line_length > limits.max_request_line;
    co_return refused_or_closed(line_too_long ? 414 : status_for_read_error(head_ec));
  }
  int status = status_for_oversized_parts(parser.get(), limits);
  if (status == 0)
    status = raw.folded ? 400 : status_for_ambiguous_framing(parser.get());
  if (status != 0)
    co_return ReadOutcome{ReadOutcome::Kind::kRefused, status};
  if (parser.is_done())
    co_return ReadOutcome{ReadOutcome::Kind::kRequest, 0};
  if (iequals(parser.get()[http::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [write_ec, written] = co_await asio::async_write(
        c.stream, asio::buffer(kContinue.data(), kContinue.size()), kAsTuple);
    // The client waits for this before it sends the body; if it cannot have it, no body comes.
    if (write_ec)
      co_return ReadOutcome{ReadOutcome::Kind::kClosed, 0};
  }
  auto [body_ec, body_n] = co_await http::async_read(c.stream, c.buffer, parser, kAsTuple);
  if (body_ec)
    co_return refused_or_closed(status_for_read_error(body_ec));
  co_return ReadOutcome{ReadOutcome::Kind::kRequest, 0};
}

}  // namespace mysfits::core::detail
