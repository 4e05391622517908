#!/usr/bin/env bash
# Controller API speed with wrk on loopback (issue 2 goals: predict p99 < 1 ms, /api/models/all p99 < 5 ms,
# >= 10k requests/s on /api/models/recommended). Starts its own controller on a free port with ../shared/data.
#   bash perf/controller/wrk.sh [seconds] [connections]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/${BUILD:-build}/bin"
secs="${1:-10}"; conns="${2:-8}"
state="$(mktemp -d)"; out="$(mktemp)"
"$bin/edgeml-controller" --port 0 --data "$root/../shared/data" --state "${STATE:-$root/build/test-state/controller}" >"$out" 2>"$state/err" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$state" "$out"' EXIT
for _ in $(seq 600); do grep -q "listening" "$out" && break; sleep 0.5; done
port="$(grep -o 'http://[^ ]*' "$out" | sed 's/.*://')"
base="http://127.0.0.1:$port"
echo "controller on $base; wrk -t2 -c$conns -d${secs}s --latency"
run() {
  echo; echo "== $1"
  shift
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" | grep -E "Requests/sec|Latency  |50%|90%|99%|Non-2xx"
}
run "POST /api/predict-energy (measured)" -s "$root/perf/controller/predict.lua" "$base/api/predict-energy"
run "GET /api/models/all (151 rows)" "$base/api/models/all"
run "GET /api/models/all?device_type=jetson_nano (124 rows)" "$base/api/models/all?device_type=jetson_nano"
run "GET /api/models/recommended" "$base/api/models/recommended?device_type=jetson_nano&max_energy=100&max_size=100&max_latency=0.5"
