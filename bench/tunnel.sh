#!/bin/bash
# bench/tunnel.sh - packets per second through the real tunnel: two xced
# on the software path (--device sw) in two network namespaces this script
# creates (veth 198.51.100.1 <-> 198.51.100.2; behind them 192.0.2.1 and
# 192.0.2.129, TEST-NET addresses on the loopbacks), a UDP blast
# (build/bin/udp_blast) from 192.0.2.1 to 192.0.2.129 for each transform
# set in tunnel mode and each inner packet size, counted at B. The same
# blast over a plain route, no IPsec, is the kernel's ceiling here. B's
# `show crypto ipsec sa` must count at least as many decapsulated packets
# as B received (the traffic did go through the SAs).
#
# Run by `make bench` after xce-bench, whose build/bench/results.json gives
# the library's and the OpenSSL reference's packets per second of the same
# transform and size (bench/README.md). Prints a table, writes
# build/bench/tunnel.json (an array of objects, one per transform and size).
#   QUICK=1    1 s per blast instead of 2
# Needs root (namespaces, TUN, raw sockets), ip, ss, python3; without them
# it says why and exits 0. Exit 1 when the tunnel does not carry the blast.
# Every wait is bounded; a trap removes the namespaces and the daemons.
set -u
cd "$(dirname "$0")/.." || exit 1

XCED=build/bin/xced
XCE=build/bin/xce
BLAST=build/bin/udp_blast
RESULTS=build/bench/results.json
OUT=build/bench/tunnel.json
SECS=2
[ -n "${QUICK:-}" ] && SECS=1
SIZES=(64 512 1400)
# transform set : its slug in results.json (bench_ipsec.c)
TRANSFORMS=("esp-aes esp-sha-hmac:esp-aes128-sha1" "esp-aes 256 esp-sha256-hmac:esp-aes256-sha256"
    "esp-3des esp-sha-hmac:esp-3des-sha1")
NA=xcebn-a-$$
NB=xcebn-b-$$
export XCE_FIRMWARE="${XCE_FIRMWARE:-$PWD/build/firmware/xce-pka.SSA.img}"
export XCE_KEY_STORE="${XCE_KEY_STORE:-$PWD/build/keys/store}"
unset XCE_DEVICE

skip() {
    echo "  tunnel bench skipped: $1"
    exit 0
}
die() {
    echo "tunnel.sh: $*" >&2
    exit 1
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, TUN, raw sockets)"
for c in ip ss python3 timeout; do
    command -v "$c" >/dev/null 2>&1 || skip "needs $c"
done
[ -c /dev/net/tun ] || skip "needs /dev/net/tun"
for b in "$XCED" "$XCE" "$BLAST"; do
    [ -x "$b" ] || die "$b is not built (make bench builds it)"
done

# what the trap undoes: the processes started, the namespaces made, $tmp
tmp=$(mktemp -d)
pids=()
made=()
cleanup() {
    local p ns
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    for ns in "${made[@]}"; do ip netns del "$ns" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "$NA" "$NB"; do
    ip netns add "$ns" 2>/dev/null || skip "cannot create network namespaces"
    made+=("$ns")
done
ina() { ip netns exec "$NA" "$@"; }
inb() { ip netns exec "$NB" "$@"; }
ip link add a0 netns "$NA" type veth peer name b0 netns "$NB" &&
    ip -n "$NA" addr add 198.51.100.1/24 dev a0 && ip -n "$NA" addr add 192.0.2.1/32 dev lo &&
    ip -n "$NB" addr add 198.51.100.2/24 dev b0 && ip -n "$NB" addr add 192.0.2.129/32 dev lo &&
    ip -n "$NA" link set lo up && ip -n "$NA" link set a0 up &&
    ip -n "$NB" link set lo up && ip -n "$NB" link set b0 up ||
    die "could not join the namespaces by a veth pair"

# --- one blast ------------------------------------------------------------------
# blast SIZE: SECS of UDP from 192.0.2.1 (A) to 192.0.2.129 (B), packets of SIZE
# bytes; sets SENT, and RECV BYTES TIME as counted at B. 1 when the tools failed.
blast() {
    local size=$1 port=$((20000 + RANDOM % 20000)) rpid i
    SENT=0 RECV=0 BYTES=0 TIME=0
    # the receiver stops SECS after the first datagram; timeout ends it when none came
    inb timeout $((SECS + 5)) "$BLAST" recv 192.0.2.129 "$port" "$SECS" >"$tmp/recv.out" 2>"$tmp/recv.err" &
    rpid=$!
    pids+=("$rpid")
    for ((i = 0; i < 40; i++)); do
        [ -n "$(inb ss -Hunl "sport = :$port")" ] && break
        sleep 0.05
    done
    if ! ina "$BLAST" send 192.0.2.1 192.0.2.129 "$port" "$size" "$SECS" >"$tmp/send.out" 2>"$tmp/send.err"; then
        sed 's/^/  /' "$tmp/send.err" >&2
        wait "$rpid"
        return 1
    fi
    wait "$rpid"
    read -r SENT <"$tmp/send.out"
    read -r RECV BYTES TIME <"$tmp/recv.out" || { RECV=0 BYTES=0 TIME=0; }
    return 0
}
# record KIND(tunnel|plain) SLUG TSET SIZE DECAPS: the last blast as a line of $tmp/runs
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$SENT" "$RECV" "$BYTES" "$TIME" "$5" \
        >>"$tmp/runs"
}
: >"$tmp/runs"

