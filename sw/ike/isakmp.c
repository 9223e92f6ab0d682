/* isakmp.c - parsing ISAKMP messages and decoding their payloads (RFC 2408,
 * 2407, 2409, 3947, 3706). Every read of message bytes goes through
 * pktread.h; nothing is copied but fixed-size fields. The writer is in
 * isakmp_write.c, the names in isakmp_names.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "isakmp.h"
#include "pktread.h"

__attribute__((format(printf, 4, 0))) static int vfail(char *why, size_t whylen, int code, const char *fmt,
                                                      va_list ap)
{
    if (why && whylen)
        vsnprintf(why, whylen, fmt, ap);
    return code;
}

__attribute__((format(printf, 4, 5))) static int fail(char *why, size_t whylen, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(why, whylen, code, fmt, ap);
    va_end(ap);
    return code;
}

/* "payload 3 (NONCE): " then the reason */
__attribute__((format(printf, 6, 7))) static int pfail(unsigned idx, uint8_t type, char *why, size_t whylen,
                                                      int code, const char *fmt, ...)
{
    if (!why || !whylen)
        return code;
    int n = snprintf(why, whylen, "payload %u (%s): ", idx, isakmp_payload_name(type));
    if (n < 0 || (size_t)n >= whylen)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vfail(why + n, whylen - (size_t)n, code, fmt, ap);
    va_end(ap);
    return code;
}

/* ---- header and chain ---------------------------------------------------- */

static int exchange_known(uint8_t x)
{
    return (x >= ISAKMP_XCHG_BASE && x <= ISAKMP_XCHG_TRANSACTION) || x == ISAKMP_XCHG_QUICK ||
           x == ISAKMP_XCHG_NEW_GROUP;
}

int isakmp_parse_header(const uint8_t *msg, size_t len, struct isakmp_hdr *h, char *why, size_t whylen)
{
    struct pkt_rd rd;
    pkt_rd_init(&rd, msg, len);
    const uint8_t *ic = pkt_rd_ptr(&rd, ISAKMP_COOKIE_LEN);
    const uint8_t *rc = pkt_rd_ptr(&rd, ISAKMP_COOKIE_LEN);
    h->np = pkt_rd_u8(&rd);
    h->version = pkt_rd_u8(&rd);
    h->exchange = pkt_rd_u8(&rd);
    h->flags = pkt_rd_u8(&rd);
    h->msgid = pkt_rd_u32(&rd);
    h->length = pkt_rd_u32(&rd);
    if (rd.err)
        return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "truncated header: %zu bytes, %d needed", len,
                    ISAKMP_HDR_LEN);
    memcpy(h->icookie, ic, ISAKMP_COOKIE_LEN);
    memcpy(h->rcookie, rc, ISAKMP_COOKIE_LEN);
    if (h->version >> 4 != 1)
        return fail(why, whylen, ISAKMP_N_INVALID_MAJOR_VERSION, "version %u.%u: only 1.0 (IKEv1)",
                    h->version >> 4, h->version & 15u);
    if (h->version & 15u)
        return fail(why, whylen, ISAKMP_N_INVALID_MINOR_VERSION, "version 1.%u: only 1.0", h->version & 15u);
    if (!exchange_known(h->exchange))
        return fail(why, whylen, ISAKMP_N_INVALID_EXCHANGE_TYPE, "exchange type %u unknown", h->exchange);
    if (h->flags & ~(ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A))
        return fail(why, whylen, ISAKMP_N_INVALID_FLAGS, "flags 0x%02x: undefined bits 0x%02x set", h->flags,
                    h->flags & ~(ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A));
    static const uint8_t zero[ISAKMP_COOKIE_LEN];
    if (!memcmp(h->icookie, zero, sizeof zero))
        return fail(why, whylen, ISAKMP_N_INVALID_COOKIE, "initiator cookie is zero");
    if (h->length != len)
        return fail(why, whylen, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, "header length %lu, datagram %zu bytes",
                    (unsigned long)h->length, len);
    return 0;
}

