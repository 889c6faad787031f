#!/usr/bin/env bash
# Runs the JMH benchmark of the in-process SNP launch digest and prints the ratio of the digest
# to the floor (hashing each input once). Needs the test kernel (ci/fetch-test-kernel.sh).
#   usage: measure/bench/run-jmh.sh [extra JMH args, e.g. -wi 2 -i 3]
#          measure/bench/run-jmh.sh --ratio [ROUNDS]   (min/median ratio in one JVM, load-robust)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
target=${CVMBOOT_TARGET:-target-bench}
kernel_dir=${CVMBOOT_TEST_KERNEL_DIR:-$HOME/.cache/cvmboot/test-kernel}
[[ -f "$kernel_dir/vmlinuz" ]] || { echo "run-jmh: $kernel_dir/vmlinuz absent: run ci/fetch-test-kernel.sh" >&2; exit 2; }
cd "$root"
mvn -q -B -Pbench -Dcvmboot.target="$target" -pl measure test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$root/measure/$target/bench.classpath" >&2
cp="$root/measure/$target/test-classes:$root/measure/$target/classes:$(cat "$root/measure/$target/bench.classpath")"
if [[ "${1:-}" == "--ratio" ]]; then
    exec "$JAVA_HOME/bin/java" -cp "$cp" -Dcvmboot.snp.resources="$root/measure/src/test/resources/snp" \
        -Dcvmboot.test.kernel.dir="$kernel_dir" io.cvmboot.measure.snp.bench.DigestFloorRatio "${2:-40}"
fi
out="$root/measure/$target/jmh.json"
"$JAVA_HOME/bin/java" -cp "$cp" -Dcvmboot.snp.resources="$root/measure/src/test/resources/snp" \
    -Dcvmboot.test.kernel.dir="$kernel_dir" org.openjdk.jmh.Main LaunchDigestBenchmark \
    -jvmArgsAppend "-Dcvmboot.snp.resources=$root/measure/src/test/resources/snp -Dcvmboot.test.kernel.dir=$kernel_dir" \
    -rf json -rff "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
r = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"] for b in json.load(open(sys.argv[1]))}
d, f = r["launchDigest_4vcpu_kernelHashes"], r["floor_hashEachInputOnce"]
print(f"launch digest {d['score']:.2f} ± {d['scoreError']:.2f} {d['scoreUnit']}, floor {f['score']:.2f} ± {f['scoreError']:.2f} {f['scoreUnit']}")
print(f"ratio digest/floor = {d['score'] / f['score']:.3f} (target <= 1.5)")
PY
