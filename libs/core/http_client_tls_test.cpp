// HttpClient over TLS against an in-process HTTPS upstream whose certificate is made at test
// time (self-signed, for "localhost" only), so verification can both pass and fail on purpose.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/http_client.hpp"
#include "core/io_context.hpp"

namespace mysfits::core {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
  void operator()(X509* cert) const { X509_free(cert); }
};

// A self-signed certificate valid for the DNS name "localhost" only (no IP address).
struct TestCertificate {
  std::unique_ptr<EVP_PKEY, KeyDeleter> key{EVP_EC_gen("P-256")};
  std::unique_ptr<X509, CertDeleter> cert{X509_new()};
  std::string pem_path;

  TestCertificate() {
    X509* x = cert.get();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key.get());
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost");
    X509_add_ext(x, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(x, key.get(), EVP_sha256());

    pem_path = (std::filesystem::temp_directory_path() /
                ("mysfits-test-ca-" + std::to_string(::getpid()) + ".pem"))
                   .string();
    FILE* file = std::fopen(pem_path.c_str(), "w");
    PEM_write_X509(file, x);
    std::fclose(file);
  }
  ~TestCertificate() { std::filesystem::remove(pem_path); }
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;
};

// Answers every request on a TLS keep-alive connection with "sni=<server name> target=<t>".
class TlsUpstream {
 public:
  explicit TlsUpstream(const TestCertificate& certificate)
      : tls_(asio::ssl::context::tls_server),
        acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    SSL_CTX_use_certificate(tls_.native_handle(), certificate.cert.get());
    SSL_CTX_use_PrivateKey(tls_.native_handle(), certificate.key.get());
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsUpstream() {
    io_.stop();
    thread_.join();
  }
  TlsUpstream(const TlsUpstream&) = delete;
  TlsUpstream& operator=(const TlsUpstream&) = delete;

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int handshakes() const { return handshakes_; }
  int requests() const { return requests_; }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) {
        co_return;
      }
      asio::co_spawn(io_, session(asio::ssl::stream<tcp::socket>(std::move(socket), tls_)),
                     asio::detached);
    }
  }

  asio::awaitable<void> session(asio::ssl::stream<tcp::socket> stream) {
    auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
    if (handshake_ec) {
      co_return;
    }
    ++handshakes_;
    const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      auto [ec, unused] = co_await http::async_read(stream, buffer, request, kNoThrow);
      if (ec) {
        co_return;
      }
      ++requests_;
      const std::string body = std::string("sni=") + (sni != nullptr ? sni : "") +
                               " target=" + std::string(request.target());
      const std::string out =
          "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(out), kNoThrow);
      if (write_ec) {
        co_return;
      }
    }
  }

  asio::io_context io_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<int> handshakes_{0};
  std::atomic<int> requests_{0};
};

ClientRequest get(std::string target) {
  ClientRequest request;
  request.target = std::move(target);
  return request;
}

TEST(HttpClientTls, VerifiesCertificateAndHostNameSendsSniAndKeepsTheConnection) {
  TestCertificate certificate;
  TlsUpstream upstream(certificate);
  ClientOptions options;
  options.extra_ca_file = certificate.pem_path;
  HttpClient client(Endpoint{"https", "localhost", upstream.port()}, options);
  for (int i = 0; i < 3; ++i) {
    auto response = client.send_blocking(get("/ping"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->body, "sni=localhost target=/ping");
  }
  EXPECT_EQ(upstream.handshakes(), 1);
}

TEST(HttpClientTls, UntrustedCertificateIsBadGatewayAndNothingIsSent) {
  TestCertificate certificate;
  TlsUpstream upstream(certificate);
  HttpClient client(Endpoint{"https", "localhost", upstream.port()});
  auto response = client.send_blocking(get("/ping"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kBadGateway);
  EXPECT_EQ(upstream.requests(), 0);
}

TEST(HttpClientTls, HostNameNotInTheCertificateIsBadGateway) {
  TestCertificate certificate;  // valid for "localhost", not for 127.0.0.1
  TlsUpstream upstream(certificate);
  ClientOptions options;
  options.extra_ca_file = certificate.pem_path;
  HttpClient client(Endpoint{"https", "127.0.0.1", upstream.port()}, options);
  auto response = client.send_blocking(get("/ping"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kBadGateway);
  EXPECT_EQ(upstream.requests(), 0);
}

TEST(HttpClientTls, VerificationCanBeTurnedOffForLocalEmulators) {
  TestCertificate certificate;
  TlsUpstream upstream(certificate);
  ClientOptions options;
  options.verify_tls = false;
  HttpClient client(Endpoint{"https", "127.0.0.1", upstream.port()}, options);
  auto response = client.send_blocking(get("/ping"));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, "sni= target=/ping");  // no SNI for an IP address
}

TEST(HttpClientTls, MissingCaFileIsRefusedAtConstruction) {
  ClientOptions options;
  options.extra_ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(HttpClient(Endpoint{"https", "localhost", 443}, options), std::invalid_argument);
}

}  // namespace
}  // namespace mysfits::core
