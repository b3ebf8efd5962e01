#include "support/build_tree.hpp"

namespace mysfits::testing {

std::string bin_path(const std::string& name) {
  return std::string(MYSFITS_BIN_DIR) + "/" + name;
}

std::string source_path(const std::string& relative) {
  return std::string(MYSFITS_SOURCE_DIR) + "/" + relative;
}

}  // namespace mysfits::testing
