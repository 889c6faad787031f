#!/bin/sh
# Writes the AK template vectors of NvAkTemplateTest with tpm2-tools' own template marshalling
# (tpm2_createprimary --template-data writes the TPMT_PUBLIC it sent) against a throw-away swtpm.
# Made with swtpm 0.7.1 and tpm2-tools 5.4 (Debian bookworm). The keys depend on the TPM seed and
# are not kept; the templates do not.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=${PORT:-23410}
swtpm socket --tpm2 --server type=tcp,port=$port,bindaddr=127.0.0.1 --ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 \
    --flags not-need-init,startup-clear --tpmstate dir="$work" &
pid=$!
sleep 1
export TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port"
ak=fixedtpm\|fixedparent\|sensitivedataorigin\|userwithauth\|restricted\|sign
primary() { # NAME ARGS...: create in the endorsement hierarchy, keep the template, flush the key
    name=$1; shift
    tpm2_createprimary -C e -g sha256 "$@" -c "$work/k.ctx" --template-data "$out/$name" >/dev/null
    tpm2_flushcontext -t
}
# tpm2_createprimary -u takes a TPMU_PUBLIC_ID with little-endian sizes; it keeps the first field (x).
printf '\040\000cvmboot cloud AK test, unique x.\040\000cvmboot cloud AK test, unique y.' > "$work/unique"
primary template-ecc-p256.bin -G ecc256:ecdsa-sha256:null -a "$ak"
primary template-ecc-p256-unique.bin -G ecc256:ecdsa-sha256:null -a "$ak" -u "$work/unique"
primary template-rsa-2048.bin -G rsa2048:rsassa-sha256:null -a "$ak"
primary template-ecc-unrestricted.bin -G ecc256:ecdsa-sha256:null -a fixedtpm\|fixedparent\|sensitivedataorigin\|userwithauth\|sign
primary template-ecc-storage.bin -G ecc256:null:aes128cfb -a fixedtpm\|fixedparent\|sensitivedataorigin\|userwithauth\|restricted\|decrypt
sha256sum "$out"/template-*.bin
