#!/bin/bash
# tests/xced/test_datapath.sh - xced's IPsec datapath between two network
# namespaces the test creates (veth 198.51.100.1 <-> 198.51.100.2; behind
# them 192.0.2.1 and 192.0.2.129, TEST-NET addresses on the loopbacks):
#   * for every transform set (esp-des, esp-3des, esp-aes 128/192/256, each
#     with esp-md5-hmac and esp-sha-hmac; esp-aes 256 with esp-sha256-hmac;
#     esp-null; ah-md5-hmac and ah-sha-hmac alone; ah-sha-hmac with esp-aes),
#     in tunnel mode (the networks behind) and transport mode (the peers
#     themselves), and ESP in UDP 4500: two xced with manual keys (fresh
#     random keys each time) carry ping and a TCP transfer whose SHA-256 is
#     compared at both ends; tshark, given the keys, decrypts the captured
#     ESP and finds the ICVs good (AH: dissects it and finds the inner
#     protocol); the views count the packets (encaps on one side = decaps on
#     the other) and list the SAs
#   * attacks on a running pair (esp-aes esp-sha-hmac, tunnel): from A's
#     namespace, tests/xced/inject.py sends copies of a captured packet:
#     replayed, with a flipped ICV bit (sequence number moved ahead and the
#     ICV computed again first, so the bit is its only fault), with an
#     unknown SPI, truncated. Each is dropped once by B (show crypto engine
#     connections dropped-packet), counted where it belongs (the SA's
#     #recv errors; show xced's "no SA for the SPI"), logged as IOS does
#     (%CRYPTO-4-PKT_REPLAY_ERR, RECVD_PKT_MAC_ERR, RECVD_PKT_INV_SPI,
#     RECVD_PKT_INV_PROT), and a ping still crosses the tunnel; the replay
#     is refused by anti-replay, not by the ICV
#   * a hard lifetime of 2560 kilobytes: 2 MiB of TCP cross, the views show
#     what is left; more traffic expires A's outbound SA (connections
#     active: expired; show crypto ipsec sa: EXPIRED), pings fail, xced
#     logs it; clear crypto sa on both sides brings the traffic back with
#     fresh counters
#   * the views of A (show crypto ipsec sa, show crypto engine connections
#     active and dropped-packet) against golden files
#     (tests/golden/xced-dp-*.txt) for a bundle (ah-sha-hmac esp-des
#     esp-sha-hmac) with fixed keys, the seed router wan2511's SPIs and
#     exactly five pings: nothing needs normalising
#   * debug crypto ipsec: show debugging; clear crypto sa logs
#     IPSEC(delete_sa) and IPSEC(create_sa) for every SA (sa_spi= in IOS's
#     0xHEX(DECIMAL) form); undebug all silences them; a bad peer address
#     gets IOS's '^' marker and exit status 1
#   * no sanitizer report (XCED_BIN=build/asan/bin/xced runs the ASan build)
# Needs root (namespaces, TUN, raw sockets), ip, ping, tshark, dumpcap,
# openssl, python3-scapy (inject.py); skips without the first six
# without them. The engine is XCE_DP_DEVICE (default sim, the Verilator
# model). Every wait is bounded; a trap removes the namespaces.
#
#   XCE_UPDATE_GOLDEN=1 bash tests/xced/test_datapath.sh   rewrites the golden files
#   XCE_DP_ONLY=REGEX        only the transform sets matching (NONE: none)
#   XCE_DP_SECTIONS=REGEX    only the sections matching: attacks lifetime golden debug
#   XCED_BIN=PATH            another xced (build/asan/bin/xced)
# Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

XCED=${XCED_BIN:-build/bin/xced}
XCE=build/bin/xce
PY=/usr/bin/python3
DEV=${XCE_DP_DEVICE:-sim}
golden=tests/golden
NA=xcedp-a-$$
NB=xcedp-b-$$
unset XCE_DEVICE

why_skip=""
[ "$(id -u)" = 0 ] || why_skip="needs root"
for c in ip ping tshark dumpcap openssl; do
    command -v "$c" >/dev/null 2>&1 || why_skip="${why_skip:-needs $c}"
done
[ -c /dev/net/tun ] || why_skip="${why_skip:-needs /dev/net/tun}"
if [ -n "$why_skip" ]; then
    echo "1..0 # SKIP $why_skip"
    exit 0
fi

pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    ip netns del "$NA" 2>/dev/null
    ip netns del "$NB" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$NA" && ip netns add "$NB" &&
    ip link add a0 netns "$NA" type veth peer name b0 netns "$NB" &&
    ip -n "$NA" addr add 198.51.100.1/24 dev a0 && ip -n "$NA" link set a0 up && ip -n "$NA" link set lo up &&
    ip -n "$NB" addr add 198.51.100.2/24 dev b0 && ip -n "$NB" link set b0 up && ip -n "$NB" link set lo up &&
    ip -n "$NA" addr add 192.0.2.1/32 dev lo && ip -n "$NB" addr add 192.0.2.129/32 dev lo
check "two namespaces joined by a veth pair" [ $? = 0 ]

ina() { ip netns exec "$NA" "$@"; }
inb() { ip netns exec "$NB" "$@"; }
xa() { XCE_CONTROL_SOCKET=$tmp/a.sock "$XCE" "$@"; }
xb() { XCE_CONTROL_SOCKET=$tmp/b.sock "$XCE" "$@"; }
hex() { openssl rand -hex "$1"; }
quiet() { "$@" >/dev/null 2>&1; }
at_least() { [ "$1" -ge "$2" ]; }
icvs_ok() { [ "$1" -ge 20 ] && [ "$2" = 0 ]; }

# --- configurations ---------------------------------------------------------------
# key sizes in bytes of a transform set's words
cipher_len() {
    case "$1" in
    *esp-des*) echo 8 ;; *esp-3des*) echo 24 ;; *"esp-aes 192"*) echo 24 ;; *"esp-aes 256"*) echo 32 ;;
    *esp-aes*) echo 16 ;; *) echo 0 ;;
    esac
}
esp_auth_len() {
    case "$1" in
    *esp-md5-hmac*) echo 16 ;; *esp-sha256-hmac*) echo 32 ;; *esp-sha-hmac*) echo 20 ;; *) echo 0 ;;
    esac
}
ah_len() {
    case "$1" in *ah-md5-hmac*) echo 16 ;; *ah-sha-hmac*) echo 20 ;; *) echo 0 ;; esac
}
# tshark's names (its esp_sa table)
ts_cipher() {
    case "$1" in
    *esp-des*) echo "DES-CBC [RFC2405]" ;; *esp-3des*) echo "TripleDES-CBC [RFC2451]" ;;
    *esp-aes*) echo "AES-CBC [RFC3602]" ;; *) echo "NULL" ;;
    esac
}
ts_auth() {
    case "$1" in
    *esp-md5-hmac*) echo "HMAC-MD5-96 [RFC2403]" ;; *esp-sha256-hmac*) echo "HMAC-SHA-256-128 [RFC4868]" ;;
    *esp-sha-hmac*) echo "HMAC-SHA-1-96 [RFC2404]" ;; *) echo "NULL" ;;
    esac
}

