#include "cli/up_state.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace mysfits::cli {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class UpStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("up-state-test-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_);
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
};

TEST_F(UpStateTest, RuntimeRootFollowsXdgRuntimeDir) {
  const char* saved = std::getenv("XDG_RUNTIME_DIR");
  std::string restore = saved != nullptr ? saved : "";
  ::setenv("XDG_RUNTIME_DIR", base_.c_str(), 1);
  EXPECT_EQ(up_files_for_port(8080).state, base_ / "mysfits-up" / "8080" / "state.json");
  ::unsetenv("XDG_RUNTIME_DIR");
  EXPECT_EQ(runtime_root(),
            fs::temp_directory_path() / ("mysfits-up-" + std::to_string(::getuid())));
  if (saved != nullptr)
    ::setenv("XDG_RUNTIME_DIR", restore.c_str(), 1);
}

TEST_F(UpStateTest, PrepareClearsWhatAKilledUpLeftAndRestrictsTheDirectory) {
  UpFiles files = up_files_in(base_ / "root" / "8080");
  fs::create_directories(files.dir);
  std::ofstream(files.state) << "{\"pid\": 1}";
  std::ofstream(files.upstreams) << "stale";
  ASSERT_TRUE(prepare_up_files(files));
  EXPECT_FALSE(fs::exists(files.state));
  EXPECT_FALSE(fs::exists(files.upstreams));
  EXPECT_EQ(fs::status(files.dir).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST_F(UpStateTest, ReplacesFilesAndLinksWhole) {
  UpFiles files = up_files_in(base_);
  std::ofstream(base_ / "monolith.yaml") << "monolith";
  std::ofstream(base_ / "like.yaml") << "like";
  ASSERT_TRUE(replace_symlink(files.ingress_link, base_ / "monolith.yaml"));
  EXPECT_EQ(read(files.ingress_link), "monolith");
  ASSERT_TRUE(replace_symlink(files.ingress_link, base_ / "like.yaml"));
  EXPECT_EQ(read(files.ingress_link), "like");
  ASSERT_TRUE(replace_file(files.upstreams, upstreams_text({"a:80=127.0.0.1:1"})));
  ASSERT_TRUE(replace_file(files.upstreams, upstreams_text({"b:80=127.0.0.1:2,127.0.0.1:3"})));
  EXPECT_EQ(read(files.upstreams),
            "# Written by `mysfits up`: the gateway re-reads it on SIGHUP.\n"
            "b:80=127.0.0.1:2,127.0.0.1:3\n");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(base_))
    ++entries;
  EXPECT_EQ(entries, 4u) << "no temporary file is left behind";
  EXPECT_FALSE(replace_file(base_ / "missing-dir" / "x", "y")) << "an error, not a throw";
}

TEST(UpStateJson, NamesTheStageThePortsTheControlEndpointAndEveryChild) {
  UpSnapshot snapshot;
  snapshot.pid = 42;
  snapshot.settings.stage = Stage::kLike;
  snapshot.settings.port = 18080;
  snapshot.settings.web_port = 18000;
  snapshot.control_port = 40123;
  snapshot.gateway_admin_port = 40124;
  snapshot.store = "SQLite /d/mysfits.db";
  snapshot.ingress = "/src/deploy/k8s/stages/like/ingress.yaml";
  snapshot.children = {{"monolith-1", "monolith", 100, 40001, 0}, {"like-1", "like", -1, 40002, 2}};
  auto state = boost::json::parse(state_json(snapshot)).as_object();
  EXPECT_EQ(state.at("pid").as_int64(), 42);
  EXPECT_EQ(state.at("stage").as_string(), "like");
  EXPECT_EQ(state.at("port").as_int64(), 18080);
  EXPECT_EQ(state.at("web_port").as_int64(), 18000);
  EXPECT_EQ(state.at("control").as_string(), "http://127.0.0.1:40123");
  EXPECT_EQ(state.at("gateway_admin").as_string(), "http://127.0.0.1:40124");
  EXPECT_EQ(state.at("ingress").as_string(), "/src/deploy/k8s/stages/like/ingress.yaml");
  const auto& children = state.at("children").as_array();
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[1].at("name").as_string(), "like-1");
  EXPECT_EQ(children[1].at("pid").as_int64(), -1);
  EXPECT_EQ(children[1].at("restarts").as_int64(), 2);
}

}  // namespace
}  // namespace mysfits::cli
