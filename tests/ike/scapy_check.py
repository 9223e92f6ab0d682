#!/usr/bin/python3
"""scapy_check.py - cross-check of the ISAKMP codec (sw/ike) with scapy,
both ways, on the committed vectors and on random messages of every
payload type (seeded: XCE_TEST_SEED). For each message (isakmp_model.py):

  1. scapy builds it; isakmp_tool parses and decodes it: its text must be
     the model's;
  2. isakmp_tool builds it from that text with the C writer: the bytes must
     be scapy's, and scapy's dissection of them must give the model back
     (header fields, every payload, every proposal, transform, attribute);
  3. cut short (with the header's length fixed up), it must be rejected
     with a reason, never accepted or crashed on.

Then the writer's own choice of attribute form (TV up to 0xffff, else a
4- or 8-byte TLV) as scapy reads it. Prints TAP.

usage: scapy_check.py PATH/TO/isakmp_tool
"""
import os
import random
import struct
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # nothing written into the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isakmp_model as im        # noqa: E402
import make_vectors as mv        # noqa: E402

TOOL = sys.argv[1]
rng = random.Random(int(os.environ.get('XCE_TEST_SEED', '2408'), 0))
tmp = tempfile.mkdtemp(prefix='isakmp_scapy.')
n = failed = 0


def tap(ok, what, detail=''):
    global n, failed
    n += 1
    failed += not ok
    print(('ok %d - %s' if ok else 'not ok %d - %s') % (n, what), flush=True)
    if not ok and detail:
        print('\n'.join('# ' + line for line in detail.splitlines()[:30]), flush=True)


def tool(*args):
    return subprocess.run([TOOL] + list(args), capture_output=True, text=True)


def put(name, data):
    path = os.path.join(tmp, name)
    with open(path, 'wb' if isinstance(data, bytes) else 'w') as f:
        f.write(data)
    return path


def get(name):
    with open(os.path.join(tmp, name), 'rb') as f:
        return f.read()


def rb(k):
    return bytes(rng.getrandbits(8) for _ in range(k))


# ---- random messages ----------------------------------------------------------

IKE_ATTRS = [(1, (1, 5, 7)), (2, (1, 2, 4, 5, 6)), (3, (1, 3, 64221)), (4, (1, 2, 5, 14, 19)), (11, (1, 2)),
             (12, None), (14, (128, 192, 256))]
IPSEC_ATTRS = [(1, (1, 2)), (2, None), (3, (2, 5, 14)), (4, (1, 2, 3, 4, 61443, 61444)), (5, (1, 2, 5)),
               (6, (128, 256))]
ID_LEN = {1: 4, 2: None, 3: None, 4: 8, 5: 16, 6: 32, 7: 8, 8: 32, 9: None, 10: None, 11: None}
NOTIFY_TYPES = (14, 16, 24, 16384, 24576, 24577, 24578, 36136, 36137)


def rand_value(choices):
    if choices:
        return rng.choice(choices)
    return rng.choice((rng.randrange(1, 0x10000), rng.randrange(0x10000, 1 << 32), rng.randrange(1 << 32, 1 << 48)))


def rand_xform(num, phase1):
    table = IKE_ATTRS if phase1 else IPSEC_ATTRS
    attrs = [(t, rand_value(c)) for t, c in rng.sample(table, rng.randrange(0, len(table) + 1))]
    return dict(num=num, id=1 if phase1 else rng.choice((2, 3, 11, 12)), attrs=attrs)


def rand_sa():
    phase1 = rng.random() < 0.5
    if phase1:   # no SPI: several proposals are fine for scapy
        props = [dict(num=i + 1, proto=1, spi=rng.choice((b'', rb(16))) if i == 0 else b'',
                      xforms=[rand_xform(j + 1, True) for j in range(rng.randrange(1, 5))])
                 for i in range(rng.randrange(1, 3))]
        if len(props) > 1:
            props[0]['spi'] = b''
    else:        # one proposal with an SPI (scapy forgets the SPI in a proposal's length)
        props = [dict(num=1, proto=rng.choice((2, 3)), spi=rb(4),
                      xforms=[rand_xform(j + 1, False) for j in range(rng.randrange(1, 4))])]
    return (im.SA, dict(doi=1, situation=1, props=props))


def rand_payload():
    t = rng.choice((im.SA, im.KE, im.ID, im.CERT, im.CR, im.HASH, im.SIG, im.NONCE, im.N, im.D, im.VID,
                    im.NAT_D, im.NAT_OA, im.NAT_D_DRAFT, im.NAT_OA_DRAFT))
    if t == im.SA:
        return rand_sa()
    if t == im.ID:
        idtype = rng.choice(list(ID_LEN))
        return (t, dict(idtype=idtype, proto=rng.choice((0, 6, 17)), port=rng.choice((0, 500, 4500)),
                        data=rb(ID_LEN[idtype] or rng.randrange(1, 60))))
    if t in (im.CERT, im.CR):
        return (t, dict(encoding=rng.randrange(1, 11), data=rb(rng.randrange(0 if t == im.CR else 1, 300))))
    if t == im.N:
        return (t, dict(doi=rng.choice((0, 1)), proto=rng.randrange(1, 4), spi=rb(rng.choice((0, 4, 16))),
                        ntype=rng.choice(NOTIFY_TYPES), data=rb(rng.randrange(0, 20))))
    if t == im.D:
        proto = rng.choice((1, 2, 3, 4))
        size = {1: 16, 2: 4, 3: 4, 4: 2}[proto]
        return (t, dict(doi=1, proto=proto, spisize=size, spis=[rb(size) for _ in range(rng.randrange(1, 5))]))
    if t in (im.NAT_OA, im.NAT_OA_DRAFT):
        v6 = rng.random() < 0.3
        return (t, dict(idtype=5 if v6 else 1, addr=rb(16 if v6 else 4)))
    size = {im.KE: (1, 513), im.HASH: (1, 65), im.SIG: (1, 300), im.NONCE: (8, 257), im.VID: (1, 40),
            im.NAT_D: (16, 21), im.NAT_D_DRAFT: (16, 21)}[t]
    return (t, dict(data=rb(rng.randrange(*size))))


