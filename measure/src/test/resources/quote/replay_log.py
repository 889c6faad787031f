#!/usr/bin/env python3
"""Prints one tpm2_pcrextend argument per extended event of a TCG crypto-agile event log
(TCG PC Client Platform Firmware Profile 1.05, 10.2: Spec ID header, then TCG_PCR_EVENT2 records;
EV_NO_ACTION events are not extended). Usage: python3 replay_log.py LOG"""
import struct
import sys

NAMES = {0x0004: "sha1", 0x000B: "sha256", 0x000C: "sha384", 0x000D: "sha512"}
log = open(sys.argv[1], "rb").read()
pcr, etype = struct.unpack_from("<II", log, 0)
size, = struct.unpack_from("<I", log, 28)
spec = log[32:32 + size]
assert spec[:16] == b"Spec ID Event03\0", spec[:16]
count, = struct.unpack_from("<I", spec, 24)
sizes = {}
for i in range(count):
    alg, dsize = struct.unpack_from("<HH", spec, 28 + 4 * i)
    sizes[alg] = dsize
pos = 32 + size
while pos < len(log):
    pcr, etype, n = struct.unpack_from("<III", log, pos)
    pos += 12
    digests = []
    for _ in range(n):
        alg, = struct.unpack_from("<H", log, pos)
        pos += 2
        digests.append(f"{NAMES[alg]}={log[pos:pos + sizes[alg]].hex()}")
        pos += sizes[alg]
    esize, = struct.unpack_from("<I", log, pos)
    pos += 4 + esize
    if etype != 3:  # EV_NO_ACTION
        print(f"{pcr}:" + ",".join(digests))
