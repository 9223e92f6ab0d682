/* ah.c - AH (RFC 4302) for IPv4, tunnel and transport mode. The ICV
 * covers the IP header with its mutable fields zeroed, the AH header with
 * the ICV zeroed, and the payload; it is one HMAC request, and the
 * received ICV is compared here in constant time. */
#include <openssl/crypto.h>
#include <string.h>

#include "ipsec_internal.h"

static size_t ah_len(const struct ipsec_sa *sa)
{
    return AH_FIXED + sa->icv_len;   /* 24 or 28: a multiple of 4 (IPv4) */
}

enum ipsec_drop ah_out_prepare(struct ipsec_sa *sa, struct ipsec_job *j)
{
    const uint8_t *in = j->pkt->in;
    struct ip4 h;
    enum ipsec_drop r = ipsec_out_parse(sa, j, &h);
    if (r != IPSEC_OK)
        return r;
    int tunnel = sa->p.mode == IPSEC_MODE_TUNNEL;
    size_t hl = tunnel ? IPV4_HDR : h.hl;
    size_t alen = ah_len(sa);
    const uint8_t *data = tunnel ? in : in + h.hl;
    size_t dlen = tunnel ? h.tot : h.tot - h.hl;
    size_t total = hl + alen + dlen;
    if (total > 0xffff || total > j->pkt->cap)
        return IPSEC_DROP_NO_ROOM;
    uint32_t seq;
    if ((r = ipsec_next_seq(sa, &seq)) != IPSEC_OK)
        return r;
    uint8_t *o = j->pkt->out;
    ipsec_out_header(sa, o, in, &h, total, IPSEC_PROTO_AH);
    memcpy(j->hdr, o, hl);               /* the real header, put back after the MAC */
    if ((r = ip4_zero_mutable(o, hl)) != IPSEC_OK) {
        sa->seq_out--;                   /* nothing was sent with it */
        return r;
    }
    uint8_t *ah = o + hl;
    ah[0] = tunnel ? IPPROTO_IPIP_ : h.proto;
    ah[1] = (uint8_t)(alen / 4 - 2);
    ah[2] = ah[3] = 0;
    pkt_put32(ah + 4, sa->p.spi);
    pkt_put32(ah + 8, seq);
    memset(ah + AH_FIXED, 0, sa->icv_len);
    memcpy(ah + alen, data, dlen);
    j->seq = seq;
    j->hl = hl;
    j->total = total;
    memset(&j->op, 0, sizeof j->op);
    ipsec_hmac_op(sa, j, o, total);
    return IPSEC_OK;
}

enum ipsec_drop ah_out_finish(struct ipsec_sa *sa, struct ipsec_job *j)
{
    if (!j->done || j->op.status != XCE_OK)
        return IPSEC_DROP_ENGINE;
    uint8_t *o = j->pkt->out;
    memcpy(o, j->hdr, j->hl);
    memcpy(o + j->hl + AH_FIXED, j->digest, sa->icv_len);
    j->pkt->out_len = j->total;
    return IPSEC_OK;
}

enum ipsec_drop ah_in_prepare(struct ipsec_sa *sa, struct ipsec_job *j)
{
    const uint8_t *in = j->pkt->in;
    struct ip4 h;
    enum ipsec_drop r = ip4_parse(in, j->pkt->in_len, &h, 1);
    if (r != IPSEC_OK)
        return r;
    if (ip4_is_fragment(&h))
        return IPSEC_DROP_FRAGMENT;
    if (h.proto != IPSEC_PROTO_AH)
        return IPSEC_DROP_PROTO;
    struct pkt_rd rd;
    pkt_rd_init(&rd, in + h.hl, h.tot - h.hl);
    pkt_rd_u8(&rd);                      /* next header: checked once verified */
    size_t alen = ((size_t)pkt_rd_u8(&rd) + 2) * 4;
    pkt_rd_skip(&rd, 2);
    uint32_t spi = pkt_rd_u32(&rd);
    uint32_t seq = pkt_rd_u32(&rd);
    if (rd.err)
        return IPSEC_DROP_MALFORMED;
    if (spi != sa->p.spi)
        return IPSEC_DROP_SPI;
    if (alen != ah_len(sa) || alen > h.tot - h.hl)
        return IPSEC_DROP_MALFORMED;
    if (!ipsec_replay_check(sa, seq))
        return IPSEC_DROP_REPLAY;
    if ((r = ipsec_life_check(sa)) != IPSEC_OK)
        return r;
    if (h.tot > j->pkt->cap)
        return IPSEC_DROP_NO_ROOM;
    /* the MAC's input, in the caller's buffer */
    uint8_t *o = j->pkt->out;
    memcpy(o, in, h.tot);
    if ((r = ip4_zero_mutable(o, h.hl)) != IPSEC_OK)
        return r;
    memset(o + h.hl + AH_FIXED, 0, sa->icv_len);
    j->seq = seq;
    j->hl = h.hl;
    j->total = h.tot;
    j->body = h.tot - h.hl - alen;
    j->icv_in = in + h.hl + AH_FIXED;
    memset(&j->op, 0, sizeof j->op);
    ipsec_hmac_op(sa, j, o, h.tot);
    return IPSEC_OK;
}

enum ipsec_drop ah_in_finish(struct ipsec_sa *sa, struct ipsec_job *j)
{
    if (!j->done || j->op.status != XCE_OK)
        return IPSEC_DROP_ENGINE;
    if (CRYPTO_memcmp(j->digest, j->icv_in, sa->icv_len) != 0)
        return IPSEC_DROP_AUTH;
    enum ipsec_drop r = ipsec_replay_accept(sa, j->seq);
    if (r != IPSEC_OK)
        return r;
    uint8_t nh = j->pkt->in[j->hl];
    return ipsec_in_deliver(sa, j, j->pkt->out + j->hl + ah_len(sa), j->body, nh);
}
