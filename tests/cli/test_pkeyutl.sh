#!/bin/bash
# tests/cli/test_pkeyutl.sh - `xce pkeyutl` and `openssl pkeyutl` read
# each other's RSA signatures and ciphertexts.
#
# On the simulated engine under the hardware policy (so the engine's
# public-key unit serves every modular exponentiation, or the command
# fails): for 1024-, 2048-, 3072- and 4096-bit keys, PKCS#1 v1.5 SHA-256
# signatures made by one program verify with the other, and a flipped
# signature byte fails with both. With the 2048-bit key only (each private
# operation costs seconds in the simulator): PSS with salt digest and max,
# PKCS#1 v1.5 and OAEP (SHA-1; SHA-256 with a label) encryption, raw PKCS#1
# signing without a digest (byte-equal to openssl's: v1.5 is
# deterministic) and padding none, all in both directions. Then exec mode
# against the public-key counters of "show crypto engine accelerator
# statistic", the error cases (one message for every decrypt padding
# failure, no output file left behind), and -help. About 40 s on an idle
# machine, the reduced ASan pass (about 8 s) included.
# XCE_BIN selects the binary (default build/bin/xce; when it is unset and
# build/asan/bin/xce exists, a reduced pass runs on that too). Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
XCE_PATH=${XCE_BIN:-build/bin/xce}
XCE=("$XCE_PATH" --device sim --policy hardware)

# keys, generated once
for bits in 1024 2048 3072 4096; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out "$tmp/k$bits.pem" 2>/dev/null
    openssl pkey -in "$tmp/k$bits.pem" -pubout -out "$tmp/p$bits.pem"
done
openssl pkey -in "$tmp/k1024.pem" -aes-128-cbc -passout pass:s3cret -out "$tmp/enc1024.pem"
K=$tmp/k2048.pem P=$tmp/p2048.pem
openssl dgst -sha256 -binary /dev/null >"$tmp/d32"
openssl dgst -sha1 -binary /dev/null >"$tmp/d20"
head -c 40 /dev/urandom >"$tmp/m40"
(printf '\000'; head -c 255 /dev/urandom) >"$tmp/m256"   # raw block below any 2048-bit modulus

# no_temp: no temporary output file (NAME.xce-XXXXXX) left in $tmp
no_temp() { ! compgen -G "$tmp/*.xce-*" >/dev/null; }
# flip FILE OUT: OUT is FILE with bit 0 of byte 10 inverted
flip() {
    cp "$1" "$2"
    local b
    b=$(od -An -tu1 -j10 -N1 "$1" | tr -d ' ')
    # shellcheck disable=SC2059
    printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$2" bs=1 seek=10 conv=notrunc 2>/dev/null
}
# xverify WHAT ARGS...: xce -verify prints the success line, exit 0
xverify() {
    local what=$1; shift
    "${XCE[@]}" pkeyutl -verify "$@" >"$tmp/v.out" 2>"$tmp/v.err"
    local r=$?
    if [ $r = 0 ] && [ "$(cat "$tmp/v.out")" = "Signature Verified Successfully" ]; then ok "$what"
    else not_ok "$what (status $r)"; sed 's/^/# /' "$tmp/v.out" "$tmp/v.err"; fi
}
# xreject WHAT ARGS...: xce -verify prints the failure line, exit 1
xreject() {
    local what=$1; shift
    "${XCE[@]}" pkeyutl -verify "$@" >"$tmp/v.out" 2>"$tmp/v.err"
    local r=$?
    if [ $r = 1 ] && [ "$(cat "$tmp/v.out")" = "Signature Verification Failure" ]; then ok "$what"
    else not_ok "$what (status $r)"; sed 's/^/# /' "$tmp/v.out" "$tmp/v.err"; fi
}
# xrun WHAT ARGS...: xce succeeds (its stderr shown when not)
xrun() {
    local what=$1; shift
    if "${XCE[@]}" pkeyutl "$@" 2>"$tmp/x.err"; then ok "$what"
    else not_ok "$what"; sed 's/^/# /' "$tmp/x.err"; fi
}
# orun WHAT ARGS...: openssl succeeds
orun() {
    local what=$1; shift
    if openssl pkeyutl "$@" >"$tmp/o.out" 2>"$tmp/o.err"; then ok "$what"
    else not_ok "$what"; sed 's/^/# /' "$tmp/o.out" "$tmp/o.err" | head -5; fi
}

