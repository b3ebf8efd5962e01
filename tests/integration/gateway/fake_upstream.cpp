// A target with teeth for the gateway's integration tests. Serves HTTP/1.1 keep-alive on
// 127.0.0.1:PORT, one thread per connection, and misbehaves on request:
//   GET /__reset        reads the request, then resets the connection (RST, no response)
//   GET /__stall        reads the request, then never answers
//   GET /__delay/<ms>   answers after ms milliseconds
//   GET /health         answers --health-status (default 200)
//   anything else       200 with a JSON echo: name, method, target, headers, and the serial
//                       number of the connection and of the request on it (keep-alive checks)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

namespace {

std::string g_name = "fake";
int g_health_status = 200;
std::atomic<int> g_connections{0};

bool read_request(int fd, std::string& buffer, std::string& head, std::string& body) {
  for (;;) {
    auto end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      head = buffer.substr(0, end);
      std::size_t length = 0;
      std::string lower = head;
      for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (auto cl = lower.find("\r\ncontent-length:"); cl != std::string::npos)
        length = std::strtoul(lower.c_str() + cl + 17, nullptr, 10);
      while (buffer.size() < end + 4 + length) {
        char chunk[8192];
        auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
          return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      body = buffer.substr(end + 4, length);
      buffer.erase(0, end + 4 + length);
      return true;
    }
    char chunk[8192];
    auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0)
      return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

void send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      return;
    sent += static_cast<std::size_t>(n);
  }
}

std::string response(int status, const std::string& body, bool keep_alive) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n" +
         (keep_alive ? "" : "Connection: close\r\n") + "\r\n" + body;
}

void serve(int fd) {
  const int connection = ++g_connections;
  std::string buffer;
  std::string head;
  std::string body;
  for (int request = 1; read_request(fd, buffer, head, body); ++request) {
    const auto line_end = head.find("\r\n");
    const std::string line = head.substr(0, line_end);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    const std::string method = line.substr(0, sp1);
    const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string lower_head = head;
    for (auto& c : lower_head)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool keep_alive = lower_head.find("\r\nconnection: close") == std::string::npos;

    if (target == "/__reset") {
      linger l{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      break;
    }
    if (target == "/__stall") {
      char sink[1024];
      while (::recv(fd, sink, sizeof sink, 0) > 0) {
      }
      break;
    }
    if (target.rfind("/__delay/", 0) == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(target.c_str() + 9)));
    if (target == "/health") {
      send_all(fd, response(g_health_status, "{}", keep_alive));
    } else {
      boost::json::object echo;
      echo["name"] = g_name;
      echo["method"] = method;
      echo["target"] = target;
      echo["body"] = body;
      echo["connection"] = connection;
      echo["request"] = request;
      boost::json::object headers;
      for (auto pos = line_end; pos < head.size();) {
        auto next = head.find("\r\n", pos + 2);
        auto field =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        auto colon = field.find(':');
        if (colon != std::string::npos) {
          std::string key = field.substr(0, colon);
          for (auto& c : key)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          auto value = field.substr(colon + 1);
          value.erase(0, value.find_first_not_of(' '));
          headers[key] = value;
        }
        pos = next == std::string::npos ? head.size() : next;
      }
      echo["headers"] = std::move(headers);
      send_all(fd, response(200, boost::json::serialize(echo), keep_alive));
    }
    if (!keep_alive)
      break;
  }
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--port")
      port = std::atoi(argv[i + 1]);
    else if (flag == "--name")
      g_name = argv[i + 1];
    else if (flag == "--health-status")
      g_health_status = std::atoi(argv[i + 1]);
  }
  std::signal(SIGPIPE, SIG_IGN);
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 128) != 0) {
    std::cerr << "fake_upstream: cannot listen on " << port << ": " << std::strerror(errno) << '\n';
    return 1;
  }
  for (;;) {
    int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0)
      continue;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread(serve, fd).detach();
  }
}