spi_base=1000
# new_keys TSET: random keys and fresh SPIs for both directions
new_keys() {
    local t=$1 cl al hl
    cl=$(cipher_len "$t") al=$(esp_auth_len "$t") hl=$(ah_len "$t")
    spi_base=$((spi_base + 16))
    SPI_AB=$((spi_base + 1)) SPI_BA=$((spi_base + 2)) AHSPI_AB=$((spi_base + 3)) AHSPI_BA=$((spi_base + 4))
    CK_AB="" CK_BA="" AK_AB="" AK_BA="" HK_AB="" HK_BA=""
    if [ "$cl" != 0 ]; then CK_AB=$(hex "$cl") CK_BA=$(hex "$cl"); fi
    if [ "$al" != 0 ]; then AK_AB=$(hex "$al") AK_BA=$(hex "$al"); fi
    if [ "$hl" != 0 ]; then HK_AB=$(hex "$hl") HK_BA=$(hex "$hl"); fi
}
# esp_key DIR SPI CIPHER AUTH: a session-key line
esp_key() {
    printf ' set session-key %s esp %s' "$1" "$2"
    [ -n "$3" ] && printf ' cipher %s' "$3"
    [ -n "$4" ] && printf ' authenticator %s' "$4"
    printf '\n'
}
# write_cfg SIDE(a|b) TSET MODE EXTRA_MAP_LINES: $tmp/SIDE.cfg
write_cfg() {
    local side=$1 t=$2 mode=$3 extra=$4 me peer ifn in_spi out_spi in_ck out_ck in_ak out_ak in_h out_h
    local in_hspi out_hspi src dst
    if [ "$side" = a ]; then
        me=198.51.100.1 peer=198.51.100.2 ifn=a0
        in_spi=$SPI_BA out_spi=$SPI_AB in_ck=$CK_BA out_ck=$CK_AB in_ak=$AK_BA out_ak=$AK_AB
        in_hspi=$AHSPI_BA out_hspi=$AHSPI_AB in_h=$HK_BA out_h=$HK_AB
        src="192.0.2.0 0.0.0.127" dst="192.0.2.128 0.0.0.127"
        [ "$mode" = transport ] && src="host 198.51.100.1" dst="host 198.51.100.2"
    else
        me=198.51.100.2 peer=198.51.100.1 ifn=b0
        in_spi=$SPI_AB out_spi=$SPI_BA in_ck=$CK_AB out_ck=$CK_BA in_ak=$AK_AB out_ak=$AK_BA
        in_hspi=$AHSPI_AB out_hspi=$AHSPI_BA in_h=$HK_AB out_h=$HK_BA
        src="192.0.2.128 0.0.0.127" dst="192.0.2.0 0.0.0.127"
        [ "$mode" = transport ] && src="host 198.51.100.2" dst="host 198.51.100.1"
    fi
    {
        echo "hostname r$side"
        echo "crypto ipsec transform-set ts $t"
        echo " mode $mode"
        echo "crypto map vpn 10 ipsec-manual"
        echo " set peer $peer"
        echo " set transform-set ts"
        echo " match address 101"
        if [ -n "$in_ck$in_ak" ]; then
            esp_key inbound "$in_spi" "$in_ck" "$in_ak"
            esp_key outbound "$out_spi" "$out_ck" "$out_ak"
        fi
        if [ -n "$in_h" ]; then
            echo " set session-key inbound ah $in_hspi $in_h"
            echo " set session-key outbound ah $out_hspi $out_h"
        fi
        [ -n "$extra" ] && printf '%s\n' "$extra"
        echo "interface Ethernet0"
        echo " ip address $me 255.255.255.0"
        echo " crypto map vpn"
        echo " xce linux-interface $ifn"
        echo "access-list 101 permit ip $src $dst"
    } >"$tmp/$side.cfg"
}

