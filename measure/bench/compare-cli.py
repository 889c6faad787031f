#!/usr/bin/env python3
"""Times `builder measure snp` against the reference CLI (virtee/sev-snp-measure) on the same
inputs in one run, checks that both print the same digest, and prints the ratio of medians.

usage: compare-cli.py REF_CHECKOUT [RUNS]
  REF_CHECKOUT  a checkout of virtee/sev-snp-measure v0.0.13 (python3 sev-snp-measure.py)
  RUNS          timed runs per variant (default 10), interleaved to share the machine's noise
env:  CVMBOOT_TARGET (default target-snp): build directory holding builder/$T/builder.jar and lib/
      (mvn -Dcvmboot.target=$T -pl builder -am package -DskipTests), CVMBOOT_TEST_KERNEL_DIR, JAVA_HOME.

Inputs: 4 vCPUs EPYC-v4, kernel hashes with the pinned Debian kernel, initrd-small.cpio, a
cmdline, the AmdSev firmware. Variants of ours: the full builder launcher (java -jar builder.jar
measure snp ...), the lean entry point (io.cvmboot.builder.cli.MeasureSnpCommand), each without
and with a JDK 25 AOT cache trained on one run (-XX:AOTCacheOutput).
"""
import os
import resource
import statistics
import subprocess
import sys
import time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ref = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
target = os.environ.get("CVMBOOT_TARGET", "target-snp")
java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
kdir = os.environ.get("CVMBOOT_TEST_KERNEL_DIR", os.path.expanduser("~/.cache/cvmboot/test-kernel"))
res = os.path.join(root, "measure", "src", "test", "resources", "snp")
jar = os.path.join(root, "builder", target, "builder.jar")
work = os.path.join(root, "builder", target)
for f in (jar, os.path.join(kdir, "vmlinuz")):
    if not os.path.isfile(f):
        sys.exit(f"compare-cli: {f} absent (build with -Dcvmboot.target={target} package; ci/fetch-test-kernel.sh)")

args = ["--mode", "snp", "--vcpus", "4", "--vcpu-type", "EPYC-v4",
        "--ovmf", os.path.join(res, "OVMF.amdsev.sid.fd"), "--kernel", os.path.join(kdir, "vmlinuz"),
        "--initrd", os.path.join(res, "initrd-small.cpio"), "--append", "console=ttyS0 root=/dev/vda rw"]
full = [java, "--enable-native-access=ALL-UNNAMED", "-jar", jar, "measure", "snp"]
lean_cp = jar + ":" + os.path.join(work, "lib", "*")
lean = [java, "-cp", lean_cp, "io.cvmboot.builder.cli.MeasureSnpCommand"]


def with_aot(cmd, name):
    aot = os.path.join(work, name + ".aot")
    train = cmd[:1] + ["-XX:AOTCacheOutput=" + aot] + cmd[1:] + args
    subprocess.run(train, check=True, capture_output=True)
    return cmd[:1] + ["-XX:AOTCache=" + aot] + cmd[1:]


variants = {
    "reference (python3 sev-snp-measure.py)": (["python3", os.path.join(ref, "sev-snp-measure.py")], ref),
    "builder measure snp": (full, root),
    "builder measure snp + AOT cache": (with_aot(full, "snp-full"), root),
    "lean MeasureSnpCommand": (lean, root),
    "lean MeasureSnpCommand + AOT cache": (with_aot(lean, "snp-lean"), root),
}
variants["lean + AOT cache + C1 only"] = (variants["lean MeasureSnpCommand + AOT cache"][0][:1] + ["-XX:TieredStopAtLevel=1"]
                                          + variants["lean MeasureSnpCommand + AOT cache"][0][1:], root)

# "slim": only the three jars the lean path needs. builder.jar's manifest Class-Path makes the JVM
# open all 18 runtime jars (BouncyCastle, Jackson, ...) even when -cp names just the jar.
slim_jar = os.path.join(work, "snp-slim-builder.jar")
subprocess.run([os.path.join(os.path.dirname(java), "jar"), "cf", slim_jar, "-C", os.path.join(work, "classes"), "."],
               check=True)
lib = os.path.join(work, "lib")
slim_cp = ":".join([slim_jar] + [os.path.join(lib, j) for j in sorted(os.listdir(lib))
                                  if j.startswith("measure-") or j.startswith("picocli-")])
# Ask C2 to compile the JDK's SHA callers at once, and wait for those compiles instead of going on
# interpreted, so that they reach the SHA-NI/AVX2 intrinsics instead of C2 first compiling the
# pure-Java compression loops (seen with -XX:+PrintCompilation and -XX:+CITime).
sha_callers = ["sun.security.provider.SHA2::implCompress", "sun.security.provider.SHA5::implCompress",
               "sun.security.provider.DigestBase::implCompressMultiBlock",
               "sun.security.provider.DigestBase::implCompressMultiBlock0",
               "sun.security.provider.DigestBase::engineUpdate"]
tuned = ["-XX:+UseSerialGC", "-XX:CompileCommand=quiet"] + [
    "-XX:CompileCommand=CompileThresholdScaling," + m + ",0.001" for m in sha_callers] + [
    "-XX:CompileCommand=BackgroundCompilation,sun.security.provider.*::*,false"]
slim = [java] + tuned + ["-cp", slim_cp, "io.cvmboot.builder.cli.MeasureSnpCommand"]
variants["slim lean + AOT cache + SHA JIT flags"] = (with_aot(slim, "snp-slim"), root)
times = {name: [] for name in variants}
cpu = {name: [] for name in variants}
outputs = {}
for _ in range(runs):
    for name, (cmd, cwd) in variants.items():
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(cmd + args, cwd=cwd, capture_output=True, text=True)
        times[name].append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if p.returncode != 0:
            sys.exit(f"{name} failed: {p.stderr}")
        outputs.setdefault(name, p.stdout.strip())
digests = set(outputs.values())
if len(digests) != 1:
    sys.exit(f"compare-cli: outputs differ: {outputs}")
print(f"digest {digests.pop()} (all variants agree), {runs} runs each, load {os.getloadavg()[0]:.2f}")
REF = "reference (python3 sev-snp-measure.py)"
ref_median = statistics.median(times[REF])
ref_cpu = statistics.median(cpu[REF])
print(f"{'variant':40s} {'wall median':>12s} {'wall min':>9s} {'ratio':>6s} {'cpu median':>11s} {'ratio':>6s}")
for name, t in times.items():
    m = statistics.median(t)
    c = statistics.median(cpu[name])
    print(f"{name:40s} {m * 1000:9.1f} ms {min(t) * 1000:6.1f} ms {m / ref_median:6.2f} {c * 1000:8.1f} ms {c / ref_cpu:6.2f}")
