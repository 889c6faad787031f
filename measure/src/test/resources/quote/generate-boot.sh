#!/bin/bash
# A quote over a real firmware event log. Run from this directory:  ./generate-boot.sh
# (swtpm 0.7.1, tpm2-tools 5.4, python3). Input: boot-252a.eventlog.bin and boot-252a.pcrs.txt, copied
# from measure/src/test/resources/tpm/logs/252-a.* (a QEMU 7.2 + OVMF 2022.11 + swtpm boot of a
# cvmboot UKI; see the README there). replay_log.py (an independent log reader) turns every extended
# event into a tpm2_pcrextend of a fresh swtpm, stage1's PCR 14/15 extensions follow, then an ECC AK
# quotes sha256:0-15. Outputs boot-ecc-stage1.attest and boot-expected-measurement.json, whose PCR
# 0-9 and 11 are the values the real guest read from sysfs (boot-252a.pcrs.txt), not a replay.
set -euo pipefail
cd "$(dirname "$0")"
PORT=${PORT:-23331}
STATE=$(mktemp -d)
trap 'kill $SWTPM_PID 2>/dev/null || true; rm -rf "$STATE"' EXIT
swtpm socket --tpm2 --server type=tcp,port=$PORT --ctrl type=tcp,port=$((PORT + 1)) \
    --flags not-need-init,startup-clear --tpmstate dir="$STATE" &
SWTPM_PID=$!
sleep 1
export TPM2TOOLS_TCTI="swtpm:port=$PORT"
python3 replay_log.py boot-252a.eventlog.bin > "$STATE/extends.txt"
while read -r spec; do tpm2_pcrextend "$spec"; done < "$STATE/extends.txt"
for f in stage2.bin:14 config.json:15; do
    file=${f%%:*}; pcr=${f##*:}
    tpm2_pcrextend "$pcr:sha1=$(sha1sum "$file" | cut -c1-40),sha256=$(sha256sum "$file" | cut -c1-64),sha384=$(sha384sum "$file" | cut -c1-96),sha512=$(sha512sum "$file" | cut -c1-128)"
done
tpm2_createprimary -C o -g sha256 -G ecc -c "$STATE/primary.ctx" > /dev/null
tpm2_flushcontext -t
tpm2_create -C "$STATE/primary.ctx" -G ecc256:ecdsa-sha256:null \
    -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign" -u "$STATE/ak.pub" -r "$STATE/ak.priv" > /dev/null
tpm2_flushcontext -t
tpm2_load -C "$STATE/primary.ctx" -u "$STATE/ak.pub" -r "$STATE/ak.priv" -c "$STATE/ak.ctx" > /dev/null
tpm2_flushcontext -t
tpm2_readpublic -c "$STATE/ak.ctx" -f der -o "$STATE/ak.der" > /dev/null
nonce=$(python3 -c "import hashlib;print(hashlib.sha256(b'cvmboot boot quote fixture').hexdigest())")
tpm2_quote -c "$STATE/ak.ctx" -l sha256:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 -q "$nonce" -g sha256 \
    -m "$STATE/attest.bin" -s "$STATE/sig.bin" > /dev/null
tpm2_pcrread sha1:all+sha256:all+sha384:all+sha512:all > "$STATE/pcrs.yaml"
STATE="$STATE" NONCE="$nonce" python3 - <<'PY'
import base64, hashlib, json, os, re
def pcrs_from_yaml(path):
    banks, bank = {}, None
    for line in open(path):
        m = re.match(r"^  (sha\d+):\s*$", line)
        if m:
            bank = banks.setdefault(m.group(1), {})
            continue
        m = re.match(r"^\s+(\d+)\s*:\s*0x([0-9A-Fa-f]+)\s*$", line)
        if m and bank is not None:
            bank[m.group(1)] = m.group(2).lower()
    return banks
s = os.environ["STATE"]
b64 = lambda p: base64.b64encode(open(p, "rb").read()).decode()
stage2, config = open("stage2.bin", "rb").read(), open("config.json", "rb").read()
doc = {"version": 1, "nonce": os.environ["NONCE"], "pcrs": pcrs_from_yaml(f"{s}/pcrs.yaml"),
       "quote": {"bank": "sha256", "pcrs": list(range(16)), "attest": b64(f"{s}/attest.bin"),
                 "signature": b64(f"{s}/sig.bin")},
       "ak": {"public": base64.b64encode(open(f"{s}/ak.pub", "rb").read()[2:]).decode(), "spki": b64(f"{s}/ak.der")},
       "ek": {"certificates": []},
       "stage2": {"url": "https://example.invalid/stage2.bin", "sha256": hashlib.sha256(stage2).hexdigest()},
       "config": {"sha256": hashlib.sha256(config).hexdigest()},
       "eventlog": b64("boot-252a.eventlog.bin")}
open("boot-ecc-stage1.attest", "w").write(json.dumps(doc, indent=2) + "\n")
real = {}
for line in open("boot-252a.pcrs.txt"):
    bank, pcr, value = line.split()
    if bank == "sha256" and int(pcr) in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11):
        real[pcr] = value
ext = lambda d: hashlib.sha256(bytes(32) + hashlib.sha256(d).digest()).hexdigest()
real["14"], real["15"] = ext(stage2), ext(config)
open("boot-expected-measurement.json", "w").write(json.dumps(
    {"version": 1, "cmdline": "console=ttyS0 quiet panic=-1", "snp": [], "tpm": {"sha256": real}}, indent=2) + "\n")
PY
