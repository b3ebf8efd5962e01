# mysfits_embed_file(<target> NAME <symbol> NAMESPACE <ns> FILE <path>): compiles the file's bytes
# into <target> as `extern const std::string_view <ns>::<symbol>` (declare it in a header), so an
# executable carries what it serves and runs anywhere (the gateway's status page uses the
# website's stylesheet this way). The file is re-read whenever it changes.
#
# Run as a script (cmake -P) it writes that source: -DINPUT= -DOUTPUT= -DNAME= -DNAMESPACE=
# -DSOURCE_NAME= (the input relative to the source tree: the generated file is the same in
# every checkout, so ccache shares it between the test build and the image build).
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${INPUT}" bytes HEX)
  string(LENGTH "${bytes}" hex_length)
  math(EXPR size "${hex_length} / 2")
  # -Wpedantic (-Woverlength-strings) warns past the 65,536 characters ISO C++ promises.
  if(size GREATER 60000)
    message(FATAL_ERROR "${INPUT} has ${size} bytes; embed files under 60,000")
  endif()
  # Every byte as \xHH: the next character is always a backslash, never a hex digit that would
  # extend the escape.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${bytes}")
  file(WRITE "${OUTPUT}"
    "// Generated from ${SOURCE_NAME} by cmake/EmbedFile.cmake.\n"
    "#include <string_view>\n\n"
    "namespace ${NAMESPACE} {\n"
    "extern const std::string_view ${NAME};\n"
    "constexpr std::string_view ${NAME}{\n    \"${escaped}\",\n    ${size}};\n"
    "}  // namespace ${NAMESPACE}\n")
  return()
endif()

set(MYSFITS_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_FILE})

function(mysfits_embed_file target)
  cmake_parse_arguments(ARG "" "NAME;NAMESPACE;FILE" "" ${ARGN})
  get_filename_component(input "${ARG_FILE}" ABSOLUTE)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/embedded/${ARG_NAME}.cpp")
  file(RELATIVE_PATH source_name "${PROJECT_SOURCE_DIR}" "${input}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DNAME=${ARG_NAME}
            -DNAMESPACE=${ARG_NAMESPACE} -DSOURCE_NAME=${source_name} -P ${MYSFITS_EMBED_SCRIPT}
    DEPENDS "${input}" ${MYSFITS_EMBED_SCRIPT}
    COMMENT "Embedding ${source_name}"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
endfunction()
