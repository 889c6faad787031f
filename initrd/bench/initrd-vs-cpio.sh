#!/usr/bin/env bash
# Benchmark (not a test): wall time of `builder initrd` against the shell pipeline it replaces,
# `find . | LC_ALL=C sort | cpio -o -H newc --reproducible | gzip -n -6` (and `| zstd -3`), on
# the same ~60 MB tree, in the same run. Prints the median of RUNS runs and the ratio ours/peer
# (target: <= 1.0), for wall time and for CPU time (user + sys).
#
#   initrd/bench/initrd-vs-cpio.sh            # uses bin/builder (build it first)
#   BUILDER="java -cp ... io.cvmboot.builder.Main" RUNS=5 initrd/bench/initrd-vs-cpio.sh
#
# The tree is made once from /usr/bin, /usr/share and /usr/lib/x86_64-linux-gnu (files copied
# until SIZE_MB), normalised as `builder initrd --tree` normalises (dirs and executables 0755,
# other files 0644, mtime 0), and cached in $BENCH_DIR.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
BUILDER=${BUILDER:-$here/bin/builder}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/cvmboot-initrd-bench}
SIZE_MB=${SIZE_MB:-60}
RUNS=${RUNS:-3}
export LC_ALL=C

for tool in cpio gzip zstd find sort; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done

tree=$BENCH_DIR/tree
if [[ ! -f $BENCH_DIR/.complete-$SIZE_MB ]]; then
    rm -rf "$BENCH_DIR"; mkdir -p "$tree"
    limit=$((SIZE_MB * 1024 * 1024)); total=0
    while IFS= read -r -d '' f; do
        size=$(stat -c %s "$f")
        (( total + size > limit )) && continue
        mkdir -p "$tree/$(dirname "$f")"
        cp -P "$f" "$tree/$f" 2>/dev/null || continue
        total=$((total + size))
        (( total >= limit - 65536 )) && break
    done < <(find /usr/bin /usr/share /usr/lib/x86_64-linux-gnu -xdev \( -type f -o -type l \) -print0 | sort -z)
    find "$tree" -type d -exec chmod 755 {} +
    find "$tree" -type f -perm /111 -exec chmod 755 {} +
    find "$tree" -type f ! -perm /111 -exec chmod 644 {} +
    find "$tree" -exec touch -h -d @0 {} +
    touch "$BENCH_DIR/.complete-$SIZE_MB"
fi
echo "tree: $(du -sb "$tree" | cut -f1) bytes, $(find "$tree" | wc -l) entries; runs: $RUNS (median)"

# One timed run of a shell command line: prints "wall cpu" (cpu = user + sys, children included).
timed() {
    /usr/bin/time -f '%e %U %S' -o "$BENCH_DIR/time.txt" sh -c "$1" >/dev/null 2>&1
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$BENCH_DIR/time.txt"
}

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }

peer() { echo "cd '$tree' && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet | $1 > '$BENCH_DIR/peer.out'"; }
ours() { echo "$BUILDER initrd --tree '$tree' --compress $1 --level $2 -o '$BENCH_DIR/ours.out'"; }

command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time (package time) not found" >&2; exit 2; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %8s %8s %7s %9s %9s %7s %12s %12s\n' codec peer_s ours_s ratio peer_cpu ours_cpu ratio peer_bytes ours_bytes
for codec in "gzip 6 gzip -n -6" "zstd 3 zstd -q -3"; do
    read -r name level cmd <<<"$codec"
    timed "$(ours "$name" "$level")" >/dev/null   # warm the page cache and the launcher
    : > "$BENCH_DIR/peer.times"; : > "$BENCH_DIR/ours.times"
    # Alternate peer and ours so that changing load on a shared machine hits both alike.
    for ((i = 0; i < RUNS; i++)); do
        timed "$(peer "$cmd")" >> "$BENCH_DIR/peer.times"
        timed "$(ours "$name" "$level")" >> "$BENCH_DIR/ours.times"
    done
    pw=$(cut -d' ' -f1 "$BENCH_DIR/peer.times" | median); pc=$(cut -d' ' -f2 "$BENCH_DIR/peer.times" | median)
    ow=$(cut -d' ' -f1 "$BENCH_DIR/ours.times" | median); oc=$(cut -d' ' -f2 "$BENCH_DIR/ours.times" | median)
    printf '%-6s %8.3f %8.3f %7.2f %9.3f %9.3f %7.2f %12d %12d\n' "$name" "$pw" "$ow" \
        "$(awk -v o="$ow" -v p="$pw" 'BEGIN { print o / p }')" "$pc" "$oc" \
        "$(awk -v o="$oc" -v p="$pc" 'BEGIN { print o / p }')" \
        "$(stat -c %s "$BENCH_DIR/peer.out")" "$(stat -c %s "$BENCH_DIR/ours.out")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
