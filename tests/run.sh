#!/bin/bash
# Runs every test and prints the total as "N passed, N failed".
#
# Every test speaks TAP: one "ok N - what" or "not ok N - what" line per
# check. A test that exits non-zero without printing a "not ok" line (a
# crash, a sanitizer report) counts as one failure of its own.
#   build/tests/*        C tests (driver, model, faults)
#   build/asan/tests/*   the same under AddressSanitizer + UBSan
#   tests/*/test_*.sh    shell tests of the programs (CLI, show, pci probe)
#   RTL testbenches      tests/rtl/build_*_tb.sh (they print PASS/FAIL lines)
# Logs: build/test-logs/NAME.log
set -u
cd "$(dirname "$0")/.."
logs=build/test-logs
mkdir -p "$logs"
passed=0 failed=0
failed_names=()

run() {   # name, command...
    local name=$1; shift
    local log="$logs/$name.log"
    local start=$SECONDS
    timeout 900 "$@" >"$log" 2>&1
    local rc=$?
    local ok nok
    ok=$(grep -c '^ok ' "$log")
    nok=$(grep -c '^not ok ' "$log")
    if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
        nok=1
        echo "not ok - $name exited with status $rc" >>"$log"
    fi
    passed=$((passed + ok)); failed=$((failed + nok))
    printf '%-40s %4d passed %4d failed  %3ds\n' "$name" "$ok" "$nok" $((SECONDS - start))
    if [ "$nok" -ne 0 ]; then
        failed_names+=("$name")
        grep '^not ok' "$log" | head -20 | sed 's/^/    /'
    fi
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
# the signed PKA firmware of this tree and the trust store that verifies it
# (an installed libxce finds its own)
export XCE_FIRMWARE=$PWD/build/firmware/xce-pka.SSA.img
export XCE_KEY_STORE=$PWD/build/keys/store
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# RTL testbenches print PASS/FAIL lines; read them as TAP
for tb in aes des sha512 hash32 pka; do
    [ -f tests/rtl/build_${tb}_tb.sh ] || continue
    run rtl_${tb}_testbenches bash -o pipefail -c \
        "tests/rtl/build_${tb}_tb.sh build/rtl_tb_${tb} | sed -u 's/^PASS /ok - /; s/^FAIL /not ok - /'"
done
run rtl_lint bash -o pipefail -c 'make --no-print-directory lint Q= | sed -u "s/^  LINT    rtl clean/ok - verilator --lint-only -Wall clean for xce_top/"'
for t in build/tests/*; do
    [ -x "$t" ] && run "$(basename "$t")" "$t"
done
for t in build/asan/tests/*; do
    [ -x "$t" ] && run "asan.$(basename "$t")" "$t"
done
for t in tests/*/test_*.sh; do
    [ -f "$t" ] && run "$(basename "$(dirname "$t")").$(basename "$t" .sh)" bash "$t"
done

echo
if [ ${#failed_names[@]} -ne 0 ]; then
    echo "failed: ${failed_names[*]} (logs in $logs/)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
