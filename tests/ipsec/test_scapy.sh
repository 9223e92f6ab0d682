#!/bin/bash
# Cross-check of the IPsec datapath with scapy's IPsec implementation
# (Debian package python3-scapy): tests/ipsec/scapy_check.py drives
# build/bin/ipsec_tool both ways. Prints TAP.
set -u
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
if ! $py -c 'import scapy.layers.ipsec' 2>/dev/null; then
    echo "ok 1 # SKIP python3-scapy not installed (apt-get install python3-scapy)"
    exit 0
fi
tool=${BUILD:-build}/bin/ipsec_tool
if [ ! -x "$tool" ]; then
    make --no-print-directory -s "$tool" >/dev/null 2>&1
fi
if [ ! -x "$tool" ]; then
    echo "not ok 1 - $tool not built (make $tool)"
    exit 1
fi
exec $py tests/ipsec/scapy_check.py "$tool" --device "${XCE_IPSEC_DEVICE:-sw}"
