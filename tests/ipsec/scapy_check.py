#!/usr/bin/python3
"""scapy_check.py - cross-check of the IPsec datapath (sw/ipsec) with
scapy's own ESP/AH implementation (scapy.layers.ipsec), both ways:
scapy decrypts and verifies what ipsec_tool made, and ipsec_tool decrypts
and verifies what scapy made. Prints TAP.

usage: scapy_check.py PATH/TO/ipsec_tool [--device SPEC]
"""
import os
import random
import subprocess
import sys
import tempfile

from scapy.all import IP, UDP, TCP, Raw, raw
from scapy.layers.ipsec import AH, ESP, SecurityAssociation

TOOL = sys.argv[1]
DEVICE = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == '--device' else 'sw'
LOCAL, REMOTE = '192.168.1.1', '192.168.2.2'

CIPHERS = {  # ours: (scapy name, key length)
    'null': ('NULL', 0), 'des': ('DES', 8), '3des': ('3DES', 24),
    'aes128': ('AES-CBC', 16), 'aes192': ('AES-CBC', 24), 'aes256': ('AES-CBC', 32),
}
AUTHS = {'md5': ('HMAC-MD5-96', 16), 'sha1': ('HMAC-SHA1-96', 20), 'sha256': ('SHA2-256-128', 32)}

# (proto, cipher, auth, mode, udp)
CASES = [
    ('esp', 'aes128', 'sha1', 'tunnel', False),
    ('esp', 'aes128', 'sha1', 'transport', False),
    ('esp', 'aes192', 'md5', 'tunnel', False),
    ('esp', 'aes256', 'sha256', 'tunnel', False),
    ('esp', 'aes256', 'sha256', 'transport', False),
    ('esp', '3des', 'sha1', 'tunnel', False),
    ('esp', '3des', 'md5', 'transport', False),
    ('esp', 'des', 'sha1', 'tunnel', False),
    ('esp', 'des', 'md5', 'transport', False),
    ('esp', 'null', 'sha1', 'transport', False),
    ('esp', 'aes128', 'sha1', 'tunnel', True),
    ('esp', 'aes256', 'sha256', 'transport', True),
    ('ah', 'null', 'sha1', 'tunnel', False),
    ('ah', 'null', 'sha1', 'transport', False),
    ('ah', 'null', 'md5', 'transport', False),
    ('ah', 'null', 'sha256', 'tunnel', False),
]

rng = random.Random(int(os.environ.get('XCE_TEST_SEED', '4303'), 0))
n = 0
failed = 0


def tap(ok, what):
    global n, failed
    n += 1
    failed += not ok
    print(('ok %d - %s' if ok else 'not ok %d - %s') % (n, what), flush=True)


def rbytes(k):
    return bytes(rng.getrandbits(8) for _ in range(k))


def tool(direction, case, keys, spi, data, workdir):
    proto, cipher, auth, mode, udp = case
    src, dst = os.path.join(workdir, 'in.bin'), os.path.join(workdir, 'out.bin')
    with open(src, 'wb') as f:
        f.write(data)
    if os.path.exists(dst):
        os.unlink(dst)
    cmd = [TOOL, direction, '--proto', proto, '--mode', mode, '--spi', str(spi), '--cipher', cipher,
           '--auth', auth, '--akey', keys[1].hex(), '--local', LOCAL, '--remote', REMOTE, '--device', DEVICE]
    if cipher != 'null':
        cmd += ['--ckey', keys[0].hex()]
    if udp:
        cmd.append('--udp')
    cmd += [src, dst]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip()
    with open(dst, 'rb') as f:
        return f.read(), ''


