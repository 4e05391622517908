#!/usr/bin/env bash
# The MQTT fleet goal (issue 10): N simulated devices against a local mosquitto on this machine. Starts mosquitto as a
# child (its own config on a free port), runs `edgeml fleet-sim --consume` (every device its own connection; the
# consumer stands in for the controller's ingest: stored, duplicates, lag), and reports the broker's CPU (utime+stime
# over the run, from /proc/<pid>/stat) and peak RSS beside the simulator's summary.
# Usage: perf/mqtt/fleet.sh [BUILD_DIR] [fleet-sim options...]
#   e.g. perf/mqtt/fleet.sh build --devices 1000 --hz 1 --seconds 60
#        perf/mqtt/fleet.sh build --devices 10000 --hz 0.2 --seconds 120 --processes 2
# BROKER_DOWN_AT=S BROKER_DOWN_FOR=D: the broker is stopped S seconds into the run and started again D seconds later
# (with persistence, as a site runs it): every device reconnects and sends its backlog; the summary says whether
# anything is missing. (Broker CPU is not reported then: two processes.)
set -euo pipefail
BUILD=${1:-build}
shift || true
BIN="$BUILD/bin"
ARGS=("$@")
[ ${#ARGS[@]} -eq 0 ] && ARGS=(--devices 1000 --hz 1 --seconds 60)
WORK=$(mktemp -d /tmp/edgeml-mqtt-fleet.XXXXXX)
BROKER_PID=""
cleanup() { [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ulimit -n "$(ulimit -Hn)"  # the broker holds one socket per device

for _ in 1 2 3 4 5; do
  PORT=$(shuf -i 20000-39999 -n 1)
  {
    [ "$(id -u)" = 0 ] && echo "user root"
    echo "listener $PORT 127.0.0.1"
    echo "allow_anonymous true"
    if [ -n "${BROKER_DOWN_AT:-}" ]; then echo "persistence true"; echo "persistence_location $WORK/"; else echo "persistence false"; fi
    echo "max_connections -1"
    echo "set_tcp_nodelay true"  # as deploy/mosquitto/edgeml.conf
    # Mosquitto's default keeps at most 1000 QoS 1 messages queued per client and then drops: a controller that falls
    # a second behind 10,000 devices would lose telemetry at the broker. Unlimited count, bounded by bytes instead.
    echo "max_queued_messages 0"
    echo "max_queued_bytes 268435456"
    echo "log_dest file $WORK/broker.log"
    echo "log_type error"
    echo "log_type warning"
    echo "log_type notice"
    echo "connection_messages false"
  } >"$WORK/mosquitto.conf"
  mosquitto -c "$WORK/mosquitto.conf" &
  BROKER_PID=$!
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  kill -0 "$BROKER_PID" 2>/dev/null && break
  BROKER_PID=""
done
[ -n "$BROKER_PID" ] || { echo "mosquitto did not start" >&2; exit 1; }
echo "mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') pid $BROKER_PID on port $PORT" >&2

if [ -n "${BROKER_DOWN_AT:-}" ]; then
  (
    sleep "$BROKER_DOWN_AT"
    echo "perf: stopping the broker for ${BROKER_DOWN_FOR:-30} s" >&2
    kill -TERM "$BROKER_PID"; while kill -0 "$BROKER_PID" 2>/dev/null; do sleep 0.1; done
    sleep "${BROKER_DOWN_FOR:-30}"
    mosquitto -c "$WORK/mosquitto.conf" & echo $! >"$WORK/broker2.pid"
    echo "perf: broker back" >&2
  ) &
fi
HZ=$(getconf CLK_TCK)
T0=$(cpu_ticks "$BROKER_PID"); S0=$(date +%s.%N)
"$BIN/edgeml" fleet-sim --mqtt "mqtt://127.0.0.1:$PORT" --consume "${ARGS[@]}" >"$WORK/out"
if [ -n "${BROKER_DOWN_AT:-}" ]; then
  wait
  BROKER_PID=$(cat "$WORK/broker2.pid")
  echo "fleet-sim summary: $(tail -1 "$WORK/out")"
  exit 0
fi
T1=$(cpu_ticks "$BROKER_PID"); S1=$(date +%s.%N)
BROKER_CPU=$(awk -v a="$T0" -v b="$T1" -v s0="$S0" -v s1="$S1" -v hz="$HZ" 'BEGIN {printf "%.1f", 100 * (b - a) / hz / (s1 - s0)}')
BROKER_HWM=$(awk '/^VmHWM:/ {print $2}' "/proc/$BROKER_PID/status")
SUMMARY=$(tail -1 "$WORK/out")

echo "fleet-sim summary: $SUMMARY"
echo "broker: ${BROKER_CPU}% of one core over the run (wall $(awk -v a="$S0" -v b="$S1" 'BEGIN {printf "%.1f", b - a}') s), peak RSS $((BROKER_HWM / 1024)) MiB"
echo "$SUMMARY" | awk -v b="$BROKER_CPU" '{
  match($0, /"share_of_one_core":[0-9.e-]+/); s = substr($0, RSTART + 20, RLENGTH - 20);
  printf "simulator (devices and consumer): %.1f%% of one core\n", 100 * s }'
DROPS=$(grep -c "dropped" "$WORK/broker.log" || true)
echo "broker log: $DROPS line(s) about dropped messages"
grep -v "^$" "$WORK/broker.log" | tail -5 >&2 || true
