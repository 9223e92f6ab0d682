#!/bin/bash
# tests/cli/test_enc.sh - `xce enc` is byte-identical to `openssl enc`.
#
# Every AES cipher, both directions, random data of lengths 0, 1, 15, 16,
# 17, 1500, 65541 (a 64 KiB chunk boundary), 131072 and one random size,
# and every DES/3DES cipher up to 65541 bytes, with random keys and IVs
# from `openssl rand`, on the simulated engine under the hardware policy
# (so nothing may fall back to software); then -nopad, base64 (-a, -A),
# -p/-P, password-based files (-k with EVP_BytesToKey, -pbkdf2 with
# -pass pass:/env:/file:, -iter, -md) both ways, stdin/stdout streaming,
# exec mode checked against the engine's counters, and passes with
# --device sw, --policy software and --policy auto.
#
# XCE_BIN selects the binary (default build/bin/xce; when unset and the
# ASan build build/asan/bin/xce exists, a reduced pass runs on it too).
# Prints TAP; exits non-zero if any check failed.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

ciphers="aes-128-ecb aes-192-ecb aes-256-ecb aes-128-cbc aes-192-cbc aes-256-cbc aes-128-ctr aes-192-ctr aes-256-ctr"
des_ciphers="des-ecb des-cbc des-ede3 des-ede3-cbc des-ede des-ede-cbc"
random_size=$(( (RANDOM * 32768 + RANDOM) % 300000 ))
echo "# random size: $random_size"
for len in 0 1 15 16 17 1500 65541 131072 "$random_size"; do
    head -c "$len" /dev/urandom >"$tmp/plain.$len"
done

keybytes() {
    case $1 in aes-*) local b=${1#aes-}; echo $(( ${b%%-*} / 8 )) ;;
               des-ede3*) echo 24 ;; des-ede*) echo 16 ;; des-*) echo 8 ;; esac
}
# openssl-style arguments for cipher $1: single DES needs openssl's legacy
# provider (xce accepts and ignores -provider), then -K and -iv (not ECB)
keyargs() {
    local c=$1 kb iv=16 hex
    kb=$(keybytes "$c")
    case $c in *-ecb|des-ede3|des-ede) iv=0 ;; des-*) iv=8 ;; esac
    hex=$(openssl rand -hex $((kb + iv)))
    case $c in des-*) printf -- '-provider legacy -provider default ' ;; esac
    printf -- '-K %s' "${hex:0:$((2 * kb))}"
    [ $iv = 0 ] || printf -- ' -iv %s' "${hex:$((2 * kb))}"
}

# Encrypt and decrypt every length with cipher $2 through "$1" (the xce
# command with its global options); one TAP line per direction.
matrix() {
    local label=$1 c=$2 lens=$3
    shift 3
    local bad_e="" bad_d="" len args
    for len in $lens; do
        local p="$tmp/plain.$len"
        args=$(keyargs "$c")
        # shellcheck disable=SC2086
        {
            openssl enc -"$c" $args -in "$p" -out "$tmp/ref.enc" &&
            "$@" enc -"$c" $args -in "$p" -out "$tmp/xce.enc" 2>"$tmp/err" &&
            clean "$tmp/err" && cmp -s "$tmp/ref.enc" "$tmp/xce.enc"
        } || bad_e="$bad_e $len"
        # shellcheck disable=SC2086
        {
            openssl enc -d -"$c" $args -in "$tmp/ref.enc" -out "$tmp/ref.dec" &&
            "$@" enc -d -"$c" $args -in "$tmp/ref.enc" -out "$tmp/xce.dec" 2>"$tmp/err" &&
            clean "$tmp/err" && cmp -s "$tmp/ref.dec" "$tmp/xce.dec" && cmp -s "$p" "$tmp/xce.dec"
        } || bad_d="$bad_d $len"
    done
    if [ -z "$bad_e" ]; then ok "$label $c encrypt equals openssl (lengths $lens)"
    else not_ok "$label $c encrypt differs from openssl at lengths$bad_e"; sed 's/^/# /' "$tmp/err"; fi
    if [ -z "$bad_d" ]; then ok "$label $c decrypt equals openssl (lengths $lens)"
    else not_ok "$label $c decrypt differs from openssl at lengths$bad_d"; sed 's/^/# /' "$tmp/err"; fi
}

