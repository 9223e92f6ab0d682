/* netif.c - TUN devices, raw sockets and routes for xced's datapath
 * (netif.h). Plain ioctl and rtnetlink: no library beyond libc. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netif.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    int e = errno;
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s: %s", what, strerror(e));
    return -1;
}

static int copy_ifname(struct ifreq *ifr, const char *name, char *err, size_t errlen)
{
    memset(ifr, 0, sizeof *ifr);
    if (strlen(name) >= sizeof ifr->ifr_name) {
        snprintf(err, errlen, "interface name '%s' too long", name);
        return -1;
    }
    memcpy(ifr->ifr_name, name, strlen(name));
    return 0;
}

/* Best effort: a TUN device carries IPv4 only; without IPv6 the kernel
 * sends it no router solicitations. */
static void ipv6_off(const char *name)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "1", 1) != 1) {
            /* IPv6 may be off in the kernel: nothing to do */
        }
        close(fd);
    }
}

int netif_tun_open(const char *name, unsigned mtu, int *out, char *err, size_t errlen)
{
    struct ifreq ifr;
    if (copy_ifname(&ifr, name, err, errlen) != 0)
        return -1;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return fail(err, errlen, "/dev/net/tun");
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        fail(err, errlen, "TUN device %s", name);
        close(fd);
        return -1;
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        fail(err, errlen, "socket");
        close(fd);
        return -1;
    }
    int bad = 0;
    ipv6_off(name);   /* before it is up: no router solicitation leaves */
    ifr.ifr_mtu = (int)mtu;
    if (ioctl(s, SIOCSIFMTU, &ifr) != 0)
        bad = fail(err, errlen, "MTU %u on %s", mtu, name);
    if (!bad && ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
        bad = fail(err, errlen, "flags of %s", name);
    ifr.ifr_flags |= IFF_UP;
    if (!bad && ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
        bad = fail(err, errlen, "bringing %s up", name);
    close(s);
    if (bad) {
        close(fd);
        return -1;
    }
    *out = fd;
    return 0;
}

int netif_lookup(const char *name, unsigned *ifindex, unsigned *mtu, char *err, size_t errlen)
{
    struct ifreq ifr;
    if (copy_ifname(&ifr, name, err, errlen) != 0)
        return -1;
    unsigned idx = if_nametoindex(name);
    if (idx == 0)
        return fail(err, errlen, "Linux interface %s", name);
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return fail(err, errlen, "socket");
    int r = ioctl(s, SIOCGIFMTU, &ifr);
    if (r != 0)
        fail(err, errlen, "MTU of %s", name);
    close(s);
    if (r != 0)
        return -1;
    *ifindex = idx;
    *mtu = (unsigned)ifr.ifr_mtu;
    return 0;
}

int netif_send_socket(const char *ifname, int *out, char *err, size_t errlen)
{
    int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_RAW);
    if (fd < 0)
        return fail(err, errlen, "raw socket");
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) != 0) {
        fail(err, errlen, "binding a raw socket to %s", ifname);
        close(fd);
        return -1;
    }
    *out = fd;
    return 0;
}

int netif_recv_socket(int proto, int *out, char *err, size_t errlen)
{
    int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
    if (fd < 0)
        return fail(err, errlen, "raw socket for protocol %d", proto);
    /* bursts of packets: a larger queue than the default drops fewer */
    int sz = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    *out = fd;
    return 0;
}

int netif_udp_socket(uint16_t port, int *out, char *err, size_t errlen)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return fail(err, errlen, "UDP socket");
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fail(err, errlen, "UDP port %u", port);
        close(fd);
        return -1;
    }
    *out = fd;
    return 0;
}

static void put_attr(struct nlmsghdr *n, unsigned short type, const void *data, unsigned short len)
{
    struct rtattr *a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
    a->rta_type = type;
    a->rta_len = (unsigned short)RTA_LENGTH(len);
    memcpy(RTA_DATA(a), data, len);
    n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

int netif_route_add(uint32_t prefix, unsigned len, unsigned ifindex, char *err, size_t errlen)
{
    struct {
        struct nlmsghdr n;
        struct rtmsg r;
        char attrs[64];
    } req;
    memset(&req, 0, sizeof req);
    req.n.nlmsg_len = NLMSG_LENGTH(sizeof req.r);
    req.n.nlmsg_type = RTM_NEWROUTE;
    req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    req.n.nlmsg_seq = 1;
    req.r.rtm_family = AF_INET;
    req.r.rtm_dst_len = (unsigned char)len;
    req.r.rtm_table = RT_TABLE_MAIN;
    req.r.rtm_protocol = RTPROT_STATIC;
    req.r.rtm_scope = RT_SCOPE_LINK;
    req.r.rtm_type = RTN_UNICAST;
    uint32_t dst = htonl(prefix);
    uint32_t oif = ifindex;
    put_attr(&req.n, RTA_DST, &dst, sizeof dst);
    put_attr(&req.n, RTA_OIF, &oif, sizeof oif);

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return fail(err, errlen, "netlink socket");
    struct sockaddr_nl kernel;
    memset(&kernel, 0, sizeof kernel);
    kernel.nl_family = AF_NETLINK;
    int rc = -1;
    if (sendto(fd, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
        fail(err, errlen, "adding a route");
        goto out;
    }
    /* the acknowledgement: an NLMSG_ERROR with error 0 on success */
    char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
        fail(err, errlen, "adding a route: no answer from the kernel");
        goto out;
    }
    const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
    if (h->nlmsg_type != NLMSG_ERROR) {
        snprintf(err, errlen, "adding a route: unexpected netlink answer %u", h->nlmsg_type);
        goto out;
    }
    const struct nlmsgerr *e = NLMSG_DATA(h);
    if (e->error == 0 || e->error == -EEXIST) {
        rc = 0;
    } else {
        errno = -e->error;
        fail(err, errlen, "adding the route %u.%u.%u.%u/%u", prefix >> 24, (prefix >> 16) & 255,
             (prefix >> 8) & 255, prefix & 255, len);
    }
out:
    close(fd);
    return rc;
}

int netif_send(int fd, const uint8_t *pkt, size_t len)
{
    if (len < 20) {
        errno = EINVAL;
        return -1;
    }
    struct sockaddr_in to;
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    memcpy(&to.sin_addr, pkt + 16, 4);
    ssize_t n = sendto(fd, pkt, len, 0, (struct sockaddr *)&to, sizeof to);
    return n == (ssize_t)len ? 0 : -1;
}
