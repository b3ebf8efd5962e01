# MYSFITS_SANITIZE=ON builds everything with ASan+UBSan. UBSan is made fatal so a report fails
# the test that triggered it instead of scrolling past in a log.
option(MYSFITS_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(MYSFITS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
