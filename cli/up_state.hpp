#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/stage_plan.hpp"
#include "core/result.hpp"

namespace mysfits::cli {

// What a running `mysfits up` leaves for other processes (the later `mysfits migrate --port P`,
// `mysfits status --port P`) to find and change it, in one directory per gateway port (see
// runtime_dir_for):
//   state.json    pid, stage, ports, control endpoint, the gateway's admin endpoint (its status),
//                 children: rewritten whenever they change
//   ingress.yaml  symlink to deploy/k8s/stages/<stage>/ingress.yaml: the gateway's --ingress
//   upstreams     the gateway's --upstreams-file (SERVICE:PORT=ADDR,... per line)
// The gateway re-reads both files on SIGHUP, so switching stages without dropping a request is:
// start what the new stage needs, rewrite upstreams, re-point the link, SIGHUP the gateway.
struct UpFiles {
  std::filesystem::path dir;
  std::filesystem::path state;
  std::filesystem::path ingress_link;
  std::filesystem::path upstreams;
};

// $XDG_RUNTIME_DIR/mysfits-up when that is set, else /tmp/mysfits-up-<uid>.
std::filesystem::path runtime_root();
UpFiles up_files_in(const std::filesystem::path& dir);
UpFiles up_files_for_port(std::uint16_t gateway_port);

// Creates the directory (owner-only) and clears what a previous, killed `up` left in it.
core::Result<core::Unit> prepare_up_files(const UpFiles& files);
void remove_up_files(const UpFiles& files);

// Writes next to path, then renames over it: a reader sees the old or the new file, never half.
core::Result<core::Unit> replace_file(const std::filesystem::path& path,
                                      const std::string& content);
// Same for a symbolic link (the gateway follows it on each reload).
core::Result<core::Unit> replace_symlink(const std::filesystem::path& link,
                                         const std::filesystem::path& target);

// The upstreams file's text: one line per --upstream argument.
std::string upstreams_text(const std::vector<std::string>& upstreams);

struct UpSnapshot {
  pid_t pid = 0;
  UpSettings settings;
  std::uint16_t control_port = 0;  // 0 until the control endpoint listens
  std::string store;               // "SQLite /path" or "DynamoDB table T (DDB_TABLE_NAME)"
  std::filesystem::path ingress;   // the stage's manifest the link points at
  std::vector<ChildStatus> children;
  std::uint16_t gateway_admin_port = 0;  // its status page and /status.json
};

std::string state_json(const UpSnapshot& snapshot);

}  // namespace mysfits::cli
