#!/usr/bin/env bash
# Prints the digests the Dockerfiles pin and, where a Docker CLI with buildx can reach a registry,
# the digest each tag points to now, so that bumping a pin is a deliberate, reviewed change.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -ho 'FROM [^ ]*@sha256:[0-9a-f]*' dockerfiles/*.Dockerfile | sort -u | while read -r _ ref; do
    tag=${ref%@*}; pinned=${ref#*@}
    now=$(docker buildx imagetools inspect "$tag" --format '{{json .Manifest.Digest}}' 2>/dev/null | tr -d '"' || true)
    printf '%-40s pinned %s  current %s\n' "$tag" "$pinned" "${now:-unknown (no registry access)}"
done
