/* netif.h - the Linux side of xced's datapath: TUN devices, raw sockets
 * and routes. Each function returns 0, or -1 with a message in err
 * ("what: strerror"); nothing here knows about IPsec.
 *
 * Addresses are IPv4 in host byte order. Needs CAP_NET_ADMIN (TUN, routes)
 * and CAP_NET_RAW (raw sockets). */
#ifndef XCED_NETIF_H
#define XCED_NETIF_H

#include <stddef.h>
#include <stdint.h>

/* A new TUN device NAME (IFF_TUN, no packet information), non-blocking,
 * close-on-exec, brought up with the given MTU and IPv6 off. The device
 * goes away when the descriptor is closed. */
int netif_tun_open(const char *name, unsigned mtu, int *fd, char *err, size_t errlen);

/* Index and MTU of a Linux interface. */
int netif_lookup(const char *name, unsigned *ifindex, unsigned *mtu, char *err, size_t errlen);

/* A raw socket sending whole IPv4 packets (IP_HDRINCL) out of the named
 * interface only (SO_BINDTODEVICE), so that a route into a TUN device
 * cannot loop them back to xced. */
int netif_send_socket(const char *ifname, int *fd, char *err, size_t errlen);

/* A raw socket receiving IPv4 packets of protocol proto (with their IP
 * header), non-blocking. */
int netif_recv_socket(int proto, int *fd, char *err, size_t errlen);

/* A UDP socket bound to port (any address), non-blocking: holds the port
 * so that the kernel does not answer ESP-in-UDP with ICMP unreachable;
 * the packets are read from the raw UDP socket. */
int netif_udp_socket(uint16_t port, int *fd, char *err, size_t errlen);

/* Adds the route PREFIX/LEN through interface ifindex (RTM_NEWROUTE on
 * rtnetlink, table main, scope link). A route already there is fine. */
int netif_route_add(uint32_t prefix, unsigned len, unsigned ifindex, char *err, size_t errlen);

/* Sends the IPv4 packet pkt (its header's destination is used) on a socket
 * of netif_send_socket(). 0, or -1 with errno. */
int netif_send(int fd, const uint8_t *pkt, size_t len);

#endif
