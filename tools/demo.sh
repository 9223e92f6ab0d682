#!/bin/bash
# make demo: the main job on the simulated engine. One xce session attaches
# (probe, rings, known-answer self-test at attach), shows the engine, runs
# an AES workload through the engine and then through the software path,
# a 3DES encryption, SHA-256/HMAC digests and an RSA-2048 signature on the
# engine (its PKA firmware loaded at attach), checks all of it against
# openssl, and prints the show views with the counters.
set -euo pipefail
XCE=${1:-build/bin/xce}
# the PKA firmware built in this tree, unless the caller points elsewhere
export XCE_FIRMWARE=${XCE_FIRMWARE:-$PWD/build/firmware/xce-pka.SSA.img}
export XCE_KEY_STORE=${XCE_KEY_STORE:-$PWD/build/keys/store}
work=build/demo
rm -rf "$work"
mkdir -p "$work"

key=$(openssl rand -hex 32)
iv=$(openssl rand -hex 16)
head -c 1048576 /dev/urandom >"$work/payload.bin"
openssl enc -aes-256-cbc -K "$key" -iv "$iv" -in "$work/payload.bin" -out "$work/openssl.enc"
# an RSA-2048 key pair and a digest to sign on the public-key engine
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2>/dev/null
openssl pkey -in "$work/rsa.pem" -pubout -out "$work/rsa.pub.pem"
openssl dgst -sha256 -binary -out "$work/payload.sha256" "$work/payload.bin"

echo "== xce demo: AES-256-CBC on 1 MiB, engine then software, against openssl"
"$XCE" --device sim --policy auto <<EOF
show crypto engine configuration
test crypto self-test
! the workload on the engine
enc -aes-256-cbc -K $key -iv $iv -in $work/payload.bin -out $work/engine.enc
enc -d -aes-256-cbc -K $key -iv $iv -in $work/engine.enc -out $work/engine.dec
! the same through the software path
no crypto engine accelerator
enc -aes-256-cbc -K $key -iv $iv -in $work/payload.bin -out $work/software.enc
crypto engine accelerator
! 3DES and digests on the engine
enc -des-ede3-cbc -K ${key:0:48} -iv ${iv:0:16} -in $work/payload.bin -out $work/engine.3des
dgst -sha256 -out $work/engine.sha256 $work/payload.bin
dgst -sha1 -hmac demo-key -out $work/engine.hmac $work/payload.bin
! RSA-2048 on the PKA (CRT, blinding, checked before release)
pkeyutl -sign -inkey $work/rsa.pem -pkeyopt digest:sha256 -in $work/payload.sha256 -out $work/engine.sig
show crypto engine brief
show crypto engine accelerator statistic
EOF

for f in engine.enc software.enc; do
    if cmp -s "$work/openssl.enc" "$work/$f"; then
        echo "demo: $f is byte-identical to openssl enc"
    else
        echo "demo: $f DIFFERS from openssl enc" >&2
        exit 1
    fi
done
cmp -s "$work/payload.bin" "$work/engine.dec"
echo "demo: engine decryption restores the payload"
openssl enc -des-ede3-cbc -K "${key:0:48}" -iv "${iv:0:16}" -in "$work/payload.bin" | cmp -s - "$work/engine.3des"
echo "demo: engine 3DES-CBC is byte-identical to openssl enc"
cmp -s <(openssl dgst -sha256 "$work/payload.bin") "$work/engine.sha256"
cmp -s <(openssl dgst -sha1 -hmac demo-key "$work/payload.bin") "$work/engine.hmac"
echo "demo: engine SHA-256 and HMAC-SHA1 equal openssl dgst"
openssl pkeyutl -verify -pubin -inkey "$work/rsa.pub.pem" -pkeyopt digest:sha256 -in "$work/payload.sha256" \
    -sigfile "$work/engine.sig" >/dev/null
echo "demo: the engine's RSA-2048 signature verifies with openssl pkeyutl"
