# tests/tap.sh - sourced by the shell tests (from the repository root):
# a private temporary directory removed on exit, sanitizer reports of an
# ASan build sent to files there, $XCE_FIRMWARE defaulting to this tree's
# PKA firmware, and the TAP helpers.
#   ok WHAT / not_ok WHAT        one TAP line each
#   check WHAT COMMAND...        ok when COMMAND succeeds
#   clean FILE...                no sanitizer report in FILE...
#   each_xce FN                  FN BINARY TAG with ${XCE_BIN:-build/bin/xce} and TAG "";
#                                then, when XCE_BIN is unset and build/asan/bin/xce is
#                                built, with that and TAG "asan "
#   no_sanitizer_reports         one TAP line: no run so far left a sanitizer
#                                report in $tmp (else the first 40 lines of them)
#   golden WHAT FILE             one TAP line: $tmp/out is the same as FILE (a diff
#                                when not); with XCE_UPDATE_GOLDEN=1 it writes FILE
# $failed counts the not-ok lines; end a test with [ "$failed" = 0 ].
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}:log_path=$tmp/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}:log_path=$tmp/sanitizer"
# the signed PKA firmware built in this tree and its trust store (tests/run.sh
# sets them too)
export XCE_FIRMWARE="${XCE_FIRMWARE:-$PWD/build/firmware/xce-pka.SSA.img}"
export XCE_KEY_STORE="${XCE_KEY_STORE:-$PWD/build/keys/store}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
clean() { ! grep -q -e 'Sanitizer' -e 'runtime error:' "$@"; }
each_xce() {
    "$1" "${XCE_BIN:-build/bin/xce}" ""
    if [ -z "${XCE_BIN:-}" ] && [ -x build/asan/bin/xce ]; then
        "$1" build/asan/bin/xce "asan "
    fi
}
no_sanitizer_reports() {
    if compgen -G "$tmp/sanitizer*" >/dev/null; then
        not_ok "sanitizer reports"
        cat "$tmp"/sanitizer* | head -40 | sed 's/^/# /'
    else
        ok "no sanitizer report from any run"
    fi
}
golden() {
    local what=$1 file=$2
    if [ -n "${XCE_UPDATE_GOLDEN:-}" ]; then
        cp "$tmp/out" "$file"
        ok "$what: wrote $file"
    elif [ ! -f "$file" ]; then
        not_ok "$what: no golden file $file (XCE_UPDATE_GOLDEN=1 creates it)"
    elif cmp -s "$tmp/out" "$file"; then
        ok "$what matches $file"
    else
        not_ok "$what differs from $file"
        diff -u "$file" "$tmp/out" | head -30 | sed 's/^/# /'
    fi
}