# Same stdout, stderr and status as openssl for these enc arguments
# (input $tmp/plain.1500, output on stdout).
same_as_openssl() {
    local what=$1
    shift
    "${XCE[@]}" enc "$@" -in "$tmp/plain.1500" >"$tmp/x.out" 2>"$tmp/x.err"
    local xr=$?
    openssl enc "$@" -in "$tmp/plain.1500" >"$tmp/o.out" 2>"$tmp/o.err"
    local or=$?
    if [ $xr = $or ] && cmp -s "$tmp/x.out" "$tmp/o.out" && cmp -s "$tmp/x.err" "$tmp/o.err"; then
        ok "$what: stdout, stderr and status equal openssl"
    else
        not_ok "$what: differs from openssl (status $xr vs $or)"
        diff "$tmp/x.err" "$tmp/o.err" | sed 's/^/# /'
    fi
}

options_tests() {
    local k16 iv k32
    k16=$(openssl rand -hex 16); iv=$(openssl rand -hex 16); k32=$(openssl rand -hex 32)
    # -nopad on whole blocks, both directions
    local bad=""
    for c in aes-128-ecb aes-192-cbc aes-256-ctr; do
        local args; args=$(keyargs "$c")
        for len in 0 16 131072; do
            # shellcheck disable=SC2086
            openssl enc -"$c" $args -nopad -in "$tmp/plain.$len" -out "$tmp/r" &&
            "${XCE[@]}" enc -"$c" $args -nopad -in "$tmp/plain.$len" -out "$tmp/x" && cmp -s "$tmp/r" "$tmp/x" &&
            "${XCE[@]}" enc -d -"$c" $args -nopad -in "$tmp/x" -out "$tmp/xd" && cmp -s "$tmp/xd" "$tmp/plain.$len" ||
            bad="$bad $c/$len"
        done
    done
    check "-nopad equals openssl on whole blocks${bad:+ (failed:$bad)}" [ -z "$bad" ]
    same_as_openssl "-nopad aes-256-ctr on 1500 bytes" -aes-256-ctr -nopad -K "$k32" -iv "$iv"

    same_as_openssl "-a base64 output" -aes-128-cbc -a -K "$k16" -iv "$iv"
    same_as_openssl "-a -A one-line base64" -aes-256-ctr -a -A -K "$k32" -iv "$iv"
    openssl enc -aes-128-cbc -a -K "$k16" -iv "$iv" -in "$tmp/plain.65541" -out "$tmp/b64"
    "${XCE[@]}" enc -d -a -aes-128-cbc -K "$k16" -iv "$iv" -in "$tmp/b64" -out "$tmp/b64.dec"
    check "-d -a reads openssl's base64" cmp -s "$tmp/b64.dec" "$tmp/plain.65541"

    # -p with -K: key= and iv = lines as openssl prints them (its salt= line
    # shows uninitialised memory, so only its presence is compared)
    "${XCE[@]}" enc -aes-192-cbc -K "${k32:0:48}" -iv "$iv" -p -in "$tmp/plain.17" -out "$tmp/x" >"$tmp/xp"
    openssl enc -aes-192-cbc -K "${k32:0:48}" -iv "$iv" -p -in "$tmp/plain.17" -out "$tmp/o" >"$tmp/op"
    check "-p with -K prints openssl's key= and iv = lines" \
        cmp -s <(grep -v '^salt=' "$tmp/xp") <(grep -v '^salt=' "$tmp/op")
    check "-p with -K prints a salt= line like openssl" [ "$(grep -c '^salt=' "$tmp/xp")" = "$(grep -c '^salt=' "$tmp/op")" ]

    # password-based: EVP_BytesToKey (-k, with the deprecation warning) and PBKDF2
    same_as_openssl "-k with -S (EVP_BytesToKey) and -p" -aes-256-cbc -k "correct horse" -S 0102030405060708 -p
    same_as_openssl "-k -md md5 -nosalt -p" -aes-128-ctr -k pw -md md5 -nosalt -p
    same_as_openssl "-pbkdf2 -pass pass: -S -p" -aes-192-ecb -pbkdf2 -pass pass:hunter2 -S a1b2c3d4e5f60718 -p
    same_as_openssl "-iter 1000 -md sha1 -S" -aes-128-cbc -iter 1000 -md sha1 -pass pass:x -S 0011223344556677
    same_as_openssl "-P prints and stops" -aes-256-ctr -pbkdf2 -k secret -S 0011223344556677 -P
    same_as_openssl "-pbkdf2 -S -a" -aes-256-cbc -pbkdf2 -k secret -S 0011223344556677 -a
    same_as_openssl "3DES -k -S -p (8-byte IV)" -des-ede3-cbc -k secret -S 0011223344556677 -p
    same_as_openssl "DES -pbkdf2 -S -P" -provider legacy -provider default -des-cbc -pbkdf2 -k pw -S 0011223344556677 -P
    printf 'from a file\nsecond line ignored\n' >"$tmp/pw"
    same_as_openssl "-pass file:" -aes-128-cbc -pbkdf2 -pass "file:$tmp/pw" -S 0011223344556677
    XCE_TEST_PW=envpass same_as_openssl "-pass env:" -aes-128-ctr -pbkdf2 -pass env:XCE_TEST_PW -S 0011223344556677

    # random salt: each program reads what the other wrote
    "${XCE[@]}" enc -aes-256-cbc -pbkdf2 -pass pass:s3cret -in "$tmp/plain.65541" -out "$tmp/s.x"
    check "xce writes Salted__ + 8-byte salt" [ "$(head -c 8 "$tmp/s.x")" = "Salted__" ]
    openssl enc -d -aes-256-cbc -pbkdf2 -pass pass:s3cret -in "$tmp/s.x" -out "$tmp/s.xo"
    check "openssl decrypts xce's salted -pbkdf2 file" cmp -s "$tmp/s.xo" "$tmp/plain.65541"
    openssl enc -aes-192-ctr -pbkdf2 -pass pass:s3cret -a -in "$tmp/plain.1500" -out "$tmp/s.o"
    "${XCE[@]}" enc -d -aes-192-ctr -pbkdf2 -pass pass:s3cret -a -in "$tmp/s.o" -out "$tmp/s.ox"
    check "xce decrypts openssl's salted base64 -pbkdf2 file" cmp -s "$tmp/s.ox" "$tmp/plain.1500"
    openssl enc -aes-128-cbc -k legacy -in "$tmp/plain.17" -out "$tmp/s.l" 2>/dev/null
    "${XCE[@]}" enc -d -aes-128-cbc -k legacy -in "$tmp/s.l" -out "$tmp/s.lx" 2>/dev/null
    check "xce decrypts openssl's salted EVP_BytesToKey file" cmp -s "$tmp/s.lx" "$tmp/plain.17"

    # stdin to stdout, streamed
    openssl enc -aes-128-ctr -K "$k16" -iv "$iv" <"$tmp/plain.131072" >"$tmp/r"
    "${XCE[@]}" enc -aes-128-ctr -K "$k16" -iv "$iv" <"$tmp/plain.131072" >"$tmp/x"
    check "stdin to stdout equals openssl" cmp -s "$tmp/r" "$tmp/x"
    cat "$tmp/plain.131072" | "${XCE[@]}" enc -aes-256-cbc -K "$k32" -iv "$iv" | \
        "${XCE[@]}" enc -d -aes-256-cbc -K "$k32" -iv "$iv" >"$tmp/x"
    check "pipe through encrypt and decrypt round-trips" cmp -s "$tmp/plain.131072" "$tmp/x"
}

