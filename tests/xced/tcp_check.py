#!/usr/bin/python3
"""tcp_check.py - one checksummed TCP transfer, for tests/xced/test_datapath.sh.

  tcp_check.py serve ADDR PORT          accept one connection (20 s at most), read
                                        to the end, print "BYTES SHA256"
  tcp_check.py send SRC DST PORT BYTES  connect from SRC (retrying 10 s while
                                        refused), send BYTES random bytes, print
                                        "BYTES SHA256" of what was sent

Exit status 1 on a timeout or a socket error (the message on stderr)."""
import hashlib
import os
import socket
import sys
import time


def serve(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(20)
    c, _ = s.accept()
    c.settimeout(20)
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.close()
    print(n, h.hexdigest())


def send(src, dst, port, count):
    data = os.urandom(count)
    deadline = time.monotonic() + 10
    while True:
        try:
            c = socket.create_connection((dst, port), timeout=20, source_address=(src, 0))
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    c.settimeout(20)
    c.recv(1)  # the server closes once it has read everything
    c.close()
    print(len(data), hashlib.sha256(data).hexdigest())


def main():
    try:
        if len(sys.argv) == 4 and sys.argv[1] == "serve":
            serve(sys.argv[2], int(sys.argv[3]))
        elif len(sys.argv) == 6 and sys.argv[1] == "send":
            send(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (OSError, ValueError) as e:
        print("tcp_check: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
