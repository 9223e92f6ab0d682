#!/usr/bin/env bash
# Lint the public-key accelerator (pka_top, pka_exp, pka_mont, pka_ram), then
# build and run its Verilator C++ testbench (tb_pka.cpp, links OpenSSL
# libcrypto for the BN reference results).
# Usage: tests/rtl/build_pka_tb.sh [BUILD_DIR]   (default: <repo>/build/rtl_tb_pka)
# Exits non-zero if lint reports anything, the build fails, or a test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$ROOT/build/rtl_tb_pka}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
JOBS="${JOBS:-2}"
VERILATOR="${VERILATOR:-verilator}"

cd "$ROOT"
SRC=(rtl/pka_top.v rtl/pka_exp.v rtl/pka_mont.v rtl/pka_ram.v)

lint() {
    local top="$1"
    local out
    echo "== lint --top-module $top"
    # any output at all (warning or error) counts as a failure
    if ! out="$("$VERILATOR" --lint-only -Wall "${SRC[@]}" --top-module "$top" 2>&1)" || [ -n "$out" ]; then
        printf '%s\n' "$out"
        echo "FAIL lint $top"
        exit 1
    fi
    echo "PASS lint $top"
}

lint pka_top
lint pka_exp
lint pka_mont
lint pka_ram

echo "== build pka_top -> $DIR/obj"
if ! "$VERILATOR" --cc --exe --build -O2 -Wall -j "$JOBS" --top-module pka_top \
        "${SRC[@]}" "$ROOT/tests/rtl/tb_pka.cpp" -LDFLAGS -lcrypto \
        -Mdir "$DIR/obj" > "$DIR/build.log" 2>&1; then
    tail -n 40 "$DIR/build.log"
    echo "FAIL build pka_top (log: $DIR/build.log)"
    exit 1
fi

status=0
echo "== run tb_pka"
"$DIR/obj/Vpka_top" || status=1

if [ "$status" -ne 0 ]; then
    echo "FAIL build_pka_tb.sh"
else
    echo "PASS build_pka_tb.sh"
fi
exit "$status"
