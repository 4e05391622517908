#!/usr/bin/env bash
# The main job (make run): a local agent and the controller, on this machine, with an embedded default catalog.
#   - The agent listens on 127.0.0.1:${AGENT_PORT:-8000}, state in var/agent.
#   - The controller listens on ${HOST:-127.0.0.1}:${PORT:-5000}, state in var/controller.
#   - Catalog: the benchmark of this machine made by `edgeml bench` over the model zoo (built once, cached in
#     var/local-bench), plus any CSVs named in EDGEML_DATA (space-separated PATH or DEVICE=PATH), plus the original
#     project's files in ../shared/data when they are beside the checkout.
# Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/${BUILD:-build}/bin"
var="$root/var"
mkdir -p "$var"

data_args=()
if [ -x "$bin/edgeml" ] && "$bin/edgeml" --help 2>&1 | grep -q "^  bench "; then
  bash "$root/scripts/local-benchmark.sh" "$bin" "$var/local-bench" && data_args+=(--data "local=$var/local-bench/rows.csv")
fi
for d in ${EDGEML_DATA:-}; do data_args+=(--data "$d"); done
if [ -d "$root/../shared/data" ]; then data_args+=(--data "$root/../shared/data"); fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -x "$bin/edgeml-agent" ]; then
  # Loopback only, so the agent may run without a token here; on a device set EDGEML_AGENT_TOKEN.
  "$bin/edgeml-agent" --host 127.0.0.1 --port "${AGENT_PORT:-8000}" --state "$var/agent" --infer-hz 2 &
  pids+=($!)
fi

web_args=()
[ -d "$root/web/dist" ] && web_args+=(--web "$root/web/dist")
"$bin/edgeml-controller" --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" --state "$var/controller" \
  "${data_args[@]}" "${web_args[@]}" &
pids+=($!)

# Register the local agent with the controller once both answer, so the dashboard can deploy to it and chart it.
if [ -x "$bin/edgeml-agent" ]; then
  base="http://127.0.0.1:${PORT:-5000}"
  for _ in $(seq 600); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 1; done
  if ! curl -sf "$base/api/devices" 2>/dev/null | grep -q '"local-agent"'; then
    curl -s -X POST "$base/api/devices" -H 'Content-Type: application/json' \
      -d "{\"name\": \"local-agent\", \"address\": \"127.0.0.1:${AGENT_PORT:-8000}\", \"device_type\": \"local\"}" \
      >/dev/null || true
  fi
  # The seed's real TFLite model (trained weights) goes into the artifact store under its catalog name, so the README's
  # deploy example runs a model that classifies, not the zoo's placeholder weights.
  seed="$root/../shared/data/mobilenetv3_small_075.tflite"
  if [ -f "$seed" ] && ! curl -sf "$base/api/artifacts" 2>/dev/null | grep -q '"mobilenetv3_small_075\.'; then
    curl -s -X POST "$base/api/models/upload" -F "file=@$seed" -F "model_name=mobilenetv3_small_075" >/dev/null || true
  fi
  echo "edgeml: dashboard at $base/  (local agent registered as local-agent)"
fi
wait -n "${pids[@]}"
