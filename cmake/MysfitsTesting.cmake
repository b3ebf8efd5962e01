# One call per kind of test, so every test is registered the same way.

# Every unit test binary marked THREADED, so the tsan preset builds exactly those.
add_custom_target(threaded_unit_tests)

# mysfits_add_unit_test(<name> [THREADED] SOURCES ... LIBS ...): a GoogleTest binary, each TEST a
# CTest test labelled `unit`. THREADED: its tests hand work across threads; they are labelled
# `unit-threaded` instead (`-L unit` still selects them) and also run under ThreadSanitizer.
# One label each: gtest_discover_tests splits a list-valued property into separate arguments.
function(mysfits_add_unit_test name)
  cmake_parse_arguments(ARG "THREADED" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  mysfits_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  set(label unit)
  if(ARG_THREADED)
    set(label unit-threaded)
    add_dependencies(threaded_unit_tests ${name})
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS ${label} DISCOVERY_TIMEOUT 60)
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
