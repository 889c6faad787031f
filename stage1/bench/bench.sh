#!/bin/sh
# stage1 benchmarks on the host, each printed as a figure or a ratio against a peer measured in the
# same run (machine load changes absolute numbers; ratios and the minimum of several runs less so).
#   1. start-up: stage1 --help, and a full --file run (config, download of /bin/true from loopback,
#      memfd, seal, execveat; --tpm none), with and without the AOT cache
#   2. peak RSS of a full --file run whose stage2 is 1 GiB (streamed into the memfd)
#   3. download throughput against curl from the same loopback server (busybox httpd), 1 GiB:
#      stage1's transport alone and its verified download (SHA-256), with the floor SHA-256 sets
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

echo "== 3. download throughput, 1 GiB from loopback busybox httpd (best of 5, alternating)"
# Throughput is bytes over transfer time: curl's own %{time_total}, and stage1's download path timed
# in process by bench/java/.../DownloadThroughput (its JVM start is figure 1's business). Two paths:
#   transport: stage1's HTTP client and copy pipeline, no digest: the same work as curl -o /dev/null
#   verified:  Download.stream, what stage1 runs: the same plus the SHA-256 it checks
jdk=$("$here/../bin/find-jdk")
mkdir -p "$work/classes"
"$jdk/bin/javac" -nowarn -d "$work/classes" -cp "$img/lib/stage1.jar:$img/lib/measure.jar" \
  "$here/bench/java/io/cvmboot/stage1/net/DownloadThroughput.java"
cp="$img/lib/stage1.jar:$img/lib/measure.jar:$work/classes"
url="http://127.0.0.1:$port/big"
# Keeps the times of runs that received the whole GiB; a short run fails the bench.
whole() { awk -v n="$(stat -c %s "$work/www/big")" '$2 != n { print "run received " $2 " of " n " bytes" > "/dev/stderr"; exit 1 } { print $1 }'; }
: > "$work/curl.ms"; : > "$work/transport.ms"; : > "$work/verified.ms"; : > "$work/cold.ms"; : > "$work/tcold.ms"
for i in 1 2 3 4 5; do
  curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$url" | awk '{printf "%d %d\n", $1 * 1000, $2}' | whole >> "$work/curl.ms"
  # One JVM per path and round: run 1 is cold (as in a boot), run 2 warm.
  "$java" $flags -cp "$cp" io.cvmboot.stage1.net.DownloadThroughput transport "$url" 2 | whole > "$work/t"
  sed -n 1p "$work/t" >> "$work/tcold.ms"; sed -n 2p "$work/t" >> "$work/transport.ms"
  "$java" $flags -cp "$cp" io.cvmboot.stage1.net.DownloadThroughput verified "$url" 2 | whole > "$work/v"
  sed -n 1p "$work/v" >> "$work/cold.ms"; sed -n 2p "$work/v" >> "$work/verified.ms"
done
min() { sort -n "$1" | head -1; }
# End to end as a user runs it, JVM start included: download and hash, print the config.
s=$(for i in 1 2 3; do b=$(date +%s%N); "$java" $flags $aot -jar "$img/lib/stage1.jar" --make-config x86_64 "$url" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - b) / 1000000 )); done | sort -n | head -1)
c=$(min "$work/curl.ms"); t=$(min "$work/transport.ms"); v=$(min "$work/verified.ms"); vc=$(min "$work/cold.ms"); tc=$(min "$work/tcold.ms")
# The floor of any downloader that checks a SHA-256: one core hashing the bytes, with OpenSSL's
# SHA-NI code when openssl is there (SHA-256 is one sequential chain, it cannot use a second core).
if command -v openssl >/dev/null; then
  h=$(openssl speed -evp sha256 -bytes 1048576 -seconds 2 2>/dev/null | awk '/^sha256/ {printf "%d", 1073741824 / ($2 * 1000) * 1000}')
  hname="openssl speed -evp sha256 (1 MiB blocks)"
else
  s=$(date +%s%N); sha256sum "$work/www/big" >/dev/null; e=$(date +%s%N); h=$(( (e - s) / 1000000 )); hname="sha256sum (file in page cache)"
fi
awk -v s="$s" -v c="$c" -v t="$t" -v tc="$tc" -v v="$v" -v vc="$vc" -v h="$h" -v hname="$hname" 'BEGIN {
  printf "curl -o /dev/null (%%{time_total}):       %5d ms (%.0f MiB/s)\n", c, 1024000/c;
  printf "stage1 transport, no digest (warm / cold): %d / %d ms (%.0f MiB/s warm)\n", t, tc, 1024000/t;
  printf "stage1 verified, SHA-256 (warm / cold): %5d / %d ms (%.0f MiB/s warm)\n", v, vc, 1024000/v;
  printf "stage1 --make-config (JVM start incl.): %5d ms\n", s;
  printf "%-39s %5d ms (%.0f MiB/s): SHA-256 alone, the floor of a verified download\n", hname ":", h, 1024000/h;
  printf "ratio transport/curl = %.2f warm, %.2f cold (target >= 0.9)\n", c/t, c/tc;
  printf "ratio verified/curl = %.2f; SHA-256 alone caps it at %.2f: verified runs at %.0f %% of that floor\n", c/v, c/h, 100*h/v }'
