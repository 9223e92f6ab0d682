#!/usr/bin/python3
"""inject.py - sends a forged copy of a captured ESP packet, for
tests/xced/test_datapath.sh (run inside the sender's network namespace).

  inject.py PCAP SRC SPI KIND [ALG KEYHEX]

takes the last ESP packet from SRC with SPI (decimal) in the capture PCAP
and sends, through a raw IP socket:
  replay   the packet as it was
  icv      the packet with the last bit of its ICV flipped
  spi      the packet with an SPI nobody has (0xDEAD0001)
  trunc    the IP header and the first 12 bytes of ESP (lengths fixed)
and prints the sequence number of what it sent.

The receiver checks anti-replay before the ICV (RFC 4303 3.4.3), so a
captured packet it has accepted already fails as a replay whatever its ICV.
Given the SA's authentication algorithm (md5, sha1, sha256: HMAC-MD5-96,
HMAC-SHA-1-96, HMAC-SHA-256-128) and key, icv first makes a packet the
receiver has not seen: the ICV of the captured packet is checked against
the key (exit status 1 when it does not match), the sequence number moved
1000 ahead and the ICV computed again, so the flipped bit is the packet's
only fault.
Exit status 1 when the capture has no such packet."""
import hashlib
import hmac
import socket
import struct
import sys

from scapy.all import ESP, IP, rdpcap  # python3-scapy

ICV_LEN = {"md5": 12, "sha1": 12, "sha256": 16}


def fresh_icv(b, hl, alg, key):
    """b (bytearray, IP + ESP, no UDP) with its sequence number 1000 ahead and
    the ICV computed again; None when key does not verify the original ICV."""
    n = ICV_LEN[alg]
    mac = lambda m: hmac.new(key, bytes(m), getattr(hashlib, alg)).digest()[:n]
    if not hmac.compare_digest(mac(b[hl:-n]), bytes(b[-n:])):
        return None
    seq = struct.unpack("!I", b[hl + 4:hl + 8])[0] + 1000
    b[hl + 4:hl + 8] = struct.pack("!I", seq)
    b[-n:] = mac(b[hl:-n])
    return b


def forge(raw, kind, alg=None, key=None):
    b = bytearray(raw)
    hl = (b[0] & 15) * 4
    if kind == "icv":
        if key is not None:
            b = fresh_icv(b, hl, alg, key)
            if b is None:
                return None
        b[-1] ^= 1
    elif kind == "spi":
        b[hl:hl + 4] = struct.pack("!I", 0xDEAD0001)
    elif kind == "trunc":
        b = b[:hl + 12]
        b[2:4] = struct.pack("!H", len(b))
    elif kind != "replay":
        raise ValueError("unknown kind " + kind)
    b[10:12] = b"\0\0"  # the kernel fills in the header checksum
    return bytes(b)


def main():
    if len(sys.argv) not in (5, 7) or (len(sys.argv) == 7 and sys.argv[5] not in ICV_LEN):
        print(__doc__, file=sys.stderr)
        return 2
    path, src, spi, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    alg, key = (sys.argv[5], bytes.fromhex(sys.argv[6])) if len(sys.argv) == 7 else (None, None)
    found = None
    for p in rdpcap(path):
        if IP in p and p[IP].src == src and ESP in p and p[ESP].spi == spi:
            found = bytes(p[IP])
    if found is None:
        print("inject: no ESP packet from %s with SPI %d in %s" % (src, spi, path), file=sys.stderr)
        return 1
    pkt = forge(found, kind, alg, key)
    if pkt is None:
        print("inject: the %s key does not give the captured packet's ICV" % alg, file=sys.stderr)
        return 1
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(pkt, (socket.inet_ntoa(pkt[16:20]), 0))
    hl = (pkt[0] & 15) * 4
    print(struct.unpack("!I", pkt[hl + 4:hl + 8])[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
