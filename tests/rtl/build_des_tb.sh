#!/usr/bin/env bash
# Lint the DES RTL, then build and run the Verilator C++ testbenches
# (tb_des_core.cpp, tb_des_stream.cpp; both compare against OpenSSL, so they
# link with -lcrypto and need libssl-dev and OpenSSL 3's legacy provider).
# Usage: tests/rtl/build_des_tb.sh [BUILD_DIR]   (default: <repo>/build/rtl_tb_des)
# Exits non-zero if lint reports anything, a build fails, or a test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$ROOT/build/rtl_tb_des}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
JOBS="${JOBS:-2}"
VERILATOR="${VERILATOR:-verilator}"

cd "$ROOT"
CORE_SRC=(rtl/des_core.v rtl/des_sbox.v)
STREAM_SRC=(rtl/des_stream.v "${CORE_SRC[@]}")

lint() {
    local top="$1"
    local out
    echo "== lint --top-module $top"
    # any output at all (warning or error) counts as a failure
    if ! out="$("$VERILATOR" --lint-only -Wall rtl/des_*.v --top-module "$top" 2>&1)" || [ -n "$out" ]; then
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
            -LDFLAGS -lcrypto \
            "$@" "$ROOT/tests/rtl/$tb" -Mdir "$DIR/$sub" > "$DIR/$sub.build.log" 2>&1; then
        tail -n 40 "$DIR/$sub.build.log"
        echo "FAIL build $top (log: $DIR/$sub.build.log)"
        exit 1
    fi
}

lint des_core
lint des_stream
build des_core tb_des_core.cpp core "${CORE_SRC[@]}"
build des_stream tb_des_stream.cpp stream "${STREAM_SRC[@]}"

status=0
echo "== run tb_des_core"
"$DIR/core/Vdes_core" || status=1
echo "== run tb_des_stream"
"$DIR/stream/Vdes_stream" || status=1

if [ "$status" -ne 0 ]; then
    echo "FAIL build_des_tb.sh"
else
    echo "PASS build_des_tb.sh"
fi
exit "$status"
