#include "core/config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>

namespace mysfits::core {
namespace {

struct EnvGuard {
  const char* name;
  EnvGuard(const char* n, const char* v) : name(n) { ::setenv(n, v, 1); }
  ~EnvGuard() { ::unsetenv(name); }
};

TEST(ServiceConfig, DefaultsAreTheDocumentedOnes) {
  CLI::App app("t");
  ServiceConfig c;
  add_service_options(app, c);
  const char* argv[] = {"t"};
  app.parse(1, const_cast<char**>(argv));
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.admin_port, 0);
  EXPECT_EQ(c.level(), LogLevel::kInfo);
  EXPECT_FALSE(c.request_timeout_ms) << "unset: each executable applies its own default";
}

TEST(ServiceConfig, RequestTimeoutComesFromEnvOrFlagAndMustBePositive) {
  EnvGuard timeout("REQUEST_TIMEOUT_MS", "750");
  CLI::App app("t");
  ServiceConfig c;
  add_service_options(app, c);
  const char* argv[] = {"t"};
  app.parse(1, const_cast<char**>(argv));
  EXPECT_EQ(c.request_timeout_ms, 750);

  CLI::App zero_app("t");
  add_service_options(zero_app, c);
  const char* zero[] = {"t", "--request-timeout-ms", "0"};
  EXPECT_THROW(zero_app.parse(3, const_cast<char**>(zero)), CLI::ParseError);
}

TEST(ServiceConfig, EnvironmentIsReadAndFlagsOverrideIt) {
  EnvGuard port("PORT", "9000");
  EnvGuard admin("ADMIN_PORT", "9100");
  CLI::App app("t");
  ServiceConfig c;
  add_service_options(app, c);
  const char* argv[] = {"t", "--port", "9001"};
  app.parse(3, const_cast<char**>(argv));
  EXPECT_EQ(c.port, 9001);
  EXPECT_EQ(c.admin_port, 9100);
}

TEST(ServiceConfig, BadValuesAreRejected) {
  for (auto args : std::vector<std::vector<const char*>>{{"t", "--port", "abc"},
                                                         {"t", "--port", "70000"},
                                                         {"t", "--log-level", "loud"},
                                                         {"t", "--no-such-flag"}}) {
    CLI::App app("t");
    ServiceConfig c;
    add_service_options(app, c);
    EXPECT_THROW(app.parse(static_cast<int>(args.size()), const_cast<char**>(args.data())),
                 CLI::ParseError)
        << args[1];
  }
}

TEST(LogLevel, ParsesTheFourLevels) {
  LogLevel l{};
  EXPECT_TRUE(parse_log_level("debug", l));
  EXPECT_EQ(l, LogLevel::kDebug);
  EXPECT_TRUE(parse_log_level("error", l));
  EXPECT_EQ(l, LogLevel::kError);
  EXPECT_FALSE(parse_log_level("verbose", l));
}

}  // namespace
}  // namespace mysfits::core
