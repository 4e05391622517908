# Two optional instrumented builds, each in a build folder of its own (the normal gcc build in build/ is unchanged):
#
#   -DEDGEML_SANITIZE=address,undefined   every library, service and test built with those sanitizers (gcc or clang);
#                                         `make sanitize` builds build-asan/ and runs the whole suite in it.
#   -DEDGEML_FUZZ=ON                      clang with libFuzzer only: the libraries instrumented for coverage plus
#                                         ASan+UBSan, and the harnesses of fuzz/; `make fuzz` builds build-fuzz/.
#
# Either way the sanitizer runtime options are compiled into every executable (tests/sanitizers/default_options.cpp),
# so a test, a service a test starts, or a fuzzer behaves the same however it is run: UBSan stops at the first
# finding with a stack trace, and LeakSanitizer reads the named suppression file tests/sanitizers/lsan.supp (third-party
# leaks only). ASAN_OPTIONS / UBSAN_OPTIONS / LSAN_OPTIONS in the environment still add to or override them.
set(EDGEML_SANITIZE "" CACHE STRING "sanitizers for the whole build, e.g. address,undefined (empty: none)")
option(EDGEML_FUZZ "build the libFuzzer harnesses of fuzz/ (clang only) instead of the tests" OFF)

set(EDGEML_SANITIZER_SUPPRESSIONS ${CMAKE_SOURCE_DIR}/tests/sanitizers/lsan.supp)

if(EDGEML_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "EDGEML_FUZZ needs clang with libFuzzer (configure with CC=clang-14 CXX=clang++-14); "
                        "the compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer)
  check_cxx_source_compiles(
    "#include <cstddef>\n#include <cstdint>\nextern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }"
    EDGEML_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  if(NOT EDGEML_HAVE_LIBFUZZER)
    message(FATAL_ERROR "clang cannot link -fsanitize=fuzzer: install libclang-rt-14-dev (scripts/setup.sh does)")
  endif()
  if(NOT EDGEML_SANITIZE)
    set(EDGEML_SANITIZE address,undefined)
  endif()
  # Coverage instrumentation for every library the harnesses link; the harnesses add -fsanitize=fuzzer (main()).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(EDGEML_SANITIZE)
  string(REPLACE "," ";" _sanitizers "${EDGEML_SANITIZE}")
  # -fno-sanitize-recover: a UBSan finding stops the program (a failed test), not a line in a log nobody reads.
  # -O1 -g1 (after the build type's -O2 -g, so they win): line tables are all a sanitizer report needs, and the
  # instrumented build of the whole tree compiles in about half the time of -O2 -g.
  add_compile_options(-fsanitize=${EDGEML_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all -O1 -g1)
  add_link_options(-fsanitize=${EDGEML_SANITIZE})
  if("address" IN_LIST _sanitizers)
    # Tests that cannot hold under ASan by design (peak RSS after freeing: ASan keeps freed memory in quarantine)
    # skip themselves when this is defined.
    set(EDGEML_UNDER_ASAN ON)
  endif()
  add_library(edgeml_sanitizer_options OBJECT ${CMAKE_SOURCE_DIR}/tests/sanitizers/default_options.cpp)
  target_compile_definitions(edgeml_sanitizer_options PRIVATE
    EDGEML_LSAN_SUPPRESSIONS="${EDGEML_SANITIZER_SUPPRESSIONS}")
  message(STATUS "Sanitizers: ${EDGEML_SANITIZE} (LeakSanitizer suppressions: ${EDGEML_SANITIZER_SUPPRESSIONS})")
endif()

# Called once every target exists: gives every executable of the build the compiled-in sanitizer options.
function(edgeml_add_sanitizer_options_to_executables)
  if(NOT TARGET edgeml_sanitizer_options)
    return()
  endif()
  set(pending ${CMAKE_SOURCE_DIR})
  while(pending)
    list(POP_FRONT pending dir)
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    list(APPEND pending ${subdirs})
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(type STREQUAL "EXECUTABLE")
        target_link_libraries(${target} PRIVATE edgeml_sanitizer_options)
      endif()
    endforeach()
  endwhile()
endfunction()