# requests and bytes served by the engine or in software, as printed
# in the nth statistic of file $2 ("served by engine:", "served in software:")
served_at() { awk -v what="$1" -v nth="$3" '/^  served / && $3 == what ":" { if (++i == nth) print $4, $6 }' "$2"; }

# Exec mode: a batch of enc commands against one attached device; the
# statistic before and after must account for every byte on the engine.
exec_mode_test() {
    local cmds="$tmp/cmds" expect_bytes=0 count=0 c len args
    echo "show crypto engine accelerator statistic" >"$cmds"
    for c in aes-128-cbc aes-192-ecb aes-256-ctr des-ede3-cbc; do
        for len in 17 1500 65541; do
            args=$(keyargs "$c")
            count=$((count + 1))
            # shellcheck disable=SC2086
            openssl enc -"$c" $args -in "$tmp/plain.$len" -out "$tmp/exec.ref.$count"
            echo "enc -$c $args -in '$tmp/plain.$len' -out \"$tmp/exec out.$count\"" >>"$cmds"
            case $c in *ctr) expect_bytes=$((expect_bytes + len)) ;;
                       des*) expect_bytes=$((expect_bytes + (len / 8 + 1) * 8)) ;;
                       *) expect_bytes=$((expect_bytes + (len / 16 + 1) * 16)) ;; esac
        done
    done
    echo "show crypto engine accelerator statistic" >>"$cmds"
    "${XCE[@]}" --device sim --policy hardware <"$cmds" >"$tmp/exec.out" 2>"$tmp/exec.err"
    check "exec mode: every command succeeded" [ $? = 0 ]
    check "exec mode: nothing on stderr" [ ! -s "$tmp/exec.err" ]
    local bad="" i
    for i in $(seq 1 $count); do
        cmp -s "$tmp/exec.ref.$i" "$tmp/exec out.$i" || bad="$bad $i"
    done
    check "exec mode: $count enc outputs equal openssl${bad:+ (differ:$bad)}" [ -z "$bad" ]
    local r0 b0 r1 b1 s1
    read -r r0 b0 <<<"$(served_at engine "$tmp/exec.out" 1)"
    read -r r1 b1 <<<"$(served_at engine "$tmp/exec.out" 2)"
    read -r s1 _ <<<"$(served_at software "$tmp/exec.out" 2)"
    echo "# engine before: ${r0:-?} requests ${b0:-?} bytes; after: ${r1:-?} requests ${b1:-?} bytes"
    check "statistic: engine served $expect_bytes bytes of the $count commands" \
        [ -n "${b1:-}" ] && [ $((b1 - b0)) = "$expect_bytes" ]
    check "statistic: engine requests grew by at least $count" [ -n "${r1:-}" ] && [ $((r1 - r0)) -ge "$count" ]
    check "statistic: no software completions under the hardware policy" [ "${s1:-x}" = 0 ]
}

