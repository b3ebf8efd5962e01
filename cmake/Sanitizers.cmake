# MYSFITS_SANITIZE=ON builds everything with ASan+UBSan. UBSan is made fatal so a report fails
# the test that triggered it instead of scrolling past in a log.
option(MYSFITS_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
# MYSFITS_TSAN=ON builds with ThreadSanitizer (it cannot be combined with ASan). The tsan preset
# builds only the unit tests that hand work across threads (CMakePresets.json says which).
option(MYSFITS_TSAN "Build with ThreadSanitizer" OFF)
if(MYSFITS_SANITIZE AND MYSFITS_TSAN)
  message(FATAL_ERROR "MYSFITS_SANITIZE and MYSFITS_TSAN exclude each other: use two build trees")
endif()
if(MYSFITS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# GCC warns that TSan does not model atomic_thread_fence, which Asio's handler invocation uses;
# the hand-over it guards is also under the scheduler's mutex, which TSan does see.
if(MYSFITS_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
endif()
