"""isakmp_model.py - ISAKMP messages as plain Python data, for the
cross-checks of the C codec (sw/ike) with scapy (scapy.layers.isakmp,
Debian package python3-scapy).

A message is a dict: icookie, rcookie (8 bytes each), exchange, flags,
msgid, and either 'payloads' (a list of (type, fields) pairs) or
'encrypted' (np, ciphertext). A payload chain without a header (the
plaintext of an encrypted message) is a dict with 'payloads' and 'pad'.

  build(msg)    the bytes, made by scapy: its ISAKMP, SA, proposal,
                transform (its attribute encoder picks TV or TLV), KE, ID,
                nonce, hash and vendor ID classes; payloads scapy has no
                class for (CERT, CR, SIG, notification, delete, NAT-D,
                NAT-OA) are its generic payload with the body packed here
  dissect(b)    scapy's reading of the bytes, back into a message
  dump(msg)     the text that build/bin/isakmp_tool prints when it parses
                the message, and reads to build it

Attributes are (type, value) with value an int: scapy encodes values up to
0xffff as basic (TV), larger ones as variable with the fewest bytes; dump()
follows the same rule. Scapy 2.5 reads a proposal's transforms as "length
- 8" bytes, forgetting the SPI: dissect() is right only for an SA whose
proposals with an SPI are its last (one proposal per phase 2 SA here).
"""
import logging
import struct

logging.getLogger('scapy.runtime').setLevel(logging.ERROR)   # "should not be TLV" warnings

from scapy.all import Raw, raw                     # noqa: E402
from scapy.layers.isakmp import (ISAKMP, ISAKMP_payload, ISAKMP_payload_Hash,   # noqa: E402
                                 ISAKMP_payload_ID, ISAKMP_payload_KE, ISAKMP_payload_Nonce,
                                 ISAKMP_payload_Proposal, ISAKMP_payload_SA,
                                 ISAKMP_payload_Transform, ISAKMP_payload_VendorID,
                                 ISAKMPTransformTypes)

SA, P, T, KE, ID, CERT, CR, HASH, SIG, NONCE, N, D, VID = range(1, 14)
NAT_D, NAT_OA, NAT_D_DRAFT, NAT_OA_DRAFT = 20, 21, 130, 131
DATA_TYPES = (KE, HASH, SIG, NONCE, VID, NAT_D, NAT_D_DRAFT)

# scapy's attribute table is keyed by name; ours by number
_ATTR_NAME = {num: name for name, (num, _vals, _tlv) in ISAKMPTransformTypes.items()}


def _attr_num(name, value):
    """scapy's decoded (name, value) pair as numbers"""
    if isinstance(name, int):
        return name, value
    num, vals, _tlv = ISAKMPTransformTypes[name]
    return num, vals.get(value, value) if isinstance(value, str) else value


def attr_bytes(t, v):
    """the encoding scapy chooses (and what dump() prints)"""
    if v <= 0xffff:
        return 1, struct.pack('!H', v)
    n = (v.bit_length() + 7) // 8
    return 0, v.to_bytes(n, 'big')


# ---- building with scapy ----------------------------------------------------

def _transforms(xforms):
    chain = None
    for i, x in enumerate(xforms):
        t = ISAKMP_payload_Transform(next_payload=T if i + 1 < len(xforms) else 0, num=x['num'], id=x['id'],
                                     transforms=[(_ATTR_NAME.get(a, a), v) for a, v in x['attrs']] or None)
        chain = t if chain is None else chain / t
    return chain


def _proposals(props):
    chain = None
    for i, p in enumerate(props):
        trans = raw(_transforms(p['xforms']))
        pr = ISAKMP_payload_Proposal(next_payload=P if i + 1 < len(props) else 0, proposal=p['num'],
                                     proto=p['proto'], SPIsize=len(p['spi']), SPI=p['spi'],
                                     trans_nb=len(p['xforms']), trans=Raw(trans),
                                     length=8 + len(p['spi']) + len(trans))   # scapy forgets the SPI
        chain = pr if chain is None else chain / pr
    return chain


def _generic(load):
    return ISAKMP_payload(load=load)


def _layer(t, f):
    if t == SA:
        return ISAKMP_payload_SA(DOI=f['doi'], situation=f['situation'], prop=Raw(raw(_proposals(f['props']))))
    if t == ID:
        return ISAKMP_payload_ID(IDtype=f['idtype'], ProtoID=f['proto'], Port=f['port'], load=f['data'])
    if t in (CERT, CR):
        return _generic(bytes([f['encoding']]) + f['data'])
    if t == N:
        return _generic(struct.pack('!IBBH', f['doi'], f['proto'], len(f['spi']), f['ntype']) + f['spi'] + f['data'])
    if t == D:
        return _generic(struct.pack('!IBBH', f['doi'], f['proto'], f['spisize'], len(f['spis'])) + b''.join(f['spis']))
    if t in (NAT_OA, NAT_OA_DRAFT):
        return _generic(struct.pack('!B3x', f['idtype']) + f['addr'])
    cls = {KE: ISAKMP_payload_KE, HASH: ISAKMP_payload_Hash, NONCE: ISAKMP_payload_Nonce,
           VID: ISAKMP_payload_VendorID}.get(t, ISAKMP_payload)
    return cls(load=f['data'])


def build_chain(payloads):
    """the payloads alone (first type: payloads[0][0])"""
    out = b''
    for i, (t, f) in enumerate(payloads):
        layer = _layer(t, f)
        layer.next_payload = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        out += raw(layer)
    return out


