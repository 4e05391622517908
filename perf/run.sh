#!/usr/bin/env bash
# Every benchmark whose figures the issue notes report, one after the other (make perf). Run it on a quiet machine:
# the figures are wall-clock and 2 cores are easily shared. Each part's benchmark can also be run alone.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/${BUILD:-build}"
section() { printf '\n===== %s =====\n' "$1"; }
section "controller API under wrk (perf/controller/wrk.sh)";        bash "$root/perf/controller/wrk.sh" 10 8
section "predictor: one prediction (predictor_bench)";               "$build/bin/predictor_bench" --benchmark_min_time=0.5
section "telemetry: one sample, JSON, Prometheus (telemetry_bench)"; "$build/bin/telemetry_bench"
section "alerts: one telemetry sample through the rules (alerts_bench)"; "$build/bin/alerts_bench"
section "reports: a week of a fleet as CSV, XLSX, PDF (report_bench)"; "$build/bin/report_bench" 10 7
section "runtime: wrapper vs bare ONNX Runtime vs OpenCV";           bash "$root/perf/runtime/run.sh" "$build" 3
section "agent footprint (perf/agent/footprint.sh)";                DURATION=60 bash "$root/perf/agent/footprint.sh" "$build"
section "HTTP layer under hostile load, real services (perf/http/services.sh)"; bash "$root/perf/http/services.sh" 20 10
section "deploy time and polling cost (bench_deploy)";               "$build/bin/bench_deploy" --deploys 20 --agents 100 --seconds 30
section "dashboard weight and speed (tests/web/bench.mjs)"
EDGEML_BIN_DIR="$build/bin" EDGEML_SHARED_DATA="$root/../shared/data" node "$root/tests/web/bench.mjs"
