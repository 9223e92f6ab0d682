/* isakmp_write.c - building ISAKMP messages into a caller's buffer.
 *
 * Every field that depends on what follows (next payload, the lengths of
 * payloads, proposals and transforms, a proposal's transform count, the
 * header's length) is written as 0 and patched when the element closes:
 * when the next one of its level begins, or at isakmp_w_finish(). The
 * error is sticky (like pktread.h): after the first, nothing more is
 * written and finish reports it. */
#include <string.h>

#include "isakmp.h"
#include "pktread.h"

#define NONE SIZE_MAX

static void werr(struct isakmp_w *w, int e)
{
    if (!w->err)
        w->err = e;
}

/* n more bytes of the message; NULL (error set) if they do not fit */
static uint8_t *room(struct isakmp_w *w, size_t n)
{
    if (w->err)
        return NULL;
    if (n > w->cap - w->len) {
        werr(w, ISAKMP_WERR_SPACE);
        return NULL;
    }
    uint8_t *q = w->buf + w->len;
    w->len += n;
    return q;
}

/* the 16-bit length field at 'at' + 2 := bytes from 'at' to the end */
static void patch_len16(struct isakmp_w *w, size_t at)
{
    size_t n = w->len - at;
    if (n > 0xffff)
        werr(w, ISAKMP_WERR_RANGE);
    else if (!w->err)
        pkt_put16(w->buf + at + 2, (uint16_t)n);
}

static void close_xform(struct isakmp_w *w)
{
    if (w->xf_at != NONE)
        patch_len16(w, w->xf_at);
    w->xf_at = NONE;
}

static void close_prop(struct isakmp_w *w)
{
    close_xform(w);
    if (w->prop_at != NONE) {
        patch_len16(w, w->prop_at);
        if (w->nxf > 255)
            werr(w, ISAKMP_WERR_RANGE);
        else if (!w->err)
            w->buf[w->prop_at + 7] = (uint8_t)w->nxf;
    }
    w->prop_at = NONE;
}

static void close_payload(struct isakmp_w *w)
{
    close_prop(w);
    if (w->pl_at != NONE)
        patch_len16(w, w->pl_at);
    w->pl_at = NONE;
}

void isakmp_w_init(struct isakmp_w *w, uint8_t *buf, size_t cap, const struct isakmp_hdr *h)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->np_at = w->pl_at = w->prop_at = w->xf_at = NONE;
    if (!h)
        return;
    w->has_hdr = 1;
    uint8_t *q = room(w, ISAKMP_HDR_LEN);
    if (!q)
        return;
    memcpy(q, h->icookie, ISAKMP_COOKIE_LEN);
    memcpy(q + 8, h->rcookie, ISAKMP_COOKIE_LEN);
    q[16] = ISAKMP_NP_NONE;
    q[17] = ISAKMP_VERSION;
    q[18] = h->exchange;
    q[19] = h->flags;
    pkt_put32(q + 20, h->msgid);
    pkt_put32(q + 24, 0);
    w->np_at = 16;
}

void isakmp_w_begin(struct isakmp_w *w, uint8_t type)
{
    if (w->sealed)
        werr(w, ISAKMP_WERR_ORDER);
    if (w->err)
        return;
    close_payload(w);
    uint8_t *q = room(w, ISAKMP_GEN_HDR_LEN);
    if (!q)
        return;
    memset(q, 0, ISAKMP_GEN_HDR_LEN);
    if (w->np_at != NONE)
        w->buf[w->np_at] = type;
    if (!w->n++)
        w->first = type;
    w->np_at = w->pl_at = w->len - ISAKMP_GEN_HDR_LEN;
    w->open_type = type;
}

void isakmp_w_bytes(struct isakmp_w *w, const void *p, size_t n)
{
    uint8_t *q = isakmp_w_reserve(w, n);
    if (q && n)
        memcpy(q, p, n);
}

uint8_t *isakmp_w_reserve(struct isakmp_w *w, size_t n)
{
    if (w->pl_at == NONE)
        werr(w, ISAKMP_WERR_ORDER);
    return room(w, n);
}

void isakmp_w_u8(struct isakmp_w *w, uint8_t v)
{
    isakmp_w_bytes(w, &v, 1);
}

