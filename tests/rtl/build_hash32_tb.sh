#!/usr/bin/env bash
# Lint the MD5 / SHA-1 / SHA-256 cores and hash_pad, then build and run the
# Verilator C++ testbench tests/rtl/tb_hash32.cpp (via tests/rtl/tb_hash32_top.v).
# Usage: tests/rtl/build_hash32_tb.sh [BUILD_DIR]   (default: <repo>/build/rtl_tb_hash32)
# Exits non-zero if lint reports anything, the build fails, or a test fails.
# Needs Verilator 5, g++ and the OpenSSL 3 headers/libcrypto (differential test).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${1:-$ROOT/build/rtl_tb_hash32}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
JOBS="${JOBS:-2}"
VERILATOR="${VERILATOR:-verilator}"

cd "$ROOT"
MD5_SRC=(rtl/md5_core.v rtl/md5_t.v)
SHA1_SRC=(rtl/sha1_core.v)
SHA256_SRC=(rtl/sha256_core.v rtl/sha256_k.v)
PAD_SRC=(rtl/hash_pad.v)
TOP_SRC=(tests/rtl/tb_hash32_top.v "${PAD_SRC[@]}" "${MD5_SRC[@]}" "${SHA1_SRC[@]}" "${SHA256_SRC[@]}")

lint() {
    local top="$1"
    shift
    local out
    echo "== lint --top-module $top"
    # any output at all (warning or error) counts as a failure
    if ! out="$("$VERILATOR" --lint-only -Wall "$@" --top-module "$top" 2>&1)" || [ -n "$out" ]; then
        printf '%s\n' "$out"
        echo "FAIL lint $top"
        exit 1
    fi
    echo "PASS lint $top"
}

lint md5_core "${MD5_SRC[@]}"
lint sha1_core "${SHA1_SRC[@]}"
lint sha256_core "${SHA256_SRC[@]}"
lint hash_pad "${PAD_SRC[@]}"
lint tb_hash32_top "${TOP_SRC[@]}"

echo "== build tb_hash32_top -> $DIR/hash32"
if ! "$VERILATOR" --cc --exe --build -O2 -Wall -j "$JOBS" --top-module tb_hash32_top \
        "${TOP_SRC[@]}" "$ROOT/tests/rtl/tb_hash32.cpp" -LDFLAGS -lcrypto \
        -Mdir "$DIR/hash32" > "$DIR/hash32.build.log" 2>&1; then
    tail -n 40 "$DIR/hash32.build.log"
    echo "FAIL build tb_hash32_top (log: $DIR/hash32.build.log)"
    exit 1
fi

status=0
echo "== run tb_hash32"
"$DIR/hash32/Vtb_hash32_top" || status=1

if [ "$status" -ne 0 ]; then
    echo "FAIL build_hash32_tb.sh"
else
    echo "PASS build_hash32_tb.sh"
fi
exit "$status"
