#!/bin/bash
# tests/cli/test_errors.sh - every bad input to xce fails cleanly: exit
# status 1, a message on stderr that names the problem (checked by a
# distinctive phrase), no sanitizer report, and no output file left
# behind - including the cases where openssl only warns (short keys, odd
# IVs, -nopad on a partial block) and errors found mid-stream (bad
# padding, a wrong password, bad base64). Then bad IOS words in argv and
# exec mode: the '^' marker under the offending word, and exec mode going
# on after a failing line with exit status 1.
#
# XCE_BIN selects the binary (default build/bin/xce; when unset and
# build/asan/bin/xce exists, every check runs on it as well). Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

K16=000102030405060708090a0b0c0d0e0f
K32=${K16}${K16}
IV=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
head -c 1000 /dev/urandom >"$tmp/in.1000"
head -c 1003 /dev/urandom >"$tmp/in.1003"
openssl enc -aes-128-cbc -K $K16 -iv $IV -in "$tmp/in.1000" -out "$tmp/cbc.enc"
openssl enc -aes-128-cbc -pbkdf2 -pass pass:right -in "$tmp/in.1000" -out "$tmp/salted.enc"
printf 'this is not base64 !!!\n' >"$tmp/bad.b64"
mkdir "$tmp/adir"

# expect_fail WHAT PHRASE CMD...: status 1, PHRASE on stderr, no $tmp/out.
# Runs CMD with stdin from $STDIN (default /dev/null).
expect_fail() {
    local what=$1 phrase=$2
    shift 2
    rm -f "$tmp/out" "$tmp"/out.xce-*
    "$@" <"${STDIN:-/dev/null}" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$? why=""
    [ $rc = 1 ] || why="exit status $rc, not 1"
    grep -qF -- "$phrase" "$tmp/stderr" || why="${why:+$why; }no \"$phrase\" on stderr"
    ! grep -q -e Sanitizer -e 'runtime error:' "$tmp/stderr" || why="${why:+$why; }sanitizer report"
    if [ -e "$tmp/out" ] || compgen -G "$tmp/out.xce-*" >/dev/null; then why="${why:+$why; }output file left behind"; fi
    if [ -z "$why" ]; then
        ok "$what: $(head -1 "$tmp/stderr")"
    else
        not_ok "$what: $why"
        sed 's/^/# /' "$tmp/stderr" | head -8
    fi
}

