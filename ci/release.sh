#!/usr/bin/env bash
# The release job, runnable locally: build the artefacts from SPEC (default: the built-in spec),
# prove they reproduce, verify them against their manifest, and pack them with checksums.
#   usage: ci/release.sh [SPEC] [DIST_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
spec=${1:-}
dist=${2:-dist}
out=$(mktemp -d)/artefacts

echo "== build" >&2
bin/builder build ${spec:+"$spec"} -o "$out" --json > "$out.result.json"
echo "== reproduce" >&2
bin/builder reproduce ${spec:+"$spec"}
echo "== verify" >&2
bin/builder verify "$out"

rm -rf "$dist"; mkdir -p "$dist"
cp "$out"/* "$dist"/
(cd "$dist" && sha256sum -- * > SHA256SUMS)
echo "== release files in $dist" >&2
cat "$dist/SHA256SUMS" >&2