# --- the ceiling: a plain route each way, no IPsec -------------------------------
ip -n "$NA" route add 192.0.2.128/25 via 198.51.100.2 && ip -n "$NB" route add 192.0.2.0/25 via 198.51.100.1 ||
    die "could not add the plain routes"
for size in "${SIZES[@]}"; do
    blast "$size" || die "plain route, $size bytes: udp_blast failed"
    [ "$RECV" -gt 0 ] || die "plain route, $size bytes: nothing arrived (sent $SENT)"
    record plain - - "$size" -
done
ip -n "$NA" route del 192.0.2.128/25 && ip -n "$NB" route del 192.0.2.0/25 || die "could not remove the plain routes"

# --- the tunnel ---------------------------------------------------------------------
hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
cipher_len() {
    case "$1" in *esp-3des*) echo 24 ;; *"esp-aes 256"*) echo 32 ;; *) echo 16 ;; esac
}
auth_len() {
    case "$1" in *esp-sha256-hmac*) echo 32 ;; *) echo 20 ;; esac
}
# write_cfg SIDE(a|b) TSET: $tmp/SIDE.cfg, tunnel mode between the networks behind,
# manual keys $KEY_AB / $KEY_BA (cipher authenticator) with SPIs 0x1001 / 0x1002
write_cfg() {
    local side=$1 t=$2 me peer ifn mine theirs in out
    if [ "$side" = a ]; then
        me=198.51.100.1 peer=198.51.100.2 ifn=a0 mine=192.0.2.0 theirs=192.0.2.128
        in="4098 cipher $KEY_BA" out="4097 cipher $KEY_AB"
    else
        me=198.51.100.2 peer=198.51.100.1 ifn=b0 mine=192.0.2.128 theirs=192.0.2.0
        in="4097 cipher $KEY_AB" out="4098 cipher $KEY_BA"
    fi
    cat >"$tmp/$side.cfg" <<EOF
hostname bench-$side
crypto ipsec transform-set ts $t
 mode tunnel
crypto map vpn 10 ipsec-manual
 set peer $peer
 set transform-set ts
 match address 101
 set session-key inbound esp $in
 set session-key outbound esp $out
interface Ethernet0
 ip address $me 255.255.255.0
 crypto map vpn
 xce linux-interface $ifn
access-list 101 permit ip $mine 0.0.0.127 $theirs 0.0.0.127
EOF
}
# start_pair: xced --device sw in each namespace; 0 when both sockets are there (15 s at most)
declare -A xced_pid
start_pair() {
    local s ns i
    for s in a b; do
        ns=$NA
        [ "$s" = b ] && ns=$NB
        rm -f "$tmp/$s.sock"
        ip netns exec "$ns" "$XCED" -f "$tmp/$s.cfg" --device sw --socket "$tmp/$s.sock" --foreground \
            2>"$tmp/$s.log" &
        pids+=($!)
        xced_pid[$s]=$!
    done
    for ((i = 0; i < 150; i++)); do
        [ -S "$tmp/a.sock" ] && [ -S "$tmp/b.sock" ] && return 0
        for s in a b; do kill -0 "${xced_pid[$s]}" 2>/dev/null || return 1; done
        sleep 0.1
    done
    return 1
}
# stop_pair: SIGTERM, then SIGKILL after 5 s
stop_pair() {
    local p i
    for p in "${xced_pid[@]}"; do
        kill -TERM "$p" 2>/dev/null
        for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
}
# decaps_b: B's #pkts decaps (the one SA pair)
decaps_b() {
    XCE_CONTROL_SOCKET=$tmp/b.sock "$XCE" show crypto ipsec sa |
        sed -n 's/.*#pkts decaps: \([0-9]*\).*/\1/p' | head -1
}

