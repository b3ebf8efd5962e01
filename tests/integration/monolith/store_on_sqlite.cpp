// MonolithServer on SQLite: data_name is the database file.
#include "integration/monolith/monolith_server.hpp"

namespace mysfits::testing {

std::map<std::string, std::string> store_environment(const std::string& data_name) {
  return {{"MYSFITS_DB", data_name}};
}

}  // namespace mysfits::testing
