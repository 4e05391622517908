#!/usr/bin/env bash
# Builds web/dist, the folder the controller serves with --web: the page's own files and the front-end libraries it
# needs (web/dist.list), installed from npm with the lockfile and copied in (no CDN: the page works offline).
# Also installs the browser-test driver (tests/web: playwright-core, never a downloaded browser).
# Idempotent: npm runs only when a lockfile changed since the last install, so after the first run it needs no network.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# npm ci when node_modules does not match package-lock.json (stamp = the lockfile's checksum).
install_locked() {
  local dir="$1" stamp="$1/node_modules/.edgeml-lock.sha256" sum
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    echo "vendor-web: ${dir#"$root"/} packages up to date" >&2
    return
  fi
  echo "vendor-web: npm ci in ${dir#"$root"/}" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$sum" >"$stamp"
}

install_locked "$root/web"
[ -f "$root/tests/web/package-lock.json" ] && install_locked "$root/tests/web"

# Assemble into a temporary folder and swap it in, so a running controller never serves a half-copied page.
dist="$root/web/dist"
tmp="$(mktemp -d "$root/web/.dist.tmp-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# What goes in is listed once, in web/dist.list (the controller embeds the same files: cmake/EmbedWeb.cmake).
while read -r kind what name; do
  case "$kind" in
    page) mkdir -p "$tmp/$(dirname "$what")"; cp -r "$root/web/$what" "$tmp/$what" ;;
    vendor) mkdir -p "$tmp/vendor"; cp "$root/web/node_modules/$what" "$tmp/vendor/$name" ;;
    ''|'#'*) ;;
    *) echo "vendor-web: web/dist.list: unknown entry '$kind'" >&2; exit 1 ;;
  esac
done <"$root/web/dist.list"
chmod -R a+rX "$tmp"
rm -rf "$dist.old"
[ -d "$dist" ] && mv "$dist" "$dist.old"
mv "$tmp" "$dist"
rm -rf "$dist.old"
trap - EXIT
echo "vendor-web: web/dist ready ($(du -sk "$dist" | cut -f1) KB)" >&2