# --- every key size: PKCS#1 v1.5 with SHA-256, both ways
S256=(-pkeyopt digest:sha256)
for bits in 1024 2048 3072 4096; do
    k=$tmp/k$bits.pem p=$tmp/p$bits.pem
    xrun "$bits: xce signs (pkcs1, sha256)" -sign -inkey "$k" "${S256[@]}" -in "$tmp/d32" -out "$tmp/x$bits.sig"
    orun "$bits: openssl verifies xce's signature" -verify -inkey "$k" "${S256[@]}" -in "$tmp/d32" -sigfile "$tmp/x$bits.sig"
    openssl pkeyutl -sign -inkey "$k" "${S256[@]}" -in "$tmp/d32" -out "$tmp/o$bits.sig"
    check "$bits: xce's signature is openssl's (PKCS#1 v1.5 is deterministic)" cmp -s "$tmp/x$bits.sig" "$tmp/o$bits.sig"
    xverify "$bits: xce verifies openssl's signature (-pubin)" -pubin -inkey "$p" "${S256[@]}" -in "$tmp/d32" -sigfile "$tmp/o$bits.sig"
    flip "$tmp/o$bits.sig" "$tmp/bad.sig"
    xreject "$bits: xce rejects a flipped byte" -pubin -inkey "$p" "${S256[@]}" -in "$tmp/d32" -sigfile "$tmp/bad.sig"
    flip "$tmp/x$bits.sig" "$tmp/bad.sig"
    openssl pkeyutl -verify -pubin -inkey "$p" "${S256[@]}" -in "$tmp/d32" -sigfile "$tmp/bad.sig" >/dev/null 2>&1
    check "$bits: openssl rejects a flipped byte of xce's signature" [ $? = 1 ]
done

# --- 2048 only: PSS, both ways, salt digest and max
PSS=(-pkeyopt rsa_padding_mode:pss -pkeyopt digest:sha256)
for salt in digest max; do
    xrun "PSS salt $salt: xce signs" -sign -inkey "$K" "${PSS[@]}" -pkeyopt rsa_pss_saltlen:$salt -in "$tmp/d32" -out "$tmp/pss.sig"
    orun "PSS salt $salt: openssl verifies (same salt length)" -verify -inkey "$K" "${PSS[@]}" -pkeyopt rsa_pss_saltlen:$salt \
        -in "$tmp/d32" -sigfile "$tmp/pss.sig"
    openssl pkeyutl -sign -inkey "$K" "${PSS[@]}" -pkeyopt rsa_pss_saltlen:$salt -in "$tmp/d32" -out "$tmp/opss.sig"
    xverify "PSS salt $salt: xce verifies openssl's" -pubin -inkey "$P" "${PSS[@]}" -pkeyopt rsa_pss_saltlen:$salt \
        -in "$tmp/d32" -sigfile "$tmp/opss.sig"
    xverify "PSS salt $salt: xce verifies openssl's with the default (auto)" -pubin -inkey "$P" "${PSS[@]}" \
        -in "$tmp/d32" -sigfile "$tmp/opss.sig"
    cp "$tmp/pss.sig" "$tmp/pss.$salt.sig"
done
xreject "PSS: xce's salt-digest signature fails a salt-max check" -pubin -inkey "$P" "${PSS[@]}" \
    -pkeyopt rsa_pss_saltlen:max -in "$tmp/d32" -sigfile "$tmp/pss.digest.sig"
