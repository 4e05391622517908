#!/usr/bin/env bash
# Fails when a C++ file of ours is not formatted as .clang-format says (run by `make test` as the format_check test).
# Fix with: bash scripts/check-format.sh --fix
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tool="$(command -v clang-format-14 || command -v clang-format)"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc' 2>/dev/null | grep -v -e '^third_party/' -e node_modules)
if [ "${1:-}" = "--fix" ]; then
  "$tool" -i "${files[@]}"
  exit 0
fi
"$tool" --dry-run --Werror "${files[@]}"
echo "format_check: ${#files[@]} files formatted as .clang-format says"