int isakmp_parse(const uint8_t *msg, size_t len, struct isakmp_msg *out, char *why, size_t whylen)
{
    out->body = NULL;
    out->body_len = 0;
    out->chain.n = 0;
    out->chain.pad = 0;
    int rc = isakmp_parse_header(msg, len, &out->hdr, why, whylen);
    if (rc)
        return rc;
    out->body = msg + ISAKMP_HDR_LEN;
    out->body_len = len - ISAKMP_HDR_LEN;
    if (out->hdr.flags & ISAKMP_FLAG_E) {
        if (!out->body_len || out->hdr.np == ISAKMP_NP_NONE)
            return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "encrypted message without %s",
                        out->body_len ? "a first payload type" : "ciphertext");
        return 0;
    }
    return isakmp_parse_payloads(out->hdr.np, out->body, out->body_len, 0, &out->chain, why, whylen);
}

/* Types that may appear in a message's chain: proposals and transforms only
 * inside an SA; 15-19 are GDOI's (another DOI), 22-127 unassigned. */
static int top_level(uint8_t t)
{
    return t == ISAKMP_NP_SA || (t >= ISAKMP_NP_KE && t <= ISAKMP_NP_ATTR) || t == ISAKMP_NP_NAT_D ||
           t == ISAKMP_NP_NAT_OA || t >= 128;
}

int isakmp_parse_payloads(uint8_t first, const uint8_t *p, size_t len, unsigned flags, struct isakmp_chain *out,
                          char *why, size_t whylen)
{
    struct pkt_rd rd;
    pkt_rd_init(&rd, p, len);
    out->n = 0;
    out->pad = 0;
    for (uint8_t type = first; type != ISAKMP_NP_NONE;) {
        unsigned idx = (unsigned)out->n + 1;
        if (!top_level(type))
            return fail(why, whylen, ISAKMP_N_INVALID_PAYLOAD_TYPE, "payload %u: type %u is not %s", idx, type,
                        type == ISAKMP_NP_P || type == ISAKMP_NP_T ? "allowed outside an SA payload"
                                                                   : "an ISAKMP payload");
        if (out->n == ISAKMP_MAX_PAYLOADS)
            return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "more than %d payloads", ISAKMP_MAX_PAYLOADS);
        size_t left = pkt_rd_left(&rd);
        const uint8_t *raw = pkt_rd_ptr(&rd, ISAKMP_GEN_HDR_LEN);
        if (!raw)
            return pfail(idx, type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "truncated generic header: %zu of %d bytes", left, ISAKMP_GEN_HDR_LEN);
        uint16_t plen = pkt_get16(raw + 2);
        if (plen < ISAKMP_GEN_HDR_LEN)
            return pfail(idx, type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "length %u below %d", plen,
                         ISAKMP_GEN_HDR_LEN);
        const uint8_t *body = pkt_rd_ptr(&rd, plen - ISAKMP_GEN_HDR_LEN);
        if (!body)
            return pfail(idx, type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "length %u runs past the end (%zu bytes left)", plen, left);
        struct isakmp_payload *pl = &out->pl[out->n++];
        pl->type = type;
        pl->idx = idx;
        pl->raw = raw;
        pl->body = body;
        pl->len = plen - ISAKMP_GEN_HDR_LEN;
        type = raw[0];   /* the generic header's next payload (RESERVED, raw[1], is ignored) */
    }
    size_t rest = pkt_rd_left(&rd);
    if (rest && !(flags & ISAKMP_PARSE_PADDED))
        return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%zu bytes after the last payload%s", rest,
                    out->n ? "" : " (the first is NONE)");
    out->pad = rest;
    return 0;
}

const struct isakmp_payload *isakmp_find(const struct isakmp_chain *c, uint8_t type, size_t nth)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->pl[i].type == type && nth-- == 0)
            return &c->pl[i];
    return NULL;
}

/* The decoders' start: the payload is of the type they decode (t1 or t2);
 * rd over its body. */
static int open_body(const struct isakmp_payload *p, uint8_t t1, uint8_t t2, struct pkt_rd *rd, char *why,
                     size_t whylen)
{
    pkt_rd_init(rd, p->body, p->len);
    if (p->type == t1 || p->type == t2)
        return 0;
    return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_PAYLOAD_TYPE, "given to the %s decoder",
                 isakmp_payload_name(t1));
}

