#include "core/cpu_allowance.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace mysfits::core {
namespace {

namespace fs = std::filesystem;

// A fake /sys/fs/cgroup in a temporary directory.
class CgroupTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("mysfits-cgroup-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }

  fs::path root_;
};

TEST(CpuAllowance, WorkersAreTheCpusWithoutAQuota) {
  EXPECT_EQ((CpuAllowance{8, std::nullopt}).worker_threads(), 8);
  EXPECT_EQ((CpuAllowance{0, std::nullopt}).worker_threads(), 1);
}

TEST(CpuAllowance, AQuotaRoundedUpCapsTheWorkers) {
  EXPECT_EQ((CpuAllowance{16, 1.0}).worker_threads(), 1);
  EXPECT_EQ((CpuAllowance{16, 1.5}).worker_threads(), 2);
  EXPECT_EQ((CpuAllowance{16, 0.25}).worker_threads(), 1);
  EXPECT_EQ((CpuAllowance{2, 4.0}).worker_threads(), 2);  // a quota above the CPUs adds none
}

TEST(CpuAllowance, DescribesWhatItFound) {
  EXPECT_EQ((CpuAllowance{1, std::nullopt}).describe(), "1 CPU");
  EXPECT_EQ((CpuAllowance{8, 1.5}).describe(), "8 CPUs, cgroup quota 1.5");
}

TEST(CpuMax, ParsesQuotaOverPeriodAndMaxAsNoLimit) {
  EXPECT_EQ(parse_cpu_max("150000 100000\n"), 1.5);
  EXPECT_EQ(parse_cpu_max("max 100000\n"), std::nullopt);
  EXPECT_EQ(parse_cpu_max("garbage"), std::nullopt);
  EXPECT_EQ(parse_cpu_max("-1 100000"), std::nullopt);
  EXPECT_EQ(parse_cpu_max("100000 0"), std::nullopt);
}

TEST(CpuAllowance, ThisProcessHasAtLeastOneWorker) {
  EXPECT_GE(cpu_allowance().worker_threads(), 1);
}

TEST_F(CgroupTree, V2LimitOfTheProcessCgroup) {
  write("kubepods/pod1/ctr/cpu.max", "100000 100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/kubepods/pod1/ctr\n"), 1.0);
}

TEST_F(CgroupTree, V2TightestLimitAlongThePathWins) {
  write("kubepods/cpu.max", "max 100000\n");
  write("kubepods/pod1/cpu.max", "50000 100000\n");
  write("kubepods/pod1/ctr/cpu.max", "200000 100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/kubepods/pod1/ctr\n"), 0.5);
}

TEST_F(CgroupTree, V2ContainerWithItsOwnNamespaceSeesItsLimitAtTheRoot) {
  write("cpu.max", "250000 100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/\n"), 2.5);
}

TEST_F(CgroupTree, V2NoLimitAnywhere) {
  write("user.slice/cpu.max", "max 100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "0::/user.slice\n"), std::nullopt);
  EXPECT_EQ(cgroup_cpu_quota(root_, ""), std::nullopt);
}

TEST_F(CgroupTree, V1QuotaUnderTheJoinedControllerMount) {
  write("cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "150000\n");
  write("cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
  const char* self =
      "9:memory:/docker/abc\n"
      "3:cpu,cpuacct:/docker/abc\n"
      "2:cpuset:/docker/abc\n";
  EXPECT_EQ(cgroup_cpu_quota(root_, self), 1.5);
}

TEST_F(CgroupTree, V1HostPathMissingInTheContainerFallsBackToTheMountRoot) {
  write("cpu/cpu.cfs_quota_us", "100000\n");
  write("cpu/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "1:cpu:/docker/0123456789abcdef\n"), 1.0);
}

TEST_F(CgroupTree, V1MinusOneIsNoLimitAndCpusetIsNotCpu) {
  write("cpu/cpu.cfs_quota_us", "-1\n");
  write("cpu/cpu.cfs_period_us", "100000\n");
  write("cpuset/cpu.cfs_quota_us", "100000\n");
  write("cpuset/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(cgroup_cpu_quota(root_, "1:cpu:/\n5:cpuset:/\n"), std::nullopt);
}

}  // namespace
}  // namespace mysfits::core