openssl pkeyutl -sign -inkey "$K" -pkeyopt rsa_padding_mode:pss -in "$tmp/d20" -out "$tmp/opss1.sig"
xverify "PSS without a digest is SHA-1, as in openssl" -pubin -inkey "$P" -pkeyopt rsa_padding_mode:pss -in "$tmp/d20" \
    -sigfile "$tmp/opss1.sig"
flip "$tmp/opss.sig" "$tmp/bad.sig"
xreject "PSS: xce rejects a flipped byte" -pubin -inkey "$P" "${PSS[@]}" -in "$tmp/d32" -sigfile "$tmp/bad.sig"

# --- 2048 only: encryption, both ways
# enc_both NAME PKEYOPTS...: xce encrypts -> openssl decrypts, openssl encrypts -> xce decrypts
enc_both() {
    local name=$1; shift
    if "${XCE[@]}" pkeyutl -encrypt -pubin -inkey "$P" "$@" -in "$tmp/msg" -out "$tmp/c.x" 2>"$tmp/x.err" &&
        openssl pkeyutl -decrypt -inkey "$K" "$@" -in "$tmp/c.x" -out "$tmp/m.o" 2>"$tmp/o.err" && cmp -s "$tmp/m.o" "$tmp/msg"
    then ok "$name: openssl decrypts what xce encrypted"
    else not_ok "$name: openssl decrypts what xce encrypted"; sed 's/^/# /' "$tmp/x.err" "$tmp/o.err" | head -5; fi
    openssl pkeyutl -encrypt -pubin -inkey "$P" "$@" -in "$tmp/msg" -out "$tmp/c.o"
    if "${XCE[@]}" pkeyutl -decrypt -inkey "$K" "$@" -in "$tmp/c.o" -out "$tmp/m.x" 2>"$tmp/x.err" && cmp -s "$tmp/m.x" "$tmp/msg"
    then ok "$name: xce decrypts what openssl encrypted"
    else not_ok "$name: xce decrypts what openssl encrypted"; sed 's/^/# /' "$tmp/x.err"; fi
}
cp "$tmp/m40" "$tmp/msg"
enc_both "pkcs1"
enc_both "OAEP sha1" -pkeyopt rsa_padding_mode:oaep
enc_both "OAEP sha256 with a label" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_oaep_label:0123456789abcdef
cp "$tmp/m256" "$tmp/msg"
enc_both "padding none" -pkeyopt rsa_padding_mode:none

# OAEP with a different MGF1 digest (1024-bit key: the public operation only)
OM=(-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha1)
"${XCE[@]}" pkeyutl -encrypt -pubin -inkey "$tmp/p1024.pem" "${OM[@]}" -in "$tmp/m40" -out "$tmp/c.om" &&
    openssl pkeyutl -decrypt -inkey "$tmp/k1024.pem" "${OM[@]}" -in "$tmp/c.om" | cmp -s - "$tmp/m40"
check "OAEP sha256 with MGF1 sha1: openssl decrypts what xce encrypted" [ $? = 0 ]

# --- 2048 only: raw PKCS#1 v1.5 signing of the input as given
xrun "raw pkcs1 (no digest): xce signs 40 bytes" -sign -inkey "$K" -in "$tmp/m40" -out "$tmp/raw.x"
openssl pkeyutl -sign -inkey "$K" -in "$tmp/m40" -out "$tmp/raw.o"
check "raw pkcs1: byte-equal to openssl's" cmp -s "$tmp/raw.x" "$tmp/raw.o"
xverify "raw pkcs1: xce verifies it" -pubin -inkey "$P" -in "$tmp/m40" -sigfile "$tmp/raw.o"

# --- exec mode: the engine served the modular exponentiations
# pk_counts FILE: "ENGINE SOFTWARE" for each public-key block of the statistic
pk_counts() {
    awk '/^Public-key operations/ { pk = 1 }
         pk && /^  on the PKA:/ { e = $4 }
         pk && /^  in software:/ { print e, $3; pk = 0 }' "$1"
}
k1=$tmp/k1024.pem
printf 'show crypto engine accelerator statistic\npkeyutl -sign -inkey %s -pkeyopt digest:sha256 -in %s -out %s\npkeyutl -verify -inkey %s -pkeyopt digest:sha256 -in %s -sigfile %s\nshow crypto engine accelerator statistic\n' \
    "$k1" "$tmp/d32" "$tmp/e.sig" "$k1" "$tmp/d32" "$tmp/e.sig" | "${XCE[@]}" >"$tmp/stats" 2>&1