/* ---- data attributes ----------------------------------------------------- */

/* where: the prefix of messages ("payload 1 (SA): proposal 1 transform 2: ");
 * limit: the limit to name when out is full. */
static int attrs_parse(const uint8_t *p, size_t len, struct isakmp_attr *out, size_t max, size_t *n,
                       const char *where, size_t limit, char *why, size_t whylen)
{
    struct pkt_rd rd;
    pkt_rd_init(&rd, p, len);
    size_t k = 0;
    *n = 0;
    while (pkt_rd_left(&rd)) {
        size_t left = pkt_rd_left(&rd);
        const uint8_t *h = pkt_rd_ptr(&rd, 4);
        if (!h)
            return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%sattribute %zu: %zu bytes, 4 needed", where,
                        k + 1, left);
        if (k == max)
            return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%smore than %zu attributes", where, limit);
        struct isakmp_attr *a = &out[k];
        uint16_t t = pkt_get16(h);
        a->type = t & 0x7fffu;
        a->tv = t >> 15;
        if (a->tv) {
            a->len = 2;
            a->val = h + 2;
        } else {
            a->len = pkt_get16(h + 2);
            a->val = pkt_rd_ptr(&rd, a->len);
            if (!a->val)
                return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                            "%sattribute %zu (class %u): TLV length %u runs past the end by %zu", where, k + 1,
                            a->type, a->len, a->len - (left - 4));
        }
        k++;
    }
    *n = k;
    return 0;
}

int isakmp_attrs_decode(const uint8_t *p, size_t len, struct isakmp_attr *out, size_t max, size_t *n, char *why,
                        size_t whylen)
{
    return attrs_parse(p, len, out, max, n, "", max, why, whylen);
}

int isakmp_attr_uint(const struct isakmp_attr *a, uint64_t *v)
{
    uint64_t x = 0;
    if (!a->len)
        return ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED;
    for (size_t i = 0; i < a->len; i++) {
        if (x >> 56)
            return ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED;
        x = x << 8 | a->val[i];
    }
    *v = x;
    return 0;
}

/* ---- SA, proposals, transforms ------------------------------------------ */

static int spi_size_ok(uint8_t proto, uint8_t size)
{
    switch (proto) {
    case ISAKMP_PROTO_ISAKMP: return size == 0 || size == 16;
    case ISAKMP_PROTO_IPSEC_AH:
    case ISAKMP_PROTO_IPSEC_ESP: return size == 4;
    case ISAKMP_PROTO_IPCOMP: return size == 2 || size == 4;
    }
    return 0;
}

/* The transforms of proposal k (1-based) of payload p: rd holds them. */
static int transforms_parse(const struct isakmp_payload *p, size_t k, struct pkt_rd *rd, struct isakmp_sa *sa,
                            struct isakmp_prop *pr, uint8_t announced, char *why, size_t whylen)
{
    uint8_t np = ISAKMP_NP_T;
    unsigned count = 0;
    pr->first_xform = (uint16_t)sa->nxforms;
    while (pkt_rd_left(rd)) {
        size_t left = pkt_rd_left(rd);
        if (np != ISAKMP_NP_T)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "proposal %zu: %zu bytes after the last transform", k, left);
        if (sa->nxforms == ISAKMP_MAX_TRANSFORMS)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "more than %d transforms",
                         ISAKMP_MAX_TRANSFORMS);
        const uint8_t *h = pkt_rd_ptr(rd, 8);
        if (!h)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "proposal %zu transform %u: %zu bytes, 8 needed", k, count + 1, left);
        np = h[0];
        uint16_t tlen = pkt_get16(h + 2);
        if (np != ISAKMP_NP_T && np != ISAKMP_NP_NONE)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
                         "proposal %zu transform %u: next payload %u, not TRANSFORM or NONE", k, count + 1, np);
        if (tlen < 8)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "proposal %zu transform %u: length %u below 8", k, count + 1, tlen);
        const uint8_t *attrs = pkt_rd_ptr(rd, tlen - 8u);
        if (!attrs)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "proposal %zu transform %u: length %u runs past the proposal (%zu bytes left)", k,
                         count + 1, tlen, left);
        struct isakmp_xform *x = &sa->xf[sa->nxforms];
        x->num = h[4];
        x->id = h[5];
        x->first_attr = (uint16_t)sa->nattrs;
        char where[96];
        snprintf(where, sizeof where, "payload %u (%s): proposal %zu transform %u: ", p->idx,
                 isakmp_payload_name(p->type), k, count + 1);
        size_t na;
        int rc = attrs_parse(attrs, tlen - 8u, sa->attr + sa->nattrs, ISAKMP_MAX_ATTRS - sa->nattrs, &na, where,
                             ISAKMP_MAX_ATTRS, why, whylen);
        if (rc)
            return rc;
        x->nattrs = (uint16_t)na;
        sa->nattrs += na;
        sa->nxforms++;
        count++;
    }
    if (np == ISAKMP_NP_T && count)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
                     "proposal %zu: transform %u announces another, the proposal ends", k, count);
    if (!count)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX, "proposal %zu: no transform", k);
    if (count != announced)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
                     "proposal %zu: %u transforms announced, %u present", k, announced, count);
    pr->nxforms = (uint8_t)count;
    return 0;
}

