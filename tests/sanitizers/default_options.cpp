// Sanitizer runtime options compiled into every executable of a sanitized build (cmake/Sanitizers.cmake links this
// file into each one), so a test, a service started by a test and a fuzzer run with the same options whether or not
// the environment sets any. The runtimes call these hooks at start-up; the environment's ASAN_OPTIONS, UBSAN_OPTIONS
// and LSAN_OPTIONS are read after them and win.

// The hooks have C linkage and fixed names chosen by the sanitizer runtimes; they are only called, never referenced.
extern "C" {

// UBSan: stop at the first finding (the build also uses -fno-sanitize-recover) and show where it happened.
const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1"; }

// ASan: leaks are checked at exit (the default on x86-64 Linux, stated so it holds on every platform we build on).
const char* __asan_default_options() { return "detect_leaks=1"; }

// LeakSanitizer: only third-party leaks are suppressed, by the named file (see its comments for each entry).
const char* __lsan_default_options() { return "suppressions=" EDGEML_LSAN_SUPPRESSIONS ":print_suppressions=0"; }
}