run_all() {
    local lens="0 1 15 16 17 1500 65541 131072 $random_size" c
    for c in $ciphers; do
        matrix "sim/hardware" "$c" "$lens" "${XCE[@]}"
    done
    for c in $des_ciphers; do
        matrix "sim/hardware" "$c" "0 1 15 16 17 1500 65541" "${XCE[@]}"
    done
    options_tests
    exec_mode_test
    for c in $ciphers des-cbc des-ede3-cbc; do
        matrix "sw/software" "$c" "1 16 1500" "$XCE_PATH" --device sw --policy software
    done
    for c in aes-128-cbc aes-256-ctr; do
        matrix "sim/software" "$c" "17 65541" "$XCE_PATH" --device sim --policy software
        matrix "sim/auto" "$c" "17 65541" "$XCE_PATH" --device sim --policy auto
    done
}

XCE_PATH=${XCE_BIN:-build/bin/xce}
XCE=("$XCE_PATH" --device sim --policy hardware)
if [ ! -x "$XCE_PATH" ]; then
    not_ok "$XCE_PATH is not built (make)"
    exit 1
fi
echo "# binary: $XCE_PATH"
run_all
# the ASan/UBSan build, when present and no binary was chosen: one more pass
if [ -z "${XCE_BIN:-}" ] && [ -x build/asan/bin/xce ]; then
    XCE_PATH=build/asan/bin/xce
    XCE=("$XCE_PATH" --device sim --policy hardware)
    echo "# binary: $XCE_PATH"
    for c in aes-128-ecb aes-192-cbc aes-256-ctr des-cbc des-ede3-cbc; do
        matrix "asan sim/hardware" "$c" "0 17 65541" "${XCE[@]}"
    done
    options_tests
    exec_mode_test
fi
no_sanitizer_reports
echo "# $n checks, $failed failed"
[ "$failed" = 0 ]
