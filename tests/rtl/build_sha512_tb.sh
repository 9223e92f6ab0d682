#!/usr/bin/env bash
# Lint the SHA-512/384 core, then build and run its Verilator C++ testbench
# (tb_sha512.cpp, links OpenSSL libcrypto for the reference digests).
# Usage: tests/rtl/build_sha512_tb.sh [BUILD_DIR]   (default: <repo>/build/rtl_tb_sha512)
# Exits non-zero if lint reports anything, the build fails, or a test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$ROOT/build/rtl_tb_sha512}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
JOBS="${JOBS:-2}"
VERILATOR="${VERILATOR:-verilator}"

cd "$ROOT"
SRC=(rtl/sha512_core.v rtl/sha512_k.v)

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

lint sha512_core
lint sha512_k

echo "== build sha512_core -> $DIR/obj"
if ! "$VERILATOR" --cc --exe --build -O2 -Wall -j "$JOBS" --top-module sha512_core \
        "${SRC[@]}" "$ROOT/tests/rtl/tb_sha512.cpp" -LDFLAGS -lcrypto \
        -Mdir "$DIR/obj" > "$DIR/build.log" 2>&1; then
    tail -n 40 "$DIR/build.log"
    echo "FAIL build sha512_core (log: $DIR/build.log)"
    exit 1
fi

status=0
echo "== run tb_sha512"
"$DIR/obj/Vsha512_core" || status=1

if [ "$status" -ne 0 ]; then
    echo "FAIL build_sha512_tb.sh"
else
    echo "PASS build_sha512_tb.sh"
fi
exit "$status"
