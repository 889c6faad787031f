#!/usr/bin/env python3
"""Writes eventlog.bin (TCG PC Client crypto-agile log: Spec ID header, then TCG_PCR_EVENT2 records)
and eventlog-extends.txt (one tpm2_pcrextend argument per line) for generate.sh. The events imitate
a firmware boot (PCR 4 action + separator + application, PCR 9 a tagged event); generate.sh extends
exactly these digests into the swtpm so replaying the log must give the quoted PCRs."""
import hashlib
import struct

BANKS = [(0x0004, "sha1"), (0x000B, "sha256"), (0x000C, "sha384"), (0x000D, "sha512")]
EVENTS = [  # (pcr, event type, hashed buffer, event data)
    (4, 0x80000007, b"Calling EFI Application from Boot Option", b"Calling EFI Application from Boot Option"),
    (4, 0x00000004, b"\0\0\0\0", b"\0\0\0\0"),
    (4, 0x80000003, b"fixture application image", b"\0" * 32),
    (9, 0x00000006, b"fixture initrd bytes", b"\x29\x9a\x49\xec\x04\0\0\0initrd"),
]


def spec_id():
    body = b"Spec ID Event03\0" + struct.pack("<IBBBBI", 0, 0, 2, 0, 2, len(BANKS))
    for alg, name in BANKS:
        body += struct.pack("<HH", alg, hashlib.new(name).digest_size)
    body += b"\0"
    return struct.pack("<II", 0, 3) + b"\0" * 20 + struct.pack("<I", len(body)) + body


log = spec_id()
lines = []
for pcr, etype, hashed, data in EVENTS:
    rec = struct.pack("<III", pcr, etype, len(BANKS))
    parts = []
    for alg, name in BANKS:
        d = hashlib.new(name, hashed).digest()
        rec += struct.pack("<H", alg) + d
        parts.append(f"{name}={d.hex()}")
    rec += struct.pack("<I", len(data)) + data
    log += rec
    lines.append(f"{pcr}:" + ",".join(parts))
open("eventlog.bin", "wb").write(log)
open("eventlog-extends.txt", "w").write("\n".join(lines) + "\n")
