/* ipv4.c - IPv4 header parsing, checksums, and the mutable fields AH
 * leaves out of its ICV (RFC 4302 3.3.3.1.1). */
#include <string.h>

#include "ipsec_internal.h"

uint16_t ip4_checksum(const uint8_t *hdr, size_t hl)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < hl; i += 2)
        sum += (uint32_t)hdr[i] << 8 | hdr[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

enum ipsec_drop ip4_parse(const uint8_t *p, size_t len, struct ip4 *h, int check_sum)
{
    struct pkt_rd rd;
    pkt_rd_init(&rd, p, len);
    uint8_t vihl = pkt_rd_u8(&rd);
    h->tos = pkt_rd_u8(&rd);
    h->tot = pkt_rd_u16(&rd);
    h->id = pkt_rd_u16(&rd);
    h->frag = pkt_rd_u16(&rd);
    h->ttl = pkt_rd_u8(&rd);
    h->proto = pkt_rd_u8(&rd);
    pkt_rd_skip(&rd, 2);
    h->src = pkt_rd_u32(&rd);
    h->dst = pkt_rd_u32(&rd);
    h->hl = (size_t)(vihl & 15) * 4;
    if (rd.err || vihl >> 4 != 4 || h->hl < IPV4_HDR || h->tot < h->hl || h->tot > len)
        return IPSEC_DROP_MALFORMED;
    if (check_sum && ip4_checksum(p, h->hl) != 0)
        return IPSEC_DROP_MALFORMED;
    return IPSEC_OK;
}

int ip4_is_fragment(const struct ip4 *h)
{
    return (h->frag & 0x3fff) != 0;   /* MF or an offset */
}

void ip4_fix(uint8_t *hdr, size_t hl, size_t tot, uint8_t proto)
{
    pkt_put16(hdr + 2, (uint16_t)tot);
    hdr[9] = proto;
    hdr[10] = hdr[11] = 0;
    pkt_put16(hdr + 10, ip4_checksum(hdr, hl));
}

/* Options that stay in the ICV (RFC 4302 A.1); all others are zeroed. */
static int option_immutable(uint8_t type)
{
    switch (type) {
    case 130:   /* security */
    case 133:   /* extended security */
    case 134:   /* commercial security */
    case 148:   /* router alert */
    case 149:   /* sender directed multi-destination delivery */
        return 1;
    default:
        return 0;
    }
}

enum ipsec_drop ip4_zero_mutable(uint8_t *hdr, size_t hl)
{
    hdr[1] = 0;                 /* TOS */
    hdr[6] = hdr[7] = 0;        /* flags, fragment offset */
    hdr[8] = 0;                 /* TTL */
    hdr[10] = hdr[11] = 0;      /* checksum */
    size_t i = IPV4_HDR;
    while (i < hl) {
        uint8_t type = hdr[i];
        if (type == 0)          /* end of options: the rest is padding */
            break;
        if (type == 1) {        /* no operation */
            i++;
            continue;
        }
        if (hl - i < 2)
            return IPSEC_DROP_MALFORMED;
        size_t olen = hdr[i + 1];
        if (olen < 2 || olen > hl - i)
            return IPSEC_DROP_MALFORMED;
        if (!option_immutable(type))
            memset(hdr + i, 0, olen);
        i += olen;
    }
    return IPSEC_OK;
}

enum ipsec_drop ipsec_peek_spi(const uint8_t *pkt, size_t len, int udp_any, enum ipsec_proto *proto,
                               uint32_t *spi, int *udp_encap)
{
    struct ip4 h;
    enum ipsec_drop r = ip4_parse(pkt, len, &h, 0);
    if (r != IPSEC_OK)
        return r;
    if (ip4_is_fragment(&h))
        return IPSEC_DROP_FRAGMENT;
    struct pkt_rd rd;
    pkt_rd_init(&rd, pkt, h.tot);
    pkt_rd_skip(&rd, h.hl);
    int udp = 0;
    uint8_t pr = h.proto;
    if (pr == IPPROTO_UDP_) {
        pkt_rd_skip(&rd, 2);
        uint16_t dport = pkt_rd_u16(&rd);
        uint16_t ulen = pkt_rd_u16(&rd);
        pkt_rd_skip(&rd, 2);
        if (rd.err || ulen < UDP_HDR || ulen > h.tot - h.hl)
            return IPSEC_DROP_MALFORMED;
        if (!udp_any && dport != IPSEC_NATT_PORT)
            return IPSEC_DROP_PROTO;
        rd.len = h.hl + ulen;   /* only the UDP payload */
        udp = 1;
        pr = IPSEC_PROTO_ESP;
    }
    uint32_t s;
    if (pr == IPSEC_PROTO_ESP) {
        s = pkt_rd_u32(&rd);
        if (udp && !rd.err && s == 0)
            return IPSEC_DROP_PROTO;      /* non-ESP marker: IKE */
        if (udp && rd.err && pkt_rd_left(&rd) == 0 && rd.len - h.hl - UDP_HDR == 1)
            return IPSEC_DROP_PROTO;      /* NAT-keepalive */
    } else if (pr == IPSEC_PROTO_AH) {
        pkt_rd_skip(&rd, 4);
        s = pkt_rd_u32(&rd);
    } else {
        return IPSEC_DROP_PROTO;
    }
    if (rd.err)
        return IPSEC_DROP_MALFORMED;
    if (proto)
        *proto = (enum ipsec_proto)pr;
    if (spi)
        *spi = s;
    if (udp_encap)
        *udp_encap = udp;
    return IPSEC_OK;
}
