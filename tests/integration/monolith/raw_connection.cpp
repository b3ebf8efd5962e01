#include "integration/monolith/raw_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace mysfits::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Length of the first whole response in bytes, or 0 when more is needed.
std::size_t whole_response_length(const std::string& bytes) {
  auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos)
    return 0;
  std::size_t head = head_end + 4;
  if (bytes.compare(0, 10, "HTTP/1.1 1") == 0)
    return head;
  std::size_t body = 0;
  for (const char* name : {"Content-Length: ", "content-length: "}) {
    auto at = bytes.find(name);
    if (at != std::string::npos && at < head_end)
      body = std::strtoul(bytes.c_str() + at + 16, nullptr, 10);
  }
  return bytes.size() >= head + body ? head + body : 0;
}

}  // namespace

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool RawConnection::send(const std::string& bytes) {
  std::size_t off = 0;
  while (fd_ >= 0 && off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    off += static_cast<std::size_t>(n);
  }
  return fd_ >= 0;
}

bool RawConnection::fill(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (fd_ < 0 || eof_ || left.count() <= 0)
    return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
    return false;
  char buf[16384];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    eof_ = true;
    return true;
  }
  pending_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::string RawConnection::read_response(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::size_t length = 0;
  while ((length = whole_response_length(pending_)) == 0 && !eof_) {
    if (!fill(deadline))
      break;
  }
  if (length == 0)
    length = pending_.size();
  std::string out = pending_.substr(0, length);
  pending_.erase(0, length);
  return out;
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!eof_) {
    if (!fill(deadline))
      return false;
  }
  return true;
}

}  // namespace mysfits::testing
