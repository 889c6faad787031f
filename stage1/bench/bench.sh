#!/bin/sh
# stage1 benchmarks on the host, each printed as a figure or a ratio against a peer measured in the
# same run (machine load changes absolute numbers; ratios and the minimum of several runs less so).
#   1. start-up: stage1 --help, and a full --file run (config, download of /bin/true from loopback,
#      memfd, seal, execveat; --tpm none), with and without the AOT cache
#   2. peak RSS of a full --file run whose stage2 is 1 GiB (streamed into the memfd)
#   3. download throughput against curl from the same loopback server (busybox httpd), 1 GiB, with
#      the floor SHA-256 itself sets (openssl dgst on the same bytes)
# Usage: stage1/bench/bench.sh [BUILD_DIR]   (default stage1/target; run mvn -pl stage1 -am package first)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/target}
img=$build/image/stage1
java=$img/runtime/bin/java
[ -x "$java" ] || { echo "no stage1 image at $img: run mvn -pl stage1 -am package" >&2; exit 2; }
for t in busybox curl sha256sum /usr/bin/time; do command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 2; }; done
work=$(mktemp -d)
trap 'kill $httpd 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + $$ % 20000))
mkdir -p "$work/www" "$work/tmp"
cp /bin/true "$work/www/true"
# A 1 GiB executable: /bin/true followed by zeros (the ELF loader ignores trailing bytes).
cp /bin/true "$work/www/big" && truncate -s 1G "$work/www/big"
busybox httpd -f -p 127.0.0.1:$port -h "$work/www" & httpd=$!
sleep 0.5
flags="-XX:+UseSerialGC -Xms8m -Xmx48m -XX:CompileThresholdScaling=10 -XX:CompileCommandFile=$img/compile-commands"   # as Stage1Layout.JVM_FLAGS
aot="-XX:AOTCache=$img/stage1.aot"
ms() { # run "$@" N times, print the minimum and median wall time in ms
  n=$1; shift
  for i in $(seq "$n"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | sort -n | awk '{a[NR]=$1} END {printf "min %d ms, median %d ms", a[1], a[int((NR+1)/2)]}'
}
config() { # url sha -> config file
  printf '{"_stage2":{"x86_64":{"url":"%s","sha256":"%s"},"aarch64":{"url":"%s","sha256":"%s"}}}' "$1" "$2" "$1" "$2" > "$work/config.json"
}
run_file() { rm -f "$work/tmp/"*; "$java" $flags "$@" -jar "$img/lib/stage1.jar" --file "$work/config.json" --tpm none --tmp "$work/tmp"; }

echo "== 1. start-up (host, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo "java -version (runtime floor):        $(ms 10 "$java" $flags -version)"
echo "stage1 --help, AOT cache:              $(ms 10 "$java" $flags $aot -jar "$img/lib/stage1.jar" --help)"
echo "stage1 --help, no AOT cache:           $(ms 10 "$java" $flags -jar "$img/lib/stage1.jar" --help)"
config "http://127.0.0.1:$port/true" "$(sha256sum "$work/www/true" | cut -d' ' -f1)"
echo "stage1 --file -> exec, AOT cache:      $(ms 10 run_file $aot)"
echo "stage1 --file -> exec, no AOT cache:   $(ms 10 run_file)"

echo "== 2. peak RSS, 1 GiB stage2 streamed into the memfd (stage1 then execs it)"
config "http://127.0.0.1:$port/big" "$(sha256sum "$work/www/big" | cut -d' ' -f1)"
rm -f "$work/tmp/"*
/usr/bin/time -f "max RSS %M KiB, %e s wall" "$java" $flags $aot -jar "$img/lib/stage1.jar" --file "$work/config.json" --tpm none --tmp "$work/tmp" 2>&1 | grep "max RSS"

echo "== 3. download throughput, 1 GiB from loopback busybox httpd (best of 3)"
best() { # command... -> best milliseconds
  for i in 1 2 3; do s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); done | sort -n | head -1
}
c=$(best curl -s -o /dev/null "http://127.0.0.1:$port/big")
ch=$(best sh -c "curl -s http://127.0.0.1:$port/big | sha256sum")
s=$(best "$java" $flags $aot -jar "$img/lib/stage1.jar" --make-config x86_64 "http://127.0.0.1:$port/big")
# The floor of any downloader that checks a SHA-256: one core hashing the bytes, with OpenSSL's
# SHA-NI code when openssl is there (SHA-256 is one sequential chain, it cannot use a second core).
if command -v openssl >/dev/null; then
  h=$(best openssl dgst -sha256 "$work/www/big"); hname="openssl dgst -sha256 (file in page cache)"
  # The file in RAM, as stage1's memfd is.
  shm=/dev/shm; [ -d "$shm" ] && [ -w "$shm" ] || shm=$work/tmp
  cv=$(best sh -c "curl -s -o '$shm/cvmboot-bench-big' http://127.0.0.1:$port/big && openssl dgst -sha256 '$shm/cvmboot-bench-big'")
  rm -f "$shm/cvmboot-bench-big"
else
  h=$(best sha256sum "$work/www/big"); hname="sha256sum (file in page cache)"; cv=$ch
fi
awk -v c="$c" -v ch="$ch" -v s="$s" -v h="$h" -v hname="$hname" -v cv="$cv" 'BEGIN {
  printf "curl -o /dev/null:                 %5d ms (%.0f MiB/s)\n", c, 1024000/c;
  printf "curl | sha256sum:                  %5d ms (%.0f MiB/s)\n", ch, 1024000/ch;
  printf "curl -o RAMFILE && openssl sha256:    %5d ms (%.0f MiB/s)\n", cv, 1024000/cv;
  printf "%-34s %5d ms (%.0f MiB/s): SHA-256 alone\n", hname ":", h, 1024000/h;
  printf "stage1 (download+sha256, JVM start included): %d ms (%.0f MiB/s)\n", s, 1024000/s;
  printf "ratio stage1/curl = %.2f (target >= 0.9; a downloader that checks SHA-256 cannot pass %.2f here)\n", c/s, c/h;
  printf "ratio stage1/(curl | sha256sum) = %.2f, stage1/(curl -o RAMFILE && openssl sha256) = %.2f\n", ch/s, cv/s }'
