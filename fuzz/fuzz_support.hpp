#pragma once
// What every harness shares: how a broken promise is reported, and how an input is cut into its parts.
//
// A harness calls the library the way a route or a loader does and accepts exactly the exceptions that entry point
// documents (edgeml::Error, or std::runtime_error where the header says so). Anything else -- another exception
// type, a crash, a sanitizer report, a broken invariant checked with expect() -- aborts, and libFuzzer keeps the
// input as a crash artifact.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

namespace edgeml::fuzz {

[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "\n*** fuzz harness: broken promise: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void expect(bool ok, const std::string& what) {
  if (!ok) broken(what);
}

// For an exception an entry point does not document: a route would answer it with a 500, a CLI with a generic error.
[[noreturn]] inline void undocumented(const std::exception& e, const char* entry) {
  broken(std::string(entry) + " threw an undocumented " + typeid(e).name() + ": " + e.what());
}

// With EDGEML_FUZZ_VERBOSE=1 in the environment, a harness says how each input ended (refused with what message,
// or accepted): for checking that seeds reach past the first refusal, and for replaying a finding.
inline bool verbose() {
  static const bool on = std::getenv("EDGEML_FUZZ_VERBOSE") != nullptr;
  return on;
}
inline void note(const std::string& what) {
  if (verbose()) std::fprintf(stderr, "fuzz: %s\n", what.c_str());
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The first line of `rest` (without its '\n'), and `rest` moved past it. The whole of `rest` when it has no '\n'.
inline std::string_view take_line(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  return line;
}

}  // namespace edgeml::fuzz
