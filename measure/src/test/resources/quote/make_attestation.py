#!/usr/bin/env python3
"""Assembles <type>-stage1.attest (the stage1 attestation file format fixed in the project brief) and
expected-measurement.json from generate.sh's tpm2-tools outputs. Usage: python3 make_attestation.py."""
import base64
import hashlib
import json
import re


def pcrs_from_yaml(path):
    banks, bank = {}, None
    for line in open(path):
        m = re.match(r"^  (sha\d+):\s*$", line)
        if m:
            bank = m.group(1)
            banks[bank] = {}
            continue
        m = re.match(r"^\s+(\d+)\s*:\s*0x([0-9A-Fa-f]+)\s*$", line)
        if m and bank:
            banks[bank][m.group(1)] = m.group(2).lower()
    return banks


stage2 = open("stage2.bin", "rb").read()
config = open("config.json", "rb").read()
for kind in ("ecc", "rsa"):
    ak_pub = open(f"{kind}-ak.pub", "rb").read()
    doc = {
        "version": 1,
        "nonce": open(f"{kind}-nonce.hex").read().strip(),
        "pcrs": pcrs_from_yaml(f"{kind}-pcrs.yaml"),
        "quote": {
            "bank": "sha256",
            "pcrs": list(range(16)),
            "attest": base64.b64encode(open(f"{kind}-attest.bin", "rb").read()).decode(),
            "signature": base64.b64encode(open(f"{kind}-signature.bin", "rb").read()).decode(),
        },
        # tpm2_create -u writes a TPM2B_PUBLIC; the file format wants the TPMT_PUBLIC inside it.
        "ak": {"public": base64.b64encode(ak_pub[2:]).decode(),
               "spki": base64.b64encode(open(f"{kind}-ak.der", "rb").read()).decode()},
        "ek": {"certificates": []},
        "stage2": {"url": "https://example.invalid/stage2.bin", "sha256": hashlib.sha256(stage2).hexdigest()},
        "config": {"sha256": hashlib.sha256(config).hexdigest()},
        "eventlog": base64.b64encode(open("eventlog.bin", "rb").read()).decode(),
    }
    open(f"{kind}-stage1.attest", "w").write(json.dumps(doc, indent=2) + "\n")


def extend(pcr, digest):
    return hashlib.sha256(pcr + digest).digest()


# The prediction, computed here from the data (not read back from the TPM).
zero = bytes(32)
pcr4 = zero
for buf in (b"Calling EFI Application from Boot Option", b"\0\0\0\0", b"fixture application image"):
    pcr4 = extend(pcr4, hashlib.sha256(buf).digest())
pcr9 = extend(zero, hashlib.sha256(b"fixture initrd bytes").digest())
expected = {
    "version": 1,
    "cmdline": "console=ttyS0",
    "snp": [],
    "tpm": {"sha256": {"4": pcr4.hex(), "7": zero.hex(), "9": pcr9.hex(),
                       "14": extend(zero, hashlib.sha256(stage2).digest()).hex(),
                       "15": extend(zero, hashlib.sha256(config).digest()).hex()}},
}
open("expected-measurement.json", "w").write(json.dumps(expected, indent=2) + "\n")