def rand_msg():
    m = dict(icookie=rb(7) + b'\1', rcookie=rng.choice((bytes(8), rb(8))), exchange=rng.choice((2, 4, 5, 32)),
             flags=rng.choice((0, 2, 4)), msgid=rng.getrandbits(32))
    if rng.random() < 0.1:
        m['flags'] |= 1
        m['encrypted'] = (rng.choice((1, 8, 11)), rb(8 * rng.randrange(1, 12)))
    else:
        m['payloads'] = [rand_payload() for _ in range(rng.randrange(1, 9))]
    return m


# ---- the checks -----------------------------------------------------------------

def same_model(a, b):
    keys = ('icookie', 'rcookie', 'exchange', 'flags', 'msgid', 'payloads', 'encrypted')
    return all(a.get(k) == b.get(k) for k in keys)


def check_message(name, m):
    want = im.dump(m)
    b = im.build(m)
    r = tool('parse', put(name + '.bin', b))
    tap(r.returncode == 0 and r.stdout == want, '%s: scapy builds, the C parser reads it field by field' % name,
        r.stderr + ''.join('# got  ' + g + '\n# want ' + w + '\n'
                           for g, w in zip(r.stdout.splitlines(), want.splitlines()) if g != w))
    r = tool('build', put(name + '.txt', want), os.path.join(tmp, name + '.c.bin'))
    cb = get(name + '.c.bin') if r.returncode == 0 else b''
    tap(cb == b, '%s: the C writer builds the same %d bytes' % (name, len(b)),
        r.stderr + 'C     %s\nscapy %s' % (cb.hex(), b.hex()))
    if cb:
        seen = im.dissect(cb)
        tap(same_model(seen, m) and seen['length'] == len(cb),
            '%s: scapy reads the C-built message: header, %s' % (
                name, 'ciphertext' if 'encrypted' in m else '%d payloads' % len(m['payloads'])),
            'scapy %r\nmodel %r' % (seen, m))
    cuts = sorted(set(rng.randrange(0, len(b)) for _ in range(6)))
    bad = []
    for k in cuts:
        cut = bytearray(b[:k])
        if k >= 28:
            cut[24:28] = struct.pack('!I', k)
        r = tool('parse', put(name + '.cut', bytes(cut)))
        want_ok = k >= 28 and 'encrypted' in m and k > 28   # a shorter ciphertext is still ciphertext
        if (r.returncode == 0) != want_ok or (r.returncode == 1 and 'rejected: ' not in r.stderr) or \
                r.returncode not in (0, 1):
            bad.append('%d bytes: exit %d %s' % (k, r.returncode, r.stderr.strip()))
    tap(not bad, '%s: cut to %s bytes (length fixed up): refused with a reason' % (
        name, ', '.join(map(str, cuts))), '\n'.join(bad))


def check_body(name, m):
    want = im.dump(m)
    r = tool('parse', put(name + '.bin', im.build(m)), '--body', str(m['payloads'][0][0]))
    tap(r.returncode == 0 and r.stdout == want,
        '%s: decrypted chain with %d bytes of padding, read field by field' % (name, len(m.get('pad', b''))),
        r.stderr + r.stdout)


def check_auto_attrs():
    text = ('hdr icookie=0102030405060708 rcookie=0000000000000000 exchange=2 flags=0 msgid=0\n'
            'payload 1 doi=1 situation=1\nprop num=1 proto=1 spi=\nxform num=1 id=1\n'
            'attr type=1 auto=7\nattr type=12 auto=65535\nattr type=12 auto=86400\n'
            'attr type=12 auto=4294967295\nattr type=16 auto=1099511627776\n')
    r = tool('build', put('auto.txt', text), os.path.join(tmp, 'auto.bin'))
    b = get('auto.bin') if r.returncode == 0 else b''
    attrs = im.dissect(b)['payloads'][0][1]['props'][0]['xforms'][0]['attrs'] if b else []
    tap(attrs == [(1, 7), (12, 65535), (12, 86400), (12, 4294967295), (16, 1 << 40)],
        'writer attributes: scapy reads the values 7, 65535, 86400, 2^32-1, 2^40', r.stderr + repr(attrs))
    forms = b[28 + 4 + 8 + 8 + 8:]   # header, SA generic header + DOI/situation, proposal, transform headers
    tap(forms == bytes.fromhex('80010007' '800cffff' '000c000400015180' '000c0004ffffffff'
                               '0010000800000100' '00000000'),
        'writer attributes: TV up to 0xffff, then 4-byte and 8-byte TLV', forms.hex())


def main():
    for name, m in mv.VECTORS.items():
        check_message(name, m)
    for name, m in mv.BODIES.items():
        check_body(name, m)
    for i in range(int(os.environ.get('XCE_ISAKMP_RANDOM', '40'))):
        check_message('random%d' % i, rand_msg())
    check_auto_attrs()
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
