#!/bin/bash
# Produces the TPM quote fixtures of this directory with a software TPM. Run from this directory:
#   ./generate.sh        (swtpm 0.7.1, tpm2-tools 5.4, python3; Debian bookworm packages)
# For each AK type (a restricted signing key made with tpm2_create under an owner primary) (ecc: P-256/ECDSA-SHA256, rsa: RSA-2048/RSASSA-SHA256) it writes
#   <type>-attest.bin     TPMS_ATTEST as signed (tpm2_quote -m)
#   <type>-signature.bin  TPMT_SIGNATURE (tpm2_quote -s)
#   <type>-ak.pub         TPM2B_PUBLIC of the AK (tpm2_create -u)
#   <type>-ak.der         the AK's SubjectPublicKeyInfo (tpm2_readpublic -f der)
#   <type>-pcrs.yaml      the PCR values of every bank after the quote (tpm2_pcrread)
#   <type>-nonce.hex      the qualifying data passed to tpm2_quote -q
#   eventlog.bin          a TCG crypto-agile event log whose events were extended first (make_eventlog.py),
#                         eventlog.yaml its listing by tpm2_eventlog
#   <type>-stage1.attest  the stage1 attestation file assembled from the above (make_attestation.py)
#   expected-measurement.json  PCR 4, 7, 9, 14, 15 predicted by make_attestation.py from the data
# Before quoting it does what stage1 does: PCR 14 <- sha(stage2.bin), PCR 15 <- sha(config.json)
# in every bank (tpm2_pcrextend with per-bank digests), so PCR 14/15 = H(zeros || H(data)).
set -euo pipefail
cd "$(dirname "$0")"
PORT=${PORT:-23321}
STATE=$(mktemp -d)
trap 'kill $SWTPM_PID 2>/dev/null || true; rm -rf "$STATE"' EXIT
swtpm socket --tpm2 --server type=tcp,port=$PORT --ctrl type=tcp,port=$((PORT + 1)) \
    --flags not-need-init,startup-clear --tpmstate dir="$STATE" &
SWTPM_PID=$!
sleep 1
export TPM2TOOLS_TCTI="swtpm:port=$PORT"
printf 'stage2 fixture binary\n' > stage2.bin
printf '{"stage2":"https://example.invalid/stage2.bin"}\n' > config.json
ext() {
    local pcr=$1 file=$2
    tpm2_pcrextend "$pcr:sha1=$(sha1sum "$file" | cut -c1-40),sha256=$(sha256sum "$file" | cut -c1-64),sha384=$(sha384sum "$file" | cut -c1-96),sha512=$(sha512sum "$file" | cut -c1-128)"
}
python3 make_eventlog.py
while read -r spec; do tpm2_pcrextend "$spec"; done < eventlog-extends.txt
ext 14 stage2.bin
ext 15 config.json
tpm2_createprimary -C o -g sha256 -G ecc -c "$STATE/primary.ctx" > /dev/null
tpm2_flushcontext -t
for type in ecc rsa; do
    if [ $type = ecc ]; then alg=ecc256:ecdsa-sha256:null; else alg=rsa2048:rsassa-sha256:null; fi
    # A restricted signing key under the owner primary: the attributes an AK has (TPM 2.0 Part 1, 25.3).
    tpm2_create -C "$STATE/primary.ctx" -G $alg -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign" \
        -u $type-ak.pub -r "$STATE/ak-$type.priv" > /dev/null
    tpm2_flushcontext -t
    tpm2_load -C "$STATE/primary.ctx" -u $type-ak.pub -r "$STATE/ak-$type.priv" -c "$STATE/ak-$type.ctx" > /dev/null
    tpm2_flushcontext -t
    tpm2_readpublic -c "$STATE/ak-$type.ctx" -f der -o $type-ak.der > /dev/null
    nonce=$(python3 -c "import hashlib;print(hashlib.sha256(b'cvmboot quote fixture $type').hexdigest())")
    echo "$nonce" > $type-nonce.hex
    tpm2_quote -c "$STATE/ak-$type.ctx" -l sha256:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 -q "$nonce" -g sha256 \
        -m $type-attest.bin -s $type-signature.bin > /dev/null
    tpm2_flushcontext -t
    tpm2_pcrread sha1:all+sha256:all+sha384:all+sha512:all > $type-pcrs.yaml
done
# Independent reader of the log: tpm2_eventlog's replay must agree with the TPM for PCR 4 and 9.
tpm2_eventlog eventlog.bin > eventlog.yaml
python3 make_attestation.py
