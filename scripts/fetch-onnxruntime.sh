#!/usr/bin/env bash
# ONNX Runtime has no Debian package. Its official Linux x64 build (library + C/C++ headers) is shipped inside the
# npm package com.github.asus4.onnxruntime; we unpack it into third_party/onnxruntime/{include,lib}.
# Nothing is installed system-wide. On a device with its own ONNX Runtime, pass -DONNXRUNTIME_ROOT=... to CMake instead.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$here/third_party/onnxruntime"
version="${ORT_NPM_VERSION:-0.4.9}"
if [ -f "$dest/lib/libonnxruntime.so.1" ] && [ -f "$dest/include/onnxruntime_c_api.h" ]; then
  echo "setup: ONNX Runtime already in $dest"; exit 0
fi
arch="$(uname -m)"
if [ "$arch" != "x86_64" ]; then
  echo "setup: no ONNX Runtime build for $arch in the npm package; install it on the device and pass -DONNXRUNTIME_ROOT" >&2
  exit 0
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
echo "setup: fetching ONNX Runtime from npm (com.github.asus4.onnxruntime@$version, ~150 MB)"
(cd "$tmp" && npm pack --silent "com.github.asus4.onnxruntime@$version" >/dev/null)
tar xzf "$tmp"/*.tgz -C "$tmp"
mkdir -p "$dest/include" "$dest/lib"
hdr="$(dirname "$(find "$tmp/package" -name onnxruntime_c_api.h | head -n1)")"
cp "$hdr"/*.h "$dest/include/"
cp "$tmp/package/Plugins/Linux/x64/"libonnxruntime*.so "$dest/lib/"
# The library's SONAME is libonnxruntime.so.1: the loader looks for that name.
ln -sf libonnxruntime.so "$dest/lib/libonnxruntime.so.1"
echo "setup: ONNX Runtime $(ls "$dest/lib") into $dest"
