/* datapath.c - xced's IPsec datapath (datapath.h): the crypto maps of the
 * configuration on TUN devices and raw sockets, packets through sw/ipsec.
 *
 * Outbound, the packets read from a TUN device in one round are sorted by
 * the map entry that protects them and each entry's packets go through
 * its SAs as one burst (ipsec_output_burst: all in flight on the engine
 * together). Inbound, the packets read from a raw socket in one round are
 * sorted by SA and unprotected in bursts the same way; a bundle's inner
 * protocol is a second pass. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "datapath.h"
#include "netif.h"
#include "xced.h"

#define BUF_CAP (65536 + 512)    /* an IPv4 packet and what ESP/AH add */
#define ROUND IPSEC_BURST_MAX    /* packets read from a descriptor per round */

/* Buffers of one round: input, after the first transform, after the second. */
struct round {
    uint8_t *buf[3][ROUND];
    size_t len[ROUND];
    void *owner[ROUND];          /* the flow (outbound) or the SA (inbound) */
    int stage_ok[ROUND];
    int udp;                     /* inbound: read from the raw UDP socket */
    int from;                    /* the stage the running burst reads */
};
static struct round R;

static const char *const drop_names[DP_DROP_COUNT] = {
    [DP_DROP_NO_SA] = "no SA for the SPI",
    [DP_DROP_POLICY] = "not permitted by the crypto map",
    [DP_DROP_NOT_IPV4] = "not IPv4",
    [DP_DROP_NO_KEYS] = "no SA for the map entry",
    [DP_DROP_SEND] = "send error",
    [DP_DROP_IPSEC] = "refused by the SA",
};

const char *dp_drop_name(enum dp_drop d)
{
    return (unsigned)d < DP_DROP_COUNT ? drop_names[d] : "?";
}


static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* --- access lists ------------------------------------------------------------------------- */

/* What an access list looks at in a packet. */
struct flow_key {
    uint32_t src, dst;
    unsigned proto;
    int sport, dport;    /* -1: none (not TCP/UDP, or a later fragment) */
};

static int key_of(const uint8_t *p, size_t len, struct flow_key *k)
{
    if (len < 20 || (p[0] >> 4) != 4)
        return -1;
    size_t hl = (size_t)(p[0] & 15) * 4;
    size_t tot = (size_t)p[2] << 8 | p[3];
    if (hl < 20 || tot < hl || tot > len)
        return -1;
    k->proto = p[9];
    k->src = rd32(p + 12);
    k->dst = rd32(p + 16);
    k->sport = k->dport = -1;
    int later_fragment = ((p[6] & 0x1f) | p[7]) != 0;
    if ((k->proto == 6 || k->proto == 17) && !later_fragment && tot >= hl + 4) {
        k->sport = p[hl] << 8 | p[hl + 1];
        k->dport = p[hl + 2] << 8 | p[hl + 3];
    }
    return 0;
}

static int ace_match(const struct cfg_ace *a, const struct flow_key *k, int mirror)
{
    uint32_t src = mirror ? k->dst : k->src, dst = mirror ? k->src : k->dst;
    int sport = mirror ? k->dport : k->sport, dport = mirror ? k->sport : k->dport;
    if (a->proto != CFG_PROTO_IP && a->proto != k->proto)
        return 0;
    if ((src & ~a->src_wild) != a->src || (dst & ~a->dst_wild) != a->dst)
        return 0;
    if (a->src_port >= 0 && sport != a->src_port)
        return 0;
    if (a->dst_port >= 0 && dport != a->dst_port)
        return 0;
    return 1;
}

/* The first entry of list acl that matches decides; none: not permitted.
 * mirror: the packet comes from the peer (source and destination swap). */
static int acl_permits(const struct config *c, unsigned acl, const struct flow_key *k, int mirror)
{
    for (unsigned i = 0; i < c->naces; i++) {
        const struct cfg_ace *a = &c->aces[i];
        if (a->number == acl && ace_match(a, k, mirror))
            return !a->deny;
    }
    return 0;
}

static const struct cfg_ace *first_permit(const struct config *c, unsigned acl)
{
    for (unsigned i = 0; i < c->naces; i++)
        if (c->aces[i].number == acl && !c->aces[i].deny)
            return &c->aces[i];
    return NULL;
}

const char *dp_proxy_str(const struct config *c, unsigned acl, int dst, char *b)
{
    const struct cfg_ace *a = first_permit(c, acl);
    char ip[16];
    uint32_t addr = a ? (dst ? a->dst : a->src) : 0, wild = a ? (dst ? a->dst_wild : a->src_wild) : 0xffffffffu;
    int port = a ? (dst ? a->dst_port : a->src_port) : -1;
    unsigned proto = a && a->proto != CFG_PROTO_IP ? a->proto : 0;
    char m[16];
    sprintf(b, "%s/%s/%u/%d", cfg_ip_str(addr, ip), cfg_ip_str(~wild, m), proto, port < 0 ? 0 : port);
    return b;
}