int isakmp_decode_sa(const struct isakmp_payload *p, struct isakmp_sa *sa, char *why, size_t whylen)
{
    struct pkt_rd rd;
    int rc = open_body(p, ISAKMP_NP_SA, ISAKMP_NP_SA, &rd, why, whylen);
    if (rc)
        return rc;
    sa->doi = pkt_rd_u32(&rd);
    sa->situation = pkt_rd_u32(&rd);
    sa->nprops = sa->nxforms = sa->nattrs = 0;
    if (rd.err)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                     "%zu bytes, 8 needed for DOI and situation", p->len);
    if (sa->doi != ISAKMP_DOI_IPSEC)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_DOI_NOT_SUPPORTED, "DOI %lu, only IPsec (1)",
                     (unsigned long)sa->doi);
    if (sa->situation != ISAKMP_SIT_IDENTITY_ONLY)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_SITUATION_NOT_SUPPORTED,
                     "situation 0x%lx, only SIT_IDENTITY_ONLY", (unsigned long)sa->situation);
    if (!pkt_rd_left(&rd))
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX, "no proposal");
    uint8_t np = ISAKMP_NP_P;
    while (pkt_rd_left(&rd)) {
        size_t k = sa->nprops + 1, left = pkt_rd_left(&rd);
        if (np != ISAKMP_NP_P)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "%zu bytes after the last proposal", left);
        if (sa->nprops == ISAKMP_MAX_PROPOSALS)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "more than %d proposals",
                         ISAKMP_MAX_PROPOSALS);
        const uint8_t *h = pkt_rd_ptr(&rd, 8);
        if (!h)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "proposal %zu: %zu bytes, 8 needed", k, left);
        np = h[0];
        uint16_t plen = pkt_get16(h + 2);
        struct isakmp_prop *pr = &sa->prop[sa->nprops];
        pr->num = h[4];
        pr->proto = h[5];
        pr->spi_size = h[6];
        if (np != ISAKMP_NP_P && np != ISAKMP_NP_NONE)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
                         "proposal %zu: next payload %u, not PROPOSAL or NONE", k, np);
        if (plen < 8u + pr->spi_size)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "proposal %zu: length %u below %u (8 + SPI size)", k, plen, 8u + pr->spi_size);
        const uint8_t *rest = pkt_rd_ptr(&rd, plen - 8u);
        if (!rest)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                         "proposal %zu: length %u runs past the SA (%zu bytes left)", k, plen, left);
        if (pr->proto < ISAKMP_PROTO_ISAKMP || pr->proto > ISAKMP_PROTO_IPCOMP)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_PROTOCOL_ID, "proposal %zu: protocol %u",
                         k, pr->proto);
        if (!spi_size_ok(pr->proto, pr->spi_size))
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_SPI, "proposal %zu: SPI size %u for %s",
                         k, pr->spi_size, isakmp_proto_name(pr->proto));
        if (sa->nprops && pr->num < sa->prop[sa->nprops - 1].num)
            return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
                         "proposal %zu: number %u after %u", k, pr->num, sa->prop[sa->nprops - 1].num);
        struct pkt_rd xr;
        pkt_rd_init(&xr, rest, plen - 8u);
        pr->spi = pkt_rd_ptr(&xr, pr->spi_size);
        rc = transforms_parse(p, k, &xr, sa, pr, h[7], why, whylen);
        if (rc)
            return rc;
        sa->nprops++;
    }
    if (np == ISAKMP_NP_P)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
                     "proposal %zu announces another, the SA ends", sa->nprops);
    return 0;
}

