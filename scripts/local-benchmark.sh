#!/usr/bin/env bash
# The embedded default catalog: this machine measured by our own benchmark over the model zoo, made once and cached.
#   scripts/local-benchmark.sh BIN_DIR OUT_DIR
# Writes OUT_DIR/models/*.onnx (zoo, placeholder weights) and OUT_DIR/rows.csv (one catalog row per model).
# Energy columns stay empty unless a power source exists on this machine; the rows say why in their notes column.
set -euo pipefail
bin="$1"; out="$2"
rows="$out/rows.csv"
if [ -s "$rows" ]; then
  echo "local benchmark: cached in $rows ($(($(wc -l <"$rows") - 1)) models); delete it to measure again" >&2
  exit 0
fi
mkdir -p "$out/models"
echo "local benchmark: building the model zoo into $out/models" >&2
"$bin/edgeml" zoo build --all --out "$out/models" >&2
echo "local benchmark: measuring every zoo model on this machine (once; progress below)" >&2
"$bin/edgeml" bench --models "$out/models" --device-name local --out "$rows.partial" \
  --iterations "${LOCAL_BENCH_ITERATIONS:-30}" --warmup 5 --runs 3 --threads "${LOCAL_BENCH_THREADS:-1}" >&2
mv "$rows.partial" "$rows"