/* --- SAs ------------------------------------------------------------------------------------ */
static enum ipsec_cipher cipher_of(const struct cfg_transform_set *t)
{
    switch (t->cipher) {
    case CFG_ESP_DES: return IPSEC_CIPHER_DES;
    case CFG_ESP_3DES: return IPSEC_CIPHER_3DES;
    case CFG_ESP_AES: return t->aes_bits == 256 ? IPSEC_CIPHER_AES256
                           : t->aes_bits == 192 ? IPSEC_CIPHER_AES192 : IPSEC_CIPHER_AES128;
    default: return IPSEC_CIPHER_NULL;
    }
}

static enum ipsec_auth esp_auth_of(enum cfg_esp_auth a)
{
    return a == CFG_ESPA_MD5 ? IPSEC_AUTH_MD5_96
         : a == CFG_ESPA_SHA ? IPSEC_AUTH_SHA1_96
         : a == CFG_ESPA_SHA256 ? IPSEC_AUTH_SHA256_128 : IPSEC_AUTH_NONE;
}

static int has_esp(const struct cfg_transform_set *t)
{
    return t->cipher != CFG_ESP_NONE || t->esp_auth != CFG_ESPA_NONE;
}

static const char *transform_s(const struct dp_sa *s, char *b, size_t n)
{
    struct ipsec_sa_stats st;
    if (!s->sa || ipsec_sa_stats(s->sa, &st) != XCE_OK)
        return "";
    snprintf(b, n, "%s", st.transform);
    return b;
}

static void log_sa(const struct datapath *dp, const struct dp_flow *f, const struct dp_sa *s, const char *fn,
                   const char *what)
{
    if (!dp->debug)
        return;
    char d[16], t[64];
    uint32_t dst = s->dir == IPSEC_DIR_INBOUND ? f->local : f->peer;
    xlog(LOG_INFO, "IPSEC(%s): %s, (sa) sa_dest= %s, sa_prot= %d, sa_spi= 0x%" PRIX32 "(%" PRIu32 "), sa_trans= %s , "
         "sa_conn_id= %u", fn, what, cfg_ip_str(dst, d), (int)s->proto, s->spi, s->spi, transform_s(s, t, sizeof t),
         s->conn_id);
}

static void log_init(const struct datapath *dp, const struct dp_flow *f, const struct dp_sa *s)
{
    if (!dp->debug)
        return;
    char a[16], b[16], sp[64], dpx[64], t[64];
    int in = s->dir == IPSEC_DIR_INBOUND;
    xlog(LOG_INFO, "IPSEC(initialize_sas): , (key eng. msg.) SRC= %s, dest= %s, src_proxy= %s, dest_proxy= %s, "
         "protocol= %s, transform= %s , lifedur= %us and %ukb, spi= 0x%" PRIX32 "(%" PRIu32 "), conn_id= %u, "
         "keysize= 0, flags= 0x%x",
         cfg_ip_str(in ? f->peer : f->local, a), cfg_ip_str(in ? f->local : f->peer, b), dp_proxy_str(dp->cfg, f->map->acl, in, sp),
         dp_proxy_str(dp->cfg, f->map->acl, !in, dpx), s->proto == IPSEC_PROTO_AH ? "AH" : "ESP", transform_s(s, t, sizeof t),
         f->map->life_sec, f->map->life_kb, s->spi, s->spi, s->conn_id, in ? 0x4u : 0x0u);
}

static void sa_destroy(const struct datapath *dp, const struct dp_flow *f, struct dp_sa *s)
{
    if (!s->sa)
        return;
    log_sa(dp, f, s, "delete_sa", "deleting SA");
    ipsec_sa_destroy(s->sa);
    memset(s, 0, sizeof *s);
}

