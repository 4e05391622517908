#!/usr/bin/env bash
# Lists the metric names alerts.yml uses (those of our exporters, edgeml_* and node_*; Prometheus' own "up" is left
# out), one per line. With /metrics dumps as further arguments (files, or URLs fetched with curl), also checks that
# every name appears in at least one of them and exits 1 naming those that do not.
#   deploy/prometheus/check-names.sh                                  # list
#   deploy/prometheus/check-names.sh agent-metrics.txt http://127.0.0.1:5000/metrics
# A name counts as present when a sample has it or a "# TYPE" line declares it (a family with no sample yet, such as
# edgeml_agent_model_active before a model is active); a declared histogram brings its _bucket, _sum and _count.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rules="${RULES:-$here/alerts.yml}"
# Only the expr: lines hold metric names (annotations quote labels and values, not metrics).
names="$(grep -E '^\s*expr:' "$rules" | grep -oE '\b(edgeml|node)_[A-Za-z0-9_]+' | sort -u)"
if [ $# -eq 0 ]; then
  printf '%s\n' "$names"
  exit 0
fi
exposed="$(mktemp)"
trap 'rm -f "$exposed"' EXIT
for source in "$@"; do
  if [[ "$source" == http://* || "$source" == https://* ]]; then
    curl -fsS "$source"
  else
    cat "$source"
  fi
done | awk '
  /^# TYPE / { print $3; if ($4 == "histogram") { print $3 "_bucket"; print $3 "_sum"; print $3 "_count" }; next }
  /^[[:space:]]*#/ { next }
  { sub(/[{ ].*/, ""); if ($0 != "") print }' | sort -u >"$exposed"
missing=0
while read -r name; do
  [ -z "$name" ] && continue
  if ! grep -qxF "$name" "$exposed"; then
    echo "missing from the /metrics given: $name"
    missing=1
  fi
done <<<"$names"
if [ "$missing" -eq 0 ]; then echo "check-names: all $(wc -l <<<"$names") metric names found"; fi
exit "$missing"
