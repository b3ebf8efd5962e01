#include "cli/static_site.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

namespace mysfits::cli {
namespace {

namespace fs = std::filesystem;

TEST(SiteRelativePath, RootAndDirectoriesServeTheirIndex) {
  EXPECT_EQ(site_relative_path("/"), "index.html");
  EXPECT_EQ(site_relative_path("/css/site.css"), "css/site.css");
  EXPECT_EQ(site_relative_path("//images//a.svg"), "images/a.svg");
  EXPECT_EQ(site_relative_path("/docs/"), "docs/index.html");
  EXPECT_EQ(site_relative_path("/a%20b.png"), "a b.png");
}

TEST(SiteRelativePath, RejectsEveryWayOut) {
  const std::vector<std::string_view> bad_paths{"/../etc/passwd",
                                                "/css/../../x",
                                                "/%2e%2e/etc/passwd",
                                                "/%2E%2E/x",
                                                "/.%2e/x",
                                                "/a%2fb",
                                                "/a%5cb",
                                                "/a\\..\\b",
                                                "/x%00.html",
                                                std::string_view("/x\0y", 4),
                                                "/.env",
                                                "/.",
                                                "/%zz",
                                                "/%2",
                                                "relative",
                                                ""};
  for (std::string_view bad : bad_paths) {
    EXPECT_FALSE(site_relative_path(bad)) << bad;
  }
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("css/site.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("js/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("images/yeti_thumb.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.png"), "image/png");
  EXPECT_EQ(content_type_for("data.json"), "application/json");
  EXPECT_EQ(content_type_for("blob.bin"), "application/octet-stream");
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("static-site-test-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "web" / "css");
    std::ofstream(base_ / "web" / "index.html") << "<h1>mysfits</h1>";
    std::ofstream(base_ / "web" / "css" / "site.css") << "body{}";
    std::ofstream(base_ / "secret.txt") << "secret";
    fs::create_symlink(base_ / "secret.txt", base_ / "web" / "leak.txt");
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
};

TEST_F(StaticSiteTest, ServesFilesWithTheirTypes) {
  StaticSite site(base_ / "web", 8080);
  auto index = site.serve("GET", "/?api=x", "127.0.0.1:8000");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<h1>mysfits</h1>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  auto css = site.serve("HEAD", "/css/site.css", "");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
}

TEST_F(StaticSiteTest, AnswersMissingTraversalAndWritesWithErrors) {
  StaticSite site(base_ / "web", 8080);
  EXPECT_EQ(site.serve("GET", "/nope.html", "").status, 404);
  EXPECT_EQ(site.serve("GET", "/css", "").status, 404);
  EXPECT_EQ(site.serve("GET", "/../secret.txt", "").status, 400);
  EXPECT_EQ(site.serve("GET", "/%2e%2e/secret.txt", "").status, 400);
  EXPECT_EQ(site.serve("GET", "/leak.txt", "").status, 404) << "symlink out of the root";
  auto post = site.serve("POST", "/index.html", "");
  EXPECT_EQ(post.status, 405);
  ASSERT_EQ(post.headers.size(), 1u);
  EXPECT_EQ(post.headers[0].second, "GET, HEAD");
}

TEST_F(StaticSiteTest, ConfigJsPointsAtTheGatewayOnTheHostTheBrowserUsed) {
  StaticSite site(base_ / "web", 18080);
  auto config = site.serve("GET", "/config.js", "127.0.0.1:8000");
  EXPECT_EQ(config.status, 200);
  EXPECT_EQ(config.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(config.body.find("window.MYSFITS_CONFIG = {apiBase: \"http://127.0.0.1:18080\"};"),
            std::string::npos);
  EXPECT_NE(site.config_js("localhost:8000").find("\"http://localhost:18080\""), std::string::npos);
  EXPECT_NE(site.config_js("evil\";alert(1);//:8000").find("\"http://127.0.0.1:18080\""),
            std::string::npos);
  EXPECT_NE(site.config_js("").find("\"http://127.0.0.1:18080\""), std::string::npos);
}

}  // namespace
}  // namespace mysfits::cli
