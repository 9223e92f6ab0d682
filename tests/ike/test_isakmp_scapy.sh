#!/bin/bash
# Cross-check of the ISAKMP codec (sw/ike) with scapy's ISAKMP layer
# (Debian package python3-scapy): tests/ike/scapy_check.py drives
# build/bin/isakmp_tool both ways (scapy builds, C parses; C builds, scapy
# parses). Prints TAP.
set -u
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
if ! $py -c 'import scapy.layers.isakmp' 2>/dev/null; then
    echo "ok 1 # SKIP python3-scapy not installed (apt-get install python3-scapy)"
    exit 0
fi
tool=${BUILD:-build}/bin/isakmp_tool
if [ ! -x "$tool" ]; then
    make --no-print-directory -s "$tool" >/dev/null 2>&1
fi
if [ ! -x "$tool" ]; then
    echo "not ok 1 - $tool not built (make $tool)"
    exit 1
fi
exec $py -B tests/ike/scapy_check.py "$tool"
