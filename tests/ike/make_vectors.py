#!/usr/bin/python3
"""make_vectors.py - writes tests/ike/vectors/*.bin, IKEv1 messages made by
scapy (python3-scapy, scapy.layers.isakmp; see isakmp_model.py), which
tests/unit/test_isakmp.c decodes field by field, and copies them into
the fuzz seed corpus tests/fuzz/corpus/isakmp/ (a decrypted body there is
prefixed by the type of its first payload, as fuzz_isakmp.c reads it).

The files are committed; run this again only to change them:
    /usr/bin/python3 tests/ike/make_vectors.py

Every byte string is pat(n, seed): byte i is (seed + 7 i) mod 256, which
the C test recomputes.
"""
import os
import struct
import sys

sys.dont_write_bytecode = True   # nothing written into the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isakmp_model as im   # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def pat(n, seed):
    return bytes((seed + 7 * i) & 0xff for i in range(n))


def ip(a):
    return bytes(int(x) for x in a.split('.'))


ICOOKIE, RCOOKIE = pat(8, 0x10), pat(8, 0x90)
VID_RFC3947 = bytes.fromhex('4a131c81070358455c5728f20e95452f')
VID_DRAFT02N = bytes.fromhex('90cb80913ebb696e086381b5ec427b1f')
VID_DPD = bytes.fromhex('afcad71368a1f1c96b8696fc77570100')
VID_XAUTH = bytes.fromhex('09002689dfd6b712')


def hdr(exchange, icookie=ICOOKIE, rcookie=bytes(8), flags=0, msgid=0):
    return dict(icookie=icookie, rcookie=rcookie, exchange=exchange, flags=flags, msgid=msgid)


def sa(*props):
    return (im.SA, dict(doi=1, situation=1, props=list(props)))


def prop(num, proto, spi, *xforms):
    return dict(num=num, proto=proto, spi=spi, xforms=list(xforms))


def xform(num, tid, *attrs):
    return dict(num=num, id=tid, attrs=list(attrs))


def data(t, b):
    return (t, dict(data=b))


VECTORS = {
    # main mode 1 (initiator): two IKE policies, NAT-T and DPD vendor IDs;
    # life duration 86400 does not fit 16 bits: variable form (3 bytes)
    'mm1': dict(hdr(2), payloads=[
        sa(prop(1, 1, b'',
                xform(1, 1, (1, 7), (14, 256), (2, 2), (3, 1), (4, 14), (11, 1), (12, 86400)),
                xform(2, 1, (1, 5), (2, 2), (3, 1), (4, 2), (11, 1), (12, 28800)))),
        data(im.VID, VID_RFC3947), data(im.VID, VID_DRAFT02N), data(im.VID, VID_DPD)]),
    # main mode 3: KE (group 2), nonce, a certificate request, NAT-D for both ends
    'mm3': dict(hdr(2, rcookie=RCOOKIE), payloads=[
        data(im.KE, pat(128, 1)), data(im.NONCE, pat(20, 2)),
        (im.CR, dict(encoding=4, data=pat(50, 14))),
        data(im.NAT_D, pat(20, 3)), data(im.NAT_D, pat(20, 4))]),
    # aggressive mode 1: SA, KE (group 14), nonce, ID_USER_FQDN, vendor IDs
    'am1': dict(hdr(4, icookie=pat(8, 0x20)), payloads=[
        sa(prop(1, 1, b'', xform(1, 1, (1, 7), (14, 128), (2, 4), (3, 1), (4, 14), (11, 1), (12, 3600)))),
        data(im.KE, pat(256, 5)), data(im.NONCE, pat(32, 6)),
        (im.ID, dict(idtype=3, proto=17, port=500, data=b'vpn@example.com')),
        data(im.VID, VID_XAUTH), data(im.VID, VID_DPD)]),
    # a quick mode message as it travels: encrypted
    'enc': dict(hdr(32, icookie=pat(8, 0x30), rcookie=pat(8, 0x40), flags=1, msgid=0x12345678),
                encrypted=(im.HASH, pat(64, 7))),
}

BODIES = {
    # quick mode 1, decrypted: ESP AES / 3DES behind NAT (RFC 3947 and draft
    # encapsulation), lifetimes in seconds and kilobytes, PFS, subnet and
    # range identities, NAT-OA; padded as RFC 2409 appendix B says
    'qm1_body': dict(payloads=[
        data(im.HASH, pat(20, 8)),
        sa(prop(1, 3, bytes.fromhex('deadbeef'),
                xform(1, 12, (4, 3), (5, 2), (6, 256), (1, 1), (2, 3600), (1, 2), (2, 4608000), (3, 14)),
                xform(2, 3, (4, 61443), (5, 1), (1, 1), (2, 28800)))),
        data(im.NONCE, pat(16, 9)), data(im.KE, pat(256, 10)),
        (im.ID, dict(idtype=4, proto=0, port=0, data=ip('10.1.0.0') + ip('255.255.0.0'))),
        (im.ID, dict(idtype=7, proto=6, port=80, data=ip('10.2.0.1') + ip('10.2.0.99'))),
        (im.NAT_OA, dict(idtype=1, addr=ip('192.168.1.10'))),
        (im.NAT_OA, dict(idtype=1, addr=ip('203.0.113.5')))],
        pad=b'\0\0\0\3'),
    # main mode 5 with RSA signatures, decrypted: ID_DER_ASN1_DN, CERT,
    # SIG, INITIAL-CONTACT
    'mm5_body': dict(payloads=[
        (im.ID, dict(idtype=9, proto=17, port=500, data=pat(40, 11))),
        (im.CERT, dict(encoding=4, data=pat(300, 12))),
        data(im.SIG, pat(128, 13)),
        (im.N, dict(doi=1, proto=1, spi=ICOOKIE + RCOOKIE, ntype=24578, data=b''))],
        pad=b'\0' * 6 + b'\6'),
    # informational, decrypted: DPD R-U-THERE (sequence 0x01020304), delete
    # of two ESP SAs and of the IKE SA
    'info_body': dict(payloads=[
        data(im.HASH, pat(20, 15)),
        (im.N, dict(doi=1, proto=1, spi=ICOOKIE + RCOOKIE, ntype=36136, data=struct.pack('!I', 0x01020304))),
        (im.D, dict(doi=1, proto=3, spisize=4, spis=[bytes.fromhex('deadbeef'), bytes.fromhex('01020304')])),
        (im.D, dict(doi=1, proto=1, spisize=16, spis=[ICOOKIE + RCOOKIE]))],
        pad=bytes(range(8))),
}


def write(path, b):
    with open(path, 'wb') as f:
        f.write(b)


def main():
    vdir = os.path.join(ROOT, 'tests/ike/vectors')
    cdir = os.path.join(ROOT, 'tests/fuzz/corpus/isakmp')
    os.makedirs(vdir, exist_ok=True)
    os.makedirs(cdir, exist_ok=True)
    for name, m in VECTORS.items():
        b = im.build(m)
        write(os.path.join(vdir, name + '.bin'), b)
        write(os.path.join(cdir, name), b)
    for name, m in BODIES.items():
        b = im.build(m)
        write(os.path.join(vdir, name + '.bin'), b)
        write(os.path.join(cdir, name), bytes([m['payloads'][0][0]]) + b)
    print('%d vectors in %s, seeds in %s' % (len(VECTORS) + len(BODIES), vdir, cdir))


if __name__ == '__main__':
    main()