# --- the pair of daemons ------------------------------------------------------------------
# start_pair [XCED ARGS...]: xced in each namespace; 0 when both sockets answer
start_pair() {
    local s ok
    for s in a b; do
        rm -f "$tmp/$s.sock"
        ip netns exec "$( [ $s = a ] && echo "$NA" || echo "$NB")" "$XCED" -f "$tmp/$s.cfg" --device "$DEV" \
            --socket "$tmp/$s.sock" --foreground "$@" 2>"$tmp/$s.log" &
        eval "pid_$s=$!"
        pids+=($!)
    done
    for _ in $(seq 150); do
        ok=1
        for s in a b; do [ -S "$tmp/$s.sock" ] || ok=0; done
        [ $ok = 1 ] && return 0
        kill -0 "$pid_a" 2>/dev/null && kill -0 "$pid_b" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
# stop_pair: SIGTERM, 10 s at most each; 0 when both exited 0
stop_pair() {
    local rc=0 p
    for p in "$pid_a" "$pid_b"; do
        kill -TERM "$p" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null || rc=1
    done
    return $rc
}
capture_start() {
    rm -f "$tmp/cap.pcapng"
    ip netns exec "$NB" dumpcap -q -i b0 -w "$tmp/cap.pcapng" 2>/dev/null &
    cap_pid=$!
    pids+=($cap_pid)
    for _ in $(seq 50); do [ -s "$tmp/cap.pcapng" ] && break; sleep 0.1; done
}
capture_stop() {
    sleep 0.2
    kill -INT "$cap_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$cap_pid" 2>/dev/null || break; sleep 0.1; done
    wait "$cap_pid" 2>/dev/null
}
# tcp_transfer SRC DST BYTES: 0 when the server got what the client sent
tcp_transfer() {
    local src=$1 dst=$2 bytes=$3 port=$((5000 + RANDOM % 1000))
    inb timeout 30 "$PY" tests/xced/tcp_check.py serve "$dst" "$port" >"$tmp/srv.out" 2>"$tmp/srv.err" &
    local spid=$!
    ina timeout 30 "$PY" tests/xced/tcp_check.py send "$src" "$dst" "$port" "$bytes" >"$tmp/cli.out" 2>"$tmp/cli.err"
    local crc=$?
    wait "$spid"
    local src_rc=$?
    [ $crc = 0 ] && [ $src_rc = 0 ] && [ -s "$tmp/cli.out" ] && cmp -s "$tmp/cli.out" "$tmp/srv.out"
}
# counter VIEW_FILE NAME: the number after "#pkts NAME" (or "#NAME")
counter() {
    sed -n "s/.*#$2:\{0,1\} \([0-9]*\).*/\1/p" "$1" | head -1
}

# tshark_esp: the ESP packets A->B decrypted with the keys, ICVs good (count of
# inner packets of protocol $1 in $2)
tshark_esp() {
    local t=$1 filt=$2 c a
    c=$(ts_cipher "$t") a=$(ts_auth "$t")
    local uat="\"IPv4\",\"198.51.100.1\",\"198.51.100.2\",\"$(printf '0x%08X' "$SPI_AB")\",\"$c\",\"0x${CK_AB}\",\"$a\",\"0x${AK_AB}\""
    tshark -r "$tmp/cap.pcapng" -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE \
        -o "uat:esp_sa:$uat" -Y "ip.src==198.51.100.1 && esp && $filt" -T fields -e esp.icv_good -e esp.icv_bad \
        2>/dev/null >"$tmp/tshark.out"
}

# --- every transform, tunnel and transport --------------------------------------------------
transforms=(
    "esp-des esp-md5-hmac" "esp-des esp-sha-hmac" "esp-3des esp-md5-hmac" "esp-3des esp-sha-hmac"
    "esp-aes esp-md5-hmac" "esp-aes esp-sha-hmac" "esp-aes 192 esp-md5-hmac" "esp-aes 192 esp-sha-hmac"
    "esp-aes 256 esp-md5-hmac" "esp-aes 256 esp-sha-hmac" "esp-aes 256 esp-sha256-hmac"
    "esp-null esp-sha-hmac" "ah-md5-hmac" "ah-sha-hmac" "ah-sha-hmac esp-aes esp-sha-hmac"
)

# run_case TSET MODE UDP(0|1): one pair, its traffic and its checks
run_case() {
    local t=$1 mode=$2 udp=$3 tag extra="" src=192.0.2.1 dst=192.0.2.129
    tag="$t, $mode${udp:+}"
    [ "$udp" = 1 ] && tag="$tag, ESP in UDP" && extra=" xce udp-encapsulation"
    [ "$mode" = transport ] && src=198.51.100.1 dst=198.51.100.2
    new_keys "$t"
    write_cfg a "$t" "$mode" "$extra"
    write_cfg b "$t" "$mode" "$extra"
    if ! start_pair; then
        not_ok "$tag: both xced start"
        sed 's/^/# /' "$tmp/a.log" "$tmp/b.log" | head -10
        stop_pair
        return
    fi
    capture_start
    check "$tag: ping $src -> $dst through the SAs" quiet ina ping -c 3 -i 0.2 -W 3 -I "$src" "$dst"
    check "$tag: a TCP transfer of 64 KiB arrives with the same SHA-256" tcp_transfer "$src" "$dst" 65536
    capture_stop
    [ -n "${XCE_DP_KEEP:-}" ] && cp "$tmp/cap.pcapng" "$XCE_DP_KEEP"
    xa show crypto ipsec sa >"$tmp/va" 2>&1
    xb show crypto ipsec sa >"$tmp/vb" 2>&1
    local ea db da eb
    ea=$(counter "$tmp/va" "pkts encaps") db=$(counter "$tmp/vb" "pkts decaps")
    eb=$(counter "$tmp/vb" "pkts encaps") da=$(counter "$tmp/va" "pkts decaps")
    if [ -n "$ea" ] && [ "${ea:-0}" -ge 50 ] && [ "$ea" = "$db" ] && [ "$eb" = "$da" ] && [ "${da:-0}" -ge 20 ]; then
        ok "$tag: show crypto ipsec sa counts the packets (A encaps $ea = B decaps $db, B encaps $eb = A decaps $da)"
    else
        not_ok "$tag: show crypto ipsec sa counts (A encaps '$ea' B decaps '$db' B encaps '$eb' A decaps '$da')"
    fi
    local nsa
    nsa=$(xa show crypto engine connections active | grep -c ' set ')
    local want=2
    case "$t" in ah-*esp-*) want=4 ;; esac
    check "$tag: show crypto engine connections active lists $want SAs" [ "$nsa" = "$want" ]
    case "$t" in
    esp-*)
        tshark_esp "$t" tcp
        local good bad
        good=$(awk '$1 == 1' "$tmp/tshark.out" | wc -l) bad=$(awk '$2 == 1' "$tmp/tshark.out" | wc -l)
        check "$tag: tshark decrypts the captured ESP with the keys (TCP inside, $good good ICVs, $bad bad)" \
            icvs_ok "$good" "$bad"
        ;;
    ah-*esp-*)
        tshark -r "$tmp/cap.pcapng" -Y "ip.src==198.51.100.1 && ah && esp" -T fields -e ah.spi -e esp.spi \
            2>/dev/null | sort -u >"$tmp/tshark.out"
        check "$tag: tshark dissects AH over ESP with the configured SPIs" \
            grep -qx "$(printf '0x%08x\t0x%08x' "$AHSPI_AB" "$SPI_AB")" "$tmp/tshark.out"
        ;;
    ah-*)
        tshark -r "$tmp/cap.pcapng" -Y "ip.src==198.51.100.1 && ah && tcp" -T fields -e ah.spi 2>/dev/null |
            sort -u >"$tmp/tshark.out"
        check "$tag: tshark dissects AH (SPI $AHSPI_AB) and the TCP it protects" \
            grep -qx "$(printf '0x%08x' "$AHSPI_AB")" "$tmp/tshark.out"
        ;;
    esac
    if [ "$udp" = 1 ]; then
        local nu
        nu=$(tshark -r "$tmp/cap.pcapng" -Y "udp.dstport==4500 && esp" 2>/dev/null | wc -l)
        check "$tag: ESP travels in UDP to port 4500 ($nu packets)" at_least "$nu" 20
    fi
    check "$tag: both xced exit 0 on SIGTERM" stop_pair
}

