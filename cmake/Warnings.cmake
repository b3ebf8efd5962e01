# mysfits_target_defaults(<target>): warnings-as-errors on our own code only. Third-party headers
# come in as SYSTEM through their imported targets, so their warnings never fail our build.
function(mysfits_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Werror)
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
