#!/usr/bin/env bash
# Reproduces the candidates table of perf/http/README.md (issue 16): each candidate server (cpp-httplib as the product
# configures it, Boost.Beast, RESTinio) is started alone, then hold_load holds 1,000 idle + 50 slowloris + 200 event
# streams against it, from 1 source address and from 4, probes GET /healthz meanwhile and compares wrk throughput on
# POST /api/echo unloaded vs during the hold. JSON and logs land in $OUT; a Markdown table is printed at the end.
#   bash perf/http/compare.sh [probe_seconds=20] [wrk_seconds=10]
# Env: BUILD (build folder, default build), OUT (default build/perf-http), CANDIDATES (default "httplib beast restinio"),
#      SOURCES (default "1 4"), IDLE/SLOWLORIS/STREAMS (default 1000/50/200).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/${BUILD:-build}/bin"
out="${OUT:-$root/build/perf-http}"
probe_s="${1:-20}"; wrk_s="${2:-10}"
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)"  # 1,250 held sockets on each side, plus wrk's
[ -x "$bin/hold_load" ] || { echo "compare.sh: $bin/hold_load missing (cmake --build build --target hold_load)" >&2; exit 2; }

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap stop_server EXIT

results=()
for cand in ${CANDIDATES:-httplib beast restinio}; do
  exe="$bin/candidate_$cand"
  if [ ! -x "$exe" ]; then echo "compare.sh: $exe not built, skipped" >&2; continue; fi
  for sources in ${SOURCES:-1 4}; do
    name="$cand-sources$sources"
    "$exe" --port 0 >"$out/$name.server.log" 2>&1 &
    server_pid=$!
    port=""
    for _ in $(seq 100); do
      port="$(grep -o 'http://127.0.0.1:[0-9]*' "$out/$name.server.log" | sed 's/.*://' || true)"
      [ -n "$port" ] && break
      sleep 0.1
    done
    [ -n "$port" ] || { echo "compare.sh: $cand did not start:" >&2; cat "$out/$name.server.log" >&2; exit 1; }
    echo "== $name on port $port (pid $server_pid)" >&2
    "$bin/hold_load" --target "http://127.0.0.1:$port" \
      --idle "${IDLE:-1000}" --slowloris "${SLOWLORIS:-50}" --streams "${STREAMS:-200}" --stream-path /events \
      --sources "$sources" --probe-path /healthz --probe-seconds "$probe_s" \
      --wrk-seconds "$wrk_s" --wrk-path /api/echo --wrk-script "$root/perf/http/echo.lua" \
      --server-pid "$server_pid" >"$out/$name.json" 2>"$out/$name.log" || echo "compare.sh: hold_load exited $? on $name" >&2
    tail -1 "$out/$name.log" >&2
    kill -0 "$server_pid" 2>/dev/null || echo "compare.sh: $cand died during the run" >&2
    stop_server
    results+=("$out/$name.json")
    sleep 2  # let the closed sockets of this run leave TIME_WAIT pressure behind before the next server starts
  done
done
python3 "$root/perf/http/table.py" "${results[@]}"
