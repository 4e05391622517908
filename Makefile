# The two commands of the README:
#   make run    set up (Debian packages, ONNX Runtime, front end), build, start the controller and a local agent
#   make test   set up, build, run every test (unit, HTTP on loopback, browser)
# Everything else is a step of those two.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: setup configure build test run perf clean

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

clean:
	rm -rf $(BUILD)