enc_errors() {
    local X=$1 out="$tmp/out"
    local enc=("$X" --device sim enc)
    expect_fail "invalid hex in -K" "-K: invalid hex digit 'z' at position 5" \
        "${enc[@]}" -aes-128-cbc -K 0001z203040506070809 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "invalid hex in -iv" "-iv: invalid hex digit 'g' at position 32" \
        "${enc[@]}" -aes-128-cbc -K $K16 -iv ${IV:0:31}g -in "$tmp/in.1000" -out "$out"
    expect_fail "odd number of hex digits in -K" "-K: odd number of hex digits (31)" \
        "${enc[@]}" -aes-128-ecb -K ${K16:0:31} -in "$tmp/in.1000" -out "$out"
    expect_fail "-K too short for aes-256" "aes-256-cbc needs a 32-byte key (64 hex digits); 16 bytes given" \
        "${enc[@]}" -aes-256-cbc -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "-K too long for aes-128" "aes-128-ctr needs a 16-byte key (32 hex digits); 32 bytes given" \
        "${enc[@]}" -aes-128-ctr -K $K32 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "-iv of 8 bytes" "-iv: the IV of aes-128-cbc must be 16 bytes (32 hex digits); 8 bytes given" \
        "${enc[@]}" -aes-128-cbc -K $K16 -iv 0011223344556677 -in "$tmp/in.1000" -out "$out"
    expect_fail "-iv of 17 bytes" "-iv: the IV of aes-192-ctr must be 16 bytes (32 hex digits); 17 bytes given" \
        "${enc[@]}" -aes-192-ctr -K ${K32:0:48} -iv ${IV}00 -in "$tmp/in.1000" -out "$out"
    expect_fail "AES-sized -iv for 3DES" "-iv: the IV of des-ede3-cbc must be 8 bytes (16 hex digits); 16 bytes given" \
        "${enc[@]}" -des-ede3-cbc -K ${K32:0:48} -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "-K too short for 3DES" "des-ede3-cbc needs a 24-byte key (48 hex digits); 16 bytes given" \
        "${enc[@]}" -des-ede3-cbc -K $K16 -iv ${IV:0:16} -in "$tmp/in.1000" -out "$out"
    expect_fail "-nopad with a partial DES block" "the input is 1003 bytes, not a multiple of the 8-byte block of des-ecb" \
        "${enc[@]}" -des-ecb -nopad -K ${K16:0:16} -in "$tmp/in.1003" -out "$out"
    expect_fail "-S of 4 bytes" "-S: the salt must be 8 bytes" \
        "${enc[@]}" -aes-128-cbc -k pw -S 01020304 -in "$tmp/in.1000" -out "$out"
    expect_fail "missing -iv for CBC with -K" "-iv is required with -K for aes-128-cbc" \
        "${enc[@]}" -aes-128-cbc -K $K16 -in "$tmp/in.1000" -out "$out"
    expect_fail "missing -iv for CTR with -K" "-iv is required with -K for aes-256-ctr" \
        "${enc[@]}" -aes-256-ctr -K $K32 -in "$tmp/in.1000" -out "$out"
    expect_fail "unknown cipher" "unknown cipher 'aes-512-cbc'; supported: aes-128-ecb" \
        "${enc[@]}" -aes-512-cbc -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "a cipher openssl has and xce has not" "unknown cipher 'aes-128-gcm'; supported:" \
        "${enc[@]}" -aes-128-gcm -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "chacha20" "unknown cipher 'chacha20'; supported:" \
        "${enc[@]}" -chacha20 -K $K32 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "no cipher" "no cipher given" "${enc[@]}" -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "no key and no password" "no key: give -K HEX" \
        "${enc[@]}" -aes-128-cbc -in "$tmp/in.1000" -out "$out"
    expect_fail "-nopad with a partial block (file)" "-nopad: the input is 1000 bytes, not a multiple of the 16-byte block" \
        "${enc[@]}" -aes-128-cbc -nopad -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
    STDIN="$tmp/in.1000" expect_fail "-nopad with a partial block (stdin)" "-nopad: the input is 1000 bytes" \
        "${enc[@]}" -aes-192-ecb -nopad -K ${K32:0:48} -out "$out"
    expect_fail "-nopad decrypt of a partial block" "-nopad: the input is 1000 bytes" \
        "${enc[@]}" -d -aes-128-ecb -nopad -K $K16 -in "$tmp/in.1000" -out "$out"
    expect_fail "input file missing" "cannot open input file '$tmp/nope': No such file or directory" \
        "${enc[@]}" -aes-128-cbc -K $K16 -iv $IV -in "$tmp/nope" -out "$out"
    expect_fail "input is a directory" "cannot read input file '$tmp/adir': Is a directory" \
        "${enc[@]}" -aes-128-cbc -K $K16 -iv $IV -in "$tmp/adir" -out "$out"
    expect_fail "output in a missing directory" "cannot open output file '$tmp/nodir/out'" \
        "${enc[@]}" -aes-128-cbc -K $K16 -iv $IV -in "$tmp/in.1000" -out "$tmp/nodir/out"
    expect_fail "missing argument at the end" "option '-in' needs an argument" \
        "${enc[@]}" -aes-128-cbc -K $K16 -iv $IV -out "$out" -in
    expect_fail "missing -K value before the next option" "option '-K' needs an argument" \
        "${enc[@]}" -aes-128-cbc -K -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "unknown option" "unknown option '-frobnicate'" \
        "${enc[@]}" -aes-128-cbc -frobnicate -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "stray argument" "unexpected argument 'extra'" \
        "${enc[@]}" -aes-128-cbc -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out" extra
    expect_fail "bad -iter" "-iter: '0' is not a positive number" \
        "${enc[@]}" -aes-128-cbc -iter 0 -k pw -in "$tmp/in.1000" -out "$out"
    expect_fail "unknown -md" "-md: unknown message digest 'sha7'" \
        "${enc[@]}" -aes-128-cbc -md sha7 -k pw -in "$tmp/in.1000" -out "$out"
    expect_fail "-pass env: unset" "-pass: environment variable 'XCE_NO_SUCH_VAR' is not set" \
        env -u XCE_NO_SUCH_VAR "${enc[@]}" -aes-128-cbc -pass env:XCE_NO_SUCH_VAR -in "$tmp/in.1000" -out "$out"
    expect_fail "-pass file: missing" "-pass: cannot open password file" \
        "${enc[@]}" -aes-128-cbc -pass file:"$tmp/nope" -in "$tmp/in.1000" -out "$out"
    expect_fail "-pass with an unknown source" "-pass: unsupported source 'fd:3'" \
        "${enc[@]}" -aes-128-cbc -pass fd:3 -in "$tmp/in.1000" -out "$out"
    expect_fail "bad padding on decrypt (wrong key)" "bad decrypt" \
        "${enc[@]}" -d -aes-128-cbc -K ffeeddccbbaa99887766554433221100 -iv $IV -in "$tmp/cbc.enc" -out "$out"
    expect_fail "decrypt of a partial block" "bad decrypt" \
        "${enc[@]}" -d -aes-128-cbc -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
    expect_fail "decrypt of empty input" "bad decrypt" \
        "${enc[@]}" -d -aes-128-ecb -K $K16 -in /dev/null -out "$out"
    expect_fail "wrong password" "bad decrypt" \
        "${enc[@]}" -d -aes-128-cbc -pbkdf2 -pass pass:wrong -in "$tmp/salted.enc" -out "$out"
    expect_fail "password decrypt of a file without Salted__" "bad magic number" \
        "${enc[@]}" -d -aes-128-cbc -pbkdf2 -pass pass:right -in "$tmp/cbc.enc" -out "$out"
    expect_fail "invalid base64 input" "invalid base64 input: unexpected character 0x21 at offset 19" \
        "${enc[@]}" -d -a -aes-128-cbc -K $K16 -iv $IV -in "$tmp/bad.b64" -out "$out"
    expect_fail "hardware policy without an engine" "cannot attach to device 'sw': no xce engine found" \
        "$X" --device sw --policy hardware enc -aes-128-cbc -K $K16 -iv $IV -in "$tmp/in.1000" -out "$out"
}

