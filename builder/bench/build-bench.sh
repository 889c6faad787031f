#!/usr/bin/env bash
# Benchmark of the main job: `builder build` of the built-in spec from a warm package cache.
# Prints the wall time of each run and the share of it spent writing the compressed initrd
# (newc + zstd, as the build's own progress line reports it). Target: under 15 s on 2 cores.
#   usage: builder/bench/build-bench.sh [RUNS]   (default 3; the first run also warms the cache)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin/builder build -o "$work/warmup" >/dev/null 2>"$work/warmup.log"   # fills the cache, builds the jar
for i in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    bin/builder build -o "$work/out$i" 2>"$work/log$i" >/dev/null
    end=$(date +%s.%N)
    initrd=$(sed -n 's/^initrd: .*(\([0-9.]*\) s)$/\1/p' "$work/log$i")
    awk -v i="$i" -v s="$start" -v e="$end" -v c="$initrd" 'BEGIN {
        printf "run %d: wall %.2f s, initrd write+compress %.2f s (%.0f%%)\n", i, e - s, c, 100 * c / (e - s) }' 
done
