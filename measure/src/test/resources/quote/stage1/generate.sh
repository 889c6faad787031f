#!/bin/bash
# Attestation files written by cvmboot's own stage1 (`stage1 --attest`) against a manufactured swtpm.
# Run from this directory with the path of compiled classes:
#   CP=<measure classes>:<stage1 classes>:<jackson-core jar> ./generate.sh
# e.g. after `mvn -q -B -o -Dcvmboot.target=target-report -pl stage1 -am compile` in the repository:
#   CP=../../../../../../measure/target-report/classes:../../../../../../stage1/target-report/classes:$HOME/.m2/repository/com/fasterxml/jackson/core/jackson-core/2.20.1/jackson-core-2.20.1.jar
# (stage1 at the commit named in README.md; swtpm 0.7.1 + swtpm_setup, tpm2-tools 5.4, JDK 25.)
# swtpm_setup makes EK certificates (so "ek.certificates" is filled), PCR 14/15 get stage1's
# extensions of stage2.bin/config.json via tpm2_pcrextend (--attest itself measures nothing), then
# stage1 quotes with an ECC and an RSA AK. Outputs: stage1-ecc.attest, stage1-rsa.attest (challenge
# "cvmboot-report-fixture"; quote nonce = SHA-256 of it), expected-measurement.json (PCR 14/15 only).
set -euo pipefail
cd "$(dirname "$0")"
: "${CP:?set CP to the measure + stage1 classes and jackson-core}"
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PORT=${PORT:-23341}
STATE=$(mktemp -d)
trap 'kill $SWTPM_PID 2>/dev/null || true; rm -rf "$STATE"' EXIT
swtpm_setup --tpm2 --tpmstate "$STATE" --create-ek-cert --create-platform-cert --overwrite > "$STATE/setup.log"
swtpm socket --tpm2 --server type=tcp,port=$PORT --ctrl type=tcp,port=$((PORT + 1)) \
    --flags startup-clear --tpmstate dir="$STATE" &
SWTPM_PID=$!
sleep 1
export TPM2TOOLS_TCTI="swtpm:port=$PORT"
for f in ../stage2.bin:14 ../config.json:15; do
    file=${f%%:*}; pcr=${f##*:}
    tpm2_pcrextend "$pcr:sha256=$(sha256sum "$file" | cut -c1-64)"
done
tpm2_pcrread sha256:14,15
for ak in ecc rsa; do
    "$JAVA" -cp "$CP" io.cvmboot.stage1.Main --attest cvmboot-report-fixture --tpm tcp:127.0.0.1:$PORT --ak $ak \
        > stage1-$ak.attest
done
python3 - <<'PY'
import hashlib, json
ext = lambda f: hashlib.sha256(bytes(32) + hashlib.sha256(open(f, "rb").read()).digest()).hexdigest()
open("expected-measurement.json", "w").write(json.dumps({"version": 1, "cmdline": "", "snp": [],
    "tpm": {"sha256": {"14": ext("../stage2.bin"), "15": ext("../config.json")}}}, indent=2) + "\n")
PY
