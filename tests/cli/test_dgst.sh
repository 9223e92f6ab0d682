#!/bin/bash
# tests/cli/test_dgst.sh - `xce dgst` prints what `openssl dgst` prints.
#
# Every digest, plain and with -hmac (keys shorter and longer than a
# block), on random files whose lengths sit on the padding edges (55, 56,
# 63, 64, 111, 112, 127, 128) and across the 64 KiB read size, on the
# simulated engine under the hardware policy (nothing may fall back); then
# stdin, several files, -r, -c, -binary, -out, exec mode against the
# engine's counters, --device sw, and bad input.
# XCE_BIN selects the binary (default build/bin/xce). Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh
XCE_BIN=${XCE_BIN:-build/bin/xce}

XCE=("$XCE_BIN" --device sim --policy hardware)
lens="0 1 55 56 63 64 111 112 127 128 1500 65536 65601 $(( (RANDOM * 32768 + RANDOM) % 400000 ))"
for len in $lens; do head -c "$len" /dev/urandom >"$tmp/f.$len"; done
files=$(for len in $lens; do printf '%s ' "$tmp/f.$len"; done)
short_key=$(openssl rand -hex 10)
long_key=$(openssl rand -hex 100)    # 200 characters: longer than any block

for alg in md5 sha1 sha224 sha256 sha384 sha512; do
    for key in "" "$short_key" "$long_key"; do
        args=(-"$alg")
        [ -n "$key" ] && args+=(-hmac "$key")
        # shellcheck disable=SC2086
        "${XCE[@]}" dgst "${args[@]}" $files >"$tmp/x" 2>"$tmp/err"
        xr=$?
        # shellcheck disable=SC2086
        openssl dgst "${args[@]}" $files >"$tmp/o"
        what="$alg${key:+ -hmac (${#key}-byte key)} on $(echo $lens | wc -w) files of lengths $lens"
        if [ $xr = 0 ] && cmp -s "$tmp/x" "$tmp/o"; then ok "$what equals openssl"
        else not_ok "$what differs from openssl"; diff "$tmp/x" "$tmp/o" | head -5 | sed 's/^/# /'; sed 's/^/# /' "$tmp/err"; fi
    done
done

f="$tmp/f.1500"
check "stdin, default sha256" cmp -s <("${XCE[@]}" dgst <"$f") <(openssl dgst <"$f")
for opt in -r -c -binary "-sha1 -r" "-md5 -c -hmac k"; do
    # shellcheck disable=SC2086
    check "dgst $opt equals openssl" cmp -s <("${XCE[@]}" dgst $opt "$f") <(openssl dgst $opt "$f")
done
"${XCE[@]}" dgst -sha512 -out "$tmp/out" "$f"
check "-out FILE" cmp -s "$tmp/out" <(openssl dgst -sha512 "$f")

# exec mode: the engine served the hashes (requests counted, none in software)
printf 'dgst -sha256 %s\ndgst -sha1 -hmac k %s\nshow crypto engine accelerator statistic\n' "$tmp/f.65601" "$tmp/f.65601" |
    "${XCE[@]}" >"$tmp/stats" 2>&1
eng=$(sed -n 's/.*[Ss]erved by engine[^0-9]*\([0-9][0-9]*\).*/\1/p' "$tmp/stats" | head -1)
sw=$(sed -n 's/.*[Ss]erved in software[^0-9]*\([0-9][0-9]*\).*/\1/p' "$tmp/stats" | head -1)
check "exec mode: hashes served by the engine (engine ${eng:-?}, software ${sw:-?})" \
    [ "${eng:-0}" -gt 4 ] && [ "${sw:-1}" = 0 ]

check "--device sw equals openssl" cmp -s <("$XCE_BIN" --device sw dgst -sha384 -hmac k "$f") <(openssl dgst -sha384 -hmac k "$f")

"${XCE[@]}" dgst -sha256 "$tmp/missing" >"$tmp/x" 2>"$tmp/err"
check "a missing file: status 1 and its name in the message" [ $? = 1 ] && grep -q missing "$tmp/err"
"${XCE[@]}" dgst -sha999 "$f" >"$tmp/x" 2>"$tmp/err"
check "an unknown option: status 1, 'unknown option'" [ $? = 1 ] && grep -q "unknown option" "$tmp/err"
"${XCE[@]}" dgst -hmac >"$tmp/x" 2>"$tmp/err" </dev/null
check "-hmac without a key: status 1, 'needs an argument'" [ $? = 1 ] && grep -q "needs an argument" "$tmp/err"
check "no sanitizer report" [ -z "$(cat "$tmp"/sanitizer* 2>/dev/null)" ]
echo "1..$n"
[ "$failed" = 0 ]
