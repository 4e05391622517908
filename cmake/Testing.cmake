# edgeml_add_test(<name> SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS l])
# One GoogleTest executable; each TEST becomes a CTest test. Tests find the real data and the built executables
# through environment variables, never through hard-coded absolute paths.
include(GoogleTest)
set(EDGEML_SHARED_DATA ${CMAKE_SOURCE_DIR}/../shared/data CACHE PATH "benchmark CSVs published by the original project")
function(edgeml_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main Threads::Threads)
  target_compile_definitions(${name} PRIVATE
    EDGEML_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    EDGEML_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures"
    EDGEML_SHARED_DATA="${EDGEML_SHARED_DATA}"
    EDGEML_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
  if(EDGEML_UNDER_ASAN)
    # A test whose check cannot hold under AddressSanitizer (see cmake/Sanitizers.cmake) skips itself on this.
    target_compile_definitions(${name} PRIVATE EDGEML_UNDER_ASAN=1)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT 600 LABELS "${T_LABELS}")
endfunction()
