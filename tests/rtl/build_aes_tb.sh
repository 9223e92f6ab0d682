#!/usr/bin/env bash
# Lint the AES RTL, then build and run the Verilator C++ testbenches.
# Usage: tests/rtl/build_aes_tb.sh [BUILD_DIR]   (default: <repo>/build/rtl_tb)
# Exits non-zero if lint reports anything, a build fails, or a test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$ROOT/build/rtl_tb}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
JOBS="${JOBS:-2}"
VERILATOR="${VERILATOR:-verilator}"

cd "$ROOT"
CORE_SRC=(rtl/aes_core.v rtl/aes_key_expand.v rtl/aes_sbox.v rtl/aes_inv_sbox.v)
STREAM_SRC=(rtl/aes_stream.v "${CORE_SRC[@]}")

lint() {
    local top="$1"
    local out
    echo "== lint --top-module $top"
    # any output at all (warning or error) counts as a failure
    if ! out="$("$VERILATOR" --lint-only -Wall rtl/aes_*.v --top-module "$top" 2>&1)" || [ -n "$out" ]; then
        printf '%s\n' "$out"
        echo "FAIL lint $top"
        exit 1
    fi
    echo "PASS lint $top"
}

build() {
    local top="$1" tb="$2" sub="$3"
    shift 3
    echo "== build $top -> $DIR/$sub"
    if ! "$VERILATOR" --cc --exe --build -O2 -Wall -j "$JOBS" --top-module "$top" \
            "$@" "$ROOT/tests/rtl/$tb" -Mdir "$DIR/$sub" > "$DIR/$sub.build.log" 2>&1; then
        tail -n 40 "$DIR/$sub.build.log"
        echo "FAIL build $top (log: $DIR/$sub.build.log)"
        exit 1
    fi
}

lint aes_core
lint aes_stream
build aes_core tb_aes_core.cpp core "${CORE_SRC[@]}"
build aes_stream tb_aes_stream.cpp stream "${STREAM_SRC[@]}"

status=0
echo "== run tb_aes_core"
"$DIR/core/Vaes_core" || status=1
echo "== run tb_aes_stream"
"$DIR/stream/Vaes_stream" || status=1

if [ "$status" -ne 0 ]; then
    echo "FAIL build_aes_tb.sh"
else
    echo "PASS build_aes_tb.sh"
fi
exit "$status"