static int sa_create(struct datapath *dp, struct dp_flow *f, struct dp_sa *s, enum ipsec_proto proto, int dir,
                     char *err, size_t errlen)
{
    const struct cfg_transform_set *t = f->ts;
    const struct cfg_session_key *k = proto == IPSEC_PROTO_ESP ? &f->map->esp[dir] : &f->map->ah[dir];
    struct ipsec_sa_params p;
    memset(&p, 0, sizeof p);
    p.proto = proto;
    p.dir = dir == CFG_IN ? IPSEC_DIR_INBOUND : IPSEC_DIR_OUTBOUND;
    p.spi = k->spi;
    /* a bundle in tunnel mode: ESP makes the tunnel, AH covers its outer header */
    p.mode = t->mode == CFG_MODE_TRANSPORT || (proto == IPSEC_PROTO_AH && has_esp(t)) ? IPSEC_MODE_TRANSPORT
                                                                                       : IPSEC_MODE_TUNNEL;
    if (proto == IPSEC_PROTO_ESP) {
        p.cipher = cipher_of(t);
        p.cipher_key = k->cipher;
        p.cipher_key_len = k->cipher_len;
        p.auth = esp_auth_of(t->esp_auth);
        p.udp_encap = f->map->udp_encap;
    } else {
        p.auth = t->ah == CFG_AH_MD5 ? IPSEC_AUTH_MD5_96 : IPSEC_AUTH_SHA1_96;
    }
    p.auth_key = k->auth;
    p.auth_key_len = k->auth_len;
    p.local = f->local;
    p.remote = f->peer;
    p.replay_window = (int)dp->cfg->replay_window;
    p.hard_kbytes = f->map->life_kb;
    p.hard_seconds = f->map->life_sec;
    int r = ipsec_sa_create(dp->dev, &p, &s->sa);
    if (r != XCE_OK) {
        snprintf(err, errlen, "crypto map %s %u: %s SA %s spi %" PRIu32 ": %s", f->map->tag, f->map->seq,
                 proto == IPSEC_PROTO_AH ? "AH" : "ESP", dir == CFG_IN ? "inbound" : "outbound", k->spi,
                 xce_strerror(r));
        s->sa = NULL;
        return -1;
    }
    s->proto = proto;
    s->dir = p.dir;
    s->spi = k->spi;
    s->conn_id = dp->next_conn_id++;
    s->soft_logged = s->hard_logged = 0;
    log_init(dp, f, s);
    log_sa(dp, f, s, "create_sa", "sa created");
    return 0;
}

/* The SAs of a manual entry, in IOS's connection id order: AH in, AH out,
 * ESP in, ESP out. An ipsec-isakmp entry has none until IKE makes them. */
static int flow_sas_create(struct datapath *dp, struct dp_flow *f, char *err, size_t errlen)
{
    if (f->map->type != CFG_MAP_MANUAL)
        return 0;
    for (int d = CFG_IN; d <= CFG_OUT; d++)
        if (f->ts->ah != CFG_AH_NONE && sa_create(dp, f, &f->ah[d], IPSEC_PROTO_AH, d, err, errlen) != 0)
            return -1;
    for (int d = CFG_IN; d <= CFG_OUT; d++)
        if (has_esp(f->ts) && sa_create(dp, f, &f->esp[d], IPSEC_PROTO_ESP, d, err, errlen) != 0)
            return -1;
    return 0;
}

static void flow_sas_destroy(const struct datapath *dp, struct dp_flow *f)
{
    /* in connection id order, as IOS deletes them */
    for (int d = CFG_IN; d <= CFG_OUT; d++)
        sa_destroy(dp, f, &f->ah[d]);
    for (int d = CFG_IN; d <= CFG_OUT; d++)
        sa_destroy(dp, f, &f->esp[d]);
}

/* --- start and stop --------------------------------------------------------------------------- */
static void tun_name(const struct cfg_interface *ci, unsigned index, char *out)
{
    if (strlen(ci->linux_ifname) + 4 <= DP_TUN_NAME_MAX)
        snprintf(out, DP_TUN_NAME_MAX + 1, "xce-%s", ci->linux_ifname);
    else
        snprintf(out, DP_TUN_NAME_MAX + 1, "xce%u", index);
}

/* A wildcard whose ones are contiguous from bit 0 is a prefix: its length, else -1. */
static int prefix_len(uint32_t wild)
{
    if ((wild & (wild + 1)) != 0)
        return -1;
    int n = 32;
    while (wild) {
        wild >>= 1;
        n--;
    }
    return n;
}

static int add_routes(struct datapath *dp, struct dp_iface *ifc, char *err, size_t errlen)
{
    for (unsigned j = 0; j < ifc->nflows; j++) {
        unsigned acl = ifc->flows[j].map->acl;
        for (unsigned i = 0; i < dp->cfg->naces; i++) {
            const struct cfg_ace *a = &dp->cfg->aces[i];
            if (a->number != acl || a->deny)
                continue;
            int len = prefix_len(a->dst_wild);
            char ip[16];
            if (len <= 0) {
                xlog(LOG_WARNING, "access-list %u line %u: destination %s is not a prefix (or is any): no route "
                     "into %s for it", acl, a->line, cfg_ip_str(a->dst, ip), ifc->tun_name);
                continue;
            }
            if (netif_route_add(a->dst, (unsigned)len, ifc->tun_index, err, errlen) != 0)
                return -1;
            xlog(LOG_DEBUG, "route %s/%d into %s (access-list %u)", cfg_ip_str(a->dst, ip), len, ifc->tun_name, acl);
        }
    }
    return 0;
}