for entry in "${TRANSFORMS[@]}"; do
    t=${entry%%:*} slug=${entry##*:}
    KEY_AB="$(hex "$(cipher_len "$t")") authenticator $(hex "$(auth_len "$t")")"
    KEY_BA="$(hex "$(cipher_len "$t")") authenticator $(hex "$(auth_len "$t")")"
    write_cfg a "$t"
    write_cfg b "$t"
    if ! start_pair; then
        sed 's/^/  /' "$tmp/a.log" "$tmp/b.log" | head -10 >&2
        die "$t: the two xced did not start"
    fi
    for size in "${SIZES[@]}"; do
        d0=$(decaps_b)
        blast "$size" || die "$t, $size bytes: udp_blast failed"
        d1=$(decaps_b)
        [ -n "$d0" ] && [ -n "$d1" ] || die "$t: show crypto ipsec sa at B has no #pkts decaps"
        [ "$RECV" -gt 0 ] || die "$t, $size bytes: nothing arrived through the tunnel (sent $SENT)"
        [ $((d1 - d0)) -ge "$RECV" ] ||
            die "$t, $size bytes: B received $RECV packets but decapsulated only $((d1 - d0))"
        record tunnel "$slug" "$t" "$size" $((d1 - d0))
    done
    stop_pair
done

# --- the table and build/bench/tunnel.json -----------------------------------------
mkdir -p "$(dirname "$OUT")"
python3 - "$tmp/runs" "$RESULTS" "$OUT" "$SECS" <<'EOF' || die "could not write the table"
import json, os, sys

runs_file, results_file, out_file, secs = sys.argv[1:5]
rows = [line.rstrip("\n").split("\t") for line in open(runs_file)]

bench = {}
if os.path.exists(results_file):
    bench = {r["measure"]: r["value"] for r in json.load(open(results_file))}

def rate(r):
    """(packets/s, Mbit/s of inner IP bytes) received, or (None, None)"""
    pkts, nbytes, t = int(r[5]), int(r[6]), float(r[7])
    if t <= 0:
        return None, None
    return pkts / t, nbytes * 8 / t / 1e6

plain = {int(r[3]): rate(r) for r in rows if r[0] == "plain"}
out = []
for r in rows:
    if r[0] != "tunnel":
        continue
    slug, tset, size = r[1], r[2], int(r[3])
    pps, mbps = rate(r)
    lib = bench.get(f"ipsec.{slug}.{size}.sw.pps")
    ratio = bench.get(f"ipsec.{slug}.{size}.sw.ratio")
    ossl = lib / ratio if lib and ratio else None
    out.append({
        "transform": tset, "slug": slug, "size": size, "seconds": float(secs),
        "sent": int(r[4]), "received": int(r[5]), "decaps": int(r[8]),
        "tunnel_pps": pps, "tunnel_mbps": mbps,
        "library_pps": lib, "openssl_pps": ossl,
        "tunnel_vs_openssl": pps / ossl if pps and ossl else None,
        "plain_route_pps": plain.get(size, (None, None))[0],
        "plain_route_mbps": plain.get(size, (None, None))[1],
    })
with open(out_file, "w") as f:
    f.write("[\n" + ",\n".join("  " + json.dumps(o) for o in out) + "\n]\n")

def num(v, fmt):
    return "-" if v is None else format(v, fmt)

print(f"  tunnel through two xced --device sw, {secs} s blasts, received at B "
      "(library and OpenSSL figures from " + results_file + ")")
print(f"  {'transform':30} {'size':>5} {'tunnel pps':>11} {'Mbit/s':>8} {'library pps':>12} "
      f"{'OpenSSL pps':>12} {'tun/OpenSSL':>11} {'plain pps':>10} {'sent':>10}")
for o in out:
    print(f"  {o['transform']:30} {o['size']:>5} {num(o['tunnel_pps'], '.0f'):>11} "
          f"{num(o['tunnel_mbps'], '.1f'):>8} {num(o['library_pps'], '.0f'):>12} "
          f"{num(o['openssl_pps'], '.0f'):>12} {num(o['tunnel_vs_openssl'], '.4f'):>11} "
          f"{num(o['plain_route_pps'], '.0f'):>10} {o['sent']:>10}")
print(f"  results in {out_file}")
EOF