const struct isakmp_attr *isakmp_xform_attr(const struct isakmp_sa *sa, const struct isakmp_xform *x, uint16_t type)
{
    for (unsigned i = 0; i < x->nattrs; i++)
        if (sa->attr[x->first_attr + i].type == type)
            return &sa->attr[x->first_attr + i];
    return NULL;
}

/* ---- the other payloads -------------------------------------------------- */

int isakmp_check_data(const struct isakmp_payload *p, char *why, size_t whylen)
{
    size_t min = 1, max = SIZE_MAX;
    int code;
    switch (p->type) {
    case ISAKMP_NP_KE: max = ISAKMP_KE_MAX; code = ISAKMP_N_INVALID_KEY_INFORMATION; break;
    case ISAKMP_NP_HASH:
    case ISAKMP_NP_NAT_D:
    case ISAKMP_NP_NAT_D_DRAFT: max = ISAKMP_HASH_MAX; code = ISAKMP_N_INVALID_HASH_INFORMATION; break;
    case ISAKMP_NP_SIG: code = ISAKMP_N_INVALID_SIGNATURE; break;
    case ISAKMP_NP_NONCE: min = ISAKMP_NONCE_MIN; max = ISAKMP_NONCE_MAX; code = ISAKMP_N_PAYLOAD_MALFORMED; break;
    case ISAKMP_NP_VID: code = ISAKMP_N_PAYLOAD_MALFORMED; break;
    default:
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_PAYLOAD_TYPE, "not a data payload");
    }
    if (p->len < min || p->len > max) {
        if (max == SIZE_MAX)
            return pfail(p->idx, p->type, why, whylen, code, "empty");
        return pfail(p->idx, p->type, why, whylen, code, "%zu bytes of data, %zu to %zu allowed", p->len, min, max);
    }
    return 0;
}

int isakmp_decode_id(const struct isakmp_payload *p, struct isakmp_id *id, char *why, size_t whylen)
{
    struct pkt_rd rd;
    int rc = open_body(p, ISAKMP_NP_ID, ISAKMP_NP_ID, &rd, why, whylen);
    if (rc)
        return rc;
    id->type = pkt_rd_u8(&rd);
    id->proto = pkt_rd_u8(&rd);
    id->port = pkt_rd_u16(&rd);
    id->v4[0] = id->v4[1] = 0;
    if (rd.err)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%zu bytes, 4 needed", p->len);
    id->len = pkt_rd_left(&rd);
    id->data = pkt_rd_ptr(&rd, id->len);
    size_t want_len = 0;   /* 0: at least one byte */
    switch (id->type) {
    case ISAKMP_ID_IPV4_ADDR: want_len = 4; break;
    case ISAKMP_ID_IPV4_ADDR_SUBNET:
    case ISAKMP_ID_IPV4_ADDR_RANGE: want_len = 8; break;
    case ISAKMP_ID_IPV6_ADDR: want_len = 16; break;
    case ISAKMP_ID_IPV6_ADDR_SUBNET:
    case ISAKMP_ID_IPV6_ADDR_RANGE: want_len = 32; break;
    case ISAKMP_ID_FQDN:
    case ISAKMP_ID_USER_FQDN:
    case ISAKMP_ID_DER_ASN1_DN:
    case ISAKMP_ID_DER_ASN1_GN:
    case ISAKMP_ID_KEY_ID: break;
    default:
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_ID_INFORMATION, "ID type %u unknown", id->type);
    }
    if (want_len ? id->len != want_len : !id->len)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_ID_INFORMATION, "%s with %zu bytes of data%s",
                     isakmp_id_name(id->type), id->len, want_len ? "" : " (empty)");
    if (want_len == 4 || want_len == 8) {
        struct pkt_rd ar;
        pkt_rd_init(&ar, id->data, id->len);
        id->v4[0] = pkt_rd_u32(&ar);
        if (want_len == 8)
            id->v4[1] = pkt_rd_u32(&ar);
    }
    return 0;
}

