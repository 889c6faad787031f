#!/usr/bin/env python3
"""Generates vectors.json: SEV/SEV-ES/SNP launch digests computed by the reference CLI.

Usage (from any directory):
    python3 generate-vectors.py REF_CHECKOUT REF_CHECKOUT_8F2B337 TEST_KERNEL_DIR

REF_CHECKOUT is a checkout of https://github.com/virtee/sev-snp-measure at tag v0.0.13
(commit 5b6a79e86641a7ca1a377ba1848d1dcdc2498494); REF_CHECKOUT_8F2B337 the same repository at
commit 8f2b337e38bc83f87cd30f3253cdfe8e3e12cc3a ("Allow zero as value for vcpu sig & family"),
used only for the vectors marked with that tool. TEST_KERNEL_DIR holds vmlinuz of the pinned
Debian kernel (ci/fetch-test-kernel.sh).

This script only calls the reference CLI (python3 sev-snp-measure.py ...) as a subprocess and
records argv, exit code and output. It also writes two small deterministic inputs next to itself:
initrd-small.cpio (a newc archive) and svsm-synthetic.bin (a made-up SVSM image with an
OVMF-style footer table, SVSM_INFO entry and ASEV metadata, used for snp:svsm).
"""
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REF, REF_8F2B337, KERNEL_DIR = sys.argv[1:4]
KERNEL = os.path.join(KERNEL_DIR, "vmlinuz")
KERNEL_TOKEN = "${TEST_KERNEL_DIR}/vmlinuz"
AMDSEV = "OVMF.amdsev.sid.fd"
BOOKWORM = "OVMF.bookworm.fd"
INITRD = "initrd-small.cpio"
SVSM = "svsm-synthetic.bin"


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def newc(entries):
    """A newc cpio archive; every header field fixed (mtime 0, uid/gid 0)."""
    out = b""
    ino = 1
    for name, mode, data in entries + [("TRAILER!!!", 0, b"")]:
        nm = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nm), 0]
        hdr = b"070701" + b"".join(b"%08X" % v for v in fields)
        out += hdr + nm
        out += b"\0" * (-len(out) % 4)
        out += data
        out += b"\0" * (-len(out) % 4)
        ino += 1
    return out + b"\0" * (-len(out) % 512)


def write_initrd():
    init = b"#!/bin/sh\necho cvmboot snp test initrd\nexec /bin/sh\n"
    entries = [("bin", 0o40755, b""), ("init", 0o100755, init),
               ("etc", 0o40755, b""), ("etc/motd", 0o100644, "grüße ✓\n".encode())]
    with open(os.path.join(HERE, INITRD), "wb") as f:
        f.write(newc(entries))


def guid_le(text):
    return uuid.UUID(text).bytes_le


def write_svsm():
    """16 pages: deterministic filler, ASEV metadata at 0xE000, footer table at the end."""
    size = 0x10000
    data = bytearray()
    counter = 0
    while len(data) < size:
        data += hashlib.sha256(b"cvmboot svsm filler %d" % counter).digest()
        counter += 1
    data = data[:size]
    meta_off = 0xE000
    items = [(0x00C00000, 0x2000, 1), (0x00C02000, 0x1000, 2), (0x00C03000, 0x1000, 3),
             (0x00C04000, 0x1000, 4), (0x00C05000, 0x3000, 1)]
    meta = b"ASEV" + struct.pack("<III", 16 + 12 * len(items), 1, len(items))
    meta += b"".join(struct.pack("<III", *it) for it in items)
    data[meta_off:meta_off + len(meta)] = meta
    # Footer table entries: [data][u16 size][guid]; walked backwards from the footer.
    def entry(guid, payload):
        return payload + struct.pack("<H", len(payload) + 18) + guid_le(guid)
    body = entry("a789a612-0597-4c4b-a49f-cbb1fe9d1ddd", struct.pack("<I", 0x1234)) \
        + entry("dc886566-984a-4798-a75e-5585a7bf67cc", struct.pack("<I", size - meta_off))
    footer = struct.pack("<H", len(body) + 18) + guid_le("96b582de-1fb2-45f7-baea-a366c55a082d")
    table = body + footer
    end = size - 32
    data[end - len(table):end] = table
    with open(os.path.join(HERE, SVSM), "wb") as f:
        f.write(bytes(data))


