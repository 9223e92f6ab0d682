/* esp.c - ESP (RFC 4303), tunnel and transport mode, optionally in UDP
 * (RFC 3948). Outbound builds the whole packet in the caller's buffer and
 * lets one request encrypt and MAC it in place; inbound verifies (and
 * decrypts) into the caller's buffer, then checks the trailer and moves
 * the recovered packet to the front. */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>

#include "ipsec_internal.h"

enum ipsec_drop esp_out_prepare(struct ipsec_sa *sa, struct ipsec_job *j)
{
    const uint8_t *in = j->pkt->in;
    struct ip4 h;
    enum ipsec_drop r = ipsec_out_parse(sa, j, &h);
    if (r != IPSEC_OK)
        return r;
    int tunnel = sa->p.mode == IPSEC_MODE_TUNNEL;
    const uint8_t *data = tunnel ? in : in + h.hl;
    size_t dlen = tunnel ? h.tot : h.tot - h.hl;
    uint8_t nh = tunnel ? IPPROTO_IPIP_ : h.proto;
    size_t pad = (sa->align - (dlen + 2) % sa->align) % sa->align;
    size_t body = dlen + pad + 2;
    size_t hl = tunnel ? IPV4_HDR : h.hl;
    size_t udp = sa->p.udp_encap ? UDP_HDR : 0;
    size_t esp = hl + udp;
    size_t total = esp + ESP_HDR + sa->iv_len + body + sa->icv_len;
    if (total > 0xffff || total > j->pkt->cap || body > XCE_MAX_REQUEST - 64)
        return IPSEC_DROP_NO_ROOM;
    uint32_t seq;
    if ((r = ipsec_next_seq(sa, &seq)) != IPSEC_OK)
        return r;
    uint8_t *o = j->pkt->out;
    uint8_t proto = udp ? IPPROTO_UDP_ : IPSEC_PROTO_ESP;
    ipsec_out_header(sa, o, in, &h, total, proto);
    if (udp) {
        pkt_put16(o + hl, sa->p.udp_sport);
        pkt_put16(o + hl + 2, sa->p.udp_dport);
        pkt_put16(o + hl + 4, (uint16_t)(total - hl));
        pkt_put16(o + hl + 6, 0);   /* no UDP checksum (RFC 3948 2.1) */
    }
    pkt_put32(o + esp, sa->p.spi);
    pkt_put32(o + esp + 4, seq);
    uint8_t *iv = o + esp + ESP_HDR;
    if (sa->iv_len && RAND_bytes(iv, (int)sa->iv_len) != 1)
        return IPSEC_DROP_ENGINE;
    uint8_t *pt = iv + sa->iv_len;
    memcpy(pt, data, dlen);
    for (size_t i = 0; i < pad; i++)
        pt[dlen + i] = (uint8_t)(i + 1);   /* RFC 4303 2.4: 1, 2, 3... */
    pt[body - 2] = (uint8_t)pad;
    pt[body - 1] = nh;
    j->seq = seq;
    j->total = total;
    j->body = body;
    j->hl = esp;
    memset(&j->op, 0, sizeof j->op);
    if (sa->chain) {
        /* AAD: SPI, sequence number, IV; ICV after the ciphertext */
        j->op.session = sa->chain;
        j->op.src = j->op.dst = o + esp;
        j->op.len = ESP_HDR + sa->iv_len + body;
        j->op.aad_len = ESP_HDR + sa->iv_len;
        memcpy(j->op.iv, iv, sa->iv_len);
        j->active = 1;
    } else if (sa->cipher) {
        j->op.session = sa->cipher;
        j->op.src = j->op.dst = pt;
        j->op.len = body;
        memcpy(j->op.iv, iv, sa->iv_len);
        j->active = 1;
    } else {
        ipsec_hmac_op(sa, j, o + esp, ESP_HDR + body);
    }
    return IPSEC_OK;
}

enum ipsec_drop esp_out_finish(struct ipsec_sa *sa, struct ipsec_job *j)
{
    if (!j->done || j->op.status != XCE_OK)
        return IPSEC_DROP_ENGINE;
    if (sa->hmac)
        memcpy(j->pkt->out + j->total - sa->icv_len, j->digest, sa->icv_len);
    j->pkt->out_len = j->total;
    return IPSEC_OK;
}

/* Where the ESP header starts and ends, after the outer IPv4 header and,
 * with UDP encapsulation, the UDP header. */