void isakmp_w_u16(struct isakmp_w *w, uint16_t v)
{
    uint8_t b[2];
    pkt_put16(b, v);
    isakmp_w_bytes(w, b, 2);
}

void isakmp_w_u32(struct isakmp_w *w, uint32_t v)
{
    uint8_t b[4];
    pkt_put32(b, v);
    isakmp_w_bytes(w, b, 4);
}

void isakmp_w_data(struct isakmp_w *w, uint8_t type, const void *p, size_t n)
{
    isakmp_w_begin(w, type);
    isakmp_w_bytes(w, p, n);
}

void isakmp_w_sa(struct isakmp_w *w, uint32_t doi, uint32_t situation)
{
    isakmp_w_begin(w, ISAKMP_NP_SA);
    isakmp_w_u32(w, doi);
    isakmp_w_u32(w, situation);
}

void isakmp_w_proposal(struct isakmp_w *w, uint8_t num, uint8_t proto, const uint8_t *spi, uint8_t spi_size)
{
    if (w->pl_at == NONE || w->open_type != ISAKMP_NP_SA)
        werr(w, ISAKMP_WERR_ORDER);
    if (w->err)
        return;
    if (w->prop_at != NONE)
        w->buf[w->prop_at] = ISAKMP_NP_P;   /* the previous proposal has a successor */
    close_prop(w);
    size_t at = w->len;
    uint8_t *q = room(w, 8);
    if (!q)
        return;
    const uint8_t h[8] = { ISAKMP_NP_NONE, 0, 0, 0, num, proto, spi_size, 0 };
    memcpy(q, h, sizeof h);
    isakmp_w_bytes(w, spi, spi_size);
    w->prop_at = at;
    w->nxf = 0;
}

void isakmp_w_transform(struct isakmp_w *w, uint8_t num, uint8_t id)
{
    if (w->prop_at == NONE)
        werr(w, ISAKMP_WERR_ORDER);
    if (w->err)
        return;
    if (w->xf_at != NONE)
        w->buf[w->xf_at] = ISAKMP_NP_T;
    close_xform(w);
    size_t at = w->len;
    uint8_t *q = room(w, 8);
    if (!q)
        return;
    const uint8_t h[8] = { ISAKMP_NP_NONE, 0, 0, 0, num, id, 0, 0 };
    memcpy(q, h, sizeof h);
    w->xf_at = at;
    w->nxf++;
}

/* an attribute's class fits 15 bits; in an SA it belongs to a transform */
static void attr_check(struct isakmp_w *w, uint16_t type)
{
    if (type > 0x7fff)
        werr(w, ISAKMP_WERR_RANGE);
    if (w->pl_at != NONE && w->open_type == ISAKMP_NP_SA && w->xf_at == NONE)
        werr(w, ISAKMP_WERR_ORDER);
}

void isakmp_w_attr(struct isakmp_w *w, uint16_t type, uint64_t v)
{
    attr_check(w, type);
    if (v <= 0xffff) {
        isakmp_w_u16(w, (uint16_t)(type | 0x8000u));
        isakmp_w_u16(w, (uint16_t)v);
        return;
    }
    uint8_t b[8];
    size_t n = v <= 0xffffffffu ? 4 : 8;
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    isakmp_w_attr_tlv(w, type, b, n);
}

void isakmp_w_attr_tlv(struct isakmp_w *w, uint16_t type, const void *val, size_t n)
{
    attr_check(w, type);
    if (n > 0xffff)
        werr(w, ISAKMP_WERR_RANGE);
    isakmp_w_u16(w, type);
    isakmp_w_u16(w, (uint16_t)n);
    isakmp_w_bytes(w, val, n);
}

void isakmp_w_attr_copy(struct isakmp_w *w, const struct isakmp_attr *a)
{
    if (!a->tv) {
        isakmp_w_attr_tlv(w, a->type, a->val, a->len);
        return;
    }
    attr_check(w, a->type);
    if (a->len != 2)
        werr(w, ISAKMP_WERR_RANGE);
    isakmp_w_u16(w, (uint16_t)(a->type | 0x8000u));
    isakmp_w_bytes(w, a->val, 2);
}

