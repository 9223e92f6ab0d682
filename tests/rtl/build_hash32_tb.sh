#!/usr/bin/env bash
# Lint, build and run the hash32 RTL testbench(es); see build_tb.sh.
# Usage: tests/rtl/build_hash32_tb.sh [BUILD_DIR]
exec "$(dirname "$0")/build_tb.sh" hash32 "$@"