def scapy_sa(case, keys, spi):
    proto, cipher, auth, mode, udp = case
    kw = {'spi': spi, 'seq_num': 1, 'auth_algo': AUTHS[auth][0], 'auth_key': keys[1]}
    if proto == 'esp':
        kw['crypt_algo'] = CIPHERS[cipher][0]
        kw['crypt_key'] = keys[0] if cipher != 'null' else None
    if mode == 'tunnel':
        kw['tunnel_header'] = IP(src=LOCAL, dst=REMOTE)
    if udp:
        kw['nat_t_header'] = UDP(sport=4500, dport=4500)
    return SecurityAssociation(ESP if proto == 'esp' else AH, **kw)


def plain(i):
    size = rng.choice([0, 1, 15, 16, 17, 100, 555, 1400])
    body = rbytes(size)
    l4 = UDP(sport=1000 + i, dport=53) if i % 2 else TCP(sport=2000 + i, dport=80, flags='PA')
    return IP(src='10.0.0.1', dst='10.0.1.1', ttl=40, tos=0x10, id=1234 + i, flags='DF') / l4 / Raw(body)


def fix_udp_length(wire):
    """scapy 2.5.0 leaves the NAT-T header's UDP length at 8 (the header
    alone, computed before the ESP payload is added); RFC 768 and RFC 3948
    want header and payload, which we check. Set it right."""
    hl = (wire[0] & 15) * 4
    w = bytearray(wire)
    ulen = len(w) - hl
    if w[hl + 4:hl + 6] != bytes([ulen >> 8, ulen & 255]):
        w[hl + 4:hl + 6] = bytes([ulen >> 8, ulen & 255])
        global udp_fixed
        udp_fixed += 1
    return bytes(w)


udp_fixed = 0


def same(a, b):
    return raw(a) == raw(b)


def main():
    try:
        with tempfile.TemporaryDirectory() as work:
            for case in CASES:
                proto, cipher, auth, mode, udp = case
                name = '%s %s-%s %s%s' % (proto, cipher, auth, mode, ' udp' if udp else '')
                keys = (rbytes(CIPHERS[cipher][1]), rbytes(AUTHS[auth][1]))
                spi = 0x10000 + rng.getrandbits(20)
                # ours -> scapy
                ok, why = True, ''
                for i in range(3):
                    orig = IP(raw(plain(i)))
                    wire, err = tool('out', case, keys, spi, raw(orig), work)
                    if wire is None:
                        ok, why = False, 'ipsec_tool out: ' + err
                        break
                    sa = scapy_sa(case, keys, spi)
                    try:
                        got = sa.decrypt(IP(wire))
                    except Exception as e:   # integrity error, bad padding...
                        ok, why = False, 'scapy: %s: %s' % (type(e).__name__, e)
                        break
                    if not same(IP(raw(got)), orig):
                        ok, why = False, 'scapy recovered a different packet'
                        break
                tap(ok, 'scapy decrypts/verifies ours: %s%s' % (name, (': ' + why) if why else ''))
                # scapy -> ours
                ok, why = True, ''
                sa = scapy_sa(case, keys, spi)
                for i in range(3):
                    orig = IP(raw(plain(i + 10)))
                    wire = raw(sa.encrypt(orig))
                    if udp:
                        wire = fix_udp_length(wire)
                    back, err = tool('in', case, keys, spi, wire, work)
                    if back is None:
                        ok, why = False, 'ipsec_tool in: ' + err
                        break
                    if back != raw(orig):
                        ok, why = False, 'recovered a different packet (%d vs %d bytes)' % (len(back), len(raw(orig)))
                        break
                    # and a flipped bit in what scapy made is refused
                    bent = bytearray(wire)
                    bent[-1] ^= 1
                    back, err = tool('in', case, keys, spi, bytes(bent), work)
                    if back is not None or 'ICV mismatch' not in err:
                        ok, why = False, 'flipped bit not refused as ICV mismatch: ' + err
                        break
                tap(ok, 'we decrypt/verify scapy\'s: %s%s' % (name, (': ' + why) if why else ''))
    finally:
        if udp_fixed:
            print('# UDP length of %d scapy NAT-T packets corrected (scapy writes 8)' % udp_fixed)
        print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