# XCE_DP_ONLY=REGEX runs the cases whose transform set matches
for t in "${transforms[@]}"; do
    [[ "$t" =~ ${XCE_DP_ONLY:-.} ]] || continue
    run_case "$t" tunnel 0
    run_case "$t" transport 0
done
if [ -z "${XCE_DP_ONLY:-}" ]; then
    run_case "esp-aes esp-sha-hmac" tunnel 1
    run_case "esp-3des esp-md5-hmac" transport 1
fi

# --- helpers of the sections below ---------------------------------------------------------------
# wait_until SECONDS COMMAND...: COMMAND every 0.1 s until it succeeds; 0 when it did in time
wait_until() {
    local i n=$(($1 * 10))
    shift
    for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.1; done
    "$@"
}
# pair_up TAG TSET MODE [EXTRA_MAP_LINES]: both configurations written (keys as they are) and
# both xced started; not ok (and the logs) when they do not start
pair_up() {
    write_cfg a "$2" "$3" "${4:-}"
    write_cfg b "$2" "$3" "${4:-}"
    start_pair && return 0
    not_ok "$1: both xced start"
    sed 's/^/# /' "$tmp/a.log" "$tmp/b.log" | head -10
    stop_pair
    return 1
}
# dropped SIDE: the Drop Count of Ethernet0 in show crypto engine connections dropped-packet
# (0 when it is not listed)
dropped() { "x$1" show crypto engine connections dropped-packet | awk '$1 == "Ethernet0" { n = $3 } END { print n + 0 }'; }
dropped_is() { [ "$(dropped "$1")" = "$2" ]; }
# no_sa SIDE: show xced's count of packets dropped for "no SA for the SPI"
no_sa() { "x$1" show xced | awk '/^ *dropped: .* no SA for the SPI$/ { n = $2 } END { print n + 0 }'; }
# recv_errors SIDE: #recv errors in show crypto ipsec sa
recv_errors() {
    "x$1" show crypto ipsec sa >"$tmp/v_$1"
    counter "$tmp/v_$1" "recv errors"
}
# log_count SIDE PATTERN: lines of the side's log with PATTERN (fixed string)
log_count() { grep -cF -- "$2" "$tmp/$1.log"; }
log_more() { [ "$(log_count "$1" "$2")" -gt "$3" ]; }
# remaining_k FILE: the remaining kilobytes of the first outbound esp SA of show crypto ipsec sa
remaining_k() {
    awk '/outbound esp sas:/ { o = 1 } o && /remaining key lifetime/ { sub(/.*\(k\/sec\): \(/, ""); sub(/\/.*/, ""); print; exit }' "$1"
}
# state_of_encrypting FILE: the State of the SAs of show crypto engine connections active
# that have encrypted something (the outbound ones)
state_of_encrypting() { awk 'NR > 1 && $(NF - 1) > 0 { print $4 }' "$1" | sort -u; }
# udp_push COUNT: COUNT datagrams of 1400 bytes from 192.0.2.1 to 192.0.2.129 port 9, one a millisecond
udp_push() {
    ina timeout 10 "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.1", 0))