def build(m):
    if 'icookie' not in m:
        return build_chain(m['payloads']) + m.get('pad', b'')
    hdr = dict(init_cookie=m['icookie'], resp_cookie=m['rcookie'], exch_type=m['exchange'], flags=m['flags'],
               id=m['msgid'])
    if 'encrypted' in m:
        np, ct = m['encrypted']
        return raw(ISAKMP(next_payload=np, **hdr) / Raw(ct))
    pl = m['payloads']
    return raw(ISAKMP(next_payload=pl[0][0] if pl else 0, **hdr) / Raw(build_chain(pl)))


# ---- reading with scapy -----------------------------------------------------

def _chain_of(layer):
    while layer is not None and not isinstance(layer, Raw) and layer.name != 'NoPayload':
        yield layer
        layer = layer.payload if layer.payload.name != 'NoPayload' else None


def _dissect_sa(layer):
    props = []
    for pr in _chain_of(layer.prop):
        xforms = []
        for x in _chain_of(pr.trans):
            xforms.append(dict(num=x.num, id=x.id, attrs=[_attr_num(a, v) for a, v in (x.transforms or [])]))
        props.append(dict(num=pr.proposal, proto=pr.proto, spi=bytes(pr.SPI), xforms=xforms))
    return dict(doi=layer.DOI, situation=layer.situation, props=props)


def _dissect_payload(t, layer):
    if t == SA:
        return _dissect_sa(layer)
    if t == ID:
        return dict(idtype=layer.IDtype, proto=layer.ProtoID, port=layer.Port, data=bytes(layer.load))
    body = bytes(layer.load)
    if t in (CERT, CR):
        return dict(encoding=body[0], data=body[1:])
    if t == N:
        doi, proto, spisize, ntype = struct.unpack('!IBBH', body[:8])
        return dict(doi=doi, proto=proto, spi=body[8:8 + spisize], ntype=ntype, data=body[8 + spisize:])
    if t == D:
        doi, proto, spisize, n = struct.unpack('!IBBH', body[:8])
        return dict(doi=doi, proto=proto, spisize=spisize, spis=[body[8 + i * spisize:8 + (i + 1) * spisize]
                                                                 for i in range(n)])
    if t in (NAT_OA, NAT_OA_DRAFT):
        return dict(idtype=body[0], addr=body[4:])
    return dict(data=body)


def dissect(b):
    """scapy's view of a whole message (header and payloads)"""
    pkt = ISAKMP(b)
    m = dict(icookie=bytes(pkt.init_cookie), rcookie=bytes(pkt.resp_cookie), exchange=pkt.exch_type,
             flags=int(pkt.flags), msgid=pkt.id, length=pkt.length)
    if m['flags'] & 1:
        m['encrypted'] = (pkt.next_payload, bytes(pkt.payload))
        return m
    payloads, t = [], pkt.next_payload
    for layer in _chain_of(pkt.payload):
        if t == 0:
            break
        payloads.append((t, _dissect_payload(t, layer)))
        t = layer.next_payload
    m['payloads'] = payloads
    return m


# ---- the text of isakmp_tool ------------------------------------------------

def _hex(b):
    return b.hex()


def _dump_payload(t, f):
    if t == SA:
        lines = ['payload %d doi=%d situation=%d' % (t, f['doi'], f['situation'])]
        for p in f['props']:
            lines.append('prop num=%d proto=%d spi=%s' % (p['num'], p['proto'], _hex(p['spi'])))
            for x in p['xforms']:
                lines.append('xform num=%d id=%d' % (x['num'], x['id']))
                for a, v in x['attrs']:
                    tv, vb = attr_bytes(a, v)
                    lines.append('attr type=%d tv=%d value=%s' % (a, tv, _hex(vb)))
        return lines
    if t == ID:
        return ['payload %d idtype=%d proto=%d port=%d data=%s' % (t, f['idtype'], f['proto'], f['port'],
                                                                    _hex(f['data']))]
    if t in (CERT, CR):
        return ['payload %d encoding=%d data=%s' % (t, f['encoding'], _hex(f['data']))]
    if t == N:
        return ['payload %d doi=%d proto=%d spi=%s ntype=%d data=%s' % (t, f['doi'], f['proto'], _hex(f['spi']),
                                                                        f['ntype'], _hex(f['data']))]
    if t == D:
        return ['payload %d doi=%d proto=%d spisize=%d spis=%s' % (t, f['doi'], f['proto'], f['spisize'],
                                                                   ','.join(_hex(s) for s in f['spis']))]
    if t in (NAT_OA, NAT_OA_DRAFT):
        return ['payload %d idtype=%d addr=%s' % (t, f['idtype'], _hex(f['addr']))]
    return ['payload %d data=%s' % (t, _hex(f['data']))]


def dump(m):
    lines = []
    if 'icookie' in m:
        lines.append('hdr icookie=%s rcookie=%s exchange=%d flags=%d msgid=%d' % (
            _hex(m['icookie']), _hex(m['rcookie']), m['exchange'], m['flags'], m['msgid']))
    if 'encrypted' in m:
        lines.append('encrypted np=%d data=%s' % (m['encrypted'][0], _hex(m['encrypted'][1])))
        return '\n'.join(lines) + '\n'
    for t, f in m['payloads']:
        lines += _dump_payload(t, f)
    if 'icookie' not in m:
        lines.append('pad %d' % len(m.get('pad', b'')))
    return '\n'.join(lines) + '\n'
