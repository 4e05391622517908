#!/usr/bin/env bash
# Runtime speed, side by side in one run: mobilenetv3_small_100 and resnet18 (zoo, 1x3x224x224) with 1 and 2 threads,
# on a bare ONNX Runtime C API program, on our Runtime wrapper over ORT, and on our wrapper over OpenCV DNN.
# The three are interleaved round by round so machine load hits them alike; each cell is the median over rounds of
# each round's median latency. Goal: wrapper (ort) within 2% of bare ORT.
#   perf/runtime/run.sh [BUILD_DIR] [ROUNDS]
# Needs the targets edgeml, runtime_latency and bare_ort_latency built in BUILD_DIR.
set -euo pipefail
BUILD=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
ROUNDS=${2:-5}
BIN=$BUILD/bin
EDGEML=${EDGEML:-$BIN/edgeml}  # the zoo builder; may come from another build dir
MODELS=$(mktemp -d)
trap 'rm -rf "$MODELS"' EXIT
echo "building zoo models into $MODELS" >&2
"$EDGEML" zoo build mobilenetv3_small_100 resnet18 --out "$MODELS" >&2

python3 - "$BIN" "$MODELS" "$ROUNDS" <<'PY'
import statistics, subprocess, sys
bin_dir, models, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
plan = {"mobilenetv3_small_100": (300, 30), "resnet18": (60, 5)}  # iterations, warm-up per round
runners = {
    "bare ORT": lambda m, t, n, w: [f"{bin_dir}/bare_ort_latency", m, str(t), str(n), str(w)],
    "wrapper ORT": lambda m, t, n, w: [f"{bin_dir}/runtime_latency", "ort", m, str(t), str(n), str(w)],
    "wrapper OpenCV": lambda m, t, n, w: [f"{bin_dir}/runtime_latency", "opencv", m, str(t), str(n), str(w)],
}
medians = {}
for r in range(rounds):
    for name, (n, w) in plan.items():
        for threads in (1, 2):
            for runner, cmd in runners.items():
                out = subprocess.run(cmd(f"{models}/{name}.onnx", threads, n, w), check=True,
                                     capture_output=True, text=True).stdout.split()
                medians.setdefault((name, threads, runner), []).append(float(out[0]))
            print(f"round {r + 1}/{rounds}: {name}, {threads} thread(s) done", file=sys.stderr)
print(f"| model | threads | bare ORT (ms) | wrapper ORT (ms) | wrapper overhead | wrapper OpenCV (ms) |")
print(f"|---|---|---|---|---|---|")
for name in plan:
    for threads in (1, 2):
        cell = {k: statistics.median(medians[(name, threads, k)]) for k in runners}
        over = 100.0 * (cell["wrapper ORT"] - cell["bare ORT"]) / cell["bare ORT"]
        print(f"| {name} | {threads} | {cell['bare ORT']:.3f} | {cell['wrapper ORT']:.3f} | {over:+.2f}% "
              f"| {cell['wrapper OpenCV']:.3f} |")
print(f"\nmedian over {rounds} interleaved rounds of each round's median latency; "
      f"iterations per round: " + ", ".join(f"{k} {v[0]} (+{v[1]} warm-up)" for k, v in plan.items()))
PY
