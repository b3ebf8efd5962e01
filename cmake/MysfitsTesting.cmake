# One call per kind of test, so every test is registered the same way.

# mysfits_add_unit_test(<name> SOURCES ... LIBS ...): a GoogleTest binary, each TEST a CTest test.
function(mysfits_add_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  mysfits_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()

# mysfits_add_integration_test(<name> SOURCES ... LIBS ... [TIMEOUT s] [PREFIX p]): a GoogleTest
# binary that spawns the real executables from build/bin (testing::bin_path). PREFIX tells apart
# the CTest names of one test source built twice.
function(mysfits_add_integration_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT;PREFIX" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  mysfits_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} mysfits_test_support GTest::gtest
                                        GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  gtest_discover_tests(${name}
    PROPERTIES LABELS integration TIMEOUT ${ARG_TIMEOUT}
    TEST_PREFIX "${ARG_PREFIX}"
    DISCOVERY_TIMEOUT 60)
endfunction()
include(GoogleTest)
