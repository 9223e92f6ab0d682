#!/usr/bin/env bash
# Lint, build and run the des RTL testbench(es); see build_tb.sh.
# Usage: tests/rtl/build_des_tb.sh [BUILD_DIR]
exec "$(dirname "$0")/build_tb.sh" des "$@"
