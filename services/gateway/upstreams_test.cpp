#include "services/gateway/upstreams.hpp"

#include <gtest/gtest.h>

namespace mysfits::gateway {
namespace {

TEST(Upstreams, ParsesServicePortAndAddresses) {
  UpstreamMap map;
  ASSERT_TRUE(parse_upstream("mythical-mysfits-like:80=127.0.0.1:9002, 127.0.0.1:9012", map));
  EXPECT_EQ(map["mythical-mysfits-like:80"],
            (std::vector<std::string>{"127.0.0.1:9002", "127.0.0.1:9012"}));
}

TEST(Upstreams, EmptyListRegistersNoTarget) {
  UpstreamMap map;
  ASSERT_TRUE(parse_upstream("svc:80=", map));
  EXPECT_TRUE(map.at("svc:80").empty());
}

TEST(Upstreams, RefusesMalformedSpecs) {
  UpstreamMap map;
  for (const char* bad : {"svc:80", "svc=127.0.0.1:1", ":80=127.0.0.1:1", "svc:80=127.0.0.1",
                          "svc:80=127.0.0.1:0", "svc:80=127.0.0.1:70000", "svc:80=h:x"}) {
    EXPECT_FALSE(parse_upstream(bad, map)) << bad;
  }
  EXPECT_TRUE(map.empty());
}

TEST(Upstreams, FileSkipsCommentsAndNamesTheBadLine) {
  auto ok = parse_upstreams_text("# comment\n\nsvc:80=127.0.0.1:1\r\nother:8080=[::1]:2\n", "f");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 2U);
  auto bad = parse_upstreams_text("svc:80=127.0.0.1:1\nnonsense\n", "up.txt");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("up.txt:2"), std::string::npos) << bad.error().message;
}

TEST(Upstreams, FileWinsOverFlagsPerService) {
  UpstreamMap flags{{"a:80", {"127.0.0.1:1"}}, {"b:80", {"127.0.0.1:2"}}};
  UpstreamMap file{{"b:80", {"127.0.0.1:3"}}};
  auto merged = merge_upstreams(flags, file);
  EXPECT_EQ(merged["a:80"], std::vector<std::string>{"127.0.0.1:1"});
  EXPECT_EQ(merged["b:80"], std::vector<std::string>{"127.0.0.1:3"});
}

TEST(Upstreams, MissingFileIsAnError) {
  EXPECT_FALSE(read_upstreams_file("/nonexistent/upstreams.txt"));
}

}  // namespace
}  // namespace mysfits::gateway
