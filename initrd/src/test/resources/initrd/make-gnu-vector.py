#!/usr/bin/env python3
"""Makes gnu-reproducible.cpio, the committed GNU cpio known-answer vector for NewcWriterTest.

Run from this directory:  python3 make-gnu-vector.py
The tree below is recreated identically by NewcWriterTest.vectorTree(); keep both in step.
"""
import os, shutil, subprocess, tempfile

EPOCH = 1700000000
root = tempfile.mkdtemp()
def write(rel, data, mode):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
    os.chmod(p, mode)

write("bin/tool", b"#!/bin/sh\necho tool\n", 0o755)
write("etc/motd", b"hello\n", 0o644)
write("etc/empty", b"", 0o644)
write("data/seq1001", bytes(i % 251 for i in range(1001)), 0o644)
write("data/seq4096", bytes(i % 253 for i in range(4096)), 0o644)
write("usr/share/gr\u00fc\u00df.txt".encode("utf-8").decode("utf-8"), b"utf-8\n", 0o644)
os.makedirs(os.path.join(root, "usr/lib/empty"))
os.symlink("tool", os.path.join(root, "bin/sh"))
os.symlink("../bin", os.path.join(root, "usr/bin"))
for dirpath, dirnames, filenames in os.walk(root):
    os.chmod(dirpath, 0o755)
for dirpath, dirnames, filenames in os.walk(root):
    for n in dirnames + filenames:
        os.utime(os.path.join(dirpath, n), (EPOCH, EPOCH), follow_symlinks=False)
os.utime(root, (EPOCH, EPOCH))
cmd = "find . | LC_ALL=C sort | cpio -o -H newc --reproducible --owner=0:0 --quiet"
out = subprocess.run(["sh", "-c", cmd], cwd=root, check=True, capture_output=True).stdout
with open("gnu-reproducible.cpio", "wb") as f:
    f.write(out)
shutil.rmtree(root)
print(len(out), "bytes; command:", cmd)