def run(ref, args):
    argv = ["python3", "sev-snp-measure.py"] + args
    real = [a.replace(KERNEL_TOKEN, KERNEL) for a in argv]
    real = [os.path.join(HERE, a) if a in (AMDSEV, BOOKWORM, INITRD, SVSM) else a for a in real]
    p = subprocess.run(real, cwd=ref, capture_output=True, text=True, encoding="utf-8")
    return argv, p.returncode, p.stdout.strip(), (p.stderr.strip().splitlines() or [""])[-1]


vectors = []


def vec(name, ref_name="v0.0.13", **a):
    """a: structured arguments (the same names as the CLI flags, in camelCase)."""
    args = ["--mode", a["mode"]]
    flag = {"vcpus": "--vcpus", "vcpuType": "--vcpu-type", "vcpuSig": "--vcpu-sig",
            "vcpuFamily": "--vcpu-family", "vcpuModel": "--vcpu-model",
            "vcpuStepping": "--vcpu-stepping", "vmmType": "--vmm-type", "ovmf": "--ovmf",
            "kernel": "--kernel", "initrd": "--initrd", "append": "--append",
            "guestFeatures": "--guest-features", "snpOvmfHash": "--snp-ovmf-hash",
            "outputFormat": "--output-format", "svsm": "--svsm", "varsSize": "--vars-size"}
    for key, f in flag.items():
        if key in a:
            args += [f, str(a[key])]
    ref = REF if ref_name == "v0.0.13" else REF_8F2B337
    argv, rc, out, err = run(ref, args)
    v = {"name": name, "tool": ref_name, "args": a, "argv": argv, "rc": rc}
    if rc == 0:
        v["stdout"] = out
    else:
        v["stderr"] = err
    vectors.append(v)
    print(name, rc, out or err, file=sys.stderr)
    return out


