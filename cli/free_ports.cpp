#include "cli/free_ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mysfits::cli {

std::uint16_t FreePorts::pick() {
  for (;;) {
    std::uint16_t port = pick_any();
    // The kept socket holds an avoided port too, so the kernel does not offer it again.
    if (std::find(avoid_.begin(), avoid_.end(), port) == avoid_.end())
      return port;
  }
}

std::uint16_t FreePorts::pick_any() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    throw std::runtime_error(std::string("cannot pick a free loopback port: ") +
                             std::strerror(err));
  }
  sockets_.push_back(fd);
  return ntohs(addr.sin_port);
}

void FreePorts::release() {
  for (int fd : sockets_)
    ::close(fd);
  sockets_.clear();
}

std::string bind_error(const std::string& host, std::uint16_t port) {
  sockaddr_storage storage{};
  socklen_t len = 0;
  int family = AF_INET;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof *v4;
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    family = AF_INET6;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof *v6;
  } else {
    return "not an IP address: " + host;
  }
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return std::strerror(errno);
  // As our servers bind: a port in TIME_WAIT after a previous run counts as free.
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  std::string error;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), len) != 0)
    error = std::strerror(errno);
  ::close(fd);
  return error;
}

}  // namespace mysfits::cli
