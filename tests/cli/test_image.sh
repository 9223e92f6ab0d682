#!/bin/bash
# tests/cli/test_image.sh - signed images from the user's side: `xce image`
# (keygen, sign, assemble, revocation, verify, extract, trust install) and
# the IOS "software authenticity" words, on a private key store.
#
# Keys: production A, special A, rollover A (2048 bits) and production B
# (3072). The PKA firmware of this tree is signed with production A and
# loaded from that image (show software authenticity running). A 1 MiB
# firmware image signed on the simulated engine verifies; renamed, tampered
# in its header, payload or signature, truncated or extended it is rejected
# with libxce's reason; its parts check with `openssl dgst -sha512
# -verify`, and an image signed by openssl (sign --unsigned + assemble)
# verifies with xce. Then the seed's key replacement: a revocation image
# signed with rollover A adds production B ("[yes/no]": no changes nothing,
# yes adds), upgrade-status follows the steps (pending while the firmware
# is signed with A, complete once it is signed with B), revoking A rejects
# A's images in every later process; a revocation image signed with the
# production key is refused. The show views, the debug lines (only when on,
# only on stderr, no secret), the backup copy, a 64 MiB image on --device sw
# with flat memory (/usr/bin/time -v), errors, -help. About 10 s; the
# reduced ASan pass (when build/asan/bin/xce exists and XCE_BIN is unset)
# adds about 7 s. XCE_BIN selects the binary (default build/bin/xce).
# Prints TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
XCE_PATH=${XCE_BIN:-build/bin/xce}
export XCE_KEY_STORE=$tmp/store
unset SOURCE_DATE_EPOCH
SIM=("$XCE_PATH" --device sim)
SW=("$XCE_PATH" --device sw)
K=$tmp/keys

