#!/usr/bin/env bash
# Lint, build and run the pka RTL testbench(es); see build_tb.sh.
# Usage: tests/rtl/build_pka_tb.sh [BUILD_DIR]
exec "$(dirname "$0")/build_tb.sh" pka "$@"
