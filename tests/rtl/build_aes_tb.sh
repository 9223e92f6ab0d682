#!/usr/bin/env bash
# Lint, build and run the aes RTL testbench(es); see build_tb.sh.
# Usage: tests/rtl/build_aes_tb.sh [BUILD_DIR]
exec "$(dirname "$0")/build_tb.sh" aes "$@"
