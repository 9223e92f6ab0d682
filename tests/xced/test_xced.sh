#!/bin/bash
# tests/xced/test_xced.sh - the daemon xced and its control socket:
#   * for each configuration of tests/xced/input/: xced starts on it
#     (--device sim, a socket in a temporary directory, --foreground);
#     `xce show running-config` through the socket equals the canonical
#     tests/xced/NAME.cfg; `show crypto map`, `show crypto ipsec
#     transform-set`, `show crypto ipsec security-association lifetime`,
#     `show crypto isakmp policy` and `show crypto isakmp key` (ike.cfg:
#     also `show crypto isakmp profile`, `show crypto call admission
#     statistics`) equal tests/golden/xced-*.NAME.txt
#   * the type 6 key format checked against Python (hashlib, cryptography)
#   * the engine views are answered by the daemon (its device), --no-daemon
#     and --device keep xce on its own engine, a missing socket changes
#     nothing
#   * a bad configuration: exit 1 with FILE:LINE; SIGHUP with a changed
#     configuration, then with a broken one (refused, the old one kept);
#     malformed and oversized requests refused and counted; socket mode
#     0660; SIGTERM: exit 0, the socket removed; detached start with
#     --pidfile
# Runs build/bin/xced, then build/asan/bin/xced when built (XCED_BIN
# selects one binary). Every wait is bounded; a trap kills what is left.
#
#   XCE_UPDATE_GOLDEN=1 bash tests/xced/test_xced.sh   rewrites the golden files
# Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

XCE=build/bin/xce
PY=/usr/bin/python3
golden=tests/golden
pids=()
stop_all() {
    local p
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
}
trap 'stop_all; rm -rf "$tmp"' EXIT
unset XCE_DEVICE

