#!/bin/bash
# tests/cli/test_show.sh - golden-file test of the IOS views:
#   show crypto engine configuration | brief | accelerator statistic,
#   test crypto self-test
# each run in exec mode after the same fixed workload (enc of a file of
# zeros with fixed keys: engine requests, a request below the crossover,
# a request with "no crypto engine accelerator"), on the simulated engine
# and on --device sw. The simulated engine is deterministic, so even cycle
# counts must match; only the OpenSSL version is normalised to "OpenSSL X".
# The abbreviated forms must print the same as the full words; and a
# smoke test of the shape of `xce speed`'s tables.
#
#   XCE_UPDATE_GOLDEN=1 bash tests/cli/test_show.sh   rewrites tests/golden/
#
# XCE_BIN selects the binary (default build/bin/xce; when unset and
# build/asan/bin/xce exists, it is compared with the goldens as well).
# Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

golden=tests/golden

K128=000102030405060708090a0b0c0d0e0f
K192=000102030405060708090a0b0c0d0e0f1011121314151617
K256=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
IV=f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
head -c 100000 /dev/zero >"$tmp/zeros"
head -c 100 /dev/zero >"$tmp/small"

workload() {
    cat <<EOW
! fixed workload: the same requests every run
enc -aes-128-cbc -K $K128 -iv $IV -in "$tmp/zeros" -out "$tmp/a"
enc -d -aes-128-cbc -K $K128 -iv $IV -in "$tmp/a" -out "$tmp/b"
enc -aes-192-ecb -K $K192 -in "$tmp/zeros" -out "$tmp/c"
# 100 bytes: below the crossover of the auto policy
enc -aes-256-ctr -K $K256 -iv $IV -in "$tmp/small" -out "$tmp/d"
no crypto engine accelerator
enc -aes-128-ctr -K $K128 -iv $IV -in "$tmp/zeros" -out "$tmp/e"
crypto engine accelerator
EOW
}

normalise() { sed -E 's/OpenSSL [0-9][^ ,]*/OpenSSL X/g'; }

# compare DEVICE NAME COMMAND...: workload + COMMAND in exec mode against
# tests/golden/NAME.DEVICE.txt
compare() {
    local dev=$1 name=$2
    shift 2
    local file="$golden/$name.$dev.txt" what="$dev: $*"
    { workload; echo "$*"; } >"$tmp/cmds"
    "$X" --device "$dev" <"$tmp/cmds" >"$tmp/raw" 2>"$tmp/err"
    local rc=$?
    normalise <"$tmp/raw" >"$tmp/out"
    if [ $rc != 0 ] || [ -s "$tmp/err" ]; then
        not_ok "$what: exit status $rc"
        sed 's/^/# /' "$tmp/err" | head -10
        return
    fi
    golden "$what" "$file"
}

# same_output DEVICE FULL ABBREVIATED: the two spellings print the same
same_output() {
    local dev=$1 full=$2 abbr=$3
    { workload; echo "$full"; } | "$X" --device "$dev" >"$tmp/full" 2>&1
    { workload; echo "$abbr"; } | "$X" --device "$dev" >"$tmp/abbr" 2>&1
    if [ -s "$tmp/full" ] && cmp -s "$tmp/full" "$tmp/abbr"; then ok "$dev: '$abbr' prints what '$full' prints"
    else not_ok "$dev: '$abbr' differs from '$full'"; fi
}

run_all() {
    X=$1
    echo "# binary: $X"
    if [ ! -x "$X" ]; then not_ok "$X is not built (make)"; return; fi
    local dev
    for dev in sim sw; do
        compare $dev show-configuration show crypto engine configuration
        compare $dev show-brief show crypto engine brief
        compare $dev show-accelerator-statistic show crypto engine accelerator statistic
        compare $dev test-self-test test crypto self-test
    done
    speed_test
    same_output sim "show crypto engine configuration" "sh cry eng conf"
    same_output sim "show crypto engine accelerator statistic" "show crypto engine accelerator stat"
    same_output sw "show crypto engine brief" "SH CRYPTO ENG BR"
    # a one-shot command from argv (no workload) against the same device
    if "$X" --device sim show crypto engine brief | normalise | cmp -s - "$golden/show-brief.sim.txt"; then
        ok "argv: show crypto engine brief matches the golden file"
    else
        not_ok "argv: show crypto engine brief differs from the golden file"
    fi
}

# xce speed: the table's shape and sane numbers (throughput varies by
# machine, so no golden): one row per cipher with a figure per size, the
# engine/software split under -v, and cycles per block on the sim engine.
speed_test() {
    "$X" --device sim --policy hardware -v speed aes-128-cbc des-ede3-cbc -seconds 0.05 -bytes 4096 \
        >"$tmp/speed" 2>"$tmp/speed.err"
    local rc=$? why=""
    [ $rc = 0 ] || why="exit status $rc"
    grep -q "^type  *4096 bytes$" "$tmp/speed" || why="$why; no header"
    for c in aes-128-cbc des-ede3-cbc; do
        awk -v c=$c '$1 == c && $2 ~ /^[0-9]+\.[0-9][0-9]k$/ && $2 + 0 > 0 { found = 1 } END { exit !found }' \
            "$tmp/speed" || why="$why; no throughput row for $c"
        awk -v c=$c '$1 == c && $2 ~ /^[1-9][0-9]*\/0$/ { found = 1 } END { exit !found }' "$tmp/speed" ||
            why="$why; no engine/software split for $c"
        awk -v c=$c '/cycles per 16-byte block/ { on = 1 } on && $1 == c && $2 + 0 > 1 && $2 + 0 < 1000 { found = 1 }
            END { exit !found }' "$tmp/speed" || why="$why; no cycles per block for $c"
    done
    grep -q "requests on engine, 0 in software" "$tmp/speed.err" || why="$why; no -v summary"
    if [ -z "$why" ]; then ok "speed: table, engine/software split and cycles per block"
    else not_ok "speed:${why#;}"; sed 's/^/# /' "$tmp/speed" "$tmp/speed.err" | head -20; fi
}

run_all "${XCE_BIN:-build/bin/xce}"
if [ -z "${XCE_BIN:-}" ] && [ -z "${XCE_UPDATE_GOLDEN:-}" ] && [ -x build/asan/bin/xce ]; then
    run_all build/asan/bin/xce
fi
no_sanitizer_reports
echo "# $n checks, $failed failed"
[ "$failed" = 0 ]