def main():
    write_initrd()
    write_svsm()
    k = {"kernel": KERNEL_TOKEN, "initrd": INITRD}
    base = {"mode": "snp", "ovmf": AMDSEV}
    for n in (1, 2, 4, 64, 512):
        vec(f"snp_amdsev_epycv4_{n}vcpu", vcpus=n, vcpuType="EPYC-v4", **base)
    for t in ["EPYC", "EPYC-v1", "EPYC-v2", "EPYC-IBPB", "EPYC-v3", "EPYC-v4", "EPYC-Rome",
              "EPYC-Rome-v1", "EPYC-Rome-v2", "EPYC-Rome-v3", "EPYC-Milan", "EPYC-Milan-v1",
              "EPYC-Milan-v2", "EPYC-Genoa", "EPYC-Genoa-v1", "EPYC-Turin"]:
        vec(f"snp_amdsev_type_{t}_2vcpu", vcpus=2, vcpuType=t, **base)
    vec("snp_amdsev_sig_0xa10f10_2vcpu", vcpus=2, vcpuSig="0xa10f10", **base)
    vec("snp_amdsev_sig_decimal_2vcpu", vcpus=2, vcpuSig="8392466", **base)
    vec("snp_amdsev_family25_model17_stepping0_2vcpu", vcpus=2, vcpuFamily=25, vcpuModel=17,
        vcpuStepping=0, **base)
    vec("snp_amdsev_family14_model1_stepping2_2vcpu", vcpus=2, vcpuFamily=14, vcpuModel=1,
        vcpuStepping=2, **base)
    vec("snp_amdsev_sig_0_2vcpu", ref_name="8f2b337", vcpus=2, vcpuSig="0", **base)
    for vmm in ("ec2", "gce"):
        for n in (1, 4):
            vec(f"snp_amdsev_{vmm}_{n}vcpu", vcpus=n, vmmType=vmm, **base)
        vec(f"snp_amdsev_{vmm}_kernel_4vcpu", vcpus=4, vmmType=vmm, append="console=ttyS0", **k, **base)
    vec("snp_amdsev_QEMU_explicit_4vcpu", vcpus=4, vmmType="QEMU", vcpuType="EPYC-Milan", **base)
    for gf in ("0x0", "0x1", "0x21", "33", "0x3", "0x8001", "0xffffffffffffffff"):
        vec(f"snp_amdsev_guestfeatures_{gf}_4vcpu", vcpus=4, vcpuType="EPYC-v4", guestFeatures=gf, **base)
    vec("snp_amdsev_kernel_initrd_append_4vcpu", vcpus=4, vcpuType="EPYC-v4",
        append="console=ttyS0 root=/dev/vda rw", **k, **base)
    vec("snp_amdsev_kernel_only_1vcpu", vcpus=1, vcpuType="EPYC-Milan", kernel=KERNEL_TOKEN, **base)
    vec("snp_amdsev_kernel_initrd_emptyappend_2vcpu", vcpus=2, vcpuType="EPYC-Genoa", append="", **k, **base)
    vec("snp_amdsev_kernel_initrd_utf8append_4vcpu", vcpus=4, vcpuType="EPYC-v4",
        append="console=ttyS0 motd=grüße→✓ 日本語", **k, **base)
    vec("snp_amdsev_kernel_initrd_spaceappend_4vcpu", vcpus=4, vcpuType="EPYC-v4", append=" ", **k, **base)
    vec("snp_amdsev_kernel_initrd_64vcpu_milan", vcpus=64, vcpuType="EPYC-Milan", append="quiet", **k, **base)
    vec("snp_amdsev_kernel_base64_4vcpu", vcpus=4, vcpuType="EPYC-v4", outputFormat="base64", **k, **base)
    fw_hash = vec("snpovmfhash_amdsev", mode="snp:ovmf-hash", ovmf=AMDSEV)
    vec("snpovmfhash_bookworm", mode="snp:ovmf-hash", ovmf=BOOKWORM)
    vec("snp_amdsev_precomputed_hash_kernel_4vcpu", vcpus=4, vcpuType="EPYC-v4", snpOvmfHash=fw_hash,
        append="console=ttyS0", **k, **base)
    for n in (1, 4):
        vec(f"snp_bookworm_epycv4_{n}vcpu", mode="snp", ovmf=BOOKWORM, vcpus=n, vcpuType="EPYC-v4")
    vec("snp_bookworm_kernel_error", mode="snp", ovmf=BOOKWORM, vcpus=1, vcpuType="EPYC-v4", kernel=KERNEL_TOKEN)
    for n in (1, 4):
        vec(f"seves_amdsev_{n}vcpu", mode="seves", ovmf=AMDSEV, vcpus=n, vcpuType="EPYC-v4")
    vec("seves_amdsev_kernel_4vcpu", mode="seves", ovmf=AMDSEV, vcpus=4, vcpuType="EPYC-Rome",
        append="console=ttyS0", **k)
    vec("seves_amdsev_ec2_2vcpu", mode="seves", ovmf=AMDSEV, vcpus=2, vmmType="ec2")
    vec("seves_amdsev_gce_2vcpu", mode="seves", ovmf=AMDSEV, vcpus=2, vmmType="gce")
    vec("seves_amdsev_guestfeatures_ignored_2vcpu", mode="seves", ovmf=AMDSEV, vcpus=2, vcpuType="EPYC-v4",
        guestFeatures="0x21")
    vec("seves_bookworm_2vcpu", mode="seves", ovmf=BOOKWORM, vcpus=2, vcpuType="EPYC-v4")
    vec("sev_amdsev", mode="sev", ovmf=AMDSEV)
    vec("sev_amdsev_kernel", mode="sev", ovmf=AMDSEV, append="console=ttyS0", **k)
    vec("sev_bookworm", mode="sev", ovmf=BOOKWORM)
    vec("sev_bookworm_kernel_error", mode="sev", ovmf=BOOKWORM, kernel=KERNEL_TOKEN)
    vec("seves_bookworm_kernel_error", mode="seves", ovmf=BOOKWORM, vcpus=1, vcpuType="EPYC-v4",
        kernel=KERNEL_TOKEN)
    for n in (1, 4):
        vec(f"snpsvsm_synthetic_{n}vcpu", mode="snp:svsm", ovmf=AMDSEV, svsm=SVSM, varsSize=0x20000,
            vcpus=n, vcpuType="EPYC-v4")
    vec("snpsvsm_synthetic_genoa_2vcpu", mode="snp:svsm", ovmf=AMDSEV, svsm=SVSM, varsSize=540672,
        vcpus=2, vcpuType="EPYC-Genoa")

    # VMSA pages as the reference writes them with --dump-vmsa (vmsa<N>.bin in its working
    # directory): the SHA-384 of the BSP and first AP page per VMM type, and of the SVSM page.
    vmsa_pages = []
    for name, extra in (("vmsa_qemu_epycv4_snp", ["--mode", "snp", "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV]),
                        ("vmsa_qemu_milan_gf0x21_snp", ["--mode", "snp", "--vcpu-type", "EPYC-Milan", "--guest-features",
                                                        "0x21", "--ovmf", AMDSEV]),
                        ("vmsa_ec2_snp", ["--mode", "snp", "--vmm-type", "ec2", "--ovmf", AMDSEV]),
                        ("vmsa_gce_snp", ["--mode", "snp", "--vmm-type", "gce", "--ovmf", AMDSEV]),
                        ("vmsa_qemu_epycv4_seves", ["--mode", "seves", "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV]),
                        ("vmsa_svsm_epycv4", ["--mode", "snp:svsm", "--vcpu-type", "EPYC-v4", "--ovmf", AMDSEV,
                                              "--svsm", SVSM, "--vars-size", "131072"])):
        with tempfile.TemporaryDirectory() as tmp:
            argv = ["python3", os.path.join(REF, "sev-snp-measure.py"), "--vcpus", "2", "--dump-vmsa"] + extra
            real = [os.path.join(HERE, a) if a in (AMDSEV, SVSM) else a for a in argv]
            subprocess.run(real, cwd=tmp, capture_output=True, check=True)
            pages = [hashlib.sha384(open(os.path.join(tmp, f"vmsa{i}.bin"), "rb").read()).hexdigest() for i in (0, 1)]
        vmsa_pages.append({"name": name, "tool": "v0.0.13",
                           "argv": ["python3", "sev-snp-measure.py"] + argv[2:],
                           "bspSha384": pages[0], "apSha384": pages[1]})

    # ID block + ID auth (snp-create-id-block.py). id-auth holds randomised ECDSA signatures: the
    # tests compare the deterministic fields and verify the signatures of both tools.
    id_blocks = []
    for name, vname, keys in (("idblock_sec1_pkcs8", "snp_amdsev_kernel_initrd_append_4vcpu",
                               ("id-key.sec1.pem", "author-key.pkcs8.pem")),
                              ("idblock_same_key_twice", "snp_amdsev_epycv4_1vcpu",
                               ("author-key.pkcs8.pem", "author-key.pkcs8.pem"))):
        digest = next(v["stdout"] for v in vectors if v["name"] == vname)
        b64 = base64.b64encode(bytes.fromhex(digest)).decode()
        argv = ["python3", "snp-create-id-block.py", "--measurement", b64,
                "--idkey", keys[0], "--authorkey", keys[1]]
        real = [os.path.join(HERE, a) if a.endswith(".pem") else a for a in argv]
        p = subprocess.run(real, cwd=REF, capture_output=True, text=True, encoding="utf-8", check=True)
        lines = p.stdout.strip().splitlines()
        block, auth = lines[0].split(",")
        id_blocks.append({"name": name, "tool": "v0.0.13", "argv": argv, "measurementVector": vname,
                          "idBlock": block.removeprefix("id-block="),
                          "idAuth": auth.removeprefix("id-auth="),
                          "idKeyHash": lines[1].removeprefix("id_key_hash: "),
                          "authorKeyHash": lines[2].removeprefix("author_key: ")})
        print(name, lines[1], lines[2], file=sys.stderr)

    doc = {
        "tool": "virtee/sev-snp-measure",
        "tools": {"v0.0.13": "5b6a79e86641a7ca1a377ba1848d1dcdc2498494",
                  "8f2b337": "8f2b337e38bc83f87cd30f3253cdfe8e3e12cc3a"},
        "python": sys.version.split()[0],
        "generator": "measure/src/test/resources/snp/generate-vectors.py",
        "argvNote": "argv as run in the tool's checkout; file names are in this directory, "
                    + KERNEL_TOKEN + " is the pinned test kernel",
        "inputs": {AMDSEV: sha256_file(os.path.join(HERE, AMDSEV)),
                   BOOKWORM: sha256_file(os.path.join(HERE, BOOKWORM)),
                   INITRD: sha256_file(os.path.join(HERE, INITRD)),
                   SVSM: sha256_file(os.path.join(HERE, SVSM)),
                   "id-key.sec1.pem": sha256_file(os.path.join(HERE, "id-key.sec1.pem")),
                   "author-key.pkcs8.pem": sha256_file(os.path.join(HERE, "author-key.pkcs8.pem")),
                   KERNEL_TOKEN: sha256_file(KERNEL)},
        "vectors": vectors,
        "idBlocks": id_blocks,
        "vmsaPages": vmsa_pages,
    }
    with open(os.path.join(HERE, "vectors.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


main()