# start XCED CFG [ARGS...]: xced in the foreground, socket $tmp/sock; sets $xpid.
# 0 when the socket appears within 10 s.
start() {
    local bin=$1 cfg=$2
    shift 2
    rm -f "$tmp/sock"
    "$bin" -f "$cfg" --device sim --socket "$tmp/sock" --foreground "$@" 2>"$tmp/xced.log" &
    xpid=$!
    pids+=("$xpid")
    for _ in $(seq 100); do
        [ -S "$tmp/sock" ] && return 0
        kill -0 "$xpid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
# refused_with XCED MASTER_KEY_FILE REGEX: xced on the canonical ike.cfg exits 1
# and says REGEX on stderr
refused_with() {
    timeout 20 "$1" -f tests/xced/ike.cfg --master-key-file "$2" --device sim --socket "$tmp/sock" \
        --foreground 2>"$tmp/err"
    [ $? = 1 ] && grep -q "$3" "$tmp/err"
}
# stop: SIGTERM, at most 10 s; the exit status in $xrc
stop() {
    kill -TERM "$xpid" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "$xpid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$xpid" 2>/dev/null
    wait "$xpid" 2>/dev/null
    xrc=$?
}
# x ARGS...: xce through the socket, output in $tmp/out, $tmp/err
x() { XCE_CONTROL_SOCKET="$tmp/sock" timeout 30 "$XCE" "$@" >"$tmp/out" 2>"$tmp/err"; }

not_in() { ! grep -q "$1" "$2"; }

# request BYTES (a python bytes literal): the raw answer of xced in $tmp/raw
request() {
    timeout 20 "$PY" - "$tmp/sock" "$1" >"$tmp/raw" 2>&1 <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(15)
s.connect(sys.argv[1])
try:
    s.sendall(eval(sys.argv[2]))  # the test's own expression
    s.shutdown(socket.SHUT_WR)
except OSError:
    pass  # xced refused before reading it all
data = b""
try:
    while True:
        c = s.recv(65536)
        if not c:
            break
        data += c
except OSError:
    pass
sys.stdout.write(data.decode("ascii", "replace"))
PYEOF
}

# the views of tests/xced/input/ike.cfg beyond its golden files (its xced runs)
ike_views() {
    local t=$1
    x show crypto isakmp profile tag clients
    check "${t}ike: show crypto isakmp profile tag clients: the one profile" \
        [ "$(grep -c '^ISAKMP PROFILE' "$tmp/out")" = 1 -a "$(head -1 "$tmp/out")" = "ISAKMP PROFILE clients" ]
    x show crypto isakmp profile tag nosuch
    check "${t}ike: show crypto isakmp profile tag nosuch: exit 1, a message" \
        grep -q '^% ISAKMP profile nosuch does not exist$' "$tmp/err"
    x sh cry isa po
    check "${t}ike: sh cry isa po (abbreviated): the policies" grep -q '^Protection suite of priority 50$' "$tmp/out"
    x show crypto isakmp key extra
    check "${t}ike: show crypto isakmp key extra: the '^' marker" grep -q "^% Invalid input detected" "$tmp/err"
    x show running-config
    check "${t}ike: the master key is not in show running-config" not_in "xce-master-key-1" "$tmp/out"
    x show crypto isakmp key
    check "${t}ike: no key in clear in show crypto isakmp key (password encryption aes)" \
        not_in "branch-net-key\\|peer-host-key\\|vpn-client-psk" "$tmp/out"
}

# The type 6 format (README) done by Python's hashlib and cryptography:
# decrypts the keys of ike.cfg; makes a key that xced must accept, and a
# tampered one it must refuse. Skipped without the cryptography module.
type6_python() {
    local bin=$1 t=$2
    if ! "$PY" -c 'import cryptography' 2>/dev/null; then
        ok "${t}# SKIP type 6 cross-check: no python3 cryptography module"
        return
    fi
    "$PY" - tests/xced/input/ike.cfg "$tmp/py6.cfg" "$tmp/py6bad.cfg" >"$tmp/pyout" 2>&1 <<'PYEOF'
import base64, hashlib, os, re, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
master = b"xce-master-key-1"
def key(salt):
    return hashlib.pbkdf2_hmac("sha256", master, salt, 20000, 32)
def open6(text):
    b = base64.b64decode(text, validate=True)
    assert b[0] == 1
    return AESGCM(key(b[1:17])).decrypt(b[17:29], b[29:], b[:29]).decode()
def seal6(plain):
    salt, iv = os.urandom(16), os.urandom(12)
    head = bytes([1]) + salt + iv
    return base64.b64encode(head + AESGCM(key(salt)).encrypt(iv, plain.encode(), head)).decode()
text = open(sys.argv[1]).read()
print(" ".join(open6(k) for k in re.findall(r"key 6 (\S+)", text)))
good = seal6("made-by-python")
bad = base64.b64decode(good)
bad = base64.b64encode(bad[:-1] + bytes([bad[-1] ^ 1])).decode()
cfg = "key config-key password-encryption xce-master-key-1\ncrypto isakmp key 6 %s address 9.9.9.9\n"
open(sys.argv[2], "w").write(cfg % good)
open(sys.argv[3], "w").write(cfg % bad)
PYEOF
    check "${t}type 6: Python decrypts the keys of ike.cfg" grep -qx \
        "1234 wide-net-key peer-host-key 12345 branch-net-key branch3-secret vpn-client-psk" "$tmp/pyout"
    timeout 20 "$bin" -f "$tmp/py6bad.cfg" --device sim --socket "$tmp/sock" --foreground 2>"$tmp/err"
    check "${t}type 6: a tampered key is refused with its line" \
        grep -q "py6bad.cfg:2: type 6 key does not decrypt with the master key" "$tmp/err"
    if start "$bin" "$tmp/py6.cfg"; then
        x show crypto isakmp key
        check "${t}type 6: xced takes the key Python made" grep -q '^default *9\.9\.9\.9 *6 ' "$tmp/out"
    else
        not_ok "${t}type 6: xced takes the key Python made"
        sed 's/^/# /' "$tmp/xced.log" | head -5
    fi
    stop
}

suite() {
    local bin=$1 t=$2 name cfg
    type6_python "$bin" "$t"

    for cfg in tests/xced/input/*.cfg; do
        name=$(basename "$cfg" .cfg)
        if ! start "$bin" "$cfg"; then
            not_ok "${t}$name: xced serves"
            sed 's/^/# /' "$tmp/xced.log" | head -5
            stop
            continue
        fi
        x show running-config
        if [ $? = 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "tests/xced/$name.cfg"; then
            ok "${t}$name: show running-config equals tests/xced/$name.cfg"
        else
            not_ok "${t}$name: show running-config differs from tests/xced/$name.cfg"
            diff -u "tests/xced/$name.cfg" "$tmp/out" | head -20 | sed 's/^/# /'
            sed 's/^/# err: /' "$tmp/err" | head -5
        fi
        x show crypto map && golden "${t}$name: show crypto map" "$golden/xced-crypto-map.$name.txt" ||
            not_ok "${t}$name: show crypto map exit status"
        x show crypto ipsec transform-set &&
            golden "${t}$name: show crypto ipsec transform-set" "$golden/xced-transform-set.$name.txt" ||
            not_ok "${t}$name: show crypto ipsec transform-set exit status"
        x show crypto ipsec security-association lifetime &&
            golden "${t}$name: show crypto ipsec security-association lifetime" "$golden/xced-sa-lifetime.$name.txt" ||
            not_ok "${t}$name: sa lifetime exit status"
        x show crypto isakmp policy &&
            golden "${t}$name: show crypto isakmp policy" "$golden/xced-isakmp-policy.$name.txt" ||
            not_ok "${t}$name: show crypto isakmp policy exit status"
        x show crypto isakmp key && golden "${t}$name: show crypto isakmp key" "$golden/xced-isakmp-key.$name.txt" ||
            not_ok "${t}$name: show crypto isakmp key exit status"
        if [ "$name" = ike ]; then
            x show crypto isakmp profile &&
                golden "${t}$name: show crypto isakmp profile" "$golden/xced-isakmp-profile.$name.txt" ||
                not_ok "${t}$name: show crypto isakmp profile exit status"
            x show crypto call admission statistics &&
                golden "${t}$name: show crypto call admission statistics" "$golden/xced-cac.$name.txt" ||
                not_ok "${t}$name: show crypto call admission statistics exit status"
            ike_views "$t"
        fi
        stop
        check "${t}$name: SIGTERM: exit 0, socket removed" [ "$xrc" = 0 -a ! -e "$tmp/sock" ]
    done

    # --- the one daemon of the rest -------------------------------------
    cp tests/xced/input/wan2511.cfg "$tmp/run.cfg"
    if ! start "$bin" "$tmp/run.cfg"; then
        not_ok "${t}xced serves $tmp/run.cfg"
        stop
        return
    fi
    check "${t}socket mode 0660" [ "$(stat -c %a "$tmp/sock")" = 660 ]
    x show crypto map tag test
    check "${t}show crypto map tag test: the one entry" grep -q '^Crypto Map "test" 10 ipsec-isakmp$' "$tmp/out"
    x sh cry ips tr tag auth2
    check "${t}sh cry ips tr tag auth2 (abbreviated)" grep -q '^Transform set auth2: { ah-sha-hmac }$' "$tmp/out"
    x show crypto map tag nosuch
    check "${t}show crypto map tag nosuch: exit 1, a message" [ $? = 1 -a -s "$tmp/err" ]
    x show running-config extra
    check "${t}show running-config extra: exit 1, the '^' marker" [ $? = 1 -a "$(sed -n 3p "$tmp/err")" = "% Invalid input detected at '^' marker." ]

    # the engine views: the daemon's device
    x -v show crypto engine configuration
    check "${t}show crypto engine configuration answered by xced" \
        grep -q "answered by xced" "$tmp/err"
    check "${t}... its engine: the simulated one" grep -q 'platform: *xce crypto engine (simulated' "$tmp/out"
    x -v show crypto engine brief
    check "${t}show crypto engine brief answered by xced" grep -q "answered by xced" "$tmp/err"
    x -v show crypto engine accelerator statistic
    check "${t}show crypto engine accelerator statistic answered by xced" grep -q "answered by xced" "$tmp/err"
    # xce's own: --no-daemon, --device; a command xced does not answer
    x -v --no-daemon show crypto engine configuration
    check "${t}--no-daemon: xce attaches itself" [ $? = 0 -a -s "$tmp/out" ]
    check "${t}--no-daemon: not answered by xced" not_in "answered by xced" "$tmp/err"
    x -v --device sw show crypto engine configuration
    check "${t}--device sw: xce's own engine" grep -q 'platform: *software crypto engine' "$tmp/out"
    x --no-daemon show running-config
    check "${t}--no-daemon show running-config: not an xce command" [ $? = 1 ]
    x show debugging
    check "${t}show debugging (not xced's): run by xce, exit 0" [ $? = 0 ]
    printf 'show crypto ipsec security-association lifetime\nshow crypto map tag test\n' >"$tmp/cmds"
    XCE_CONTROL_SOCKET="$tmp/sock" timeout 30 "$XCE" <"$tmp/cmds" >"$tmp/out" 2>"$tmp/err"
    check "${t}exec mode: lines forwarded" grep -q '^Security association lifetime: 4608000 kilobytes/3600 seconds$' "$tmp/out"

    # SIGHUP: a changed configuration
    sed -i 's/^hostname wan2511$/hostname wan2511-b/' "$tmp/run.cfg"
    kill -HUP "$xpid"
    local seen=0
    for _ in $(seq 50); do
        x show running-config
        grep -q '^hostname wan2511-b$' "$tmp/out" && { seen=1; break; }
        sleep 0.1
    done
    check "${t}SIGHUP: the changed configuration runs" [ $seen = 1 ]
    # SIGHUP: a broken one is refused, the old one kept
    printf 'interface Ethernet9\n ip address 1.2.3.4 255.0.255.0\n' >>"$tmp/run.cfg"
    kill -HUP "$xpid"
    seen=0
    for _ in $(seq 50); do
        grep -q "configuration refused" "$tmp/xced.log" && { seen=1; break; }
        sleep 0.1
    done
    check "${t}SIGHUP with a broken file: refused and logged" [ $seen = 1 ]
    check "${t}... the log says FILE:LINE" grep -q "run.cfg:[0-9]*: " "$tmp/xced.log"
    x show running-config
    check "${t}... the old configuration is kept" grep -q '^hostname wan2511-b$' "$tmp/out"
    check "${t}... xced is alive" kill -0 "$xpid"

    # malformed requests
    request "b'x' * 5000 + b'\\n'"
    check "${t}oversized request refused" grep -q '^XCED1 REFUSED' "$tmp/raw"
    request "b'show \\x01 crypto map\\n'"
    check "${t}control character refused" grep -q '^XCED1 REFUSED' "$tmp/raw"
    request "b'show crypto map\\nshow xced\\n'"
    check "${t}two lines refused" grep -q '^XCED1 REFUSED' "$tmp/raw"
    request "b'show crypto map'"
    check "${t}no newline refused" grep -q '^XCED1 REFUSED' "$tmp/raw"
    request "b'\\xff\\xfe\\x00\\n'"
    check "${t}binary refused" grep -q '^XCED1 REFUSED' "$tmp/raw"
    request "b'show crypto key mypubkey rsa\\n'"
    check "${t}a command xced does not answer: UNKNOWN" grep -qx 'XCED1 UNKNOWN' "$tmp/raw"
    x show xced
    check "${t}show xced counts 5 malformed requests" grep -q 'refused: *5 malformed' "$tmp/out"
    check "${t}xced alive after them" kill -0 "$xpid"
    # a client that sends nothing is dropped after its time (5 s) without harm:
    # many at once, then a normal request still works
    timeout 20 "$PY" - "$tmp/sock" <<'PYEOF'
import socket, sys
ss = []
for _ in range(40):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    ss.append(s)
PYEOF
    x show crypto ipsec security-association lifetime
    check "${t}answers after 40 silent clients" [ $? = 0 -a -s "$tmp/out" ]

    stop
    check "${t}SIGTERM: exit status 0" [ "$xrc" = 0 ]
    check "${t}SIGTERM: the socket is removed" [ ! -e "$tmp/sock" ]
    # no daemon: nothing changes
    x show crypto engine configuration
    check "${t}socket gone: xce attaches itself, exit 0" [ $? = 0 -a ! -s "$tmp/err" ]

    # a second xced on a live socket: refused
    start "$bin" tests/xced/input/wan2511.cfg
    local first=$xpid
    timeout 20 "$bin" -f tests/xced/input/wan2511.cfg --device sim --socket "$tmp/sock" --foreground 2>"$tmp/err2"
    check "${t}a second xced on a served socket: exit 1" [ $? = 1 -a -S "$tmp/sock" ]
    xpid=$first
    stop

    # a bad configuration: exit 1 with FILE:LINE
    printf 'hostname r1\ninterface Ethernet0\n ip address 10.0.0.1 255.0.255.0\n' >"$tmp/bad.cfg"
    timeout 20 "$bin" -f "$tmp/bad.cfg" --device sim --socket "$tmp/sock" --foreground 2>"$tmp/err"
    check "${t}bad configuration: exit 1" [ $? = 1 ]
    check "${t}... FILE:LINE: message" grep -q "^$tmp/bad.cfg:3: invalid mask" "$tmp/err"
    check "${t}... no socket left" [ ! -e "$tmp/sock" ]
    timeout 20 "$bin" --socket "$tmp/sock" 2>"$tmp/err"
    check "${t}no -f: exit 1" [ $? = 1 ]
    timeout 20 "$bin" --help >"$tmp/out"
    check "${t}--help: exit 0, the synopsis" grep -q '^usage: xced -f FILE' "$tmp/out"

    # the master key of type 6 keys from a file, for the canonical form
    # (which never writes the key itself): right, wrong, readable by others
    local mk=$tmp/master
    printf 'xce-master-key-1\n' >"$mk" && chmod 600 "$mk"
    if start "$bin" tests/xced/ike.cfg --master-key-file "$mk"; then
        ok "${t}master key file: the canonical ike.cfg with its type 6 keys starts"
        stop
    else
        not_ok "${t}master key file: the canonical ike.cfg with its type 6 keys starts"
        sed 's/^/# /' "$tmp/xced.log" | head -5
    fi
    printf 'xce-master-key-2\n' >"$mk"
    check "${t}master key file: a wrong key refuses the type 6 keys (exit 1, FILE:LINE)" \
        refused_with "$bin" "$mk" '^tests/xced/ike.cfg:[0-9]*:'
    printf 'xce-master-key-1\n' >"$mk" && chmod 640 "$mk"
    check "${t}master key file readable by the group: refused" refused_with "$bin" "$mk" 'chmod 600'

    # detached, with a pid file
    timeout 30 "$bin" -f tests/xced/input/wan2511.cfg --device sim --socket "$tmp/sock" --pidfile "$tmp/pid"
    local rc=$? dpid
    dpid=$(cat "$tmp/pid" 2>/dev/null)
    [ -n "$dpid" ] && pids+=("$dpid")
    check "${t}detached: exit 0 once it serves, pid file, socket" [ $rc = 0 -a -n "$dpid" -a -S "$tmp/sock" ]
    x show crypto ipsec security-association lifetime
    check "${t}detached: answers" [ $? = 0 -a -s "$tmp/out" ]
    [ -n "$dpid" ] && kill -TERM "$dpid"
    for _ in $(seq 100); do [ -e "$tmp/sock" ] || break; sleep 0.1; done
    check "${t}detached: SIGTERM removes the socket and the pid file" [ ! -e "$tmp/sock" -a ! -e "$tmp/pid" ]
}

suite "${XCED_BIN:-build/bin/xced}" ""
if [ -z "${XCED_BIN:-}" ] && [ -x build/asan/bin/xced ]; then
    suite build/asan/bin/xced "asan "
fi
no_sanitizer_reports
echo "# $n checks, $failed failed"
[ "$failed" = 0 ]
