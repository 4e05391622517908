#!/usr/bin/env bash
# The seed's real TFLite model (../shared/data/mobilenetv3_small_075.tflite, translated to ONNX in memory by
# src/tflite) next to its ONNX zoo twin (mobilenetv3_small_075, timm's definition, placeholder weights): params and
# MACs from `edgeml inspect`, and inference latency through our Runtime wrapper on ONNX Runtime and OpenCV DNN,
# 1x224x224x3 / 1x3x224x224, 1 thread. Runs are interleaved round by round so machine load hits all four alike;
# each cell is the median over rounds of each round's median latency.
#   perf/runtime/tflite.sh [BUILD_DIR] [ROUNDS]
# Needs the targets edgeml and runtime_latency built in BUILD_DIR.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$HERE/build}
ROUNDS=${2:-5}
BIN=$BUILD/bin
TFLITE=${EDGEML_SHARED_DATA:-$HERE/../shared/data}/mobilenetv3_small_075.tflite
MODELS=$(mktemp -d)
trap 'rm -rf "$MODELS"' EXIT
"$BIN/edgeml" zoo build mobilenetv3_small_075 --out "$MODELS" >&2

python3 - "$BIN" "$TFLITE" "$MODELS/mobilenetv3_small_075.onnx" "$ROUNDS" <<'PY'
import json, statistics, subprocess, sys
bin_dir, tflite, onnx, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
models = {"tflite (seed, int8 weights dequantized)": tflite, "onnx zoo twin": onnx}
facts = {}
for name, path in models.items():
    j = json.loads(subprocess.run([f"{bin_dir}/edgeml", "inspect", path, "--json"], check=True,
                                  capture_output=True, text=True).stdout)
    facts[name] = (j["params"], j["gmacs"] * 1e9, j["input_shape"])
medians = {}
for r in range(rounds):
    for name, path in models.items():
        for backend in ("ort", "opencv"):
            out = subprocess.run([f"{bin_dir}/runtime_latency", backend, path, "1", "200", "20"], check=True,
                                 capture_output=True, text=True).stdout.split()
            medians.setdefault((name, backend), []).append(float(out[0]))
    print(f"round {r + 1}/{rounds} done", file=sys.stderr)
print("| model | input | params | MACs | ORT, 1 thread (ms) | OpenCV DNN, 1 thread (ms) |")
print("|---|---|---|---|---|---|")
for name in models:
    params, macs, shape = facts[name]
    ort = statistics.median(medians[(name, "ort")])
    cv = statistics.median(medians[(name, "opencv")])
    print(f"| {name} | {'x'.join(map(str, shape))} | {params:,} | {macs:,.0f} | {ort:.3f} | {cv:.3f} |")
print(f"\nmedian over {rounds} interleaved rounds of each round's median latency (200 runs + 20 warm-up per round)")
PY
