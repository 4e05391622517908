#!/usr/bin/env bash
# What authentication costs per request on the REAL controller: wrk on POST /api/predict-energy (the same body as
# perf/controller/predict.lua) against a controller without credentials (loopback, "local" identity) and against one
# started with --require-auth, called with an API token (one SQLite lookup of the token's hash per request) and with
# a dashboard session cookie (session + user lookups). Interleaved rounds, medians printed; the machine is shared, so
# compare within one run.
#   bash perf/http/auth_cost.sh [rounds=3] [seconds=8]
# Env: BUILD (default build), DATA (default ../shared/data).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/${BUILD:-build}/bin"
data="${DATA:-$root/../shared/data}"
rounds="${1:-3}"; secs="${2:-8}"
state="$(mktemp -d /tmp/edgeml-auth-cost.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$state"; }
trap cleanup EXIT
wait_port() {
  for _ in $(seq 600); do
    local p; p="$(grep -o 'listening on http://[^ ]*' "$1" 2>/dev/null | sed 's/.*://')"
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.5
  done
  return 1
}
"$bin/edgeml-controller" --port 0 --data "$data" --state "$state/open" >"$state/open.out" 2>/dev/null &
pids+=($!)
token="$("$bin/edgeml-controller" token create --role viewer --name wrk --state "$state/auth" 2>/dev/null | tail -1)"
printf 'correct horse battery\n' | "$bin/edgeml-controller" user add --name wrk --role viewer --state "$state/auth" \
  >/dev/null 2>&1
open_port="$(wait_port "$state/open.out")" || { echo "auth_cost.sh: controller did not start" >&2; exit 1; }
cp -r "$state/open/predictors" "$state/auth/"  # trained by the first one: the second starts without training
"$bin/edgeml-controller" --port 0 --data "$data" --state "$state/auth" --require-auth >"$state/auth.out" 2>/dev/null &
pids+=($!)
auth_port="$(wait_port "$state/auth.out")" || { echo "auth_cost.sh: controller did not start" >&2; exit 1; }
# A browser sends both cookies and, on a POST, the CSRF token from the readable cookie in X-CSRF-Token.
login="$(curl -sS -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"name":"wrk","password":"correct horse battery"}' "http://127.0.0.1:$auth_port/api/auth/login")"
session="$(printf '%s' "$login" | grep -o 'edgeml_session=[^;]*')"
csrf="$(printf '%s' "$login" | grep -o 'edgeml_csrf=[^;]*')"
cat >"$state/predict.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- AUTH_HEADERS: "Name: value" lines separated by "|"
for h in (os.getenv("AUTH_HEADERS") or ""):gmatch("[^|]+") do
  local name, value = h:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end
wrk.body = '{"params_m": 5.48, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21.11, "latency_avg_s": 0.0288, ' ..
           '"throughput_iter_per_s": 34.7, "device_type": "jetson_nano"}'
LUA
check() {  # one request of each kind must be answered 200, or the figures measure refusals
  local hs=() h; IFS='|' read -ra hs <<<"$2"
  local args=(); for h in "${hs[@]}"; do args+=(-H "$h"); done
  local code; code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    "${args[@]}" -d '{"params_m": 5.48, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21.11, "latency_avg_s": 0.0288,
    "throughput_iter_per_s": 34.7, "device_type": "jetson_nano"}' "http://127.0.0.1:$1/api/predict-energy")"
  [ "$code" = 200 ] || { echo "auth_cost.sh: $3 answered $code" >&2; exit 1; }
}
check "$open_port" "" "no credentials"
check "$auth_port" "Authorization: Bearer $token" "token"
check "$auth_port" "Cookie: $session; $csrf|X-CSRF-Token: ${csrf#edgeml_csrf=}" "session"
declare -A results
for r in $(seq "$rounds"); do
  for kind in local token session; do
    case $kind in
      local) port=$open_port; header="" ;;
      token) port=$auth_port; header="Authorization: Bearer $token" ;;
      session) port=$auth_port; header="Cookie: $session; $csrf|X-CSRF-Token: ${csrf#edgeml_csrf=}" ;;
    esac
    rps="$(AUTH_HEADERS="$header" wrk -t2 -c8 -d"${secs}s" -s "$state/predict.lua" \
      "http://127.0.0.1:$port/api/predict-energy" | awk '/Requests\/sec/ {print $2}')"
    results[$kind]+="$rps "
    echo "round $r $kind: $rps req/s" >&2
  done
done
for kind in local token session; do
  median="$(printf '%s\n' ${results[$kind]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  echo "$kind: median $median req/s [${results[$kind]% }]"
done
