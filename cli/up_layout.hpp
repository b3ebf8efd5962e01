#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/stage_plan.hpp"
#include "cli/up_state.hpp"
#include "core/result.hpp"

namespace mysfits::cli {

// What `mysfits up` settles before it starts anything: where its executables, manifests and data
// are, and the gateway's two input files.

// True when DDB_TABLE_NAME names a DynamoDB table (the monolith then uses it, not SQLite).
bool uses_dynamodb();
// The store, in words, for the start-up table and state.json.
std::string store_description(const std::filesystem::path& db_path);

// Everything that can be checked before a child starts, with a message that says what to do.
core::Result<UpLayout> prepare_layout(const UpSettings& settings, const UpFiles& files);

// The gateway's Ingress link and upstreams file, written before it starts.
core::Result<core::Unit> write_gateway_inputs(const UpSettings& settings, const UpLayout& layout,
                                              const UpFiles& files,
                                              const std::vector<ChildSpec>& plan);

}  // namespace mysfits::cli