static int iface_start(struct datapath *dp, struct dp_iface *ifc, unsigned index, char *err, size_t errlen)
{
    const struct cfg_interface *ci = ifc->cfg;
    char e[256];
    if (!ci->has_address) {
        snprintf(err, errlen, "interface %s: crypto map %s needs an ip address (the local crypto endpoint)", ci->name,
                 ci->crypto_map);
        return -1;
    }
    if (netif_lookup(ci->linux_ifname, &ifc->phys_index, &ifc->media_mtu, e, sizeof e) != 0) {
        /* as an interface that is down: the rest of the router works */
        snprintf(err, errlen, "%s", e);
        return 1;
    }
    for (unsigned m = 0; m < dp->cfg->nmaps; m++)
        if (!strcmp(dp->cfg->maps[m].tag, ci->crypto_map))
            ifc->nflows++;
    ifc->flows = calloc(ifc->nflows ? ifc->nflows : 1, sizeof *ifc->flows);
    if (!ifc->flows) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t overhead = 0;
    unsigned k = 0;
    for (unsigned m = 0; m < dp->cfg->nmaps; m++) {
        const struct cfg_crypto_map *map = &dp->cfg->maps[m];
        if (strcmp(map->tag, ci->crypto_map) != 0)
            continue;
        struct dp_flow *f = &ifc->flows[k++];
        f->ifc = ifc;
        f->map = map;
        f->ts = config_find_tset(dp->cfg, map->tsets[0]);
        f->local = ci->addr;
        f->peer = map->npeers ? map->peers[0] : 0;
        if (flow_sas_create(dp, f, err, errlen) != 0)
            return -1;
        size_t o = 0;
        if (f->esp[CFG_OUT].sa)
            o += ipsec_overhead(f->esp[CFG_OUT].sa, ifc->media_mtu);
        if (f->ah[CFG_OUT].sa)
            o += ipsec_overhead(f->ah[CFG_OUT].sa, ifc->media_mtu);
        if (o > overhead)
            overhead = o;
    }
    /* the TUN device's MTU keeps protected packets within the media MTU */
    ifc->tun_mtu = ifc->media_mtu > overhead + 576 ? ifc->media_mtu - (unsigned)overhead : 576;
    tun_name(ci, index, ifc->tun_name);
    if (netif_tun_open(ifc->tun_name, ifc->tun_mtu, &ifc->tun_fd, e, sizeof e) != 0 ||
        (ifc->tun_index = if_nametoindex(ifc->tun_name)) == 0) {
        snprintf(err, errlen, "interface %s: %s", ci->name, e);
        return -1;
    }
    if (netif_send_socket(ci->linux_ifname, &ifc->send_fd, e, sizeof e) != 0 || add_routes(dp, ifc, e, sizeof e) != 0) {
        snprintf(err, errlen, "interface %s: %s", ci->name, e);
        return -1;
    }
    char ip[16];
    xlog(LOG_NOTICE, "interface %s (%s, %s): crypto map %s on %s, MTU %u", ci->name, ci->linux_ifname,
         cfg_ip_str(ci->addr, ip), ci->crypto_map, ifc->tun_name, ifc->tun_mtu);
    return 0;
}

static int alloc_round(void)
{
    if (R.buf[0][0])
        return 0;
    for (int s = 0; s < 3; s++)
        for (int i = 0; i < ROUND; i++)
            if (!(R.buf[s][i] = malloc(BUF_CAP)))
                return -1;
    return 0;
}

