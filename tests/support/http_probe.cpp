#include "support/http_probe.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <thread>

#include "support/process.hpp"

namespace mysfits::testing {
namespace {

using Clock = std::chrono::steady_clock;

int connect_loopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads until the peer closes, the deadline passes, or stop(buffer) says the message is whole.
template <class Stop>
std::string read_until(int fd, Clock::time_point deadline, Stop stop, bool& timed_out) {
  std::string out;
  char buf[16384];
  timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r <= 0) {
      timed_out = r == 0;
      break;
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    out.append(buf, static_cast<std::size_t>(n));
    if (stop(out))
      break;
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Parses one response with a Content-Length (or none, read to close). Chunked bodies are
// decoded as well, since a relaying service may stream.
bool parse_response(const std::string& raw, HttpResult& out, bool complete_only) {
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos)
    return false;
  out.status = status_of(raw);
  out.headers.clear();
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    auto eol = raw.find("\r\n", pos);
    auto line = raw.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      out.headers[lower(line.substr(0, colon))] = value;
    }
    pos = eol + 2;
  }
  std::string rest = raw.substr(head_end + 4);
  if (auto it = out.headers.find("content-length"); it != out.headers.end()) {
    std::size_t len = std::stoul(it->second);
    if (rest.size() < len)
      return false;
    out.body = rest.substr(0, len);
    return true;
  }
  if (auto it = out.headers.find("transfer-encoding"); it != out.headers.end()) {
    std::string body;
    std::size_t p = 0;
    for (;;) {
      auto eol = rest.find("\r\n", p);
      if (eol == std::string::npos)
        return false;
      std::size_t size = std::stoul(rest.substr(p, eol - p), nullptr, 16);
      if (size == 0) {
        out.body = body;
        return true;
      }
      if (rest.size() < eol + 2 + size + 2)
        return false;
      body += rest.substr(eol + 2, size);
      p = eol + 2 + size + 2;
    }
  }
  if (out.status == 204 || out.status == 304 || out.status / 100 == 1)
    return true;
  out.body = rest;
  return !complete_only;
}

}  // namespace

std::string HttpResult::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

int status_of(const std::string& raw) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12)
    return 0;
  return std::atoi(raw.substr(9, 3).c_str());
}

HttpResult http(std::uint16_t port, const std::string& method, const std::string& target,
                const std::string& body, const Headers& headers,
                std::chrono::milliseconds timeout) {
  HttpResult result;
  auto start = Clock::now();
  int fd = connect_loopback(port);
  if (fd < 0) {
    result.error = std::string("connect: ") + std::strerror(errno);
    return result;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nConnection: close\r\n";
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
    if (lower(k) == "content-type")
      has_type = true;
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    if (!has_type && !body.empty())
      req += "Content-Type: application/json\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  if (!send_all(fd, req)) {
    result.error = "send failed";
    ::close(fd);
    return result;
  }
  bool timed_out = false;
  HttpResult scratch;
  std::string raw = read_until(
      fd, start + timeout,
      [&](const std::string& b) { return method != "HEAD" && parse_response(b, scratch, true); },
      timed_out);
  ::close(fd);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  if (method == "HEAD") {
    result.ok = raw.find("\r\n\r\n") != std::string::npos;
    if (result.ok) {
      result.status = status_of(raw);
      parse_response(raw.substr(0, raw.find("\r\n\r\n") + 4), scratch, false);
      result.headers = scratch.headers;
    }
  } else {
    result.ok =
        parse_response(raw, result, true) || (!timed_out && parse_response(raw, result, false));
  }
  if (!result.ok)
    result.error = timed_out ? "timeout" : "incomplete response: " + raw;
  return result;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
  int fd = connect_loopback(port);
  if (fd < 0)
    return {};
  send_all(fd, bytes);
  bool timed_out = false;
  std::string out = read_until(
      fd, Clock::now() + timeout, [](const std::string&) { return false; }, timed_out);
  ::close(fd);
  return out;
}

bool wait_ready(std::uint16_t port, const std::string& path, std::chrono::milliseconds deadline,
                Process* process) {
  auto end = Clock::now() + deadline;
  while (Clock::now() < end) {
    if (process != nullptr && !process->running())
      return false;
    auto r = http(port, "GET", path, "", {}, std::chrono::milliseconds(1000));
    if (r.ok && r.status == 200)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval, not a sync
  }
  return false;
}

bool wait_closed(std::uint16_t port, std::chrono::milliseconds deadline) {
  auto end = Clock::now() + deadline;
  while (Clock::now() < end) {
    int fd = connect_loopback(port);
    if (fd < 0)
      return true;
    ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace mysfits::testing
