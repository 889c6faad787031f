#!/usr/bin/env bash
# Fetches the Debian kernel that the QEMU boot tests boot, pinned by sha256, into the cache
# (outside the repository) and unpacks it. Idempotent. Prints the directory it filled.
#   usage: ci/fetch-test-kernel.sh [CACHE_DIR]   (default: ${XDG_CACHE_HOME:-~/.cache}/cvmboot)
set -euo pipefail
pkg=linux-image-6.1.0-56-cloud-amd64
ver=6.1.192-2
sha256=e7d02b943971edcb8790e256c02cfab3bca6c3d37c1bf25392a57c71300615ee
cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/cvmboot}
deb="$cache/debs/${pkg}_${ver}_amd64.deb"
out="$cache/test-kernel"

mkdir -p "$cache/debs"
if [[ ! -f "$deb" ]] || ! echo "$sha256  $deb" | sha256sum -c --quiet - 2>/dev/null; then
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download "$pkg=$ver" >&2)
    got=$(sha256sum "$tmp"/*.deb | cut -d' ' -f1)
    if [[ "$got" != "$sha256" ]]; then
        echo "fetch-test-kernel: $pkg $ver: expected sha256 $sha256, got $got" >&2
        rm -rf "$tmp"; exit 1
    fi
    mv "$tmp"/*.deb "$deb"; rm -rf "$tmp"
fi
if [[ ! -f "$out/vmlinuz" ]]; then
    rm -rf "$out.tmp"; mkdir -p "$out.tmp"
    dpkg-deb -x "$deb" "$out.tmp/root"
    cp "$out.tmp"/root/boot/vmlinuz-* "$out.tmp/vmlinuz"
    rm -rf "$out"; mv "$out.tmp" "$out"
fi
echo "$out"
