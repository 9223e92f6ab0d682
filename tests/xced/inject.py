#!/usr/bin/python3
"""inject.py - sends a forged copy of a captured ESP packet, for
tests/xced/test_datapath.sh (run inside the sender's network namespace).

  inject.py PCAP SRC SPI KIND

takes the last ESP packet from SRC with SPI (decimal) in the capture PCAP
and sends, through a raw IP socket:
  replay   the packet as it was
  icv      the packet with the last bit of its ICV flipped
  spi      the packet with an SPI nobody has (0xDEAD0001)
  trunc    the IP header and the first 12 bytes of ESP (lengths fixed)
Exit status 1 when the capture has no such packet."""
import socket
import struct
import sys

from scapy.all import ESP, IP, rdpcap  # python3-scapy


def forge(raw, kind):
    b = bytearray(raw)
    hl = (b[0] & 15) * 4
    if kind == "icv":
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
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    path, src, spi, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    found = None
    for p in rdpcap(path):
        if IP in p and p[IP].src == src and ESP in p and p[ESP].spi == spi:
            found = bytes(p[IP])
    if found is None:
        print("inject: no ESP packet from %s with SPI %d in %s" % (src, spi, path), file=sys.stderr)
        return 1
    pkt = forge(found, kind)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(pkt, (socket.inet_ntoa(pkt[16:20]), 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