for i in range(int(sys.argv[1])):
    try:
        s.sendto(bytes(1400), ("192.0.2.129", 9))
    except OSError:
        pass
    time.sleep(0.001)' "$1"
}
ping_tunnel() { quiet ina ping -c "${1:-3}" -i 0.2 -W 2 -I 192.0.2.1 192.0.2.129; }
sections=${XCE_DP_SECTIONS:-.}

# --- attacks on a running pair ---------------------------------------------------------------------
# One forged ESP packet at a time from A's namespace; B must drop it, count it once, say why, log
# the IOS message, and go on carrying traffic.
attack() {
    local kind=$1 log_pat=$2 tag="attack: $3" d0 e0 s0 l0 m0 dec0 seq
    d0=$(dropped b) e0=$(recv_errors b) s0=$(no_sa b) l0=$(log_count b "$log_pat")
    m0=$(log_count b "%CRYPTO-4-RECVD_PKT_MAC_ERR") dec0=$(counter "$tmp/v_b" "pkts decaps")
    local extra=()
    [ "$kind" = icv ] && extra=(sha1 "$AK_AB")
    if ! seq=$(ina timeout 20 "$PY" tests/xced/inject.py "$tmp/cap.pcapng" 198.51.100.1 "$SPI_AB" "$kind" "${extra[@]}" \
        2>"$tmp/inject.err"); then
        not_ok "$tag: inject.py sends it"
        sed 's/^/# /' "$tmp/inject.err"
        return
    fi
    check "$tag: B's dropped-packet count for Ethernet0 goes from $d0 to $((d0 + 1))" \
        wait_until 3 dropped_is b $((d0 + 1))
    if [ "$kind" = spi ]; then
        local s1 e1
        s1=$(no_sa b) e1=$(recv_errors b)
        check "$tag: show xced counts it as no SA for the SPI ($s0 -> $s1), no SA's #recv errors ($e0 -> $e1)" \
            eval '[ "$s1" = $((s0 + 1)) ] && [ "$e1" = "$e0" ]'
    else
        local e1 s1
        e1=$(recv_errors b) s1=$(no_sa b)
        check "$tag: the SA's #recv errors in show crypto ipsec sa goes from $e0 to $((e0 + 1)) (no SA drops: $s1)" \
            eval '[ "$e1" = $((e0 + 1)) ] && [ "$s1" = "$s0" ]'
        check "$tag: nothing delivered (#pkts decaps stays $dec0)" [ "$(counter "$tmp/v_b" "pkts decaps")" = "$dec0" ]
    fi
    check "$tag: B logs $log_pat" wait_until 3 log_more b "$log_pat" "$l0"
    if [ "$kind" = replay ]; then
        check "$tag: rejected by anti-replay (sequence number=$seq), not by the ICV" \
            eval 'grep -q -- "%CRYPTO-4-PKT_REPLAY_ERR: .*sequence number=$seq\$" "$tmp/b.log" &&
                  [ "$(log_count b %CRYPTO-4-RECVD_PKT_MAC_ERR)" = "$m0" ]'
    fi
    check "$tag: a ping through the tunnel still works" ping_tunnel 2
    check "$tag: the ping adds no drop (still $((d0 + 1)))" dropped_is b $((d0 + 1))
}

if [[ attacks =~ $sections ]]; then
    t="esp-aes esp-sha-hmac"
    new_keys "$t"
    if pair_up attack "$t" tunnel; then
        capture_start
        check "attack: ping through the tunnel while capturing" ping_tunnel 3
        capture_stop
        attack replay "%CRYPTO-4-PKT_REPLAY_ERR" "a replayed packet"
        attack icv "%CRYPTO-4-RECVD_PKT_MAC_ERR" "a flipped ICV bit"
        attack spi "%CRYPTO-4-RECVD_PKT_INV_SPI" "an unknown SPI"
        attack trunc "%CRYPTO-4-RECVD_PKT_INV_PROT" "a truncated packet"
        check "attack: A dropped nothing" dropped_is a 0
        check "attack: both xced exit 0 on SIGTERM" stop_pair
    fi