int isakmp_decode_cert(const struct isakmp_payload *p, struct isakmp_cert *c, char *why, size_t whylen)
{
    struct pkt_rd rd;
    int rc = open_body(p, ISAKMP_NP_CERT, ISAKMP_NP_CR, &rd, why, whylen);
    if (rc)
        return rc;
    c->encoding = pkt_rd_u8(&rd);
    c->len = pkt_rd_left(&rd);
    c->data = pkt_rd_ptr(&rd, c->len);
    if (rd.err)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "empty");
    int cr = p->type == ISAKMP_NP_CR;
    if (c->encoding < ISAKMP_CERT_PKCS7 || c->encoding > ISAKMP_CERT_X509_ATTR)
        return pfail(p->idx, p->type, why, whylen, cr ? ISAKMP_N_CERT_TYPE_UNSUPPORTED : ISAKMP_N_INVALID_CERT_ENCODING,
                     "certificate encoding %u unknown", c->encoding);
    if (!cr && !c->len)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_CERTIFICATE, "%s without data",
                     isakmp_cert_name(c->encoding));
    return 0;
}

/* The fixed part that notification and delete payloads (type) share
 * (RFC 2408 3.14, 3.15): DOI (0 or 1), protocol, SPI size, a 16-bit field
 * (notify type, number of SPIs); rd is left after it. */
static int doi_head(const struct isakmp_payload *p, uint8_t type, struct pkt_rd *rd, uint32_t *doi, uint8_t *proto,
                    uint8_t *spi_size, uint16_t *v, char *why, size_t whylen)
{
    int rc = open_body(p, type, type, rd, why, whylen);
    if (rc)
        return rc;
    *doi = pkt_rd_u32(rd);
    *proto = pkt_rd_u8(rd);
    *spi_size = pkt_rd_u8(rd);
    *v = pkt_rd_u16(rd);
    if (rd->err)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%zu bytes, 8 needed", p->len);
    if (*doi != ISAKMP_DOI_ISAKMP && *doi != ISAKMP_DOI_IPSEC)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_DOI_NOT_SUPPORTED, "DOI %lu", (unsigned long)*doi);
    return 0;
}

int isakmp_decode_notify(const struct isakmp_payload *p, struct isakmp_notify *n, char *why, size_t whylen)
{
    struct pkt_rd rd;
    int rc = doi_head(p, ISAKMP_NP_N, &rd, &n->doi, &n->proto, &n->spi_size, &n->type, why, whylen);
    if (rc)
        return rc;
    if (n->spi_size > ISAKMP_SPI_MAX)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_SPI, "SPI size %u above %d", n->spi_size,
                     ISAKMP_SPI_MAX);
    n->spi = pkt_rd_ptr(&rd, n->spi_size);
    if (!n->spi)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                     "SPI of %u bytes runs past the payload (%zu bytes)", n->spi_size, p->len);
    n->len = pkt_rd_left(&rd);
    n->data = pkt_rd_ptr(&rd, n->len);
    return 0;
}

int isakmp_notify_dpd(const struct isakmp_notify *n, uint32_t *seq, char *why, size_t whylen)
{
    if (n->type != ISAKMP_N_R_U_THERE && n->type != ISAKMP_N_R_U_THERE_ACK)
        return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%s is not a DPD notification",
                    isakmp_notify_name(n->type));
    if (n->proto != ISAKMP_PROTO_ISAKMP || n->spi_size != 16 || n->len != 4)
        return fail(why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                    "%s: protocol %u, SPI size %u, %zu data bytes (RFC 3706: 1, 16, 4)",
                    isakmp_notify_name(n->type), n->proto, n->spi_size, n->len);
    struct pkt_rd rd;
    pkt_rd_init(&rd, n->data, n->len);
    *seq = pkt_rd_u32(&rd);
    return 0;
}