r=$?
c=0; [ $r = 0 ] && grep -q '^Signature Verified Successfully$' "$tmp/stats" && c=1
check "exec mode: sign and verify succeed (status $r)" [ $c = 1 ]
pk_counts "$tmp/stats" >"$tmp/pk"
if [ "$(wc -l <"$tmp/pk")" = 2 ]; then
    read -r e0 s0 < <(head -1 "$tmp/pk")
    read -r e1 s1 < <(tail -1 "$tmp/pk")
    # sign: the blinding factor and the two CRT halves (the check after it
    # runs in software); verify: one
    c=0; [ $((e1 - e0)) -ge 4 ] && [ "$s1" = "$s0" ] && c=1
    check "exec mode: the engine served the public-key operations (engine $e0 -> $e1, software $s0 -> $s1)" [ $c = 1 ]
else
    # TODO(pk-stats): the public-key counters are not in "show crypto engine accelerator statistic" yet;
    # until they are, the hardware policy (which refuses to fall back) and the exit status stand in.
    ok "exec mode: served under --policy hardware (exit $r) # TODO public-key counters missing from the statistic"
fi

# --- errors: one line on stderr, "xce pkeyutl: ...", exit 1, no output file
# xfail WHAT PATTERN ARGS...
xfail() {
    local what=$1 pat=$2; shift 2
    rm -f "$tmp/out"
    "${XCE[@]}" pkeyutl -out "$tmp/out" "$@" >"$tmp/f.out" 2>"$tmp/f.err" </dev/null
    local r=$?
    if [ $r = 1 ] && [ "$(wc -l <"$tmp/f.err")" = 1 ] && grep -q "^xce pkeyutl: .*$pat" "$tmp/f.err" && [ ! -e "$tmp/out" ] &&
        [ ! -s "$tmp/f.out" ] && no_temp; then
        ok "$what: $(cat "$tmp/f.err")"
    else
        not_ok "$what (status $r)"; sed 's/^/# /' "$tmp/f.out" "$tmp/f.err"
    fi
}
xfail "-sign with -pubin" "needs a private key" -sign -pubin -inkey "$tmp/p1024.pem" -in "$tmp/d32"
xfail "-decrypt with -pubin" "needs a private key" -decrypt -pubin -inkey "$tmp/p1024.pem" -in "$tmp/d32"
xfail "-sign with a public key file, no -pubin" "public key" -sign -inkey "$tmp/p1024.pem" -in "$tmp/d32"
xfail "missing -inkey" "-inkey" -sign -in "$tmp/d32"
xfail "unknown -pkeyopt" "unknown -pkeyopt" -sign -inkey "$k1" -pkeyopt rsa_bogus:1 -in "$tmp/d32"
xfail "unknown option" "unknown option" -sign -inkey "$k1" -frobnicate -in "$tmp/d32"
xfail "missing option argument" "needs an argument" -sign -in "$tmp/d32" -inkey
xfail "unknown digest" "unknown digest" -sign -inkey "$k1" -pkeyopt digest:nosuch -in "$tmp/d32"
xfail "wrong digest length (sign)" "20 bytes.*32" -sign -inkey "$k1" -pkeyopt digest:sha256 -in "$tmp/d20"
xfail "wrong digest length (verify)" "32 bytes.*20" -verify -inkey "$k1" -pkeyopt digest:sha1 -in "$tmp/d32" -sigfile "$tmp/e.sig"
xfail "salt length without pss" "rsa_pss_saltlen" -sign -inkey "$k1" -pkeyopt rsa_pss_saltlen:10 -in "$tmp/d32"
xfail "oaep for signing" "oaep" -sign -inkey "$k1" -pkeyopt rsa_padding_mode:oaep -in "$tmp/d32"
xfail "key too short for OAEP with sha512" "too short" -encrypt -pubin -inkey "$tmp/p1024.pem" \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha512 -in "$tmp/m40"
xfail "input too long (pkcs1 encrypt)" "too long" -encrypt -pubin -inkey "$tmp/p1024.pem" -in "$tmp/m256"
xfail "wrong passphrase" "passphrase" -sign -inkey "$tmp/enc1024.pem" -passin pass:wrong -in "$tmp/d32"
xfail "encrypted key without -passin" "passin" -sign -inkey "$tmp/enc1024.pem" -in "$tmp/d32"
xfail "bad -passin source" "passin" -sign -inkey "$tmp/enc1024.pem" -passin s3cret -in "$tmp/d32"
xfail "unreadable key" "cannot open key file" -sign -inkey "$tmp/nonexistent.pem" -in "$tmp/d32"
xfail "not a key" "cannot read an RSA key" -sign -inkey "$tmp/d32" -in "$tmp/d32"
xfail "-verify without -sigfile" "sigfile" -verify -inkey "$k1" -in "$tmp/d32"
xfail "two operations" "only one" -sign -decrypt -inkey "$k1" -in "$tmp/d32"
check "a good passphrase works (pass:, env:, file:)" \
    cmp -s <("${XCE[@]}" pkeyutl -inkey "$tmp/enc1024.pem" -passin pass:s3cret "${S256[@]}" -in "$tmp/d32") "$tmp/x1024.sig"