void isakmp_w_xform_copy(struct isakmp_w *w, const struct isakmp_sa *sa, const struct isakmp_xform *x)
{
    isakmp_w_transform(w, x->num, x->id);
    for (unsigned i = 0; i < x->nattrs; i++)
        isakmp_w_attr_copy(w, &sa->attr[x->first_attr + i]);
}

void isakmp_w_id(struct isakmp_w *w, const struct isakmp_id *id)
{
    isakmp_w_begin(w, ISAKMP_NP_ID);
    isakmp_w_u8(w, id->type);
    isakmp_w_u8(w, id->proto);
    isakmp_w_u16(w, id->port);
    isakmp_w_bytes(w, id->data, id->len);
}

void isakmp_w_cert(struct isakmp_w *w, uint8_t type, const struct isakmp_cert *c)
{
    if (type != ISAKMP_NP_CERT && type != ISAKMP_NP_CR)
        werr(w, ISAKMP_WERR_ORDER);
    isakmp_w_begin(w, type);
    isakmp_w_u8(w, c->encoding);
    isakmp_w_bytes(w, c->data, c->len);
}

/* a notification's or delete's fixed part: DOI, protocol, SPI size, then
 * the notify type or the number of SPIs */
static void doi_head(struct isakmp_w *w, uint8_t type, uint32_t doi, uint8_t proto, uint8_t spi_size, uint16_t v)
{
    isakmp_w_begin(w, type);
    isakmp_w_u32(w, doi);
    isakmp_w_u8(w, proto);
    isakmp_w_u8(w, spi_size);
    isakmp_w_u16(w, v);
}

void isakmp_w_notify(struct isakmp_w *w, const struct isakmp_notify *n)
{
    doi_head(w, ISAKMP_NP_N, n->doi, n->proto, n->spi_size, n->type);
    isakmp_w_bytes(w, n->spi, n->spi_size);
    isakmp_w_bytes(w, n->data, n->len);
}

void isakmp_w_delete(struct isakmp_w *w, const struct isakmp_delete *d)
{
    doi_head(w, ISAKMP_NP_D, d->doi, d->proto, d->spi_size, d->nspis);
    isakmp_w_bytes(w, d->spis, (size_t)d->nspis * d->spi_size);
}

void isakmp_w_nat_oa(struct isakmp_w *w, uint8_t type, const struct isakmp_nat_oa *oa)
{
    if (type != ISAKMP_NP_NAT_OA && type != ISAKMP_NP_NAT_OA_DRAFT)
        werr(w, ISAKMP_WERR_ORDER);
    isakmp_w_begin(w, type);
    isakmp_w_u8(w, oa->id_type);
    isakmp_w_u8(w, 0);
    isakmp_w_u16(w, 0);
    isakmp_w_bytes(w, oa->addr, oa->len);
}

void isakmp_w_encrypted(struct isakmp_w *w, uint8_t np, const void *ct, size_t n)
{
    if (!w->has_hdr || w->n || w->sealed)
        werr(w, ISAKMP_WERR_ORDER);
    uint8_t *q = room(w, n);
    if (!q)
        return;
    if (n)
        memcpy(q, ct, n);
    w->buf[w->np_at] = np;
    w->first = np;
    w->sealed = 1;
}

int isakmp_w_finish(struct isakmp_w *w, size_t *len)
{
    close_payload(w);
    if (w->has_hdr && w->len > 0xffffffffu)
        werr(w, ISAKMP_WERR_RANGE);
    if (w->has_hdr && !w->err)
        pkt_put32(w->buf + 24, (uint32_t)w->len);
    *len = w->err ? 0 : w->len;
    return w->err;
}

uint8_t isakmp_w_first(const struct isakmp_w *w)
{
    return w->first;
}

const char *isakmp_werr_name(int err)
{
    switch (err) {
    case 0: return "no error";
    case ISAKMP_WERR_SPACE: return "buffer too small";
    case ISAKMP_WERR_RANGE: return "a length or count too large for its field";
    case ISAKMP_WERR_ORDER: return "element written out of order";
    }
    return "unknown writer error";
}
