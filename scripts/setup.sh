#!/usr/bin/env bash
# Installs everything the build, the tests and the main job need on Debian 12, idempotently.
#   - Debian packages (only those not yet installed are asked for)
#   - ONNX Runtime's official Linux build, taken from the npm registry (Debian has no package)
#   - the dashboard's front-end libraries and the browser-test driver, from npm
# Safe to run again: every step checks before it acts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake pkg-config ninja-build ccache clang-format git
  libxgboost-dev
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  libflatbuffers-dev
  libopencv-dev
  libboost1.81-dev libcpp-httplib-dev nlohmann-json3-dev
  libsqlite3-dev libpq-dev postgresql libcurl4-openssl-dev libssl-dev
  mosquitto libmosquitto-dev openssl libsodium-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk curl ca-certificates
  openssl python3-aiosmtpd
  libxlsxwriter-dev libcairo2-dev fonts-dejavu-core poppler-utils
  chromium
  clang-14 libclang-rt-14-dev  # make fuzz: libFuzzer and the sanitizer runtimes come with Debian's clang
)
# Node.js and npm (front-end vendoring, browser tests): the machine's own if present (it may come from another
# origin that conflicts with Debian's npm package), else Debian's.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already installed"
fi

bash "$here/scripts/fetch-onnxruntime.sh"
if [ -f "$here/web/package.json" ]; then
  bash "$here/scripts/vendor-web.sh"
fi
echo "setup: done"
