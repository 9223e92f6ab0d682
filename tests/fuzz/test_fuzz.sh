#!/bin/bash
# Runs each libFuzzer target (built by `make fuzz` with clang) for a
# bounded number of inputs from its seed corpus; a crash, a sanitizer
# report or a violated property fails. Prints TAP.
set -u
cd "$(dirname "$0")/../.."
runs=${XCE_FUZZ_RUNS:-500000}
n=0
# per target: the longest input, and the share of the runs (the targets that
# parse keys and check signatures run 1,000-5,000 inputs a second, not 100,000s)
for t in hex tokenize b64 completion fw_image keystore image trust ipsec_in xced_config xced_ctl xced_answer isakmp; do
    n=$((n + 1))
    bin=build/fuzz/fuzz_$t
    maxlen=512 share=1
    case $t in
    fw_image) maxlen=2048 ;;           # the largest valid image is 1376 bytes
    keystore) maxlen=4096 share=3 ;;   # a store with a few keys
    image) maxlen=2048 share=3 ;;
    trust) maxlen=4096 share=10 ;;
    xced_config) maxlen=4096 share=2 ;;   # a router configuration file
    ipsec_in) maxlen=1600 share=3 ;;   # one MTU-sized packet; an SA made per try
    xced_ctl) maxlen=2048 share=2 ;;   # a request over the socket; ~25,000 a second
    xced_answer) maxlen=2048 ;;        # ~50,000 a second
    isakmp) maxlen=4096 ;;             # an IKE message with a certificate; ~100,000 a second
    esac
    work=$(mktemp -d)
    cp tests/fuzz/corpus/$t/* "$work/" 2>/dev/null
    if [ ! -x "$bin" ]; then
        echo "not ok $n - fuzz_$t: not built (make fuzz)"
    elif timeout 300 "$bin" -runs=$((runs / share)) -max_len="$maxlen" -seed=1 "$work" >"$work.log" 2>&1; then
        echo "ok $n - fuzz_$t: $(grep -o 'Done [0-9]* runs' "$work.log" | head -1), no crash"
    else
        echo "not ok $n - fuzz_$t: see below"
        tail -30 "$work.log" | sed 's/^/# /'
    fi
    rm -rf "$work" "$work.log"
done