global_errors() {
    local X=$1
    expect_fail "unknown device" "cannot attach to device 'bogus'" "$X" --device bogus show crypto engine brief
    expect_fail "XCE_DEVICE names the device" "cannot attach to device 'nonesuch'" \
        env XCE_DEVICE=nonesuch "$X" show crypto engine brief
    expect_fail "invalid policy" "invalid policy 'fast' for --policy" "$X" --policy fast show crypto engine brief
    expect_fail "--device without a value" "option '--device' needs an argument" "$X" --device
    expect_fail "unknown global option" "unknown option '--frob'" "$X" --frob show crypto engine brief
    expect_fail "--trace on the sw device" "--trace needs the simulated engine" \
        "$X" --device sw --trace "$tmp/t.vcd" show crypto engine brief
    expect_fail "speed: unknown cipher" "xce speed: unknown cipher 'aes-1-cbc'" "$X" speed aes-1-cbc
}

# IOS words: the marker line must put '^' under the offending word
marker_at() {   # file column(0-based)
    local line
    line=$(grep -n '^ *\^$' "$1" | head -1)
    [ -n "$line" ] && [ "$(sed -n "${line%%:*}p" "$1" | tr -d '\n' | wc -c)" = $(($2 + 1)) ]
}

ios_errors() {
    local X=$1 what cmdline col
    while IFS='|' read -r what cmdline col; do
        # shellcheck disable=SC2086
        expect_fail "argv: $what" "% Invalid input detected at '^' marker." "$X" --device sw $cmdline
        if marker_at "$tmp/stderr" "$col"; then ok "argv: $what: '^' under column $col"
        else not_ok "argv: $what: '^' not under column $col"; sed 's/^/# /' "$tmp/stderr"; fi
    done <<'CASES'
unknown word|show crypto engine foo|19
ambiguous abbreviation|s crypto engine brief|0
unknown word after an abbreviation|sh cry eng confx|11
word after a complete command|show crypto engine brief now|25
wrong second word|test crypto selftest|12
unknown command|frobnicate|0
exec-only word on the command line|exit|0
CASES
    expect_fail "argv: incomplete command" "% Incomplete command." "$X" --device sw show crypto engine

    # exec mode: a failing line reports, the next line still runs
    printf '%s\n' 'show crypto engine brief' '  sh crypto   engin  bogus' 'show crypto engine' \
        'enc -aes-128-cbc -K 0 -iv 00 -in x' "enc -aes-128-cbc -K $K16 -iv $IV -out '$tmp/out'" \
        'show "unterminated' 'test crypto self-test' >"$tmp/cmds"
    STDIN="$tmp/cmds" expect_fail "exec: bad word" "% Invalid input detected at '^' marker." "$X" --device sw
    if marker_at "$tmp/stderr" 21; then ok "exec: '^' under the bad word of the line as typed"
    else not_ok "exec: '^' misplaced"; sed 's/^/# /' "$tmp/stderr"; fi
    for phrase in "xce: line 2: command failed" "% Incomplete command." "xce: line 3: command failed" \
        "-K: odd number of hex digits" "give the input with -in FILE in exec mode" \
        "xce: line 6: unterminated \" quote at column 6"; do
        if grep -qF -- "$phrase" "$tmp/stderr"; then ok "exec: reports \"$phrase\""
        else not_ok "exec: no \"$phrase\""; fi
    done
    if grep -q 'crypto engine name:' "$tmp/stdout" && grep -q '^Self-test passed' "$tmp/stdout"; then
        ok "exec: the commands around the failing ones ran"
    else
        not_ok "exec: good commands did not run"
    fi
}

run_all() {
    local X=$1 tag=$2
    echo "# binary: $X"
    if [ ! -x "$X" ]; then not_ok "$tag$X is not built (make)"; return; fi
    enc_errors "$X"
    global_errors "$X"
    ios_errors "$X"
}

each_xce run_all
no_sanitizer_reports
echo "# $n checks, $failed failed"
[ "$failed" = 0 ]
