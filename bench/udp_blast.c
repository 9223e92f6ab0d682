/* udp_blast.c - UDP datagrams as fast as the kernel takes them, and a
 * counter at the other end: the traffic of bench/tunnel.sh. Plain C and
 * the socket API, no libxce.
 *
 *   udp_blast send SRC DST PORT SIZE SECONDS
 *       datagrams from SRC (an address of this host, any port) to DST:PORT
 *       whose IPv4 packet is SIZE bytes (64..1500: the UDP payload is
 *       SIZE - 28), in batches of 64 (sendmmsg) for SECONDS (1..60);
 *       prints the number the kernel accepted
 *   udp_blast recv ADDR PORT SECONDS
 *       counts the datagrams to ADDR:PORT (recvmmsg) from the first one
 *       for SECONDS (1..60), or until 2 s pass without one, and at most
 *       30 s after it starts; prints "PACKETS BYTES SECONDS": BYTES are
 *       IPv4 packet bytes (payload + 28, what SIZE counts), SECONDS the
 *       time from the first datagram to the last one counted
 *
 * Exit status 0 when it ran (a receiver that got nothing prints "0 0 0"),
 * 1 on a socket error, 2 on bad arguments.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    BATCH = 64,             /* datagrams per sendmmsg / recvmmsg */
    HDR_BYTES = 28,         /* IPv4 header (no options) + UDP header */
    MIN_SIZE = 64,
    MAX_SIZE = 1500,
    MAX_SECONDS = 60,
    RECV_BUF = 2048,        /* one datagram; larger ones are counted truncated */
    SILENCE_MS = 2000,      /* the receiver stops after this long without one */
    CAP_MS = 30000,         /* and at most this long after it starts */
    SOCK_BUF = 8 << 20,     /* asked of SO_SNDBUF/SO_RCVBUF(FORCE) */
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: udp_blast send SRC DST PORT SIZE SECONDS\n"
            "       udp_blast recv ADDR PORT SECONDS\n"
            "  send: UDP from SRC to DST:PORT as fast as possible, IPv4 packets of SIZE bytes\n"
            "        (%d..%d, payload SIZE-%d), for SECONDS (1..%d); prints the count sent\n"
            "  recv: counts datagrams to ADDR:PORT from the first one for SECONDS, or until\n"
            "        %d s without one (at most %d s in all); prints \"PACKETS BYTES SECONDS\"\n"
            "        (IPv4 packet bytes, time from the first datagram to the last)\n",
            MIN_SIZE, MAX_SIZE, HDR_BYTES, MAX_SECONDS, SILENCE_MS / 1000, CAP_MS / 1000);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* parse_num TEXT LO HI WHAT: TEXT as a whole decimal number in [LO, HI]; -1 (and a message) if not */
static long parse_num(const char *text, long lo, long hi, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "udp_blast: %s '%s': want a number from %ld to %ld\n", what, text, lo, hi);
        return -1;
    }
    return v;
}

/* parse_addr TEXT PORT OUT: an IPv4 address in dotted form; 0, or -1 and a message */
static int parse_addr(const char *text, long port, struct sockaddr_in *out)
{
    memset(out, 0, sizeof(*out));
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, text, &out->sin_addr) != 1) {
        fprintf(stderr, "udp_blast: '%s' is not an IPv4 address\n", text);
        return -1;
    }
    return 0;
}

/* udp_socket ADDR BUFOPT FORCEOPT: a UDP socket bound to ADDR, its buffer (SO_SNDBUF or
 * SO_RCVBUF) made large; -1 and a message on failure */
