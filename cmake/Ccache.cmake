# Rebuilds on 2 cores are dominated by Beast/Asio; ccache makes the second build (asan after
# default, or a clean clone in CI on the same machine) cheap when it is installed.
find_program(MYSFITS_CCACHE ccache)
if(MYSFITS_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${MYSFITS_CCACHE})
endif()
