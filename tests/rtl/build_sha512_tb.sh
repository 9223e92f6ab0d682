#!/usr/bin/env bash
# Lint, build and run the sha512 RTL testbench(es); see build_tb.sh.
# Usage: tests/rtl/build_sha512_tb.sh [BUILD_DIR]
exec "$(dirname "$0")/build_tb.sh" sha512 "$@"
