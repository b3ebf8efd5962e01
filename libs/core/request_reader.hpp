#pragma once

// Internal to the core library: reading one request off a connection, with every limit and
// framing check the server applies before a handler sees anything. Only http_session.cpp
// includes this.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/http_session.hpp"

namespace mysfits::core::detail {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// What reading one request came to.
struct ReadOutcome {
  enum class Kind {
    kRequest,  // a whole request is in the parser
    kRefused,  // answer `status` (4xx) and close
    kClosed,   // close without a word: the peer left, timed out, or sent no request
  };
  Kind kind = Kind::kClosed;
  int status = 0;
};

// Waits, up to the idle timeout, for the first byte of the next request (at once when
// pipelined bytes are buffered). False: close the connection (peer gone, idle, draining).
boost::asio::awaitable<bool> wait_for_request(Connection& connection);

// Reads one request into a fresh parser, within the request timeout: the head, checked for
// size and ambiguous framing, then (after a 100 Continue when asked for) the body.
boost::asio::awaitable<ReadOutcome> read_request(Connection& connection, RequestParser& parser);

}  // namespace mysfits::core::detail
