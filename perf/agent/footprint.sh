#!/usr/bin/env bash
# Footprint of edgeml-agent (issue 4 goals: idle RSS <= 20 MB, CPU <= 1% of a core at 1 Hz telemetry), measured on
# the real executable from /proc/<pid>/status and /proc/<pid>/stat:
#   1. idle RSS with no model, after the first telemetry samples;
#   2. CPU over DURATION seconds at --telemetry-hz 1 (utime+stime delta / wall time, in % of one core);
#   3. RSS with mobilenetv3_small_100 active (built by `edgeml zoo build`, uploaded with PUT /models, activated).
# Usage: perf/agent/footprint.sh [BUILD_DIR] (default build); DURATION=60 by default. Progress goes to stderr.
set -euo pipefail
BUILD=${1:-build}
BIN="$BUILD/bin"
DURATION=${DURATION:-60}
WORK=$(mktemp -d /tmp/edgeml-agent-footprint.XXXXXX)
AGENT_PID=""
cleanup() { [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# PSS: shared library pages divided among the processes that map them (what the agent really adds to the device).
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, in clock ticks

"$BIN/edgeml-agent" --host 127.0.0.1 --port 0 --state "$WORK/state" --telemetry-hz 1 >"$WORK/out" 2>"$WORK/err" &
AGENT_PID=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/out" 2>/dev/null && break; sleep 0.1; done
PORT=$(grep -o '[0-9]*$' "$WORK/out")
echo "agent pid $AGENT_PID on port $PORT; settling 5 s" >&2
sleep 5
IDLE_RSS=$(rss_kb "$AGENT_PID")
IDLE_PSS=$(pss_kb "$AGENT_PID")

echo "measuring CPU over $DURATION s at 1 Hz telemetry" >&2
HZ=$(getconf CLK_TCK)
T0=$(cpu_ticks "$AGENT_PID"); S0=$(date +%s.%N)
sleep "$DURATION"
T1=$(cpu_ticks "$AGENT_PID"); S1=$(date +%s.%N)
CPU_PCT=$(awk -v a="$T0" -v b="$T1" -v s0="$S0" -v s1="$S1" -v hz="$HZ" 'BEGIN {printf "%.3f", 100 * (b - a) / hz / (s1 - s0)}')
IDLE_RSS_AFTER=$(rss_kb "$AGENT_PID")

MODEL_RSS="unavailable (edgeml tool or zoo not built)"
if [ -x "$BIN/edgeml" ] && "$BIN/edgeml" zoo build mobilenetv3_small_100 --out "$WORK/zoo" >&2; then
  FILE=$(ls "$WORK"/zoo/mobilenetv3_small_100*.onnx | head -1)
  SHA=$(sha256sum "$FILE" | cut -d' ' -f1)
  echo "uploading $(basename "$FILE") ($(stat -c %s "$FILE") bytes)" >&2
  curl -sf -X PUT --data-binary @"$FILE" -H "X-Content-SHA256: $SHA" -H "Content-Type: application/octet-stream" \
    "http://127.0.0.1:$PORT/models/mobilenetv3_small_100?activate=1" >/dev/null
  sleep 3
  MODEL_RSS="$(( $(rss_kb "$AGENT_PID") / 1024 )) MiB ($(rss_kb "$AGENT_PID") kB)"
fi

cat <<REPORT
edgeml-agent footprint ($(uname -m), $(nproc) cores)
  idle RSS, no model, after 5 s:          $((IDLE_RSS / 1024)) MiB ($IDLE_RSS kB)   goal <= 20 MB
  idle PSS, no model:                     $((IDLE_PSS / 1024)) MiB ($IDLE_PSS kB)
  idle RSS after ${DURATION} s of 1 Hz telemetry:  $((IDLE_RSS_AFTER / 1024)) MiB ($IDLE_RSS_AFTER kB)
  CPU at 1 Hz telemetry over ${DURATION} s:       ${CPU_PCT} % of one core   goal <= 1 %
  RSS with mobilenetv3_small_100 active:  $MODEL_RSS
REPORT
