# The two commands of the README:
#   make run    set up (Debian packages, ONNX Runtime, front end), build, start the controller and a local agent
#   make test   set up, build, run every test (unit, HTTP on loopback, browser)
# Everything else is a step of those two, or one of the instrumented runs CI adds after `make test`:
#   make sanitize   the whole suite built with ASan+UBSan in build-asan/ (tests/sanitizers/)
#   make fuzz       the libFuzzer harnesses (clang) built in build-fuzz/, each run FUZZ_SECONDS on its corpus (fuzz/)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 45
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: setup configure build test run perf clean sanitize fuzz

setup:
	bash scripts/setup.sh

configure:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: setup configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 900

run: build
	bash scripts/run.sh

perf: build
	bash perf/run.sh

sanitize: setup
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DEDGEML_SANITIZE=address,undefined $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) --timeout 1800

fuzz: setup
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DEDGEML_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target edgeml_fuzzers
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
