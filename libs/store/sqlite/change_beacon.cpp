#include "store/sqlite/change_beacon.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <system_error>
#include <utility>

namespace mysfits::store {
namespace {

// Other processes update the word through their own mapping: only a lock-free atomic works on
// memory shared that way (a lock inside the library would be per process).
static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);

constexpr off_t kSize = sizeof(std::uint64_t);

core::Error failure(const std::string& path, const char* what) {
  return {core::Errc::kInternal, "change beacon " + path + ": " + what + ": " +
                                     std::error_code(errno, std::generic_category()).message()};
}

}  // namespace

core::Result<ChangeBeacon> ChangeBeacon::open(const std::string& db_path) {
  const std::string path = path_for(db_path);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return failure(path, "open");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto error = failure(path, "stat");
    ::close(fd);
    return error;
  }
  // Growing a file zero-fills only the new bytes, so two processes creating the beacon at
  // once cannot reset a count the first one already bumped.
  if (st.st_size < kSize && ::ftruncate(fd, kSize) != 0) {
    auto error = failure(path, "resize");
    ::close(fd);
    return error;
  }
  void* mapped = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  auto error = mapped == MAP_FAILED ? failure(path, "mmap") : core::Error{};
  // The mapping keeps the file's pages; the descriptor is not needed any more.
  ::close(fd);
  if (mapped == MAP_FAILED)
    return error;
  return ChangeBeacon(static_cast<std::uint64_t*>(mapped));
}

ChangeBeacon::ChangeBeacon(ChangeBeacon&& other) noexcept
    : word_(std::exchange(other.word_, nullptr)) {}

ChangeBeacon& ChangeBeacon::operator=(ChangeBeacon&& other) noexcept {
  if (this != &other) {
    if (word_ != nullptr)
      ::munmap(word_, kSize);
    word_ = std::exchange(other.word_, nullptr);
  }
  return *this;
}

ChangeBeacon::~ChangeBeacon() {
  if (word_ != nullptr)
    ::munmap(word_, kSize);
}

std::uint64_t ChangeBeacon::load() const {
  return std::atomic_ref<std::uint64_t>(*word_).load(std::memory_order_acquire);
}

std::uint64_t ChangeBeacon::bump() {
  // Release at least: a process that reads the new value must also see what this one stored
  // before the bump (its mirror's new counts); seq_cst costs nothing more on x86's locked add.
  return std::atomic_ref<std::uint64_t>(*word_).fetch_add(1, std::memory_order_seq_cst);
}

}  // namespace mysfits::store
