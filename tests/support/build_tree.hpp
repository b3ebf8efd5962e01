#pragma once

#include <string>

namespace mysfits::testing {

// The build and source trees this test binary was built from, compiled in by
// tests/support/CMakeLists.txt: the one way every test finds executables and files, whether
// CTest, a script or a developer runs it.

// <build>/bin/<name>: the executables the build made.
std::string bin_path(const std::string& name);
// <source>/<relative>: manifests, fixtures, node_modules.
std::string source_path(const std::string& relative);

}  // namespace mysfits::testing