struct datapath *dp_start(xce_dev *dev, const struct config *cfg, unsigned next_conn_id, int debug, char *err,
                          size_t errlen)
{
    struct datapath *dp = calloc(1, sizeof *dp);
    if (!dp || alloc_round() != 0) {
        free(dp);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    dp->dev = dev;
    dp->cfg = cfg;
    dp->next_conn_id = next_conn_id ? next_conn_id : 1;
    dp->debug = debug;
    dp->esp_fd = dp->ah_fd = dp->udp_raw_fd = dp->udp_fd = -1;
    unsigned n = 0;
    for (unsigned i = 0; i < cfg->nifs; i++)
        if (cfg->ifs[i].crypto_map[0] && !cfg->ifs[i].shutdown)
            n++;
    dp->ifs = calloc(n ? n : 1, sizeof *dp->ifs);
    dp->down = calloc(n ? n : 1, sizeof *dp->down);
    if (!dp->ifs || !dp->down) {
        free(dp->ifs);
        free(dp->down);
        free(dp);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int udp = 0;
    for (unsigned i = 0; i < cfg->nifs; i++) {
        const struct cfg_interface *ci = &cfg->ifs[i];
        if (!ci->crypto_map[0] || ci->shutdown)
            continue;
        if (!ci->linux_ifname[0]) {
            xlog(LOG_WARNING, "interface %s: crypto map %s not applied: no xce linux-interface", ci->name,
                 ci->crypto_map);
            snprintf(dp->down[dp->ndown].why, sizeof dp->down[0].why, "no xce linux-interface");
            dp->down[dp->ndown++].cfg = ci;
            continue;
        }
        struct dp_iface *ifc = &dp->ifs[dp->nifs++];
        ifc->cfg = ci;
        ifc->tun_fd = ifc->send_fd = -1;
        int r = iface_start(dp, ifc, i, err, errlen);
        if (r > 0) {
            xlog(LOG_WARNING, "interface %s: crypto map %s not applied: %s", ci->name, ci->crypto_map, err);
            snprintf(dp->down[dp->ndown].why, sizeof dp->down[0].why, "%s", err);
            dp->down[dp->ndown++].cfg = ci;
            free(ifc->flows);
            memset(ifc, 0, sizeof *ifc);
            dp->nifs--;
            continue;
        }
        if (r < 0) {
            dp_stop(dp);
            return NULL;
        }
        for (unsigned j = 0; j < ifc->nflows; j++)
            udp |= ifc->flows[j].map->udp_encap;
    }
    char e[256];
    if (dp->nifs && (netif_recv_socket(IPSEC_PROTO_ESP, &dp->esp_fd, e, sizeof e) != 0 ||
                     netif_recv_socket(IPSEC_PROTO_AH, &dp->ah_fd, e, sizeof e) != 0 ||
                     (udp && (netif_recv_socket(17, &dp->udp_raw_fd, e, sizeof e) != 0 ||
                              netif_udp_socket(IPSEC_NATT_PORT, &dp->udp_fd, e, sizeof e) != 0)))) {
        snprintf(err, errlen, "%s", e);
        dp_stop(dp);
        return NULL;
    }
    return dp;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

void dp_stop(struct datapath *dp)
{
    if (!dp)
        return;
    for (unsigned i = 0; i < dp->nifs; i++) {
        struct dp_iface *ifc = &dp->ifs[i];
        for (unsigned j = 0; j < ifc->nflows; j++)
            flow_sas_destroy(dp, &ifc->flows[j]);
        free(ifc->flows);
        close_fd(&ifc->tun_fd);   /* the device and its routes go with it */
        close_fd(&ifc->send_fd);
    }
    close_fd(&dp->esp_fd);
    close_fd(&dp->ah_fd);
    close_fd(&dp->udp_raw_fd);
    close_fd(&dp->udp_fd);
    free(dp->ifs);
    free(dp->down);
    free(dp);
}

/* --- drops and their log ------------------------------------------------------------------------ */

/* IOS's %CRYPTO-4 messages, at most one a second of each kind. */
static void warn_limited(int kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn_limited(int kind, const char *fmt, ...)
{
    static time_t last[IPSEC_DROP_COUNT + DP_DROP_COUNT];
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (last[kind] == now.tv_sec)
        return;
    last[kind] = now.tv_sec;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xlog(LOG_WARNING, "%s", msg);
}

static void drop(struct datapath *dp, struct dp_iface *ifc, enum dp_drop why)
{
    dp->drops[why]++;
    if (ifc)
        ifc->drops++;
}

/* The sequence number of an ESP/AH packet (for the replay message). */
static uint32_t seq_of(const uint8_t *p, size_t len, enum ipsec_proto proto, int udp)
{
    size_t hl = (size_t)(p[0] & 15) * 4 + (udp ? 8 : 0);
    size_t at = hl + (proto == IPSEC_PROTO_AH ? 8 : 4);
    return at + 4 <= len ? rd32(p + at) : 0;
}

static void inbound_refused(struct datapath *dp, struct dp_flow *f, const struct dp_sa *s, const uint8_t *pkt,
                            size_t len, enum ipsec_drop why, int udp)
{
    drop(dp, f->ifc, DP_DROP_IPSEC);
    if (why == IPSEC_DROP_REPLAY)
        warn_limited(why, "%%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=%u, sequence "
                     "number=%" PRIu32, s->conn_id, seq_of(pkt, len, s->proto, udp));
    else if (why == IPSEC_DROP_AUTH)
        warn_limited(why, "%%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verification failed for connection id=%u",
                     s->conn_id);
    else
        warn_limited(why, "%%CRYPTO-4-RECVD_PKT_INV_PROT: decaps: packet dropped on connection id=%u: %s",
                     s->conn_id, ipsec_drop_name(why));
}

/* --- outbound: TUN device to the wire ---------------------------------------------------------- */

/* The map entry that protects the packet: the first whose access list
 * permits it; NULL: none (the packet goes in clear). */
static struct dp_flow *classify(struct datapath *dp, struct dp_iface *ifc, const struct flow_key *k)
{
    for (unsigned j = 0; j < ifc->nflows; j++)
        if (acl_permits(dp->cfg, ifc->flows[j].map->acl, k, 0))
            return &ifc->flows[j];
    return NULL;
}

static void send_out(struct datapath *dp, struct dp_iface *ifc, struct dp_flow *f, const uint8_t *p, size_t len)
{
    if (netif_send(ifc->send_fd, p, len) != 0) {
        if (f)
            f->send_errors++;
        drop(dp, ifc, DP_DROP_SEND);
        warn_limited(IPSEC_DROP_COUNT + DP_DROP_SEND, "%s: sending a packet: %s", ifc->cfg->linux_ifname,
                     strerror(errno));
        return;
    }
    dp->tx_packets++;
}

/* Runs the packets of round stage `from` owned by owner through sa into
 * stage `to`; stage_ok says which passed. */
static void run_burst(struct ipsec_sa *sa, int out, void *owner, unsigned n, int from, int to,
                      void (*refused)(struct datapath *, void *, unsigned, enum ipsec_drop), struct datapath *dp)
{
    struct ipsec_pkt pk[ROUND];
    unsigned idx[ROUND], m = 0;
    for (unsigned i = 0; i < n; i++) {
        if (R.owner[i] != owner || !R.stage_ok[i])
            continue;
        pk[m] = (struct ipsec_pkt){ .in = R.buf[from][i], .in_len = R.len[i], .out = R.buf[to][i], .cap = BUF_CAP };
        idx[m++] = i;
    }
    if (!m)
        return;
    R.from = from;
    if (out)
        ipsec_output_burst(sa, pk, m);
    else
        ipsec_input_burst(sa, pk, m);
    for (unsigned j = 0; j < m; j++) {
        unsigned i = idx[j];
        if (pk[j].result == IPSEC_OK) {
            R.len[i] = pk[j].out_len;
        } else {
            R.stage_ok[i] = 0;
            refused(dp, owner, i, pk[j].result);
        }
    }
}

static void out_refused(struct datapath *dp, void *owner, unsigned i, enum ipsec_drop why)
{
    (void)i;
    struct dp_flow *f = owner;
    drop(dp, f->ifc, DP_DROP_IPSEC);
    if (why == IPSEC_DROP_EXPIRED || why == IPSEC_DROP_SEQ_WRAP)
        warn_limited(why, "crypto map %s %u: the outbound SA has expired: packets to %u.%u.%u.%u dropped until "
                     "clear crypto sa", f->map->tag, f->map->seq, f->peer >> 24, (f->peer >> 16) & 255,
                     (f->peer >> 8) & 255, f->peer & 255);
}

static void tun_readable(struct datapath *dp, struct dp_iface *ifc)
{
    unsigned n = 0;
    while (n < ROUND) {
        ssize_t r = read(ifc->tun_fd, R.buf[0][n], BUF_CAP);
        if (r <= 0)
            break;
        dp->rx_packets++;
        struct flow_key k;
        if (key_of(R.buf[0][n], (size_t)r, &k) != 0) {
            drop(dp, ifc, DP_DROP_NOT_IPV4);
            continue;
        }
        struct dp_flow *f = classify(dp, ifc, &k);
        if (!f) {
            ifc->clear_out++;
            send_out(dp, ifc, NULL, R.buf[0][n], (size_t)r);
            continue;
        }
        if (!f->esp[CFG_OUT].sa && !f->ah[CFG_OUT].sa) {
            drop(dp, ifc, DP_DROP_NO_KEYS);
            continue;
        }
        R.len[n] = (size_t)r;
        R.owner[n] = f;
        R.stage_ok[n] = 1;
        n++;
    }
    for (unsigned j = 0; j < ifc->nflows; j++) {
        struct dp_flow *f = &ifc->flows[j];
        int stage = 0;
        if (f->esp[CFG_OUT].sa) {
            run_burst(f->esp[CFG_OUT].sa, 1, f, n, 0, 1, out_refused, dp);
            stage = 1;
        }
        if (f->ah[CFG_OUT].sa) {
            run_burst(f->ah[CFG_OUT].sa, 1, f, n, stage, 2, out_refused, dp);
            stage = 2;
        }
        for (unsigned i = 0; i < n; i++)
            if (R.owner[i] == f && R.stage_ok[i])
                send_out(dp, ifc, f, R.buf[stage][i], R.len[i]);
    }
}

/* --- inbound: the wire to the TUN device ----------------------------------------------------------- */
static struct dp_sa *find_sa(struct datapath *dp, enum ipsec_proto proto, uint32_t spi, struct dp_flow **fp)
{
    for (unsigned i = 0; i < dp->nifs; i++)
        for (unsigned j = 0; j < dp->ifs[i].nflows; j++) {
            struct dp_flow *f = &dp->ifs[i].flows[j];
            struct dp_sa *s = proto == IPSEC_PROTO_ESP ? &f->esp[CFG_IN] : &f->ah[CFG_IN];
            if (s->sa && s->spi == spi) {
                *fp = f;
                return s;
            }
        }
    return NULL;
}

static struct dp_iface *iface_of_addr(struct datapath *dp, uint32_t addr)
{
    for (unsigned i = 0; i < dp->nifs; i++)
        if (dp->ifs[i].cfg->addr == addr)
            return &dp->ifs[i];
    return NULL;
}

static void in_refused(struct datapath *dp, void *owner, unsigned i, enum ipsec_drop why)
{
    struct dp_sa *s = owner;
    struct dp_flow *f = NULL;
    find_sa(dp, s->proto, s->spi, &f);
    if (f)
        inbound_refused(dp, f, s, R.buf[R.from][i], R.len[i], why, R.udp && R.from == 0);
}

/* The recovered packet i (stage st) of flow f: checked against the map
 * (mirrored) and written into the interface's TUN device. */
static void deliver(struct datapath *dp, struct dp_flow *f, const uint8_t *p, size_t len)
{
    struct flow_key k;
    if (key_of(p, len, &k) != 0 || !acl_permits(dp->cfg, f->map->acl, &k, 1)) {
        f->recv_errors++;
        drop(dp, f->ifc, DP_DROP_POLICY);
        char a[16], b[16];
        warn_limited(IPSEC_DROP_COUNT + DP_DROP_POLICY, "%%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC "
                     "packet for crypto map %s %u: (ip) dest_addr= %s, src_addr= %s, prot= %u", f->map->tag,
                     f->map->seq, cfg_ip_str(k.dst, a), cfg_ip_str(k.src, b), k.proto);
        return;
    }
    if (write(f->ifc->tun_fd, p, len) != (ssize_t)len) {
        f->recv_errors++;
        drop(dp, f->ifc, DP_DROP_SEND);
        return;
    }
    dp->tx_packets++;
}

static void wire_readable(struct datapath *dp, int fd, int udp)
{
    unsigned n = 0;
    struct dp_sa *sas[ROUND];
    unsigned nsas = 0;
    R.udp = udp;
    while (n < ROUND) {
        ssize_t r = recv(fd, R.buf[0][n], BUF_CAP, 0);
        if (r <= 0)
            break;
        enum ipsec_proto proto;
        uint32_t spi;
        int enc;
        enum ipsec_drop pk = ipsec_peek_spi(R.buf[0][n], (size_t)r, 0, &proto, &spi, &enc);
        if (udp && pk == IPSEC_DROP_PROTO)
            continue;   /* another UDP packet, IKE, a keepalive: not ours */
        dp->rx_packets++;
        uint32_t dst = r >= 20 ? rd32(R.buf[0][n] + 16) : 0, src = r >= 20 ? rd32(R.buf[0][n] + 12) : 0;
        struct dp_iface *ifc = iface_of_addr(dp, dst);
        if (pk != IPSEC_OK) {
            drop(dp, ifc, DP_DROP_NO_SA);
            continue;
        }
        struct dp_flow *f;
        struct dp_sa *s = find_sa(dp, proto, spi, &f);
        if (!s || enc != f->map->udp_encap) {
            drop(dp, ifc, DP_DROP_NO_SA);
            char a[16], b[16];
            warn_limited(IPSEC_DROP_COUNT + DP_DROP_NO_SA, "%%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC "
                         "packet has invalid spi for destaddr=%s, prot=%d, spi=0x%" PRIX32 "(%" PRIu32 "), "
                         "srcaddr=%s", cfg_ip_str(dst, a), (int)proto, spi, spi, cfg_ip_str(src, b));
            continue;
        }
        R.len[n] = (size_t)r;
        R.owner[n] = s;
        R.stage_ok[n] = 1;
        unsigned k = 0;
        while (k < nsas && sas[k] != s)
            k++;
        if (k == nsas)
            sas[nsas++] = s;
        n++;
    }
    for (unsigned k = 0; k < nsas; k++) {
        struct dp_flow *f = NULL;
        struct dp_sa *s = sas[k];
        find_sa(dp, s->proto, s->spi, &f);
        run_burst(s->sa, 0, s, n, 0, 1, in_refused, dp);
        int stage = 1;
        /* a bundle: AH came off; ESP, with the entry's inbound SPI, must be next */
        struct dp_sa *inner = s->proto == IPSEC_PROTO_AH ? &f->esp[CFG_IN] : NULL;
        if (inner && inner->sa) {
            for (unsigned i = 0; i < n; i++) {
                if (R.owner[i] != s || !R.stage_ok[i])
                    continue;
                enum ipsec_proto p2;
                uint32_t spi2;
                int enc2;
                if (ipsec_peek_spi(R.buf[1][i], R.len[i], 0, &p2, &spi2, &enc2) != IPSEC_OK ||
                    p2 != IPSEC_PROTO_ESP || spi2 != inner->spi) {
                    R.stage_ok[i] = 0;
                    f->recv_errors++;
                    drop(dp, f->ifc, DP_DROP_POLICY);
                } else {
                    R.owner[i] = inner;
                }
            }
            run_burst(inner->sa, 0, inner, n, 1, 2, in_refused, dp);
            for (unsigned i = 0; i < n; i++)
                if (R.owner[i] == inner)
                    R.owner[i] = s;
            stage = 2;
        } else if (s->proto == IPSEC_PROTO_ESP && f->ah[CFG_IN].sa) {
            /* the entry protects with AH over ESP: ESP alone is not enough */
            for (unsigned i = 0; i < n; i++)
                if (R.owner[i] == s && R.stage_ok[i]) {
                    R.stage_ok[i] = 0;
                    f->recv_errors++;
                    drop(dp, f->ifc, DP_DROP_POLICY);
                }
        }
        for (unsigned i = 0; i < n; i++)
            if (R.owner[i] == s && R.stage_ok[i])
                deliver(dp, f, R.buf[stage][i], R.len[i]);
    }
}

static void drain(int fd)
{
    char b[2048];
    for (int i = 0; i < ROUND && recv(fd, b, sizeof b, 0) > 0; i++)
        ;
}

/* --- the loop's side ------------------------------------------------------------------------------- */
int dp_poll_set(const struct datapath *dp, struct pollfd *fds, int max)
{
    int n = 0;
    if (!dp)
        return 0;
    int global[4] = { dp->esp_fd, dp->ah_fd, dp->udp_raw_fd, dp->udp_fd };
    for (int g = 0; g < 4 && n < max; g++)
        if (global[g] >= 0)
            fds[n++] = (struct pollfd){ .fd = global[g], .events = POLLIN };
    for (unsigned i = 0; i < dp->nifs && n < max; i++)
        fds[n++] = (struct pollfd){ .fd = dp->ifs[i].tun_fd, .events = POLLIN };
    return n;
}

void dp_service(struct datapath *dp, const struct pollfd *fds, int n)
{
    if (!dp)
        return;
    for (int k = 0; k < n; k++) {
        if (!(fds[k].revents & POLLIN))
            continue;
        int fd = fds[k].fd;
        if (fd == dp->esp_fd || fd == dp->ah_fd || fd == dp->udp_raw_fd) {
            wire_readable(dp, fd, fd == dp->udp_raw_fd);
        } else if (fd == dp->udp_fd) {
            drain(fd);
        } else {
            for (unsigned i = 0; i < dp->nifs; i++)
                if (dp->ifs[i].tun_fd == fd)
                    tun_readable(dp, &dp->ifs[i]);
        }
    }
}

void dp_tick(struct datapath *dp)
{
    if (!dp)
        return;
    for (unsigned i = 0; i < dp->nifs; i++)
        for (unsigned j = 0; j < dp->ifs[i].nflows; j++) {
            struct dp_flow *f = &dp->ifs[i].flows[j];
            struct dp_sa *all[4] = { &f->ah[CFG_IN], &f->ah[CFG_OUT], &f->esp[CFG_IN], &f->esp[CFG_OUT] };
            for (int k = 0; k < 4; k++) {
                struct dp_sa *s = all[k];
                struct ipsec_sa_stats st;
                if (!s->sa || ipsec_sa_stats(s->sa, &st) != XCE_OK)
                    continue;
                int hard = st.hard_expired || st.kbytes_left == 0 || st.seconds_left == 0;
                if (hard && !s->hard_logged) {
                    s->hard_logged = s->soft_logged = 1;
                    log_sa(dp, f, s, "lifetime_expired", "hard lifetime reached, SA unusable until clear crypto sa");
                    char t[64];
                    xlog(LOG_NOTICE, "crypto map %s %u: %s SA spi 0x%" PRIX32 " (%s, conn id %u) reached its hard "
                         "lifetime", f->map->tag, f->map->seq, s->dir == IPSEC_DIR_INBOUND ? "inbound" : "outbound",
                         s->spi, transform_s(s, t, sizeof t), s->conn_id);
                } else if (st.soft_expired && !s->soft_logged) {
                    s->soft_logged = 1;
                    log_sa(dp, f, s, "lifetime_soft", "soft lifetime reached");
                }
            }
        }
}

unsigned dp_clear_sa(struct datapath *dp, uint32_t peer, const char *map)
{
    unsigned n = 0;
    if (!dp)
        return 0;
    for (unsigned i = 0; i < dp->nifs; i++)
        for (unsigned j = 0; j < dp->ifs[i].nflows; j++) {
            struct dp_flow *f = &dp->ifs[i].flows[j];
            if ((peer && f->peer != peer) || (map && strcmp(f->map->tag, map) != 0))
                continue;
            flow_sas_destroy(dp, f);
            f->send_errors = f->recv_errors = 0;
            char err[256];
            if (flow_sas_create(dp, f, err, sizeof err) != 0) {
                xlog(LOG_ERR, "clear crypto sa: %s", err);
                flow_sas_destroy(dp, f);
            }
            n++;
        }
    return n;
}
