#!/usr/bin/env python3
"""Builds a synthetic AMD-like hierarchy and re-signed reports for negative tests that genuine
AMD material cannot produce (a report whose REPORTED_TCB differs from its VCEK's TCB, with every
signature valid). Nothing here chains to AMD: tests load test-ark/test-ask/test-asvk as trust
anchors explicitly.

Run from this directory:  python3 generate.py   (python3-cryptography 48.0.0)
Input: ../oak/milan_oc_release_report.bin (a genuine Milan v3 report; only its fields are reused).
Outputs: test-ark.pem, test-ask.pem, test-asvk.pem, test-vcek.der, report-consistent.bin,
report-tcb-mismatch.bin, report-chip-mismatch.bin. Keys are random on every run, so the committed
files are one run's output.
"""
import datetime
import struct

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID

PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)
NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2035, 1, 1, tzinfo=datetime.timezone.utc)
ARC = "1.3.6.1.4.1.3704.1."


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Engineering"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "Santa Clara"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "CA"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test, not Advanced Micro Devices"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def der_int(v):
    body = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
    return bytes([0x02, len(body)]) + body


def ca(cn, key, issuer_name, issuer_key, serial):
    b = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(issuer_name)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
         .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True))
    return b.sign(issuer_key, hashes.SHA384(), rsa_padding=PSS)


report = bytearray(open("../oak/milan_oc_release_report.bin", "rb").read())
reported = report[0x180:0x188]
chip = bytes(report[0x1A0:0x1E0])
# Milan TCB_VERSION: byte0 BOOT_LOADER, byte1 TEE, byte6 SNP, byte7 MICROCODE.
bl, tee, snp, ucode = reported[0], reported[1], reported[6], reported[7]

ark_key = rsa.generate_private_key(65537, 2048)
ask_key = rsa.generate_private_key(65537, 2048)
asvk_key = rsa.generate_private_key(65537, 2048)
vcek_key = ec.generate_private_key(ec.SECP384R1())
ark = ca("ARK-Milan", ark_key, name("ARK-Milan"), ark_key, 1)
ask = ca("SEV-Milan", ask_key, ark.subject, ark_key, 2)
asvk = ca("SEV-VLEK-Milan", asvk_key, ark.subject, ark_key, 3)
exts = [("1.1", der_int(0)), ("2", bytes([0x16, 5]) + b"Milan"), ("3.1", der_int(bl)), ("3.2", der_int(tee)),
        ("3.3", der_int(snp)), ("3.4", der_int(0)), ("3.5", der_int(0)), ("3.6", der_int(0)), ("3.7", der_int(0)),
        ("3.8", der_int(ucode)), ("4", chip)]
b = (x509.CertificateBuilder().subject_name(name("SEV-VCEK")).issuer_name(ask.subject)
     .public_key(vcek_key.public_key()).serial_number(4)
     .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER))
for oid, value in exts:
    b = b.add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(ARC + oid), value), critical=False)
vcek = b.sign(ask_key, hashes.SHA384(), rsa_padding=PSS)


def signed(body):
    body = bytearray(body)
    r, s = utils.decode_dss_signature(vcek_key.sign(bytes(body[:0x2A0]), ec.ECDSA(hashes.SHA384())))
    body[0x2A0:0x2E8] = r.to_bytes(72, "little")
    body[0x2E8:0x330] = s.to_bytes(72, "little")
    return bytes(body)


for cert, fname in [(ark, "test-ark.pem"), (ask, "test-ask.pem"), (asvk, "test-asvk.pem")]:
    open(fname, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open("test-vcek.der", "wb").write(vcek.public_bytes(serialization.Encoding.DER))
open("report-consistent.bin", "wb").write(signed(report))
mismatch = bytearray(report)
mismatch[0x186] = snp + 1  # REPORTED_TCB.SNP one above the VCEK's snpSPL
open("report-tcb-mismatch.bin", "wb").write(signed(mismatch))
chip_mismatch = bytearray(report)
chip_mismatch[0x1A0] ^= 0x01  # CHIP_ID differs from the VCEK's hwID in one bit
open("report-chip-mismatch.bin", "wb").write(signed(chip_mismatch))
print("bl tee snp ucode", bl, tee, snp, ucode)
