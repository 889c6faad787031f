#!/usr/bin/env python3
"""Times the SNP digest CLIs against the reference (virtee/sev-snp-measure) on the same inputs in one
run, checks that all print the same digest, and prints each one's ratio of medians to the reference.

usage: compare-cli.py REF_CHECKOUT [RUNS]
  REF_CHECKOUT  a checkout of virtee/sev-snp-measure v0.0.13 (python3 sev-snp-measure.py)
  RUNS          timed runs per variant (default 10), interleaved to share the machine's noise
env:  CVMBOOT_TEST_KERNEL_DIR (default ~/.cache/cvmboot/test-kernel, from ci/fetch-test-kernel.sh).

Ours are timed as users run them, launcher scripts included: bin/builder measure snp and
bin/sev-snp-measure (the drop-in), which both launch through bin/lib/measure-snp.bash: slim class
path, its own AOT cache, bin/lib/jit-flags.bash. Each is run once untimed first, so that it builds
its AOT cache.

Inputs: 4 vCPUs EPYC-v4, kernel hashes with the pinned Debian kernel, initrd-small.cpio, a cmdline,
the AmdSev firmware.
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
kdir = os.environ.get("CVMBOOT_TEST_KERNEL_DIR", os.path.expanduser("~/.cache/cvmboot/test-kernel"))
res = os.path.join(root, "measure", "src", "test", "resources", "snp")
if not os.path.isfile(os.path.join(kdir, "vmlinuz")):
    sys.exit(f"compare-cli: no kernel in {kdir} (run ci/fetch-test-kernel.sh)")

args = ["--mode", "snp", "--vcpus", "4", "--vcpu-type", "EPYC-v4",
        "--ovmf", os.path.join(res, "OVMF.amdsev.sid.fd"), "--kernel", os.path.join(kdir, "vmlinuz"),
        "--initrd", os.path.join(res, "initrd-small.cpio"), "--append", "console=ttyS0 root=/dev/vda rw"]
REF = "reference (python3 sev-snp-measure.py)"
variants = {
    REF: ["python3", os.path.join(ref, "sev-snp-measure.py")],
    "bin/builder measure snp": [os.path.join(root, "bin", "builder"), "measure", "snp"],
    "bin/sev-snp-measure": [os.path.join(root, "bin", "sev-snp-measure")],
}
for cmd in variants.values():
    subprocess.run(cmd + args, check=True, capture_output=True)  # builds caches (AOT, __pycache__)

times = {name: [] for name in variants}
cpu = {name: [] for name in variants}
outputs = {}
for _ in range(runs):
    for name, cmd in variants.items():
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(cmd + args, capture_output=True, text=True)
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
ref_median = statistics.median(times[REF])
ref_cpu = statistics.median(cpu[REF])
print(f"{'variant':40s} {'wall median':>12s} {'wall min':>9s} {'ratio':>6s} {'cpu median':>11s} {'ratio':>6s}")
for name, t in times.items():
    m = statistics.median(t)
    c = statistics.median(cpu[name])
    print(f"{name:40s} {m * 1000:9.1f} ms {min(t) * 1000:6.1f} ms {m / ref_median:6.2f} {c * 1000:8.1f} ms {c / ref_cpu:6.2f}")
