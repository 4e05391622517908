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

# Throughput alone, interleaved: the machine is shared, so one long run per candidate measures the neighbours as much
# as the server. All candidates run at once (idle servers cost nothing) and take turns, ROUNDS x 5 s of wrk each on
# POST /api/echo. Printed per candidate: median req/s, and the server's CPU time per request (utime + stime from
# /proc over the run / requests), which other load on the machine disturbs much less than req/s. SPECS lists
# candidate:threads pairs (default: each as compared above, plus Beast and RESTinio on 1 thread).
rounds="${ROUNDS:-5}"
[ "$rounds" -gt 0 ] || exit 0
declare -A ports pids
for spec in ${SPECS:-httplib:16 beast:2 restinio:2 beast:1 restinio:1}; do
  exe="$bin/candidate_${spec%:*}"
  [ -x "$exe" ] || continue
  log="$out/${spec/:/-}-throughput.server.log"
  "$exe" --port 0 --threads "${spec#*:}" >"$log" 2>&1 &
  pids[$spec]=$!
  for _ in $(seq 100); do
    ports[$spec]="$(grep -so 'http://127.0.0.1:[0-9]*' "$log" | sed 's/.*://' || true)"
    [ -n "${ports[$spec]}" ] && break
    sleep 0.1
  done
done
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz="$(getconf CLK_TCK)"
: >"$out/throughput.tsv"
for round in $(seq 0 "$rounds"); do  # round 0 warms every server up and is not counted
  for cand in "${!ports[@]}"; do
    t0="$(cpu_ticks "${pids[$cand]}")"
    res="$(wrk -t2 -c8 -d5s -s "$root/perf/http/echo.lua" "http://127.0.0.1:${ports[$cand]}/api/echo")"
    t1="$(cpu_ticks "${pids[$cand]}")"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$res")"
    reqs="$(awk '/requests in/ {print $1}' <<<"$res")"
    us="$(awk -v a="$t0" -v b="$t1" -v n="$reqs" -v hz="$hz" 'BEGIN {printf "%.1f", 1e6 * (b - a) / hz / n}')"
    [ "$round" -gt 0 ] && printf '%s\t%s\t%s\t%s\n' "$cand" "$round" "$rps" "$us" >>"$out/throughput.tsv"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
echo
echo "POST /api/echo, wrk -t2 -c8, $rounds interleaved rounds of 5 s (no hold), candidate:threads, medians [all rounds]"
for cand in "${!ports[@]}"; do
  rps="$(awk -v c="$cand" '$1 == c {print $3}' "$out/throughput.tsv")"
  us="$(awk -v c="$cand" '$1 == c {print $4}' "$out/throughput.tsv")"
  echo "  $cand: $(median <<<"$rps") req/s [$(sort -n <<<"$rps" | tr '\n' ' ')]," \
    "server CPU $(median <<<"$us") us/request [$(sort -n <<<"$us" | tr '\n' ' ')]"
done
