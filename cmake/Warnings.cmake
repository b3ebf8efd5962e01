# mysfits_target_defaults(<target>): warnings-as-errors on our own code only. Third-party headers
# come in as SYSTEM through their imported targets, so their warnings never fail our build.
function(mysfits_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Werror)
  # GCC 12 at -O3 reports -Wrestrict inside libstdc++ for plain std::string appends and
  # assignments (GCC bug 105329, fixed in GCC 13); with -Werror it broke the release build on
  # correct code. Only there: other builds and compilers keep the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
     AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-Wno-restrict>)
  endif()
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