# run WHAT CMD...: CMD succeeds (stdout in $tmp/out, stderr in $tmp/err)
run() {
    local what=$1; shift
    if "$@" >"$tmp/out" 2>"$tmp/err"; then ok "$what"
    else not_ok "$what (status $?)"; sed 's/^/# /' "$tmp/out" "$tmp/err" | head -8; fi
}
# fails WHAT PATTERN CMD...: CMD exits 1 and says PATTERN (stdout or stderr)
fails() {
    local what=$1 pat=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local r=$?
    if [ $r = 1 ] && grep -qF -- "$pat" "$tmp/out" "$tmp/err"; then ok "$what"
    else not_ok "$what (status $r, expected 1 and \"$pat\")"; sed 's/^/# /' "$tmp/out" "$tmp/err" | head -8; fi
}
# has WHAT FILE REGEX...: every extended regex matches a line of FILE
has() {
    local what=$1 f=$2 miss=""; shift 2
    for re in "$@"; do grep -qE -- "$re" "$f" || miss="$miss [$re]"; done
    if [ -z "$miss" ]; then ok "$what"; else not_ok "$what: missing$miss"; sed 's/^/# /' "$f" | head -40; fi
}
# flip FILE OFFSET: bit 0 of the byte at OFFSET inverted, in place
flip() {
    local b
    b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
    # shellcheck disable=SC2059
    printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
size() { stat -c %s "$1"; }
no_temp() { ! compgen -G "$tmp/*.xce-*" >/dev/null && ! compgen -G "$tmp/*/.xce-*" >/dev/null; }

# --- keys and the key store
for k in "production A 2048" "special A 2048" "rollover A 2048" "production B 3072" "special C 2048"; do
    set -- $k
    run "keygen $1 $2 ($3 bits)" "${SW[@]}" image keygen --type "$1" --version "$2" --bits "$3" --dir "$K"
done
c=0
[ "$(stat -c %a "$K/production-A.pem")" = 600 ] && openssl pkey -in "$K/production-A.pem" -noout 2>/dev/null &&
    [ "$(openssl pkey -pubin -in "$K/production-B.pub.pem" -text -noout 2>/dev/null | head -1)" = "Public-Key: (3072 bit)" ] &&
    ! grep -q PRIVATE "$K/production-A.pub.pem" && c=1
check "keygen: private key mode 0600, openssl reads both halves, B is 3072 bits" [ $c = 1 ]
cp "$K/production-A.pem" "$tmp/keep.pem"
fails "keygen refuses to overwrite a key" "exists" "${SW[@]}" image keygen --type production --version A --dir "$K"
check "... and the key is as it was" cmp -s "$K/production-A.pem" "$tmp/keep.pem"
fails "keygen: --bits 1024 refused" "--bits" "${SW[@]}" image keygen --type special --version B --bits 1024 --dir "$K"
fails "keygen: --version AA refused" "--version" "${SW[@]}" image keygen --type special --version AA --dir "$K"
mkdir "$tmp/anchors"
cp "$K"/production-A.pub.pem "$K"/special-A.pub.pem "$K"/rollover-A.pub.pem "$tmp/anchors/"
cp -r "$tmp/anchors" "$tmp/bad-anchors" && cp "$K/production-B.pem" "$tmp/bad-anchors/"
fails "trust install: a private key is refused" "private key" "${SW[@]}" image trust install "$tmp/bad-anchors" --key-store "$tmp/bad-store"
run "trust install: production A, special A, rollover A" "${SW[@]}" image trust install "$tmp/anchors"
check "trust install: primary and backup copies" [ -f "$tmp/store/primary" -a -f "$tmp/store/backup" ]

# --- the PKA firmware, signed with production A: the driver loads it
mkdir "$tmp/fw"
run "sign the PKA firmware with production A (name from the key file)" "${SW[@]}" image sign --key "$K/production-A.pem" \
    --type firmware --cn "xce build" --ou "PKA firmware" --org "Example Corp" --serial 0a0b --build-time 1700000000 \
    --in build/firmware/xce-pka.fw --out "$tmp/fw/xce-pka.img"
check "... named xce-pka.SPA.img" [ "$(cat "$tmp/out")" = "$tmp/fw/xce-pka.SPA.img" -a -f "$tmp/fw/xce-pka.SPA.img" ]
export XCE_FIRMWARE=$tmp/fw/xce-pka.SPA.img
"${SIM[@]}" show software authenticity running >"$tmp/running" 2>&1
has "show software authenticity running: the firmware image's envelope, the verifier" "$tmp/running" \
    '^SYSTEM IMAGE$' "^File Name +: $tmp/fw/xce-pka.SPA.img$" '^Image type +: Production$' '^  Signer Information$' \
    '^    Common Name +: xce build$' '^    Organization Unit +: PKA firmware$' '^    Organization Name +: Example Corp$' \
    '^    Certificate Serial Number : 0A0B$' '^    Hash Algorithm +: SHA512$' '^    Signature Algorithm +: 2048-bit RSA$' \
    '^    Key Version +: A$' '^    Build Time +: 2023-11-14 22:13:20 UTC$' '^  Verifier Information$' \
    '^    Verifier Name +: libxce$' "^    Verifier Version +: libxce [0-9]+\.[0-9]+\.[0-9]+$"
XCE_FIRMWARE=build/firmware/xce-pka.fw "${SIM[@]}" show software authenticity running >"$tmp/running0" 2>&1
has "running without a signed firmware image: none, and why" "$tmp/running0" '^SYSTEM IMAGE$' '^File Name +: none$' \
    '^Reason +: firmware invalid: ' '^    Verifier Name +: libxce$'

# --- a 1 MiB firmware image, signed and verified on the simulated engine
head -c 1048576 /dev/urandom >"$tmp/payload"
run "sign 1 MiB (firmware, production A, --device sim)" "${SIM[@]}" image sign --key "$K/production-A.pem" \
    --key-type production --key-version A --type firmware --cn "xce build" --serial 0102 --in "$tmp/payload" \
    --out "$tmp/xce-pka.img"
IMG=$tmp/xce-pka.SPA.img
check "the output name got .SPA. and is printed" [ "$(cat "$tmp/out")" = "$IMG" ]
check "... size = 256 + payload + 256" [ "$(size "$IMG")" = $((256 + 1048576 + 256)) ]
run "verify: exit 0" "${SIM[@]}" image verify "$IMG"
check "verify: \"PATH: verified (production key A, 2048-bit RSA, SHA512)\"" \
    [ "$(cat "$tmp/out")" = "$IMG: verified (production key A, 2048-bit RSA, SHA512)" ]
cp "$IMG" "$tmp/renamed.SSA.img"
fails "renamed .SSA.: rejected, name says SSA" "$tmp/renamed.SSA.img: rejected: name says SSA, envelope says SPA" \
    "${SW[@]}" image verify "$tmp/renamed.SSA.img"
cp "$IMG" "$tmp/renamed.img"
fails "renamed without .SPA.: not a signed image name" "rejected: not a signed image name" "${SW[@]}" image verify "$tmp/renamed.img"
cp "$IMG" "$tmp/h.SPA.img" && flip "$tmp/h.SPA.img" 41
fails "a header byte (signer name) changed: signature does not match" "$tmp/h.SPA.img: rejected: signature does not match" \
    "${SIM[@]}" image verify "$tmp/h.SPA.img"
cp "$IMG" "$tmp/m.SPA.img" && flip "$tmp/m.SPA.img" 0
fails "the magic changed: bad magic" "rejected: bad magic" "${SW[@]}" image verify "$tmp/m.SPA.img"
cp "$IMG" "$tmp/p.SPA.img" && flip "$tmp/p.SPA.img" $((256 + 500000))
fails "a payload byte changed: signature does not match" "$tmp/p.SPA.img: rejected: signature does not match" \
    "${SIM[@]}" image verify "$tmp/p.SPA.img"
cp "$IMG" "$tmp/s.SPA.img" && flip "$tmp/s.SPA.img" $(($(size "$IMG") - 1))
fails "a signature byte changed: signature does not match" "$tmp/s.SPA.img: rejected: signature does not match" \
    "${SIM[@]}" image verify "$tmp/s.SPA.img"
head -c $(($(size "$IMG") - 1)) "$IMG" >"$tmp/t.SPA.img"
fails "truncated by one byte: rejected, truncated" "$tmp/t.SPA.img: rejected: truncated" "${SW[@]}" image verify "$tmp/t.SPA.img"
head -c 100 "$IMG" >"$tmp/t2.SPA.img"
fails "shorter than a header: truncated" "rejected: truncated" "${SW[@]}" image verify "$tmp/t2.SPA.img"
{ cat "$IMG"; printf x; } >"$tmp/x.SPA.img"
fails "one byte appended: rejected, trailing data" "$tmp/x.SPA.img: rejected: trailing data" "${SW[@]}" image verify "$tmp/x.SPA.img"
"${SW[@]}" image verify "$IMG" "$tmp/s.SPA.img" >"$tmp/out" 2>&1
check "verify of two images, one bad: exit 1, a line for each" [ $? = 1 -a "$(wc -l <"$tmp/out")" = 2 ]

# --- OpenSSL alone checks the parts; an image signed by OpenSSL verifies
run "extract the signed part and the signature" "${SW[@]}" image extract "$IMG" --signed-part "$tmp/part" --signature "$tmp/sig"
check "... sizes 256 + payload and 256" [ "$(size "$tmp/part")" = $((256 + 1048576)) -a "$(size "$tmp/sig")" = 256 ]
check "openssl dgst -sha512 -verify: Verified OK" \
    [ "$(openssl dgst -sha512 -verify "$K/production-A.pub.pem" -signature "$tmp/sig" "$tmp/part" 2>&1)" = "Verified OK" ]
fails "extract of a truncated image refused" "truncated" "${SW[@]}" image extract "$tmp/t.SPA.img" --signed-part "$tmp/part2" \
    --signature "$tmp/sig2"
check "... and writes neither file" [ ! -e "$tmp/part2" -a ! -e "$tmp/sig2" ]
head -c 5000 /dev/urandom >"$tmp/small"
run "sign --unsigned with the public key: the part to sign" "${SW[@]}" image sign --unsigned --key "$K/production-A.pub.pem" \
    --key-type production --key-version A --type software --cn "ci signer" --in "$tmp/small" --out "$tmp/ext.part"
check "... header and payload only, name unchanged" [ "$(cat "$tmp/out")" = "$tmp/ext.part" -a "$(size "$tmp/ext.part")" = 5256 ]
openssl dgst -sha512 -sign "$K/production-A.pem" -out "$tmp/ext.sig" "$tmp/ext.part"
run "assemble openssl's signature" "${SW[@]}" image assemble --signed-part "$tmp/ext.part" --signature "$tmp/ext.sig" \
    --out "$tmp/ext.img"
check "... named ext.SPA.img" [ "$(cat "$tmp/out")" = "$tmp/ext.SPA.img" ]
run "xce verifies the image openssl signed" "${SIM[@]}" image verify "$tmp/ext.SPA.img"
head -c 255 "$tmp/ext.sig" >"$tmp/short.sig"
fails "assemble: a signature of the wrong length refused" "256-byte signature" "${SW[@]}" image assemble \
    --signed-part "$tmp/ext.part" --signature "$tmp/short.sig" --out "$tmp/short.img"
check "... no output" [ ! -e "$tmp/short.SPA.img" ]

# --- naming and signing errors
fails "sign: an output name naming another key refused" "says SSA" "${SW[@]}" image sign --key "$K/production-A.pem" \
    --type software --cn x --in "$tmp/small" --out "$tmp/wrong.SSA.img"
check "... nothing written" [ ! -e "$tmp/wrong.SSA.img" ]
run "sign: no extension: .SPA appended" "${SW[@]}" image sign --key "$K/production-A.pem" --type bitstream --cn x \
    --in "$tmp/small" --out "$tmp/noext"
check "... $tmp/noext.SPA" [ "$(cat "$tmp/out")" = "$tmp/noext.SPA" -a -f "$tmp/noext.SPA" ]
run "sign: an existing .SPA. component is kept" "${SW[@]}" image sign --key "$K/production-A.pem" --type software --cn x \
    --in "$tmp/small" --out "$tmp/keep.SPA.bin"
check "... name as given" [ "$(cat "$tmp/out")" = "$tmp/keep.SPA.bin" ]
fails "sign: a rollover key does not sign firmware" "rollover" "${SW[@]}" image sign --key "$K/rollover-A.pem" --type firmware \
    --cn x --in "$tmp/small" --out "$tmp/r.img"
fails "sign: a public key cannot sign" "public key" "${SW[@]}" image sign --key "$K/production-A.pub.pem" --type software \
    --cn x --in "$tmp/small" --out "$tmp/pub.img"
fails "sign: a 65-character common name refused" "--cn" "${SW[@]}" image sign --key "$K/production-A.pem" --type software \
    --cn "$(printf 'a%.0s' {1..65})" --in "$tmp/small" --out "$tmp/cn.img"
fails "sign: --serial of 33 digits refused" "--serial" "${SW[@]}" image sign --key "$K/production-A.pem" --type software \
    --cn x --serial "$(printf '1%.0s' {1..33})" --in "$tmp/small" --out "$tmp/ser.img"
fails "sign: unknown option" "unknown option '--bogus'" "${SW[@]}" image sign --bogus
fails "sign: --in missing" "--in PAYLOAD is required" "${SW[@]}" image sign --key "$K/production-A.pem" --type software \
    --cn x --out "$tmp/y.img"
fails "image: unknown subcommand" "unknown subcommand" "${SW[@]}" image frob
fails "verify: no such file" "cannot open" "${SW[@]}" image verify "$tmp/nonexistent.SPA.img"
check "no temporary file left behind" no_temp

# --- show software authenticity file / keys
"${SIM[@]}" show software authenticity file "$IMG" >"$tmp/file" 2>&1
c=$?
has "show software authenticity file: the envelope and the verdict (status $c)" "$tmp/file" \
    "^File Name +: $IMG$" '^Image type +: Production$' '^  Signer Information$' '^    Common Name +: xce build$' \
    '^    Organization Unit +:$' '^    Certificate Serial Number : 0102$' '^    Hash Algorithm +: SHA512$' \
    '^    Signature Algorithm +: 2048-bit RSA$' '^    Key Version +: A$' '^    Content +: firmware$' \
    '^    Payload Size +: 1048576 bytes$' '^    Verification Result +: Verified$'
"${SW[@]}" show software authenticity file "$tmp/p.SPA.img" >"$tmp/file" 2>&1
c=$?
has "show ... file of a tampered image: rejected, exit 1 (status $c)" "$tmp/file" \
    '^    Verification Result +: Rejected: signature does not match$'
[ $c = 1 ] || not_ok "show file of a tampered image: exit $c"
"${SW[@]}" show software authenticity keys >"$tmp/keys.txt" 2>&1
has "show software authenticity keys: the seed's fields" "$tmp/keys.txt" '^Public Key #1 Information$' \
    '^Public Key #3 Information$' '^Key Type +: Release \(Primary\)$' '^Key Type +: Development \(Primary\)$' \
    '^Key Type +: Rollover \(Primary\)$' '^Public Key Algorithm : RSA$' '^Modulus :$' '^Exponent +: 65537$' \
    '^Key Version +: A$' '^Key State +: Active$'
# the modulus of key #1 (production A) as openssl prints it
awk '/^Public Key #1/ {k = 1} /^Public Key #2/ {k = 0} k && /^    [0-9A-F]/ {gsub(/[ :]/, ""); printf "%s", $0}' \
    "$tmp/keys.txt" >"$tmp/mod"
check "keys: the modulus lines (16 bytes each) are production A's" [ "Modulus=$(cat "$tmp/mod")" = \
    "$(openssl rsa -pubin -in "$K/production-A.pub.pem" -noout -modulus 2>/dev/null)" ]
check "keys: 16 colon-separated bytes per line" \
    [ "$(grep -cE '^    ([0-9A-F]{2}:){15}[0-9A-F]{2}:$' "$tmp/keys.txt")" -ge 45 ]
cp "$tmp/store/primary" "$tmp/primary.save"
flip "$tmp/store/primary" 30
"${SW[@]}" show software authenticity keys >"$tmp/keys.txt" 2>"$tmp/err"
c=0; grep -q '^Key Type .*: Release (Backup)$' "$tmp/keys.txt" && ! grep -q Primary "$tmp/keys.txt" &&
    grep -q 'Warning: primary copy .* damaged' "$tmp/err" && c=1
check "keys: with the primary copy damaged, the keys come from the backup (Backup), with a warning" [ $c = 1 ]
run "... and images still verify" "${SW[@]}" image verify "$IMG"
cp "$tmp/primary.save" "$tmp/store/primary"

# --- key replacement (the seed's procedure): add production B, move, revoke A
head -c 3000 /dev/urandom >"$tmp/b.bin"
run "sign with production B" "${SW[@]}" image sign --key "$K/production-B.pem" --type software --cn b --in "$tmp/b.bin" --out "$tmp/b.img"
fails "before the add: no such key: SPB" "$tmp/b.SPB.img: rejected: no such key: SPB" "${SW[@]}" image verify "$tmp/b.SPB.img"
run "revocation image (rollover A): add production B, revoke production A" "${SW[@]}" image revocation \
    --key "$K/rollover-A.pem" --cn "xce key update" --add "production:B:$K/production-B.pub.pem" --revoke production:A \
    --out "$tmp/replace-A.img"
REV=$tmp/replace-A.SRA.img
check "... named replace-A.SRA.img" [ "$(cat "$tmp/out")" = "$REV" ]
run "the revocation image verifies (rollover key A)" "${SW[@]}" image verify "$REV"
cp "$tmp/store/primary" "$tmp/before"
echo no | "${SW[@]}" software authenticity key add production "$REV" >"$tmp/out" 2>"$tmp/err"
c=$?
has "key add: lists the change and asks [yes/no]" "$tmp/out" '^%   add production key B \(3072-bit RSA\)$' '\[yes/no\]'
check "key add, answer no: exit 1, store unchanged" [ $c = 1 -a "$(cmp -s "$tmp/before" "$tmp/store/primary"; echo $?)" = 0 ]
echo yes | "${SW[@]}" software authenticity key add production "$REV" >"$tmp/out" 2>"$tmp/err"
c=$?
check "key add, answer yes: exit 0, added SPB" [ $c = 0 -a "$(grep -c 'added SPB' "$tmp/out")" = 1 ]
run "an image signed with production B verifies now" "${SW[@]}" image verify "$tmp/b.SPB.img"
echo yes | "${SW[@]}" software authenticity key add production "$REV" >"$tmp/out" 2>"$tmp/err"
check "key add again: refused, exit 1" [ $? = 1 -a "$(grep -c 'already' "$tmp/err")" = 1 ]
"${SIM[@]}" show software authenticity upgrade-status >"$tmp/up" 2>&1
has "upgrade-status after the add: B in both copies, the firmware still signed with A: pending" "$tmp/up" \
    '^Production \(Release\) keys$' '^Newest Active Key Version +: B \(3072-bit RSA\)$' '^In Primary Key Storage +: Yes$' \
    '^In Backup Key Storage +: Yes$' '^Running Image Signed With It +: No \(.*signed with production key A\)$' \
    '^Older Active Key Versions +: A$' '^Upgrade Status +: Pending: ' '^Rollover keys$'
run "sign the PKA firmware with production B" "${SW[@]}" image sign --key "$K/production-B.pem" --type firmware \
    --cn "xce build" --in build/firmware/xce-pka.fw --out "$tmp/fw/xce-pka.img"
export XCE_FIRMWARE=$tmp/fw/xce-pka.SPB.img
"${SIM[@]}" show software authenticity upgrade-status >"$tmp/up" 2>&1
has "upgrade-status with the firmware signed with B: complete, A may be revoked" "$tmp/up" \
    "^Running Image Signed With It +: Yes \($XCE_FIRMWARE\)$" '^Upgrade Status +: Complete: A may now be revoked'
echo yes | "${SW[@]}" software authenticity key revoke production "$REV" >"$tmp/out" 2>"$tmp/err"
c=$?
check "key revoke production, yes: exit 0, revoked SPA" [ $c = 0 -a "$(grep -c 'revoked SPA' "$tmp/out")" = 1 ]
fails "an image signed with A: key revoked: SPA" "$IMG: rejected: key revoked: SPA" "${SIM[@]}" image verify "$IMG"
printf 'image verify %s\n' "$tmp/ext.SPA.img" | "${SW[@]}" >"$tmp/out" 2>&1
check "... and in a new process, in exec mode (persistence)" [ "$(grep -c 'rejected: key revoked: SPA' "$tmp/out")" = 1 ]
run "production B still verifies" "${SW[@]}" image verify "$tmp/b.SPB.img"
"${SW[@]}" show software authenticity keys >"$tmp/keys.txt" 2>&1
c=$(awk '/^Key Type/ {t = $4} /^Key Version/ {v = $4} /^Key State/ {print t, v, $4}' "$tmp/keys.txt" | tr '\n' ',')
check "keys: production A revoked, B active ($c)" [ "$c" = "Release A Revoked,Release B Active,Rollover A Active,Development A Active," ]
"${SIM[@]}" show software authenticity upgrade-status >"$tmp/up" 2>&1
has "upgrade-status after the revoke: A revoked, complete" "$tmp/up" '^Revoked Key Versions +: A$' '^Upgrade Status +: Complete$'
run "a revocation image that revokes production B" "${SW[@]}" image revocation --key "$K/rollover-A.pem" --cn x \
    --revoke production:B --out "$tmp/rb.img"
printf 'y\n' | "${SW[@]}" software authenticity key revoke production "$tmp/rb.SRA.img" >"$tmp/out" 2>"$tmp/err"
check "applying a revoke of the last production key: refused, exit 1" [ $? = 1 -a "$(grep -c 'no active production key' "$tmp/err")" = 1 ]

# --- revocation images that must be refused
run "a revocation image signed with production key A (header says SRA)" "${SW[@]}" image revocation \
    --key "$K/production-A.pem" --key-version A --cn x --add "special:B:$K/production-A.pub.pem" --out "$tmp/evil.img"
echo yes | "${SW[@]}" software authenticity key add special "$tmp/evil.SRA.img" >"$tmp/out" 2>"$tmp/err"
c=$?
check "... refused: its signature does not match rollover A (exit $c)" [ $c = 1 -a \
    "$(grep -c 'rejected: signature does not match' "$tmp/err")" = 1 ]
run "a revocation image signed with rollover A, for key type checks" "${SW[@]}" image revocation --key "$K/rollover-A.pem" \
    --cn x --add "special:B:$K/production-A.pub.pem" --out "$tmp/pk.img"
cp "$tmp/pk.SRA.img" "$tmp/pk.SPA.img"
printf 'P' | dd of="$tmp/pk.SPA.img" bs=1 seek=15 conv=notrunc 2>/dev/null
echo yes | "${SW[@]}" software authenticity key add special "$tmp/pk.SPA.img" >"$tmp/out" 2>"$tmp/err"
check "a revocation image whose header says production key A: refused" [ $? = 1 -a \
    "$(grep -c 'revocation image not signed with a rollover key' "$tmp/err")" = 1 ]
echo yes | "${SW[@]}" software authenticity key add special "$tmp/pk.SRA.img" >"$tmp/out" 2>"$tmp/err"
check "a revoked key can never come back (special B = production A's key): refused" [ $? = 1 -a \
    "$(grep -c 'revoked' "$tmp/err")" -ge 1 ]
fails "key add with a firmware image: not a revocation image" "not a revocation image" \
    "${SW[@]}" software authenticity key add production "$tmp/b.SPB.img"
fails "revocation: --add with a private key refused" "private key" "${SW[@]}" image revocation --key "$K/rollover-A.pem" \
    --cn x --add "production:C:$K/production-B.pem" --out "$tmp/priv.img"
fails "revocation: --add rollover refused" "not production or special" "${SW[@]}" image revocation \
    --key "$K/rollover-A.pem" --cn x --add "rollover:B:$K/production-B.pub.pem" --out "$tmp/rr.img"

# --- debug software authenticity: lines on stderr only when on
printf 'image verify %s\nshow software authenticity file %s\n' "$tmp/b.SPB.img" "$tmp/b.SPB.img" | "${SW[@]}" >"$tmp/out" 2>"$tmp/err"
check "debug off: no SOFTWARE-AUTHENTICITY line" [ "$(grep -c SOFTWARE-AUTHENTICITY "$tmp/out" "$tmp/err" | awk -F: '{s += $2} END {print s}')" = 0 ]
printf '%s\n' 'debug software authenticity envelope' 'debug software authenticity key' 'debug soft auth errors' \
    'show debugging' "image verify $tmp/b.SPB.img $IMG" 'undebug all' "image verify $tmp/b.SPB.img" >"$tmp/cmds"
"${SW[@]}" <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err"
has "debug on: what it says on stdout" "$tmp/out" '^Software authenticity envelope debugging is on$' \
    '^  Software authenticity errors debugging is on$' '^All possible debugging has been turned off$'
has "debug on: envelope, key and error lines on stderr" "$tmp/err" \
    "^SOFTWARE-AUTHENTICITY: envelope: $tmp/b.SPB.img: software image, key SPB" \
    '^SOFTWARE-AUTHENTICITY: envelope: .*signer CN="b"' '^SOFTWARE-AUTHENTICITY: key: SPB: production key B, 3072-bit RSA, active' \
    '^SOFTWARE-AUTHENTICITY: key: SPA: .* revoked' "^SOFTWARE-AUTHENTICITY: error: $IMG: rejected: key revoked: SPA"
check "debug: nothing on stdout" [ "$(grep -c SOFTWARE-AUTHENTICITY "$tmp/out")" = 0 ]
check "debug: the lines stop after undebug all" \
    [ "$(grep -c "^SOFTWARE-AUTHENTICITY: envelope: $tmp/b.SPB.img: software" "$tmp/err")" = 1 ]
printf '%s\n' 'debug software authenticity verbose' \
    "image revocation --key $K/rollover-A.pem --cn v --add special:C:$K/special-C.pub.pem --out $tmp/v.img" \
    "image sign --key $K/special-A.pem --type software --cn s --in $tmp/small --out $tmp/s.img" \
    "software authenticity key add special $tmp/v.SRA.img" yes 'show software authenticity keys' \
    'no debug software authenticity verbose' "image verify $tmp/s.SSA.img" >"$tmp/cmds"
"${SW[@]}" <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err"
c=$?
has "debug verbose: revocation records and the change, key store, show (status $c)" "$tmp/err" \
    '^SOFTWARE-AUTHENTICITY: revocation: record 1: add special key C' \
    "^SOFTWARE-AUTHENTICITY: revocation: $tmp/v.SRA.img: added SSC" '^SOFTWARE-AUTHENTICITY: show: keys: ' \
    '^SOFTWARE-AUTHENTICITY: key: store '
c=0
for f in "$K"/*.pem; do
    sed -n '2p' "$f" | grep -qF -f - "$tmp/out" "$tmp/err" && c=1
done
check "debug verbose: no line of any key file (private or public) printed" [ $c = 0 ]
check "debug: off again after no debug ... verbose" [ "$(grep -c "SOFTWARE-AUTHENTICITY: envelope: $tmp/s.SSA.img" "$tmp/err")" = 0 ]

# --- 64 MiB on --device sw: streamed, memory flat
head -c $((64 << 20)) /dev/zero >"$tmp/big"
run "sign 64 MiB (--device sw)" "${SW[@]}" image sign --key "$K/production-B.pem" --type software --cn big --in "$tmp/big" \
    --out "$tmp/big.img"
if [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then
    rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident set size/ {print $6}'; }
    r0=$(rss "${SW[@]}" image verify "$tmp/b.SPB.img")
    r1=$(rss "${SW[@]}" image verify "$tmp/big.SPB.img")
    check "verify 64 MiB: < 8 MiB more RSS than a 3 KB image (${r0} -> ${r1} KiB)" [ $((r1 - r0)) -lt 8192 ]
    r2=$(rss "${SW[@]}" image sign --key "$K/production-B.pem" --type software --cn big --in "$tmp/big" --out "$tmp/big2.img")
    check "sign 64 MiB: < 8 MiB more RSS (${r0} -> ${r2} KiB)" [ $((r2 - r0)) -lt 8192 ]
else
    ok "verify 64 MiB: flat memory # SKIP /usr/bin/time -v not available (Debian package time)"
    ok "sign 64 MiB: flat memory # SKIP /usr/bin/time -v not available"
fi
run "64 MiB image verifies" "${SW[@]}" image verify "$tmp/big.SPB.img"
rm -f "$tmp/big" "$tmp"/big*.img

# --- help
"${SW[@]}" image -help >"$tmp/help" 2>&1
c=$?
has "image -help: status $c, every subcommand, options, IOS words, exit status" "$tmp/help" SYNOPSIS 'image keygen' \
    'image sign' 'image assemble' 'image revocation' 'image verify' 'image extract' 'trust install' -- --unsigned \
    -- --key-store 'show software authenticity upgrade-status' 'software authenticity key revoke' \
    'debug software authenticity' 'EXIT STATUS' EXAMPLES
check "xce help image prints the same" cmp -s "$tmp/help" <("$XCE_PATH" help image)
"${SW[@]}" show software authenticity '?' >"$tmp/q" 2>&1
has "show software authenticity ?: the four views" "$tmp/q" '^  file ' '^  keys ' '^  running ' '^  upgrade-status '
"${SW[@]}" sh so auth keys >"$tmp/abbr" 2>&1
check "abbreviations: sh so auth keys" [ "$(grep -c '^Public Key #' "$tmp/abbr")" -ge 4 ]

# --- reduced pass on the ASan/UBSan build
if [ -z "${XCE_BIN:-}" ] && [ -x build/asan/bin/xce ]; then
    A=build/asan/bin/xce
    quiet() { "$@" >/dev/null 2>&1; }
    if ! "$A" image -help >/dev/null 2>&1; then
        ok "asan: # SKIP build/asan/bin/xce has no image command (make BUILD=build/asan SANITIZE=1 build/asan/bin/xce)"
    else
        head -c 70000 /dev/urandom >"$tmp/a.bin"
        check "asan: sign (sim)" quiet "$A" --device sim image sign --key "$K/production-B.pem" --type firmware --cn a --ou u --org o \
            --serial ff --in "$tmp/a.bin" --out "$tmp/a.img"
        check "asan: verify (sim)" quiet "$A" --device sim image verify "$tmp/a.SPB.img"
        cp "$tmp/a.SPB.img" "$tmp/a2.SPB.img" && flip "$tmp/a2.SPB.img" 300
        "$A" --device sw image verify "$tmp/a2.SPB.img" >/dev/null 2>&1
        check "asan: tampered image rejected" [ $? = 1 ]
        check "asan: extract" quiet "$A" image extract "$tmp/a.SPB.img" --signed-part "$tmp/ap" --signature "$tmp/as"
        check "asan: unsigned + assemble" quiet "$A" image sign --unsigned --key "$K/production-B.pem" --type software --cn a \
            --in "$tmp/a.bin" --out "$tmp/ap2"
        openssl dgst -sha512 -sign "$K/production-B.pem" -out "$tmp/as2" "$tmp/ap2"
        check "asan: assemble" quiet "$A" image assemble --signed-part "$tmp/ap2" --signature "$tmp/as2" --out "$tmp/a3.img"
        check "asan: revocation" quiet "$A" --device sw image revocation --key "$K/rollover-A.pem" --cn a \
            --add "special:D:$K/special-A.pub.pem" --revoke special:A --out "$tmp/ar.img"
        echo yes | "$A" --device sw software authenticity key add special "$tmp/ar.SRA.img" >/dev/null 2>&1
        check "asan: key add refused (special A's key again)" [ $? = 1 ]
        printf '%s\n' 'debug software authenticity verbose' 'show software authenticity keys' \
            'show software authenticity upgrade-status' "show software authenticity file $tmp/a.SPB.img" \
            'show software authenticity running' 'show debugging' 'undebug all' "image keygen --type special --version Z --dir $tmp/az" \
            | "$A" --device sim >/dev/null 2>&1
        check "asan: exec mode with the show views and debug" [ $? = 0 ]
        "$A" image sign --key "$K/production-B.pem" --type software --cn a --in "$tmp/nonexistent" --out "$tmp/e.img" 2>/dev/null
        check "asan: error path" [ $? = 1 ]
    fi
fi
check "no sanitizer report" [ -z "$(cat "$tmp"/sanitizer* 2>/dev/null)" ]
echo "1..$n"
[ "$failed" = 0 ]
