#!/usr/bin/env bash
# Lint one RTL family, then build and run its Verilator C++ testbench(es).
# Usage: tests/rtl/build_tb.sh aes|des|hash32|sha512|pka [BUILD_DIR]
#   (default BUILD_DIR: <repo>/build/rtl_tb for aes, <repo>/build/rtl_tb_NAME
#   for the others).  tests/rtl/build_NAME_tb.sh [BUILD_DIR] is the same.
# Every lint run is `verilator --lint-only -Wall`; any output at all
# (warning or error) fails.  Each testbench is built with -O2 -Wall and
# JOBS (default 2) jobs into BUILD_DIR/OBJ_SUBDIR, the Verilator/make output
# going to BUILD_DIR/LOG (its last 40 lines are shown if the build fails).
# Prints PASS/FAIL lines (lint, build, every check of the testbenches, and a
# final "PASS|FAIL build_NAME_tb.sh"); exits non-zero if lint reports
# anything, a build fails, or a test fails.
# Needs Verilator 5 and g++; all but aes link OpenSSL 3's libcrypto (des also
# needs the legacy provider).
set -euo pipefail

usage() {
    echo "usage: $0 aes|des|hash32|sha512|pka [BUILD_DIR]" >&2
    exit 2
}
[ $# -ge 1 ] || usage
TB="$1"
shift

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JOBS="${JOBS:-2}"
VERILATOR="${VERILATOR:-verilator}"

# ----------------------------------------------------------------- the table
# LINT:  "TOP FILES..."                               one lint run per entry
# BUILD: "TOP TB_CPP OBJ_SUBDIR LOG FILES..."         one testbench per entry
# LDFLAGS: extra link flags for every testbench of the family
# FILES are relative to the repository root and may be globs.
case "$TB" in
aes)
    DEFAULT_DIR=build/rtl_tb
    LDFLAGS=()
    core="rtl/aes_core.v rtl/aes_key_expand.v rtl/aes_sbox.v rtl/aes_inv_sbox.v"
    LINT=("aes_core rtl/aes_*.v"
          "aes_stream rtl/aes_*.v")
    BUILD=("aes_core tb_aes_core.cpp core core.build.log $core"
           "aes_stream tb_aes_stream.cpp stream stream.build.log rtl/aes_stream.v $core")
    ;;
des)
    DEFAULT_DIR=build/rtl_tb_des
    LDFLAGS=(-LDFLAGS -lcrypto)
    core="rtl/des_core.v rtl/des_sbox.v"
    LINT=("des_core rtl/des_*.v"
          "des_stream rtl/des_*.v")
    BUILD=("des_core tb_des_core.cpp core core.build.log $core"
           "des_stream tb_des_stream.cpp stream stream.build.log rtl/des_stream.v $core")
    ;;
hash32)
    DEFAULT_DIR=build/rtl_tb_hash32
    LDFLAGS=(-LDFLAGS -lcrypto)
    md5="rtl/md5_core.v rtl/md5_t.v"
    sha1="rtl/sha1_core.v"
    sha256="rtl/sha256_core.v rtl/sha256_k.v"
    pad="rtl/hash_pad.v"
    top="tests/rtl/tb_hash32_top.v $pad $md5 $sha1 $sha256"
    LINT=("md5_core $md5"
          "sha1_core $sha1"
          "sha256_core $sha256"
          "hash_pad $pad"
          "tb_hash32_top $top")
    BUILD=("tb_hash32_top tb_hash32.cpp hash32 hash32.build.log $top")
    ;;
sha512)
    DEFAULT_DIR=build/rtl_tb_sha512
    LDFLAGS=(-LDFLAGS -lcrypto)
    src="rtl/sha512_core.v rtl/sha512_k.v"
    LINT=("sha512_core $src"
          "sha512_k $src")
    BUILD=("sha512_core tb_sha512.cpp obj build.log $src")
    ;;
pka)
    DEFAULT_DIR=build/rtl_tb_pka
    # the microcode encoding comes from the generated register headers
    LDFLAGS=(-LDFLAGS -lcrypto -CFLAGS "-I$ROOT/build/gen")
    src="-Ibuild/gen rtl/pka_top.v rtl/pka_seq.v rtl/pka_mont.v rtl/pka_ram.v"
    LINT=("pka_top $src"
          "pka_seq $src"
          "pka_mont $src"
          "pka_ram $src")
    BUILD=("pka_top tb_pka.cpp obj build.log $src")
    ;;
*)
    usage
    ;;
esac
NAME="build_${TB}_tb.sh"

DIR="${1:-$ROOT/$DEFAULT_DIR}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
cd "$ROOT"

# lint TOP FILES...
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

# build TOP TB_CPP OBJ_SUBDIR LOG FILES...
build() {
    local top="$1" tb="$2" sub="$3" log="$DIR/$4"
    shift 4
    echo "== build $top -> $DIR/$sub"
    if ! "$VERILATOR" --cc --exe --build -O2 -Wall -j "$JOBS" --top-module "$top" \
            "$@" "$ROOT/tests/rtl/$tb" "${LDFLAGS[@]}" -Mdir "$DIR/$sub" > "$log" 2>&1; then
        tail -n 40 "$log"
        echo "FAIL build $top (log: $log)"
        exit 1
    fi
}

# The entries are split into words unquoted on purpose, so globs expand.
for spec in "${LINT[@]}"; do
    # shellcheck disable=SC2086
    lint $spec
done
for spec in "${BUILD[@]}"; do
    # shellcheck disable=SC2086
    build $spec
done

status=0
for spec in "${BUILD[@]}"; do
    read -r top tb sub _ <<< "$spec"
    echo "== run ${tb%.cpp}"
    "$DIR/$sub/V$top" || status=1
done

if [ "$status" -ne 0 ]; then
    echo "FAIL $NAME"
else
    echo "PASS $NAME"
fi
exit "$status"