int isakmp_decode_delete(const struct isakmp_payload *p, struct isakmp_delete *d, char *why, size_t whylen)
{
    struct pkt_rd rd;
    int rc = doi_head(p, ISAKMP_NP_D, &rd, &d->doi, &d->proto, &d->spi_size, &d->nspis, why, whylen);
    if (rc)
        return rc;
    unsigned size = d->proto == ISAKMP_PROTO_ISAKMP ? 16
                    : d->proto == ISAKMP_PROTO_IPSEC_AH || d->proto == ISAKMP_PROTO_IPSEC_ESP ? 4
                    : d->proto == ISAKMP_PROTO_IPCOMP ? 2 : 0;
    if (!size)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_PROTOCOL_ID, "protocol %u", d->proto);
    if (d->spi_size != size)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_SPI, "SPI size %u for %s (%u expected)",
                     d->spi_size, isakmp_proto_name(d->proto), size);
    if (!d->nspis)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "no SPI");
    size_t need = (size_t)d->nspis * size, left = pkt_rd_left(&rd);
    if (need != left)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED,
                     "%u SPIs of %u bytes need %zu bytes, %zu present", d->nspis, size, need, left);
    d->spis = pkt_rd_ptr(&rd, need);
    return 0;
}

int isakmp_decode_nat_oa(const struct isakmp_payload *p, struct isakmp_nat_oa *oa, char *why, size_t whylen)
{
    struct pkt_rd rd;
    int rc = open_body(p, ISAKMP_NP_NAT_OA, ISAKMP_NP_NAT_OA_DRAFT, &rd, why, whylen);
    if (rc)
        return rc;
    oa->id_type = pkt_rd_u8(&rd);
    pkt_rd_skip(&rd, 3);   /* RESERVED (1), RESERVED (2): ignored */
    oa->v4 = 0;
    if (rd.err)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%zu bytes, 4 needed", p->len);
    oa->len = pkt_rd_left(&rd);
    oa->addr = pkt_rd_ptr(&rd, oa->len);
    size_t want_len = oa->id_type == ISAKMP_ID_IPV4_ADDR ? 4 : oa->id_type == ISAKMP_ID_IPV6_ADDR ? 16 : 0;
    if (!want_len)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_INVALID_ID_INFORMATION,
                     "ID type %u, only ID_IPV4_ADDR or ID_IPV6_ADDR", oa->id_type);
    if (oa->len != want_len)
        return pfail(p->idx, p->type, why, whylen, ISAKMP_N_PAYLOAD_MALFORMED, "%s with %zu bytes",
                     isakmp_id_name(oa->id_type), oa->len);
    if (want_len == 4) {
        struct pkt_rd ar;
        pkt_rd_init(&ar, oa->addr, oa->len);
        oa->v4 = pkt_rd_u32(&ar);
    }
    return 0;
}

int isakmp_decode(const struct isakmp_payload *p, struct isakmp_sa *sa, union isakmp_decoded *out, char *why,
                  size_t whylen)
{
    switch (p->type) {
    case ISAKMP_NP_SA: return isakmp_decode_sa(p, sa, why, whylen);
    case ISAKMP_NP_ID: return isakmp_decode_id(p, &out->id, why, whylen);
    case ISAKMP_NP_CERT:
    case ISAKMP_NP_CR: return isakmp_decode_cert(p, &out->cert, why, whylen);
    case ISAKMP_NP_N: return isakmp_decode_notify(p, &out->notify, why, whylen);
    case ISAKMP_NP_D: return isakmp_decode_delete(p, &out->del, why, whylen);
    case ISAKMP_NP_NAT_OA:
    case ISAKMP_NP_NAT_OA_DRAFT: return isakmp_decode_nat_oa(p, &out->nat_oa, why, whylen);
    case ISAKMP_NP_KE:
    case ISAKMP_NP_HASH:
    case ISAKMP_NP_SIG:
    case ISAKMP_NP_NONCE:
    case ISAKMP_NP_VID:
    case ISAKMP_NP_NAT_D:
    case ISAKMP_NP_NAT_D_DRAFT: return isakmp_check_data(p, why, whylen);
    }
    return 0;
}