fi

# --- a hard lifetime in kilobytes -----------------------------------------------------------------------
if [[ lifetime =~ $sections ]]; then
    t="esp-aes esp-sha-hmac"
    new_keys "$t"
    if pair_up lifetime "$t" tunnel " set security-association lifetime kilobytes 2560"; then
        check "lifetime: a TCP transfer of 2 MiB within the 2560 kB lifetime arrives whole" \
            tcp_transfer 192.0.2.1 192.0.2.129 2097152
        xa show crypto ipsec sa >"$tmp/va"
        k=$(remaining_k "$tmp/va")
        check "lifetime: show crypto ipsec sa: A's outbound SA has ${k:-?} of 2560 kB left" \
            eval '[ -n "$k" ] && [ "$k" -gt 0 ] && [ "$k" -lt 2560 ]'
        # more than is left, one way (UDP to the discard port, 280 kB a round) until A's outbound SA
        # expires: a TCP transfer would stall, but its orphaned socket would go on retransmitting
        # after clear crypto sa and spoil the fresh counters below
        for _ in 1 2 3 4 5 6 7 8; do
            udp_push 200
            xa show crypto engine connections active >"$tmp/ca"
            [ "$(state_of_encrypting "$tmp/ca")" = expired ] && break
        done
        check "lifetime: show crypto engine connections active: A's outbound SA is expired" \
            [ "$(state_of_encrypting "$tmp/ca")" = expired ]
        xa show crypto ipsec sa >"$tmp/va"
        check "lifetime: show crypto ipsec sa: no kilobytes left, Status: EXPIRED" \
            eval '[ "$(remaining_k "$tmp/va")" = 0 ] && grep -q "Status: EXPIRED" "$tmp/va"'
        check "lifetime: a ping fails" eval '! ping_tunnel 2'
        check "lifetime: A logs that the outbound SA reached its hard lifetime" \
            wait_until 3 log_more a "vpn 10: outbound SA spi $(printf '0x%X' "$SPI_AB") (esp-aes esp-sha-hmac, conn id 2) reached its hard lifetime" 0
        check "lifetime: clear crypto sa on both sides" eval 'xa clear crypto sa && xb clear crypto sa'
        check "lifetime: a ping works again" ping_tunnel 3
        xa show crypto ipsec sa >"$tmp/va"
        xa show crypto engine connections active >"$tmp/ca"
        check "lifetime: fresh counters (3 encaps, 3 decaps, $(remaining_k "$tmp/va") kB left), state set" \
            eval '[ "$(counter "$tmp/va" "pkts encaps")" = 3 ] && [ "$(counter "$tmp/va" "pkts decaps")" = 3 ] &&
                  [ "$(remaining_k "$tmp/va")" -ge 2555 ] && [ "$(state_of_encrypting "$tmp/ca")" = set ]'
        check "lifetime: both xced exit 0 on SIGTERM" stop_pair
    fi
fi

# --- the views against golden files ----------------------------------------------------------------------
# Fixed keys, and the SPIs of the IOS seed router wan2511 (A) and its peer wan2516 (B), a bundle like
# theirs; exactly five pings cross the tunnel (the TUN device has no IPv6, and ARP is not IPsec), so
# every counter is known. Nothing is normalised: manual SAs have no lifetime ("no sa timing") and the
# connection ids start at 1 in a fresh xced.
if [[ golden =~ $sections ]]; then
    t="ah-sha-hmac esp-des esp-sha-hmac"
    SPI_AB=52830995 SPI_BA=421859631 AHSPI_AB=6694349 AHSPI_BA=302321106
    CK_AB=0123456789abcdef CK_BA=fedcba9876543210
    AK_AB=00112233445566778899aabbccddeeff00112233 AK_BA=ffeeddccbbaa99887766554433221100ffeeddcc
    HK_AB=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c HK_BA=f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3
    if pair_up golden "$t" tunnel; then
        check "golden: ping -c 5 through the bundle" quiet ina ping -c 5 -i 0.2 -W 3 -I 192.0.2.1 192.0.2.129
        xa show crypto ipsec sa >"$tmp/out" 2>&1
        golden "golden: show crypto ipsec sa" "$golden/xced-dp-ipsec-sa.txt"
        xa show crypto engine connections active >"$tmp/out" 2>&1
        golden "golden: show crypto engine connections active" "$golden/xced-dp-connections.txt"
        xa show crypto engine connections dropped-packet >"$tmp/out" 2>&1
        golden "golden: show crypto engine connections dropped-packet" "$golden/xced-dp-dropped.txt"
        check "golden: both xced exit 0 on SIGTERM" stop_pair
    fi