check "-passin env:" cmp -s <(PW=s3cret "${XCE[@]}" pkeyutl -inkey "$tmp/enc1024.pem" -passin env:PW "${S256[@]}" -in "$tmp/d32") "$tmp/x1024.sig"
echo s3cret >"$tmp/pw"
check "-passin file:" cmp -s <("${XCE[@]}" pkeyutl -inkey "$tmp/enc1024.pem" -passin file:"$tmp/pw" "${S256[@]}" -in "$tmp/d32") "$tmp/x1024.sig"

# decryption: every kind of bad ciphertext gives the same line
p1=$tmp/p1024.pem
head -c 128 /dev/urandom >"$tmp/garbage"
openssl pkeyutl -encrypt -pubin -inkey "$p1" -in "$tmp/m40" -out "$tmp/c.pkcs1"
openssl pkeyutl -encrypt -pubin -inkey "$p1" -in "$tmp/m40" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_label:aa -out "$tmp/c.oaep"
OAEP=(-pkeyopt rsa_padding_mode:oaep)
xfail "decrypt garbage (pkcs1)" "decryption failed" -decrypt -inkey "$k1" -in "$tmp/garbage"
cp "$tmp/f.err" "$tmp/e1"
xfail "decrypt garbage (oaep)" "decryption failed" -decrypt -inkey "$k1" "${OAEP[@]}" -in "$tmp/garbage"
cp "$tmp/f.err" "$tmp/e2"
xfail "decrypt with the wrong OAEP label" "decryption failed" -decrypt -inkey "$k1" "${OAEP[@]}" -pkeyopt rsa_oaep_label:bb -in "$tmp/c.oaep"
cp "$tmp/f.err" "$tmp/e3"
xfail "decrypt a pkcs1 ciphertext as OAEP" "decryption failed" -decrypt -inkey "$k1" "${OAEP[@]}" -in "$tmp/c.pkcs1"
cp "$tmp/f.err" "$tmp/e4"
xfail "decrypt an OAEP ciphertext as pkcs1" "decryption failed" -decrypt -inkey "$k1" -in "$tmp/c.oaep"
check "the same message for every padding failure" \
    [ "$(cat "$tmp/e1" "$tmp/e2" "$tmp/e3" "$tmp/e4" "$tmp/f.err" | sort -u | wc -l)" = 1 ]