static enum ipsec_drop locate(struct ipsec_sa *sa, const uint8_t *in, size_t len, struct ip4 *h, size_t *esp,
                              size_t *end)
{
    enum ipsec_drop r = ip4_parse(in, len, h, 1);
    if (r != IPSEC_OK)
        return r;
    if (ip4_is_fragment(h))
        return IPSEC_DROP_FRAGMENT;
    *esp = h->hl;
    *end = h->tot;
    if (sa->p.udp_encap) {
        if (h->proto != IPPROTO_UDP_)
            return IPSEC_DROP_PROTO;
        struct pkt_rd rd;
        pkt_rd_init(&rd, in + h->hl, h->tot - h->hl);
        pkt_rd_skip(&rd, 4);   /* ports: the daemon's socket chose them */
        uint16_t ulen = pkt_rd_u16(&rd);
        pkt_rd_skip(&rd, 2);
        if (rd.err || ulen < UDP_HDR || ulen > h->tot - h->hl)
            return IPSEC_DROP_MALFORMED;
        *esp = h->hl + UDP_HDR;
        *end = h->hl + ulen;
        if (*end - *esp == 1 && in[*esp] == 0xff)
            return IPSEC_DROP_PROTO;   /* NAT-keepalive (RFC 3948 2.3) */
        if (*end - *esp >= 4 && in[*esp] == 0 && in[*esp + 1] == 0 && in[*esp + 2] == 0 && in[*esp + 3] == 0)
            return IPSEC_DROP_PROTO;   /* non-ESP marker: IKE */
    } else if (h->proto != IPSEC_PROTO_ESP) {
        return IPSEC_DROP_PROTO;
    }
    return IPSEC_OK;
}

enum ipsec_drop esp_in_prepare(struct ipsec_sa *sa, struct ipsec_job *j)
{
    const uint8_t *in = j->pkt->in;
    struct ip4 h;
    size_t esp, end;
    enum ipsec_drop r = locate(sa, in, j->pkt->in_len, &h, &esp, &end);
    if (r != IPSEC_OK)
        return r;
    struct pkt_rd rd;
    pkt_rd_init(&rd, in + esp, end - esp);
    uint32_t spi = pkt_rd_u32(&rd);
    uint32_t seq = pkt_rd_u32(&rd);
    if (rd.err)
        return IPSEC_DROP_MALFORMED;
    if (spi != sa->p.spi)
        return IPSEC_DROP_SPI;
    size_t esp_len = end - esp;
    size_t fixed = ESP_HDR + sa->iv_len + sa->icv_len;
    if (esp_len < fixed + 2)
        return IPSEC_DROP_MALFORMED;
    size_t body = esp_len - fixed;
    if (body % sa->align)
        return IPSEC_DROP_MALFORMED;
    /* anti-replay before the ICV (RFC 4303 3.4.3) */
    if (!ipsec_replay_check(sa, seq))
        return IPSEC_DROP_REPLAY;
    if ((r = ipsec_life_check(sa)) != IPSEC_OK)
        return r;
    int tunnel = sa->p.mode == IPSEC_MODE_TUNNEL;
    /* the request writes ESP header, IV and plaintext at out + base */
    size_t base = tunnel ? 0 : h.hl;
    if (base + ESP_HDR + sa->iv_len + body > j->pkt->cap)
        return IPSEC_DROP_NO_ROOM;
    j->seq = seq;
    j->hl = h.hl;
    j->base = base;
    j->body = body;
    uint8_t *o = j->pkt->out;
    const uint8_t *iv = in + esp + ESP_HDR;
    memset(&j->op, 0, sizeof j->op);
    if (sa->chain) {
        j->op.session = sa->chain;
        j->op.src = in + esp;
        j->op.dst = o + base;
        j->op.len = ESP_HDR + sa->iv_len + body;
        j->op.aad_len = ESP_HDR + sa->iv_len;
        memcpy(j->op.iv, iv, sa->iv_len);
        j->active = 1;
    } else if (sa->cipher) {
        j->op.session = sa->cipher;
        j->op.src = iv + sa->iv_len;
        j->op.dst = o + base + ESP_HDR + sa->iv_len;
        j->op.len = body;
        memcpy(j->op.iv, iv, sa->iv_len);
        j->active = 1;
    } else {
        ipsec_hmac_op(sa, j, in + esp, ESP_HDR + body);
        j->icv_in = in + esp + ESP_HDR + body;
    }
    return IPSEC_OK;
}

enum ipsec_drop esp_in_finish(struct ipsec_sa *sa, struct ipsec_job *j)
{
    if (!j->done)
        return IPSEC_DROP_ENGINE;
    if (j->op.status == XCE_ERR_AUTH)
        return IPSEC_DROP_AUTH;
    if (j->op.status != XCE_OK)
        return IPSEC_DROP_ENGINE;
    uint8_t *o = j->pkt->out;
    uint8_t *pt = o + j->base + ESP_HDR + sa->iv_len;
    if (sa->hmac) {
        if (CRYPTO_memcmp(j->digest, j->icv_in, sa->icv_len) != 0)
            return IPSEC_DROP_AUTH;
        memcpy(pt, j->icv_in - j->body, j->body);   /* null cipher: the payload as is */
    }
    enum ipsec_drop r = ipsec_replay_accept(sa, j->seq);
    if (r != IPSEC_OK)
        return r;
    size_t n = j->body;
    size_t pad = pt[n - 2];
    uint8_t nh = pt[n - 1];
    if (pad + 2 > n)
        return IPSEC_DROP_PAD;
    size_t dlen = n - 2 - pad;
    for (size_t i = 0; i < pad; i++)
        if (pt[dlen + i] != (uint8_t)(i + 1))
            return IPSEC_DROP_PAD;
    return ipsec_in_deliver(sa, j, pt, dlen, nh);
}