static int udp_socket(const struct sockaddr_in *addr, int bufopt, int forceopt)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("udp_blast: socket");
        return -1;
    }
    int buf = SOCK_BUF;
    /* FORCE goes past net.core.*mem_max when we may (root); the plain one is the fallback */
    if (setsockopt(fd, SOL_SOCKET, forceopt, &buf, sizeof(buf)) != 0)
        (void)setsockopt(fd, SOL_SOCKET, bufopt, &buf, sizeof(buf));
    if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) != 0) {
        char a[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &addr->sin_addr, a, sizeof(a));
        fprintf(stderr, "udp_blast: bind %s:%u: %s\n", a, ntohs(addr->sin_port), strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int cmd_send(char **argv)
{
    struct sockaddr_in src, dst;
    long port = parse_num(argv[2], 1, 65535, "PORT");
    long size = parse_num(argv[3], MIN_SIZE, MAX_SIZE, "SIZE");
    long secs = parse_num(argv[4], 1, MAX_SECONDS, "SECONDS");
    if (port < 0 || size < 0 || secs < 0 || parse_addr(argv[0], 0, &src) || parse_addr(argv[1], port, &dst))
        return 2;
    int fd = udp_socket(&src, SO_SNDBUF, SO_SNDBUFFORCE);
    if (fd < 0)
        return 1;
    if (connect(fd, (const struct sockaddr *)&dst, sizeof(dst)) != 0) {
        fprintf(stderr, "udp_blast: connect %s:%ld: %s\n", argv[1], port, strerror(errno));
        close(fd);
        return 1;
    }

    static unsigned char payload[MAX_SIZE];
    for (size_t i = 0; i < sizeof(payload); i++)
        payload[i] = (unsigned char)i;
    struct iovec iov = { .iov_base = payload, .iov_len = (size_t)size - HDR_BYTES };
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof(msgs));
    for (int i = 0; i < BATCH; i++) {
        msgs[i].msg_hdr.msg_iov = &iov;
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    /* A connected UDP socket reports an ICMP error of an earlier datagram on
     * a later call (ECONNREFUSED when the receiver has gone); that and a
     * full queue are not the end of the run: counted and said at the end. */
    unsigned long long sent = 0, soft_errors = 0;
    double end = now_s() + (double)secs;
    int rc = 0;
    while (now_s() < end) {
        int n = sendmmsg(fd, msgs, BATCH, 0);
        if (n > 0) {
            sent += (unsigned long long)n;
        } else if (n < 0 && (errno == ECONNREFUSED || errno == ENOBUFS || errno == EAGAIN || errno == EINTR)) {
            soft_errors++;
        } else if (n < 0) {
            perror("udp_blast: sendmmsg");
            rc = 1;
            break;
        }
    }
    close(fd);
    if (soft_errors)
        fprintf(stderr, "udp_blast: %llu sendmmsg calls refused for a while (ICMP unreachable, full queue)\n",
                soft_errors);
    printf("%llu\n", sent);
    return rc;
}

static int cmd_recv(char **argv)
{
    struct sockaddr_in addr;
    long port = parse_num(argv[1], 1, 65535, "PORT");
    long secs = parse_num(argv[2], 1, MAX_SECONDS, "SECONDS");
    if (port < 0 || secs < 0 || parse_addr(argv[0], port, &addr))
        return 2;
    int fd = udp_socket(&addr, SO_RCVBUF, SO_RCVBUFFORCE);
    if (fd < 0)
        return 1;

    static unsigned char bufs[BATCH][RECV_BUF];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof(msgs));
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = RECV_BUF;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    unsigned long long packets = 0, bytes = 0;
    double start = now_s(), cap = start + CAP_MS / 1000.0, first = 0, last = 0;
    int rc = 0;
    for (;;) {
        double t = now_s(), until = cap;
        if (packets && first + (double)secs < until)
            until = first + (double)secs;
        if (packets && last + SILENCE_MS / 1000.0 < until)
            until = last + SILENCE_MS / 1000.0;
        if (t >= until)
            break;
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int wait_ms = (int)((until - t) * 1000.0) + 1;
        int p = poll(&pfd, 1, wait_ms);
        if (p < 0 && errno == EINTR)
            continue;
        if (p < 0) {
            perror("udp_blast: poll");
            rc = 1;
            break;
        }
        if (p == 0)
            continue;
        int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0) {
            perror("udp_blast: recvmmsg");
            rc = 1;
            break;
        }
        t = now_s();
        if (!packets && n > 0)
            first = t;
        /* a batch that lands after the window is not counted */
        if (packets && t > first + (double)secs)
            break;
        for (int i = 0; i < n; i++)
            bytes += msgs[i].msg_len + HDR_BYTES;
        packets += (unsigned long long)n;
        last = t;
    }
    close(fd);
    printf("%llu %llu %.6f\n", packets, bytes, packets ? last - first : 0.0);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc == 7 && !strcmp(argv[1], "send"))
        return cmd_send(argv + 2);
    if (argc == 5 && !strcmp(argv[1], "recv"))
        return cmd_recv(argv + 2);
    usage(stderr);
    return 2;
}