fi

# --- debug crypto ipsec ------------------------------------------------------------------------------------
# sa_line FN DEST PROT SPI: the part of an IPSEC(FN) line that names the SA, as IOS prints it
sa_line() { printf 'IPSEC(%s): %s, (sa) sa_dest= %s, sa_prot= %s, sa_spi= 0x%X(%u), ' "$1" "$2" "$3" "$4" "$5" "$5"; }
# all_sa_lines FN WHAT: A's log has the line for each of the four SAs of the bundle
all_sa_lines() {
    grep -qF -- "$(sa_line "$1" "$2" 198.51.100.1 51 "$AHSPI_BA")" "$tmp/a.log" &&
        grep -qF -- "$(sa_line "$1" "$2" 198.51.100.2 51 "$AHSPI_AB")" "$tmp/a.log" &&
        grep -qF -- "$(sa_line "$1" "$2" 198.51.100.1 50 "$SPI_BA")" "$tmp/a.log" &&
        grep -qF -- "$(sa_line "$1" "$2" 198.51.100.2 50 "$SPI_AB")" "$tmp/a.log"
}
if [[ debug =~ $sections ]]; then
    t="ah-sha-hmac esp-aes esp-sha-hmac"
    new_keys "$t"
    if pair_up debug "$t" tunnel; then
        check "debug: a ping through the bundle" ping_tunnel 2
        check "debug: nothing logged as IPSEC( before debug crypto ipsec" [ "$(log_count a "IPSEC(")" = 0 ]
        check "debug: debug crypto ipsec says it is on" eval '[ "$(xa debug crypto ipsec)" = "Crypto IPSEC debugging is on" ]'
        check "debug: show debugging says it is on" eval 'xa show debugging | grep -qx "  Crypto IPSEC debugging is on"'
        check "debug: clear crypto sa on both sides" eval 'xa clear crypto sa && xb clear crypto sa'
        check "debug: IPSEC(delete_sa) for each of the 4 SAs, sa_spi= 0x...(decimal)" all_sa_lines delete_sa "deleting SA"
        check "debug: IPSEC(create_sa) for each of the 4 SAs" all_sa_lines create_sa "sa created"
        all_sa_lines delete_sa "deleting SA" && all_sa_lines create_sa "sa created" ||
            grep -F "IPSEC(" "$tmp/a.log" | head -12 | sed 's/^/# /'
        check "debug: 4 IPSEC(initialize_sas) lines" [ "$(log_count a "IPSEC(initialize_sas): ")" = 4 ]
        check "debug: a ping through the new SAs" ping_tunnel 2
        check "debug: undebug all" eval '[ "$(xa undebug all)" = "All possible debugging has been turned off" ]'
        check "debug: show debugging says nothing of IPSEC" eval '! xa show debugging | grep -q IPSEC'
        n_ipsec=$(log_count a "IPSEC(") n_clear=$(log_count a "clear crypto sa: ")
        check "debug: clear crypto sa again" xa clear crypto sa
        check "debug: ... which xced logs" wait_until 3 log_more a "clear crypto sa: " "$n_clear"
        check "debug: ... and no IPSEC( line" [ "$(log_count a "IPSEC(")" = "$n_ipsec" ]
        xa clear crypto sa peer 300.1.1.1 >"$tmp/out" 2>&1
        rc=$?
        bad="clear crypto sa peer "
        printf '%s300.1.1.1\n%*s^\n%% Invalid input detected at '"'"'^'"'"' marker.\n' "$bad" ${#bad} "" >"$tmp/want"
        check "debug: clear crypto sa peer 300.1.1.1: exit status 1 ($rc), the '^' under 300" \
            eval '[ "$rc" = 1 ] && cmp -s "$tmp/want" "$tmp/out"'
        [ "$rc" = 1 ] && cmp -s "$tmp/want" "$tmp/out" || sed 's/^/# /' "$tmp/out"
        check "debug: both xced exit 0 on SIGTERM" stop_pair
    fi
fi

no_sanitizer_reports

[ "$failed" = 0 ]
