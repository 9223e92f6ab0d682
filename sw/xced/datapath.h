/* datapath.h - xced's IPsec datapath: the crypto maps of the running
 * configuration applied to Linux interfaces, with manually keyed SAs.
 *
 * For each IOS interface that has a crypto map and an `xce linux-interface`
 * that exists (one that does not is left out, as an interface that is down,
 * and logged),
 * xced creates a TUN device ("xce-" and the Linux name, or "xceN" when that
 * is too long) and routes into it the destinations of the permit entries
 * of the map's access lists. A packet the kernel routes into the TUN
 * device is matched against the map entries in sequence order: the first
 * entry whose access list permits it protects it with its SAs (ESP, then
 * AH over it for a bundle) and the result leaves through a raw socket bound
 * to the Linux interface; a packet no entry permits leaves in clear, as on
 * an IOS router. Inbound, raw sockets for ESP (50), AH (51) and, when a map
 * asks for it, ESP in UDP 4500 receive the protected packets; the SA is
 * found by protocol and SPI, the packet verified and decrypted, checked
 * against the map's access list (mirrored), and written into the TUN
 * device, so the kernel delivers or forwards it. Every packet dropped is
 * counted (per interface, and why).
 *
 * One thread: the daemon's poll loop calls dp_service() with the
 * descriptors of dp_poll_set(), and dp_tick() once a second. */
#ifndef XCED_DATAPATH_H
#define XCED_DATAPATH_H

#include <poll.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "ipsec.h"
#include "xce.h"

#define DP_TUN_NAME_MAX 15
#define DP_MAX_FDS (4 + CFG_MAX_INTERFACES)   /* what dp_poll_set() may return */

/* One SA of a crypto map entry. */
struct dp_sa {
    struct ipsec_sa *sa;           /* NULL: none (no such protocol in the transform set) */
    unsigned conn_id;              /* as `show crypto engine connections active` */
    enum ipsec_proto proto;
    enum ipsec_dir dir;
    uint32_t spi;
    int soft_logged, hard_logged;
};

/* Why the datapath dropped a packet outside an SA's own counters. */
enum dp_drop {
    DP_DROP_NO_SA,                 /* inbound: no SA for the protocol and SPI */
    DP_DROP_POLICY,                /* inbound: the recovered packet is not what the map protects,
                                      or the bundle's inner protocol is missing */
    DP_DROP_NOT_IPV4,              /* from the TUN device: not an IPv4 packet */
    DP_DROP_NO_KEYS,               /* outbound: the entry has no SAs (ipsec-isakmp: IKE's) */
    DP_DROP_SEND,                  /* the packet could not be sent or written */
    DP_DROP_IPSEC,                 /* an SA refused it (the SA counts why) */
    DP_DROP_COUNT
};
const char *dp_drop_name(enum dp_drop d);

struct dp_iface;

/* A crypto map entry applied to an interface: its SAs and counters. */
struct dp_flow {
    struct dp_iface *ifc;
    const struct cfg_crypto_map *map;
    const struct cfg_transform_set *ts;
    uint32_t local, peer;
    struct dp_sa esp[2], ah[2];    /* [CFG_IN], [CFG_OUT] */
    uint64_t send_errors, recv_errors;  /* beyond the SAs' own */
};

struct dp_iface {
    const struct cfg_interface *cfg;
    char tun_name[DP_TUN_NAME_MAX + 1];
    int tun_fd, send_fd;
    unsigned tun_index, phys_index;
    unsigned media_mtu, tun_mtu;
    struct dp_flow *flows;
    unsigned nflows;
    uint64_t drops;                /* every packet dropped for this interface */
    uint64_t clear_out;            /* packets no map entry permits, sent in clear */
};

struct datapath {
    xce_dev *dev;
    const struct config *cfg;
    struct dp_iface *ifs;
    unsigned nifs;
    int esp_fd, ah_fd, udp_raw_fd, udp_fd;   /* -1 when not open */
    unsigned next_conn_id;
    int debug;                     /* debug crypto ipsec */
    uint64_t drops[DP_DROP_COUNT];
    uint64_t rx_packets, tx_packets;
    struct dp_down {               /* interfaces whose crypto map is not applied */
        const struct cfg_interface *cfg;
        char why[160];             /* "Linux interface eth1: No such device" */
    } *down;
    unsigned ndown;
};

/* Builds the datapath of cfg on dev: TUN devices, routes, sockets, SAs.
 * An interface with a crypto map but no Linux interface, or one that does
 * not exist, is left out (logged, and listed in down[]); a TUN device,
 * route or socket that cannot be made is an error (err says what). The datapath keeps pointers
 * into cfg: rebuild it before freeing cfg. next_conn_id continues the
 * numbering of connection ids across rebuilds. */
struct datapath *dp_start(xce_dev *dev, const struct config *cfg, unsigned next_conn_id, int debug, char *err,
                          size_t errlen);
void dp_stop(struct datapath *dp);

/* The descriptors to poll (at most max); returns how many. */
int dp_poll_set(const struct datapath *dp, struct pollfd *fds, int max);
/* Handles what the descriptors of dp_poll_set() have ready. */
void dp_service(struct datapath *dp, const struct pollfd *fds, int n);
/* Once a second: logs SAs reaching their soft or hard lifetime. */
void dp_tick(struct datapath *dp);

/* clear crypto sa [peer A.B.C.D | map TAG]: the matching entries' SAs are
 * deleted and set up again from their session keys (counters, sequence
 * numbers and lifetimes start afresh). peer 0 and map NULL: all. Returns
 * how many entries were cleared. */
unsigned dp_clear_sa(struct datapath *dp, uint32_t peer, const char *map);

/* The views (views_ipsec.c prints them). */
void dp_show_ipsec_sa(const struct datapath *dp, FILE *out);
void dp_show_connections(const struct datapath *dp, FILE *out);
void dp_show_dropped(const struct datapath *dp, FILE *out);
/* The proxy identity of access list acl as IOS prints it,
 * "addr/mask/prot/port", from its first permit entry: the source side,
 * or the destination side (dst). b: at least 48 bytes. */
const char *dp_proxy_str(const struct config *c, unsigned acl, int dst, char *b);
/* for show xced: interfaces, packets, drops by reason */
void dp_show_counters(const struct datapath *dp, FILE *out);

#endif