echo keep >"$tmp/old"
"${XCE[@]}" pkeyutl -decrypt -inkey "$k1" -in "$tmp/garbage" -out "$tmp/old" 2>/dev/null
check "a failed decrypt leaves an existing -out file as it was" [ "$(cat "$tmp/old")" = keep ]
check "... and no temporary file" no_temp

"${XCE[@]}" pkeyutl -help >"$tmp/help" 2>&1
c=$?
for o in SYNOPSIS -sign -verify -encrypt -decrypt -in -out -sigfile -inkey -pubin -passin -keyform rsa_padding_mode \
    digest: rsa_pss_saltlen rsa_mgf1_md rsa_oaep_md rsa_oaep_label "EXIT STATUS" EXAMPLES; do
    grep -q -e "$o" "$tmp/help" || c="$c, no $o"
done
check "-help: status 0, synopsis, every option, exit status, examples ($c)" [ "$c" = 0 ]
cmp -s "$tmp/help" <("$XCE_PATH" help pkeyutl)
check "xce help pkeyutl prints the same" [ $? = 0 ]
check "--device sw: the software path signs the same" \
    cmp -s <("$XCE_PATH" --device sw pkeyutl -inkey "$k1" "${S256[@]}" -in "$tmp/d32") "$tmp/x1024.sig"

# --- reduced pass on the ASan/UBSan build (1024-bit key only)
if [ -z "${XCE_BIN:-}" ] && [ -x build/asan/bin/xce ]; then
    A=(build/asan/bin/xce --device sim --policy hardware)
    if ! "${A[@]}" pkeyutl -help >/dev/null 2>&1; then
        ok "asan: # SKIP build/asan/bin/xce has no pkeyutl (make BUILD=build/asan SANITIZE=1 build/asan/bin/xce)"
    else
        check "asan: sign equals openssl" cmp -s <("${A[@]}" pkeyutl -inkey "$k1" "${S256[@]}" -in "$tmp/d32") "$tmp/x1024.sig"
        check "asan: verify" "${A[@]}" pkeyutl -verify -pubin -inkey "$p1" "${S256[@]}" -in "$tmp/d32" -sigfile "$tmp/o1024.sig" -out /dev/null
        flip "$tmp/o1024.sig" "$tmp/bad.sig"
        "${A[@]}" pkeyutl -verify -pubin -inkey "$p1" "${S256[@]}" -in "$tmp/d32" -sigfile "$tmp/bad.sig" >/dev/null 2>&1
        check "asan: a flipped byte fails" [ $? = 1 ]
        check "asan: OAEP decrypt of openssl's ciphertext" cmp -s <("${A[@]}" pkeyutl -decrypt -inkey "$k1" "${OAEP[@]}" \
            -pkeyopt rsa_oaep_label:aa -in "$tmp/c.oaep") "$tmp/m40"
        "${A[@]}" pkeyutl -encrypt -pubin -inkey "$p1" "${OM[@]}" -in "$tmp/m40" -out "$tmp/c.asan" &&
            openssl pkeyutl -decrypt -inkey "$k1" "${OM[@]}" -in "$tmp/c.asan" | cmp -s - "$tmp/m40"
        check "asan: OAEP sha256/MGF1-sha1 encrypt, openssl decrypts" [ $? = 0 ]
        "${A[@]}" pkeyutl -decrypt -inkey "$k1" -in "$tmp/garbage" 2>/dev/null
        check "asan: decrypt of garbage fails" [ $? = 1 ]
        "${A[@]}" pkeyutl -sign -inkey "$tmp/enc1024.pem" -passin pass:wrong -in "$tmp/d32" 2>/dev/null
        check "asan: wrong passphrase fails" [ $? = 1 ]
        "${A[@]}" pkeyutl -sign -inkey "$k1" -pkeyopt rsa_padding_mode:pss -pkeyopt bogus:1 2>/dev/null
        check "asan: unknown -pkeyopt fails" [ $? = 1 ]
    fi
fi
check "no sanitizer report" [ -z "$(cat "$tmp"/sanitizer* 2>/dev/null)" ]
echo "1..$n"
[ "$failed" = 0 ]
