#!/usr/bin/env bash
# Runs each libFuzzer harness of a fuzzing build for a bounded time, one after the other, one process each (the
# machine is shared), and fails when any of them finds something: a sanitizer report, an undocumented exception, a
# broken promise of the harness, a leak, an input slower than 10 s or one that takes more than 2 GB.
#
#   bash fuzz/run.sh [BUILD_DIR] [SECONDS_EACH] [HARNESS...]      defaults: build-fuzz, 45, every harness
#
# Each harness starts from its committed seeds (fuzz/corpus/<harness>, which also hold the inputs of past findings,
# so every run replays them first), plus, read at run time and never committed: the original project's benchmark
# CSVs (EDGEML_SHARED_DATA, default ../shared/data) for the CSV loader, and Debian's libonnx-testdata models under
# 4 KB for the inspector. What libFuzzer adds is kept in BUILD_DIR/fuzz/work/<harness> for the next run; a finding
# is written to BUILD_DIR/fuzz/findings/<harness>/ and named at the end; the log is BUILD_DIR/fuzz/logs/<harness>.log.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(realpath -m "${1:-$root/build-fuzz}")"
seconds="${2:-45}"
shift $(($# >= 2 ? 2 : $#))
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(csv_catalog json_bodies onnx_inspect tflite_import multipart http_query)
shared_data="${EDGEML_SHARED_DATA:-$root/../shared/data}"
onnx_testdata=/usr/share/libonnx-testdata/data

# Extra seeds of one harness, copied into a folder of the build (the inputs keep their own names).
extra_seeds() {
  local h=$1 dir="$build/fuzz/extra-seeds/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  case "$h" in
    csv_catalog)
      # Byte 0 picks the device (csv_catalog_fuzzer.cpp): '0' jetson_nano, '1' rpi5.
      for f in "$shared_data"/*jetson*.csv; do [ -f "$f" ] && { printf 0; cat "$f"; } >"$dir/$(basename "$f")"; done
      for f in "$shared_data"/*rpi5*.csv; do [ -f "$f" ] && { printf 1; cat "$f"; } >"$dir/$(basename "$f")"; done
      ;;
    onnx_inspect)
      if [ -d "$onnx_testdata" ]; then
        find "$onnx_testdata" -name model.onnx -size -4k | while read -r f; do
          cp "$f" "$dir/$(basename "$(dirname "$f")").onnx"
        done
      fi
      ;;
  esac
  echo "$dir"
}

failed=()
summary=()
for h in "${harnesses[@]}"; do
  bin="$build/bin/${h}_fuzzer"
  [ -x "$bin" ] || { echo "fuzz/run.sh: $bin is not built (cmake --build $build --target edgeml_fuzzers)" >&2; exit 2; }
  work="$build/fuzz/work/$h" findings="$build/fuzz/findings/$h" log="$build/fuzz/logs/$h.log"
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/")
  [ -f "$root/fuzz/dict/$h.dict" ] && args+=(-dict="$root/fuzz/dict/$h.dict")
  # Multipart limits (8 KiB of part headers) need inputs longer than libFuzzer's default 4 KiB.
  [ "$h" = multipart ] && args+=(-max_len=20000)
  echo "== $h: ${seconds} s"
  start=$(date +%s)
  set +e
  "$bin" "${args[@]}" "$work" "$root/fuzz/corpus/$h" "$(extra_seeds "$h")" >"$log" 2>&1
  status=$?
  set -e
  # The last status line ("#N DONE cov: C ft: F corp: ...") and the final stats hold the figures for the report.
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  summary+=("$(printf '%-14s %4ss  execs %-10s cov %-6s ft %-6s corpus %s files  exit %s' "$h" $(($(date +%s) - start)) \
    "${execs:-?}" "${cov:-?}" "${ft:-?}" "$(find "$work" -type f | wc -l)" "$status")")
  if [ "$status" -ne 0 ]; then
    failed+=("$h")
    echo "!! $h found something (exit $status); log: $log"
    grep -E -A30 'ERROR: |broken promise|runtime error:|deadly signal|Test unit written' "$log" | head -60 || true
  fi
done

echo
echo "fuzz/run.sh summary (${seconds} s each):"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]} (inputs in $build/fuzz/findings/<harness>/; replay one with: BIN INPUT)" >&2
  exit 1
fi
